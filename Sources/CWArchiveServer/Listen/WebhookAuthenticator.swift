import CWArchiveCore
import Foundation

/// Decides whether a delivery is accepted: its signature must verify with the token configured
/// for the room the event names (`--webhook ROOM_ID=TOKEN_FILE`), or, for `mention_to_me`, with
/// the account webhook's token (`--account-webhook`). A token for another room is refused.
/// A body whose room cannot be read (an unexpected shape) is accepted when any configured token
/// signed it, so that a schema change loses nothing while forged bodies still store nothing.
public struct WebhookAuthenticator: Sendable {
    public let roomTokens: [Int: WebhookToken]
    public let accountToken: WebhookToken?

    public init(roomTokens: [Int: WebhookToken], accountToken: WebhookToken?) {
        self.roomTokens = roomTokens
        self.accountToken = accountToken
    }

    /// Why a delivery was refused (said in the log, never with the signature or the body).
    public enum Refusal: Error, Sendable, Equatable {
        case missingSignature
        case wrongSignature
        /// The event names a room no `--webhook` is configured for.
        case roomNotConfigured(Int)
        /// A `mention_to_me` without `--account-webhook`.
        case noAccountWebhook
        /// Signed with a configured token, but not the one of the event's room (or, for a
        /// mention, not the account webhook's).
        case tokenOfAnotherWebhook

        public var logText: String {
            switch self {
            case .missingSignature: "no signature"
            case .wrongSignature: "wrong signature"
            case .roomNotConfigured(let id): "room \(id) has no --webhook token here"
            case .noAccountWebhook: "mention_to_me, but no --account-webhook token is configured"
            case .tokenOfAnotherWebhook: "signed with the token of another webhook, not the one of the event's room"
            }
        }
    }

    /// The tokens allowed to sign this delivery.
    func candidates(for delivery: WebhookDelivery) -> Result<[WebhookToken], Refusal> {
        switch delivery.eventType {
        case .mentionToMe?:
            guard let accountToken else { return .failure(.noAccountWebhook) }
            return .success([accountToken])
        case .messageCreated?, .messageUpdated?:
            if let room = delivery.roomID {
                guard let t = roomTokens[room] else { return .failure(.roomNotConfigured(room)) }
                return .success([t])
            }
        case nil:
            if let room = delivery.roomID {
                let list = [roomTokens[room], accountToken].compactMap { $0 }
                return list.isEmpty ? .failure(.roomNotConfigured(room)) : .success(list)
            }
        }
        // The room cannot be read: any configured token may have signed it.
        return .success(roomTokens.keys.sorted().compactMap { roomTokens[$0] } + [accountToken].compactMap { $0 })
    }

    /// Accepts or refuses a delivery. The signature comes first: nothing of the body is read
    /// until one of the configured tokens is found to have signed it; then the token must be the
    /// one of the room the event names.
    public func check(body: Data, signature: String?) -> Result<WebhookDelivery, Refusal> {
        guard let signature, !signature.isEmpty else { return .failure(.missingSignature) }
        // Every configured token is checked (no early exit), so the time says nothing about which matched.
        let all = roomTokens.keys.sorted().compactMap { roomTokens[$0] } + [accountToken].compactMap { $0 }
        let signers = all.filter { WebhookSignature.isValid(signature, body: body, key: $0.key) }
        guard !signers.isEmpty else { return .failure(.wrongSignature) }
        let delivery = WebhookDelivery.parse(body)
        switch candidates(for: delivery) {
        case .failure(let r): return .failure(r)
        case .success(let allowed):
            let ok = allowed.contains { a in signers.contains { $0.key == a.key } }
            return ok ? .success(delivery) : .failure(.tokenOfAnotherWebhook)
        }
    }
}
