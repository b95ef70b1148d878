/// Runs `body`, then awaits `teardown` whatever `body` does: a `defer` cannot await, and a
/// `defer { Task { … } }` lets the next test start before the server has stopped.
public func withTeardown(_ teardown: () async -> Void, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch {
        await teardown()
        throw error
    }
    await teardown()
}
