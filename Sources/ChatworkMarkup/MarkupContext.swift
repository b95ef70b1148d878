import Foundation

/// What a renderer needs to know beyond the body: names, archived files, links, time zone.
public protocol MarkupContext: Sendable {
    /// The display name of an account, or `nil` when unknown.
    func accountName(_ accountID: Int) -> String?
    /// What the archive knows about a file, or `nil` when nothing is known.
    func file(_ fileID: Int) -> MarkupFileInfo?
    /// A relative link to a message inside the export, or `nil`; renderers then link to
    /// `https://www.chatwork.com/#!rid{ROOM}-{MESSAGE}`.
    func messageLink(roomID: Int, messageID: String) -> String?
    /// A readable text for a `[dtext:KEY]` key, or `nil` to show a text made from the key.
    /// The default implementation uses `MarkupSystemTexts.english`.
    func systemText(_ key: String) -> String?
    /// The zone quote times and task limits are shown in.
    var timeZone: TimeZone { get }
}

public extension MarkupContext {
    func systemText(_ key: String) -> String? { MarkupSystemTexts.english[key] }
}

/// A file as far as rendering is concerned.
public struct MarkupFileInfo: Sendable, Equatable {
    /// The file name as uploaded (untrusted: renderers escape it).
    public var name: String
    /// Size in bytes, if known.
    public var size: Int?
    /// A relative link to the archived copy inside the export, or `nil` when not archived.
    public var href: String?
    /// Whether the file is an image (a `[preview]` then shows it with `<img>`).
    public var isImage: Bool

    public init(name: String, size: Int? = nil, href: String? = nil, isImage: Bool = false) {
        self.name = name
        self.size = size
        self.href = href
        self.isImage = isImage
    }
}

/// A `MarkupContext` backed by dictionaries: for tests, previews and simple exports.
public struct StaticMarkupContext: MarkupContext {
    public var accountNames: [Int: String]
    public var files: [Int: MarkupFileInfo]
    /// Relative links by `"ROOM-MESSAGE"`.
    public var messageLinks: [String: String]
    public var systemTexts: [String: String]
    public var timeZone: TimeZone

    public init(
        accountNames: [Int: String] = [:], files: [Int: MarkupFileInfo] = [:], messageLinks: [String: String] = [:],
        systemTexts: [String: String] = MarkupSystemTexts.english,
        timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .current
    ) {
        self.accountNames = accountNames
        self.files = files
        self.messageLinks = messageLinks
        self.systemTexts = systemTexts
        self.timeZone = timeZone
    }

    public func accountName(_ accountID: Int) -> String? { accountNames[accountID] }
    public func file(_ fileID: Int) -> MarkupFileInfo? { files[fileID] }
    public func messageLink(roomID: Int, messageID: String) -> String? { messageLinks["\(roomID)-\(messageID)"] }
    public func systemText(_ key: String) -> String? { systemTexts[key] }
}

/// Readable texts for the `[dtext:KEY]` keys Chatwork writes in system messages.
public enum MarkupSystemTexts {
    public static let english: [String: String] = [
        "file_uploaded": "File uploaded",
        "task_added": "Task added",
        "task_done": "Task completed",
        "task_edited": "Task edited",
        "chatroom_member_is": "Members: ",
        "chatroom_chat_joined": " joined the chat",
        "chatroom_leaved": " left the chat",
        "chatroom_added": " added to the chat",
        "chatroom_deleted": " removed from the chat",
        "chatroom_groupchat_created": "Group chat created",
        "chatroom_chatname_is": "Chat name: ",
        "chatroom_set": " was set",
        "chatroom_mychat_created": "My chat created",
        "chatroom_priv_changed": "Permissions changed",
        "chatroom_contact_added": "Contact added",
        "chatroom_description_is": "Description: ",
        "chatroom_set_description": "Description set",
        "chatroom_chat_edited": "Chat settings changed",
        "chatroom_changed": "Chat changed",
        "chatroom_icon_updated": "Chat icon changed",
    ]

    public static let japanese: [String: String] = [
        "file_uploaded": "ファイルをアップロードしました",
        "task_added": "タスクを追加しました",
        "task_done": "タスクを完了しました",
        "task_edited": "タスクを編集しました",
        "chatroom_member_is": "メンバー：",
        "chatroom_chat_joined": "がチャットに参加しました",
        "chatroom_leaved": "がチャットから退席しました",
        "chatroom_added": "をチャットに追加しました",
        "chatroom_deleted": "をチャットから削除しました",
        "chatroom_groupchat_created": "グループチャットを作成しました",
        "chatroom_chatname_is": "チャット名：",
        "chatroom_set": "に設定しました",
        "chatroom_mychat_created": "マイチャットを作成しました",
        "chatroom_priv_changed": "権限を変更しました",
        "chatroom_contact_added": "コンタクトを追加しました",
        "chatroom_description_is": "概要：",
        "chatroom_set_description": "概要を設定しました",
        "chatroom_chat_edited": "チャット情報を変更しました",
        "chatroom_changed": "チャットを変更しました",
        "chatroom_icon_updated": "チャットのアイコンを変更しました",
    ]
}
