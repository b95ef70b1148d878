import ChatworkAPI
import Foundation
@testable import CWArchiveCore

/// A temporary folder removed at deinit.
final class TempDir: @unchecked Sendable {
    let url: URL
    init(_ name: String = "cwarchive-test") {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    func path(_ p: String) -> URL { url.appendingPathComponent(p) }
}

func makeMessage(_ id: String, body: String, time: Int, update: Int = 0, account: Int = 1) -> Message {
    Message(messageID: id, account: Account(accountID: account, name: "User \(account)", avatarImageURL: "https://example.com/a.png"),
            body: body, sendTime: time, updateTime: update)
}
