import Foundation
import NIOCore

/// Chatwork's webhook side for the simulator: holds webhook settings and, when a message is
/// posted or edited through it, posts the signed event to the setting's URL as Chatwork does
/// (`X-ChatWorkWebhookSignature` header and `chatwork_webhook_signature` query parameter, both
/// `Base64(HMAC-SHA256(key: Base64-decode(token), body))`). It can also deliver twice, not at all,
/// or with a bad signature (``SimDeliveryMode``), and post any raw body (hostile-input tests).
///
/// ```swift
/// let hooks = SimWebhookSender(simulator: sim)
/// let setting = try hooks.addRoomWebhook(roomId: 1001, url: listenerURL)
/// try await hooks.postMessage(roomId: 1001, accountId: 1, body: "hello")
/// try await hooks.shutdown()
/// ```
public final class SimWebhookSender: Sendable {
    /// Chatwork's limit of webhook settings per account.
    public static let maxSettings = 5
    public let simulator: ChatworkSimulator
    private let poster = SimWebhookPoster()
    private let state = Locked(State())

    private struct State {
        var settings: [SimWebhookSetting] = []
        var mode: SimDeliveryMode = .normal
        var nextID = 1
        var deliveries: [SimDelivery] = []
    }

    public init(simulator: ChatworkSimulator) {
        self.simulator = simulator
    }

    /// Closes the HTTP client; call before dropping the sender.
    public func shutdown() async throws { try await poster.shutdown() }

    /// A random token as the settings page shows one (Base64 of 32 random bytes).
    public static func makeToken() -> String {
        Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
    }

    /// Makes a room event webhook (message_created, message_updated) for `roomId`.
    @discardableResult
    public func addRoomWebhook(roomId: Int, url: URL, token: String = SimWebhookSender.makeToken()) throws -> SimWebhookSetting {
        guard simulator.workspace.room(roomId) != nil else { throw SimWebhookError(description: "no room \(roomId) in the workspace") }
        return try add(scope: .room(roomId), url: url, token: token)
    }

    /// Makes an account event webhook (mention_to_me of `accountId`, any room).
    @discardableResult
    public func addAccountWebhook(accountId: Int, url: URL, token: String = SimWebhookSender.makeToken()) throws -> SimWebhookSetting {
        try add(scope: .account(accountId), url: url, token: token)
    }

    private func add(scope: SimWebhookSetting.Scope, url: URL, token: String) throws -> SimWebhookSetting {
        try state.withLock { s in
            guard s.settings.count < Self.maxSettings else {
                throw SimWebhookError(description: "Chatwork allows at most \(Self.maxSettings) webhook settings per account")
            }
            let setting = SimWebhookSetting(id: String(s.nextID), scope: scope, url: url, token: token)
            s.nextID += 1
            s.settings.append(setting)
            return setting
        }
    }

    /// The settings made so far.
    public var settings: [SimWebhookSetting] { state.withLock { $0.settings } }

    /// How the next deliveries are sent.
    public var mode: SimDeliveryMode {
        get { state.withLock { $0.mode } }
        set { state.withLock { $0.mode = newValue } }
    }

    /// Every delivery attempt so far, in order.
    public var deliveries: [SimDelivery] { state.withLock { $0.deliveries } }

    /// Posts a message into the workspace and delivers `message_created` (and `mention_to_me`
    /// for every mentioned account with an account webhook). Returns the message id.
    @discardableResult
    public func postMessage(roomId: Int, accountId: Int, body: String, at time: Int? = nil) async throws -> String {
        let now = time ?? simulator.clock.unixNow
        let id = try simulator.updateWorkspace { try $0.addMessage(roomId: roomId, accountId: accountId, body: body, at: now) }
        try await deliverMessage(roomId: roomId, messageId: id, type: "message_created")
        return id
    }

    /// Edits a message in the workspace and delivers `message_updated` (and mentions).
    public func editMessage(roomId: Int, messageId: String, body: String, at time: Int? = nil) async throws {
        let now = time ?? simulator.clock.unixNow
        try simulator.updateWorkspace { try $0.editMessage(roomId: roomId, messageId: messageId, body: body, at: now) }
        try await deliverMessage(roomId: roomId, messageId: messageId, type: "message_updated")
    }

    private func deliverMessage(roomId: Int, messageId: String, type: String) async throws {
        guard let m = simulator.workspace.room(roomId)?.messages.first(where: { $0.messageId == messageId }) else {
            throw SimWebhookError(description: "no message \(messageId) in room \(roomId)")
        }
        let time = simulator.clock.unixNow
        let mentioned = SimWebhookEvent.mentionedAccounts(in: m.body)
        for setting in settings {
            switch setting.scope {
            case .room(let r) where r == roomId:
                let event = SimWebhookEvent.MessageEvent(message_id: m.messageId, room_id: roomId, account_id: m.accountId, body: m.body,
                                                         send_time: m.sendTime, update_time: m.updateTime)
                try await deliver(SimWebhookEvent.body(settingID: setting.id, type: type, time: time, event: event), type: type, to: setting)
            case .account(let a) where mentioned.contains(a):
                let event = SimWebhookEvent.MentionEvent(from_account_id: m.accountId, to_account_id: a, room_id: roomId, message_id: m.messageId,
                                                         body: m.body, send_time: m.sendTime, update_time: m.updateTime)
                try await deliver(SimWebhookEvent.body(settingID: setting.id, type: "mention_to_me", time: time, event: event), type: "mention_to_me", to: setting)
            default:
                continue
            }
        }
    }

    /// Sends one body to a setting according to ``mode``.
    private func deliver(_ body: Data, type: String, to setting: SimWebhookSetting) async throws {
        let mode = self.mode
        let times = mode == .never ? 0 : (mode == .twice ? 2 : 1)
        for _ in 0..<times {
            let key = mode == .badSignature ? Array(Self.makeToken().utf8) : setting.key
            let status = await post(body, signature: Self.sign(body, key: key), to: setting.url)
            state.withLock { $0.deliveries.append(SimDelivery(settingID: setting.id, eventType: type, status: status)) }
        }
    }

    /// Chatwork's signature of a body.
    public static func sign(_ body: Data, key: [UInt8]) -> String { SimWebhookPoster.sign(body, key: key) }

    /// Posts any bytes (see ``SimWebhookPoster/post(_:signature:to:inQuery:method:)``).
    public func post(_ body: Data, signature: String?, to url: URL, inQuery: Bool = false, method: String = "POST") async -> Int? {
        await poster.post(body, signature: signature, to: url, inQuery: inQuery, method: method)
    }
}
