import Foundation

/// Reads a workspace folder:
/// - `workspace.json`: accounts, tokens, contacts, incoming_requests (and optionally rooms);
/// - `rooms/*.json`: one room each, with members, messages, tasks, files, link, limitation;
/// - `files/`: bytes of files whose content is `{"path": "..."}` (relative to `files/`).
extension ChatworkSimulator {
    public static func loadWorkspace(from directory: URL) throws -> SimWorkspace {
        let manifest = directory.appendingPathComponent("workspace.json")
        var workspace = try decode(SimWorkspace.self, at: manifest)
        let roomsFolder = directory.appendingPathComponent("rooms")
        if let names = try? FileManager.default.contentsOfDirectory(atPath: roomsFolder.path) {
            for name in names.sorted() where name.hasSuffix(".json") {
                let room = try decode(SimRoom.self, at: roomsFolder.appendingPathComponent(name))
                do {
                    try workspace.addRoom(room)
                } catch {
                    throw SimulatorError.workspaceUnreadable(path: roomsFolder.appendingPathComponent(name).path, reason: error.description)
                }
            }
        }
        let filesFolder = directory.appendingPathComponent("files")
        for r in workspace.rooms.indices {
            for f in workspace.rooms[r].files.indices {
                guard case .stored(let path) = workspace.rooms[r].files[f].content else { continue }
                let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : filesFolder.appendingPathComponent(path)
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
                      let size = (attributes[.size] as? NSNumber)?.intValue else {
                    throw SimulatorError.storedFileMissing(
                        roomId: workspace.rooms[r].roomId, fileId: workspace.rooms[r].files[f].fileId, path: url.path)
                }
                workspace.rooms[r].files[f].content = .stored(path: url.standardizedFileURL.path)
                if workspace.rooms[r].files[f].filesize < 0 {
                    workspace.rooms[r].files[f].filesize = size
                }
            }
        }
        return workspace
    }

    /// The `samples/workspace` folder of this checkout, nil when it is not there
    /// (e.g. an installed binary far from its sources).
    public static func sampleWorkspaceDirectory() -> URL? {
        let source = URL(fileURLWithPath: #filePath)
        // Sources/ChatworkSimulator/WorkspaceLoader.swift → checkout root
        let root = source.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("samples/workspace")
        let manifest = folder.appendingPathComponent("workspace.json")
        return FileManager.default.fileExists(atPath: manifest.path) ? folder : nil
    }

    private static func decode<T: Decodable>(_ type: T.Type, at url: URL) throws -> T {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SimulatorError.workspaceUnreadable(path: url.path, reason: "the file cannot be read (\(error.localizedDescription))")
        }
        do {
            return try JSONDecoder.api.decode(T.self, from: data)
        } catch {
            throw SimulatorError.workspaceUnreadable(path: url.path, reason: "invalid JSON for the simulator (\(error))")
        }
    }
}
