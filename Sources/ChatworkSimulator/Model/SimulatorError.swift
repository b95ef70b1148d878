/// Errors of the simulator: loading a workspace, starting the server, changing data.
public enum SimulatorError: Error, CustomStringConvertible, Sendable, Equatable {
    case workspaceUnreadable(path: String, reason: String)
    case storedFileMissing(roomId: Int, fileId: Int, path: String)
    case unknownRoom(Int)
    case unknownMessage(roomId: Int, messageId: String)
    case unknownTask(roomId: Int, taskId: Int)
    case duplicateRoom(Int)
    case notRunning
    case startFailed(String)

    public var description: String {
        switch self {
        case .workspaceUnreadable(let path, let reason):
            return "Cannot read the simulator workspace at \(path): \(reason). Check that it is a folder with workspace.json (and rooms/*.json) in the format of samples/workspace."
        case .storedFileMissing(let roomId, let fileId, let path):
            return "File \(fileId) of room \(roomId) points at \(path), which does not exist. Put the bytes under the workspace's files/ folder or give the file a \"seed\" instead of a \"path\"."
        case .unknownRoom(let id):
            return "The workspace has no room \(id)."
        case .unknownMessage(let roomId, let messageId):
            return "Room \(roomId) has no message \(messageId)."
        case .unknownTask(let roomId, let taskId):
            return "Room \(roomId) has no task \(taskId)."
        case .duplicateRoom(let id):
            return "The workspace already has a room \(id)."
        case .notRunning:
            return "The simulator is not running: call start() first."
        case .startFailed(let reason):
            return "The simulator could not start listening on 127.0.0.1: \(reason)."
        }
    }
}
