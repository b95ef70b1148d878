import ChatworkAPI
import Foundation

/// What the archive already holds, as a run's decisions need it, so a run writes only what
/// changed. The index answers it (``ArchiveIndex`` conforms and owns the SQL); the archiver
/// sees only these questions.
protocol ArchiveState: Sendable {
    /// The `last_update_time` at which the room was last archived completely.
    func syncedUpdateTime(roomID: Int) throws -> Int?

    /// A window of the room was archived before (its first window is recorded as its horizon).
    func hadWindow(roomID: Int) throws -> Bool

    /// The room's `message_num` when it was last archived.
    func serverMessageNum(roomID: Int) throws -> Int?

    func knownMessages(roomID: Int) throws -> [String: KnownMessage]

    func messageExists(roomID: Int, messageID: String) throws -> Bool

    /// Files the index knows for a room, with their status.
    func fileStatuses(roomID: Int) throws -> [Int: String]

    func snapshotJSON(_ kind: String) throws -> String?

    func roomJSON(roomID: Int) throws -> String?

    func membersJSON(roomID: Int) throws -> Set<String>

    func tasksJSON(roomID: Int) throws -> Set<String>

    func openTaskCount(roomID: Int) throws -> Int

    func limitation(roomID: Int) throws -> MessageLimitation?

    func linkState(roomID: Int) throws -> (json: String?, status: String?)

    /// Every room the archive holds, as the run planner needs it.
    func plannerRows() throws -> [Int: RoomPlanRow]

    /// The rooms the last run had to leave (budget): they go first.
    func roomsLeftByLastRun() throws -> [Int]

    /// Rooms the archive holds that are not marked gone.
    func liveRoomIDs() throws -> Set<Int>
}

extension ArchiveState {
    /// The form the index stores (``CanonicalJSON``), to compare an answer with it.
    func json(_ value: some Encodable) -> String {
        (try? CanonicalJSON.string(value)) ?? ""
    }
}

extension ArchiveIndex: ArchiveState {}
