import Foundation

/// What an import read and did: the `--report` JSON (a contract: `files`, `messages`, `rooms`,
/// `exit_code`) and the summary printed at the end.
public struct ImportReport: Codable, Sendable, Equatable {
    /// A source file read.
    public struct File: Codable, Sendable, Equatable {
        /// Relative to the `PATH` given.
        public var path: String
        public var format: String
        public var sha256: String
        public var size: Int
        /// Rows (CSV) or elements (JSON) read, bad ones included.
        public var rows: Int
        public var badRows: Int
        enum CodingKeys: String, CodingKey { case path, format, sha256, size, rows, badRows = "bad_rows" }
    }
    /// Message counts: `read` = `new` + `matched` + `new_versions`.
    public struct Messages: Codable, Sendable, Equatable {
        public var read = 0, new = 0, matched = 0, newVersions = 0, badRows = 0
        enum CodingKeys: String, CodingKey { case read, new, matched, newVersions = "new_versions", badRows = "bad_rows" }
    }
    /// The space between an import and the archive's oldest message when they do not meet.
    public struct Gap: Codable, Sendable, Equatable {
        public var afterMessageID: String
        public var afterTime: Int
        public var beforeMessageID: String
        public var beforeTime: Int
        enum CodingKeys: String, CodingKey {
            case afterMessageID = "after_message_id", afterTime = "after_time", beforeMessageID = "before_message_id", beforeTime = "before_time"
        }
    }
    /// One room's counts.
    public struct Room: Codable, Sendable, Equatable {
        public var roomID: Int
        public var name: String?
        public var read = 0, new = 0, matched = 0, newVersions = 0, badRows = 0
        /// The span of the imported messages (Unix seconds).
        public var oldestTime: Int?
        public var newestTime: Int?
        /// The room's horizon moved back to the oldest imported message.
        public var horizonMoved = false
        /// The import does not reach the archive's messages: the space between them.
        public var gap: Gap?
        enum CodingKeys: String, CodingKey {
            case roomID = "room_id", name, read, new, matched, newVersions = "new_versions", badRows = "bad_rows"
            case oldestTime = "oldest_time", newestTime = "newest_time", horizonMoved = "horizon_moved", gap
        }
    }
    /// A row that could not be read.
    public struct BadRow: Codable, Sendable, Equatable {
        /// `file:line`.
        public var location: String
        public var file: String
        public var line: Int
        public var error: String
    }
    /// Attachments found beside the messages (goodbye-chatwork's files folders).
    public struct Attachments: Codable, Sendable, Equatable {
        public var found = 0, stored = 0, alreadyStored = 0, linked = 0, bytes = 0
        enum CodingKeys: String, CodingKey { case found, stored, alreadyStored = "already_stored", linked, bytes }
    }

    public var runID: String
    public var format: String
    public var dryRun: Bool
    public var started: String
    public var finished: String
    public var files: [File] = []
    public var messages = Messages()
    public var rooms: [Room] = []
    public var attachments = Attachments()
    /// Every bad row, up to ``maxListedBadRows`` (the count in `messages.bad_rows` is complete).
    public var errors: [BadRow] = []
    public var manifestHash: String?
    public var exitCode = 0

    /// More bad rows than this are counted but not listed.
    public static let maxListedBadRows = 100_000

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", format, dryRun = "dry_run", started, finished, files, messages, rooms, attachments, errors
        case manifestHash = "manifest_hash", exitCode = "exit_code"
    }

    /// One paragraph for people.
    public var paragraph: String {
        let m = messages
        var s = dryRun ? "Dry run (nothing written): would add " : "Imported "
        s += "\(m.new) new message(s) and \(m.newVersions) new version(s) from \(files.count) \(format) file(s); "
        s += "\(m.matched) already in the archive; \(m.badRows) bad row(s)"
        if attachments.found > 0 {
            s += "; attachments: \(attachments.found) found, \(attachments.stored) \(dryRun ? "to store" : "stored"), \(attachments.alreadyStored) already stored"
        }
        s += "."
        let moved = rooms.filter(\.horizonMoved).count
        if moved > 0 { s += " The horizon \(dryRun ? "would move" : "moved") back in \(moved) room(s)." }
        let gaps = rooms.filter { $0.gap != nil }.count
        if gaps > 0 { s += " \(gaps) room(s) keep a gap between the import and the archive (see `cwarchive status`)." }
        if let h = manifestHash { s += " Manifest \(h.prefix(16))…" }
        return s
    }
}
