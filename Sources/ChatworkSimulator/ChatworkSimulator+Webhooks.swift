import Foundation

/// Chatwork's webhooks, as the simulator plays them: settings as made on the web settings page
/// (at most ``SimWebhookSender/maxSettings`` per account), and for every message posted or
/// edited in the simulator — through `POST`/`PUT` of the API, ``updateWorkspace(_:)`` or
/// ``SimWebhookSender`` — a signed `POST` of the event to each setting that sees it:
/// `message_created` / `message_updated` for a room event webhook of the message's room,
/// `mention_to_me` for an account event webhook whose account the body mentions.
///
/// Deliveries are made in the background, one after the other in the order of the changes, off
/// the path of the request that posted the message, as Chatwork's are. A test waits for them with
/// ``webhookDeliveriesSettled()``.
///
/// ```swift
/// let setting = try sim.addRoomWebhook(roomId: 2000006, url: listenerURL, token: token)
/// // … messages are posted through the API …
/// await sim.webhookDeliveriesSettled()
/// #expect(sim.webhookDeliveries.allSatisfy { $0.status == 200 })
/// ```
extension ChatworkSimulator {
    /// Makes a room event webhook (message_created, message_updated) for `roomId`.
    @discardableResult
    public func addRoomWebhook(roomId: Int, url: URL, token: String = SimWebhookSender.makeToken(),
                               delivery: SimDeliveryMode = .normal) throws -> SimWebhookSetting {
        guard workspace.room(roomId) != nil else { throw SimWebhookError(description: "no room \(roomId) in the workspace") }
        return try core.webhooks.add(scope: .room(roomId), url: url, token: token, delivery: delivery)
    }

    /// Makes an account event webhook (mention_to_me of `accountId`, in any room).
    @discardableResult
    public func addAccountWebhook(accountId: Int, url: URL, token: String = SimWebhookSender.makeToken(),
                                  delivery: SimDeliveryMode = .normal) throws -> SimWebhookSetting {
        try core.webhooks.add(scope: .account(accountId), url: url, token: token, delivery: delivery)
    }

    /// How a setting's next deliveries are made (nil: every setting's). Deliveries already queued
    /// keep the mode they were queued with.
    public func setWebhookDelivery(_ mode: SimDeliveryMode, settingID: String? = nil) {
        core.webhooks.setDelivery(mode, settingID: settingID)
    }

    /// Deletes a setting (its deliveries already queued are still made).
    public func removeWebhook(settingID: String) {
        core.webhooks.remove(settingID: settingID)
    }

    /// The settings made so far.
    public var webhookSettings: [SimWebhookSetting] { core.webhooks.settings }

    /// Every delivery made (or dropped on purpose) so far, in order.
    public var webhookDeliveries: [SimDelivery] { core.webhooks.deliveries }

    /// Returns once every delivery queued before the call has been made or dropped.
    public func webhookDeliveriesSettled() async {
        await core.webhooks.settled()
    }
}
