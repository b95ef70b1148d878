import ChatworkAPI
import Foundation

/// What the archive already holds, read from the index, so a run writes only what changed.
/// A thin view of the index's typed room-state methods (``ArchiveIndex`` owns the SQL).
struct ArchiveState {
    let index: ArchiveIndex

    /// The form the index stores (``CanonicalJSON``), to compare an answer with it.
    func json(_ value: some Encodable) -> String {
        (try? CanonicalJSON.string(value)) ?? ""
    }

    /// The `last_update_time` at which the room was last archived completely.
    func syncedUpdateTime(roomID: Int) throws -> Int? { try index.syncedUpdateTime(roomID: roomID) }

    /// A window of the room was archived before (its first window is recorded as its horizon).
    func hadWindow(roomID: Int) throws -> Bool { try index.hadWindow(roomID: roomID) }

    /// The room's `message_num` when it was last archived.
    func serverMessageNum(roomID: Int) throws -> Int? { try index.serverMessageNum(roomID: roomID) }

    func knownMessages(roomID: Int) throws -> [String: KnownMessage] { try index.knownMessages(roomID: roomID) }

    func messageExists(roomID: Int, messageID: String) throws -> Bool { try index.messageExists(roomID: roomID, messageID: messageID) }

    /// Files the index knows for a room, with their status.
    func fileStatuses(roomID: Int) throws -> [Int: String] { try index.fileStatuses(roomID: roomID) }

    func snapshotJSON(_ kind: String) throws -> String? { try index.snapshotJSON(kind) }

    func roomJSON(roomID: Int) throws -> String? { try index.roomJSON(roomID: roomID) }

    func membersJSON(roomID: Int) throws -> Set<String> { try index.membersJSON(roomID: roomID) }

    func tasksJSON(roomID: Int) throws -> Set<String> { try index.tasksJSON(roomID: roomID) }

    func openTaskCount(roomID: Int) throws -> Int { try index.openTaskCount(roomID: roomID) }

    func limitation(roomID: Int) throws -> MessageLimitation? { try index.limitation(roomID: roomID) }

    func linkState(roomID: Int) throws -> (json: String?, status: String?) { try index.linkState(roomID: roomID) }

    /// Every room the archive holds, as the run planner needs it.
    func plannerRows() throws -> [Int: RoomPlanRow] { try index.plannerRows() }

    /// The rooms the last run had to leave (budget): they go first.
    func roomsLeftByLastRun() throws -> [Int] { try index.roomsLeftByLastRun() }

    /// Rooms the archive holds that are not marked gone.
    func liveRoomIDs() throws -> Set<Int> { try index.liveRoomIDs() }
}
