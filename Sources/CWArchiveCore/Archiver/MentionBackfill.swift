import ChatworkAPI
import Foundation

/// The `archive` run's part for `mention_to_me` deliveries: a mentioned message the archive
/// lacks (in a room not captured by a room webhook, say) is fetched by id
/// (`GET /rooms/{id}/messages/{message_id}`), within the run's budget of single-message fetches.
enum MentionBackfill {
    /// Fetches mentioned messages the archive lacks; returns how many were archived.
    static func run(client: any ChatworkReading, index: ArchiveIndex, batcher: CommitBatcher, runID: String,
                    now: () -> Int, accessibleRooms: Set<Int>, budget: inout Int,
                    log: (String) -> Void) async throws -> Int {
        guard budget > 0, !(try index.unarchivedMentions(limit: 1).isEmpty) else { return 0 }
        // What this run took from the rooms so far goes into the index first: a mention the
        // window just brought is not fetched again.
        try batcher.commit(runComplete: false)
        var fetched = 0
        for (roomID, messageID) in try index.unarchivedMentions(limit: budget) where accessibleRooms.contains(roomID) {
            guard budget > 0 else { break }
            budget -= 1
            do {
                let m = try await client.message(roomID: roomID, messageID: messageID)
                try batcher.append(ArchiveRecord(run: runID, at: now(), roomID: roomID, payload: .message(m)))
                fetched += 1
            } catch let error as ChatworkAPIError {
                if case .unauthorized = error { throw error }
                log("room \(roomID): mentioned message \(messageID) not fetched: \(error.description)")
            }
        }
        return fetched
    }
}
