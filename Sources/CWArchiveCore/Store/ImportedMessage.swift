import ChatworkAPI

/// A message read from another tool's export by `cwarchive import`, with where it came from.
///
/// It is a record of its own (`imported_message`), never an API `message` record: the index
/// knows which versions the API gave and which an import added, and import only ever adds.
public struct ImportedMessage: Codable, Sendable, Equatable {
    /// The message as the export had it; extra fields or columns the export carried are kept in
    /// its ``Message/unknownFields`` (written to the line's `unknown_fields`).
    public var message: Message
    /// False for a message the export gave without a Chatwork id (`goodbye-chatwork`): its id is
    /// derived (`import-…`) and no web link is made for it.
    public var hasChatworkID: Bool
    /// The export marked this version deleted (a `cwarchive-csv` round trip).
    public var deleted: Bool
    /// The room's name as the export gave it, for a room the archive does not hold yet.
    public var roomName: String?
    public var provenance: ImportProvenance

    enum CodingKeys: String, CodingKey {
        case message, hasChatworkID = "has_chatwork_id", deleted, roomName = "room_name", provenance
    }

    public init(message: Message, hasChatworkID: Bool, deleted: Bool = false, roomName: String? = nil, provenance: ImportProvenance) {
        self.message = message; self.hasChatworkID = hasChatworkID; self.deleted = deleted
        self.roomName = roomName; self.provenance = provenance
    }

    /// The prefix of derived ids (never a Chatwork id: those are numbers).
    public static let derivedIDPrefix = "import-"
    /// The prefix of an import run's id (`import-20240105T142100Z-…`).
    public static let importRunPrefix = "import-"
}

/// Where an imported record came from.
public struct ImportProvenance: Codable, Sendable, Equatable {
    /// The `--from` format (`goodbye-chatwork`, `chatwork-log-exporter`, `byecha`, `cwarchive-csv`).
    public var format: String
    /// The source file, relative to the `PATH` given on the command line.
    public var file: String
    /// SHA-256 of the source file's bytes.
    public var sha256: String
    /// The line (CSV) or element (JSON array, 1-based) the record was read from.
    public var row: Int
    public init(format: String, file: String, sha256: String, row: Int) {
        self.format = format; self.file = file; self.sha256 = sha256; self.row = row
    }
}

/// A source file of an import, listed in the import run's last manifest.
public struct ManifestSource: Codable, Sendable, Equatable {
    public var path: String
    public var format: String
    public var sha256: String
    public var size: Int
    public var rows: Int
    public init(path: String, format: String, sha256: String, size: Int, rows: Int) {
        self.path = path; self.format = format; self.sha256 = sha256; self.size = size; self.rows = rows
    }
}
