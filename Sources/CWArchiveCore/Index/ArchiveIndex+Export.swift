import GRDB

/// What an export reads from the index: the rooms, per room its message count and span, its
/// files and its messages (through a cursor, never into an array), and every account's name.
extension ArchiveIndex {
    /// Runs `body` with an ``ExportReader`` inside one read transaction, so a whole export sees
    /// one state of the index even while a run writes.
    func readForExport<T>(_ body: (ExportReader) throws -> T) throws -> T {
        try writer.read { db in try body(ExportReader(db: db)) }
    }
}

/// The index's read-only queries behind an export; valid only inside ``ArchiveIndex/readForExport(_:)``.
struct ExportReader {
    fileprivate let db: Database

    /// The rooms with these ids (every room when `ids` is empty), by room id; an id the index
    /// does not hold is an ``IndexError``.
    func rooms(ids: [Int]) throws -> [ExportRoom] {
        let rows: [Row]
        if ids.isEmpty {
            rows = try Row.fetchAll(db, sql: "SELECT room_id, name, type, description FROM rooms ORDER BY room_id")
        } else {
            rows = try Row.fetchAll(db, sql: "SELECT room_id, name, type, description FROM rooms WHERE room_id IN (\(ids.map { _ in "?" }.joined(separator: ","))) ORDER BY room_id",
                                    arguments: StatementArguments(ids))
            let found = Set(rows.map { $0["room_id"] as Int })
            if let missing = ids.first(where: { !found.contains($0) }) {
                throw IndexError(description: "room \(missing) is not in the archive: list the archived rooms with `cwarchive status`")
            }
        }
        return rows.map { ExportRoom(roomID: $0["room_id"], name: $0["name"], type: $0["type"], description: $0["description"]) }
    }

    private func filter(history: Bool) -> String {
        "room_id = ? AND send_time >= ? AND send_time <= ?" + (history ? "" : " AND status = 'current'")
    }

    /// Binds the values of ``filter(history:)``.
    private func bind(_ statement: RawStatement, _ roomID: Int, _ range: ExportRange) {
        statement.bind(1, roomID)
        statement.bind(2, range.since ?? Int.min)
        statement.bind(3, range.until ?? Int.max)
    }

    /// How many rows the export of the room holds, and their send-time span.
    func stats(roomID: Int, range: ExportRange, history: Bool) throws -> ExportRoomStats {
        // Cached statements: an export asks for every room, so each query is prepared once.
        let statement = try RawStatement(cached: db, sql: "SELECT COUNT(*), MIN(send_time), MAX(send_time) FROM messages WHERE \(filter(history: history))")
        bind(statement, roomID, range)
        let row = try statement.firstRow { _ in
            ExportRoomStats(count: statement.int(0), first: statement.optionalInt(1), last: statement.optionalInt(2))
        }
        return row ?? ExportRoomStats(count: 0, first: nil, last: nil)
    }

    /// The room's messages in a stable order: send time, then message id (numerically), then
    /// version. SQLite gives them by send time, as its index `messages_room_time` holds them (no
    /// sorter copying every row); the cursor orders the few rows of one second.
    func messages(roomID: Int, range: ExportRange, history: Bool) throws -> ExportMessageCursor {
        let statement = try RawStatement(cached: db, sql: """
            SELECT message_id, version, account_id, \(WholeText.select("account_name", as: "account_name")),
                   \(WholeText.select("body", as: "body")), send_time, update_time, status, COALESCE(source, 'api') AS source
            FROM messages WHERE \(filter(history: history))
            ORDER BY send_time
            """)
        bind(statement, roomID, range)
        return ExportMessageCursor(statement: statement)
    }

    /// Every account's name, by account id.
    func accountNames() throws -> [Int: String] {
        var names: [Int: String] = [:]
        let cursor = try Row.fetchCursor(db, sql: "SELECT account_id, name FROM accounts")
        while let row = try cursor.next() { names[row["account_id"]] = row["name"] }
        return names
    }

    /// The room's files, by file id.
    func files(roomID: Int) throws -> [Int: ExportFile] {
        var files: [Int: ExportFile] = [:]
        let statement = try RawStatement(cached: db, sql: "SELECT file_id, message_id, filename, filesize, status, sha256 FROM files WHERE room_id = ?")
        statement.bind(1, roomID)
        while try statement.step() {
            let id = statement.int(0)
            files[id] = ExportFile(fileID: id, messageID: statement.optionalText(1), filename: statement.text(2),
                                   filesize: statement.int(3), status: statement.text(4), sha256: statement.optionalText(5))
        }
        return files
    }
}

/// A room's messages, read one at a time from the index; valid only inside
/// ``ArchiveIndex/readForExport(_:)``, and only until the next ``ExportReader/messages(roomID:range:history:)``.
///
/// The statement gives rows by send time; the rows of one second are read together and put in
/// the order `ORDER BY send_time, length(message_id), message_id, version` would give
/// (``precedes(_:_:)``), so nothing but a second's rows is ever held.
final class ExportMessageCursor {
    private let statement: RawStatement
    /// The rows of the current second, in order, and how many of them were given.
    private var second: [ExportMessage] = []
    private var given = 0
    /// The first row of the next second, read to see that the current one ended.
    private var ahead: ExportMessage?

    fileprivate init(statement: RawStatement) { self.statement = statement }

    /// The next message, or `nil` after the last.
    func next() throws -> ExportMessage? {
        if given < second.count {
            given += 1
            return second[given - 1]
        }
        second.removeAll(keepingCapacity: true)
        given = 0
        guard let first = try ahead ?? row() else { return nil }
        ahead = nil
        // Mostly a second has one row: it is given as it is, the next row kept for later.
        guard let following = try row() else { return first }
        guard following.sendTime == first.sendTime else {
            ahead = following
            return first
        }
        second.append(first)
        second.append(following)
        while let m = try row() {
            guard m.sendTime == first.sendTime else { ahead = m; break }
            second.append(m)
        }
        second.sort(by: Self.precedes)
        given = 1
        return second[0]
    }

    /// Reads the statement's next row: the columns of ``ExportReader/messages(roomID:range:history:)``,
    /// by position, the text columns whole (``WholeText``).
    private func row() throws -> ExportMessage? {
        guard try statement.step() else { return nil }
        var m = ExportMessage(messageID: statement.text(0), version: statement.int(1), accountID: statement.int(2),
                              accountName: statement.text(3), body: statement.text(4), sendTime: statement.int(5),
                              updateTime: statement.int(6), status: statement.text(7))
        m.source = statement.text(8)
        return m
    }

    /// The order of two rows of the same second as SQLite's `length(message_id), message_id,
    /// version`: the number of characters before any NUL, then the bytes (`BINARY`), then the version.
    static func precedes(_ a: ExportMessage, _ b: ExportMessage) -> Bool {
        let la = sqlLength(a.messageID), lb = sqlLength(b.messageID)
        if la != lb { return la < lb }
        if !a.messageID.utf8.elementsEqual(b.messageID.utf8) { return a.messageID.utf8.lexicographicallyPrecedes(b.messageID.utf8) }
        return a.version < b.version
    }

    /// SQLite's `length()` of a text: its characters (code points) before the first NUL.
    static func sqlLength(_ s: String) -> Int {
        var n = 0
        for u in s.unicodeScalars {
            if u == "\u{0}" { break }
            n += 1
        }
        return n
    }
}

extension ExportMessage: FetchableRecord {
    /// One row of `messages`, its text columns selected as bytes (``WholeText``).
    public init(row: Row) {
        self.init(messageID: row["message_id"], version: row["version"], accountID: row["account_id"],
                  accountName: WholeText.read(row, "account_name"), body: WholeText.read(row, "body"), sendTime: row["send_time"],
                  updateTime: row["update_time"], status: row["status"])
        source = row["source"] ?? "api"
    }
}
