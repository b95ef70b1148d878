import CWArchiveCore
import Foundation

/// The listener's log: one line per delivery (unless quiet), errors always. It never writes a
/// token, a signature or a message body: only the event type, the room and the message id.
public struct ListenLog: Sendable {
    let console: Console

    public init(console: Console) { self.console = console }

    func accepted(_ d: WebhookDelivery, duplicate: Bool) {
        var line = duplicate ? "duplicate " : "accepted "
        if let known = d.eventType {
            line += known.rawValue
        } else {
            line += d.eventTypeName.map { "event " + TerminalText.quoted($0, limit: 40) } ?? "delivery of an unexpected shape"
        }
        if !d.isCompleteMessage { line += " (kept as received)" }
        if let room = d.roomID { line += " room \(room)" }
        if d.isCompleteMessage, let id = d.messageID { line += " message \(id)" }
        if duplicate { line += " (already spooled or archived; nothing added)" }
        console.log(line)
    }

    func refused(status: Int, reason: String) {
        console.log("refused \(status): \(reason); nothing stored")
    }

    func info(_ text: String) { console.log(text) }

    func failed(_ text: String) { console.warn(text) }
}
