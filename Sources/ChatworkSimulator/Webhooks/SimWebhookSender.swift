import Foundation
import NIOCore

/// A test's handle on the simulator's webhooks (``ChatworkSimulator/addRoomWebhook(roomId:url:token:delivery:)``):
/// makes settings, posts or edits a message and waits until its deliveries are made, sets how the
/// next deliveries of every setting go (``SimDeliveryMode``: twice, not at all, badly signed), and
/// posts any raw body (hostile-input tests). The simulator delivers every message posted or
/// edited, whoever posted it; this only adds the waiting.
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
    private let currentMode = Locked(SimDeliveryMode.normal)

    public init(simulator: ChatworkSimulator) {
        self.simulator = simulator
    }

    /// Closes the HTTP client of raw posts; call before dropping the sender.
    public func shutdown() async throws { try await poster.shutdown() }

    /// A random token as the settings page shows one (Base64 of 32 random bytes).
    public static func makeToken() -> String {
        Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
    }

    /// Makes a room event webhook (message_created, message_updated) for `roomId`.
    @discardableResult
    public func addRoomWebhook(roomId: Int, url: URL, token: String = SimWebhookSender.makeToken()) throws -> SimWebhookSetting {
        try simulator.addRoomWebhook(roomId: roomId, url: url, token: token, delivery: mode)
    }

    /// Makes an account event webhook (mention_to_me of `accountId`, any room).
    @discardableResult
    public func addAccountWebhook(accountId: Int, url: URL, token: String = SimWebhookSender.makeToken()) throws -> SimWebhookSetting {
        try simulator.addAccountWebhook(accountId: accountId, url: url, token: token, delivery: mode)
    }

    /// The simulator's settings.
    public var settings: [SimWebhookSetting] { simulator.webhookSettings }

    /// How the next deliveries of every setting are made.
    public var mode: SimDeliveryMode {
        get { currentMode.withLock { $0 } }
        set {
            currentMode.withLock { $0 = newValue }
            simulator.setWebhookDelivery(newValue)
        }
    }

    /// Every delivery so far, in order (dropped ones included, marked).
    public var deliveries: [SimDelivery] { simulator.webhookDeliveries }

    /// Posts a message into the workspace and returns once its deliveries (`message_created`,
    /// and `mention_to_me` for every mentioned account with an account webhook) are made.
    @discardableResult
    public func postMessage(roomId: Int, accountId: Int, body: String, at time: Int? = nil) async throws -> String {
        let now = time ?? simulator.clock.unixNow
        let id = try simulator.updateWorkspace { try $0.addMessage(roomId: roomId, accountId: accountId, body: body, at: now) }
        await simulator.webhookDeliveriesSettled()
        return id
    }

    /// Edits a message in the workspace and returns once `message_updated` (and mentions) are delivered.
    public func editMessage(roomId: Int, messageId: String, body: String, at time: Int? = nil) async throws {
        let now = time ?? simulator.clock.unixNow
        try simulator.updateWorkspace { try $0.editMessage(roomId: roomId, messageId: messageId, body: body, at: now) }
        await simulator.webhookDeliveriesSettled()
    }

    /// Chatwork's signature of a body.
    public static func sign(_ body: Data, key: [UInt8]) -> String { SimWebhookPoster.sign(body, key: key) }

    /// Posts any bytes (see ``SimWebhookPoster/post(_:signature:to:inQuery:method:)``).
    public func post(_ body: Data, signature: String?, to url: URL, inQuery: Bool = false, method: String = "POST") async -> Int? {
        await poster.post(body, signature: signature, to: url, inQuery: inQuery, method: method)
    }
}
