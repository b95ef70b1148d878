/// The rows the index gives an export (``ArchiveIndex/readForExport(_:)``): value types owned by
/// the index, which the export renders.

/// A room as the export sees it.
public struct ExportRoom: Sendable, Equatable {
    public let roomID: Int
    public let name: String
    public let type: String
    public let description: String?
}

/// What an export of one room holds: how many rows and their time span.
public struct ExportRoomStats: Sendable, Equatable {
    public let count: Int
    public let first: Int?
    public let last: Int?
}

/// One version of a message (one row of `messages`).
public struct ExportMessage: Sendable, Equatable {
    public let messageID: String
    public let version: Int
    public let accountID: Int
    public let accountName: String
    public let body: String
    public let sendTime: Int
    public let updateTime: Int
    /// `current`, `edited` (an earlier version) or `deleted`.
    public let status: String
    /// `api`, or `import:FORMAT` for a version `cwarchive import` added.
    public var source = "api"

    public init(messageID: String, version: Int, accountID: Int, accountName: String, body: String,
                sendTime: Int, updateTime: Int, status: String) {
        self.messageID = messageID
        self.version = version
        self.accountID = accountID
        self.accountName = accountName
        self.body = body
        self.sendTime = sendTime
        self.updateTime = updateTime
        self.status = status
    }

    /// The newest version was edited after it was sent.
    public var isEdited: Bool { version > 1 || updateTime > 0 }
    /// An older version kept by the archive (only shown with `--history`).
    public var isEarlierVersion: Bool { status == "edited" }
    public var isDeleted: Bool { status == "deleted" }

    /// A version `cwarchive import` added.
    public var isImported: Bool { source != "api" }

    /// The message's web link; empty for an imported message without a Chatwork id.
    public func url(roomID: Int) -> String {
        messageID.hasPrefix(ImportedMessage.derivedIDPrefix) ? "" : "https://www.chatwork.com/#!rid\(roomID)-\(messageID)"
    }
}

/// A file known to the archive.
public struct ExportFile: Sendable, Equatable {
    public let fileID: Int
    public let messageID: String?
    public let filename: String
    public let filesize: Int
    public let status: String
    public let sha256: String?
    public var isArchived: Bool { status == "stored" && sha256 != nil }
}

/// The `--since` / `--until` bounds, inclusive, in Unix seconds.
public struct ExportRange: Sendable, Equatable {
    public var since: Int?
    public var until: Int?
    public init(since: Int? = nil, until: Int? = nil) { self.since = since; self.until = until }
}
