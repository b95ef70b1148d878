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

/// Runs `body`, then awaits `teardown` whatever `body` does: a `defer` cannot await, and a
/// `defer { Task { … } }` lets the next test start before the server has stopped.
func withTeardown(_ teardown: () async -> Void, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch {
        await teardown()
        throw error
    }
    await teardown()
}
