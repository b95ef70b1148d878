import Foundation
import GRDB

/// A full-text search as the index runs it: a MATCH expression over one of the full-text tables
/// (``FullTextMatch``; the search layer builds it from the query with the index's tokenizer,
/// ``SearchText``) and the filters. Every value is bound as a parameter; the SQL text is fixed.
public struct IndexSearch: Sendable {
    /// How hits are ordered: newest first, or best match (BM25) then newest.
    public enum Order: Sendable { case newest, relevance }

    /// The MATCH expression, given whether the index carries room and author filter tokens
    /// (``ArchiveIndex/hasFilterTokens()``): with them the room and author filters can be part of it.
    public var match: @Sendable (_ filterTokens: Bool) -> FullTextMatch
    public var roomIDs: [Int] = []
    public var accountIDs: [Int] = []
    /// Sent at or after this Unix second.
    public var since: Int?
    /// Sent before this Unix second.
    public var until: Int?
    public var includeHistory = false
    /// Only rows before this one (``SearchHit/rowID``): the next page of a newest-first search.
    public var beforeRowID: Int64?

    public init(match: @escaping @Sendable (Bool) -> FullTextMatch, roomIDs: [Int] = [], accountIDs: [Int] = [],
                since: Int? = nil, until: Int? = nil, includeHistory: Bool = false, beforeRowID: Int64? = nil) {
        self.match = match; self.roomIDs = roomIDs; self.accountIDs = accountIDs
        self.since = since; self.until = until; self.includeHistory = includeHistory; self.beforeRowID = beforeRowID
    }
}

extension ArchiveIndex {
    /// Hits of `search`, at most `limit` (all when 0).
    ///
    /// The plan: FTS5 drives the query (`message_fts MATCH ?`, or `message_chars` when every term
    /// is one character), walking its doclist newest first (`ORDER BY rowid DESC`) and stopping
    /// at the limit; a time range becomes a rowid range (``MessageRowID``), which FTS5 seeks to;
    /// each candidate is then joined to `messages` by primary key for its status, room, author
    /// and exact send time.
    public func searchHits(_ search: IndexSearch, order: IndexSearch.Order, limit: Int) throws -> [SearchHit] {
        try searchRead { db in
            let (whereSQL, arguments, match) = try Self.conditions(search, db)
            let fts = match.table.sqlName
            var sql = """
                SELECT m.id, m.room_id, COALESCE(r.name, '') AS room_name, m.message_id, m.version, m.account_id,
                       \(WholeText.select("m.account_name", as: "account_name")), \(WholeText.select("m.body", as: "body")),
                       m.send_time, m.update_time, m.status, COALESCE(m.source, 'api') AS source
                FROM \(fts) CROSS JOIN messages m ON m.id = \(fts).rowid
                LEFT JOIN rooms r ON r.room_id = m.room_id
                WHERE \(whereSQL)
                """
            switch order {
            case .newest: sql += " ORDER BY \(fts).rowid DESC"
            // The search layer ranks on `message_fts` (``FullTextMatch``); `message_chars` keeps
            // no counts (detail=none): its bm25 is 0, which leaves newest first.
            case .relevance: sql += " ORDER BY bm25(\(fts)), \(fts).rowid DESC"
            }
            var args = arguments
            if limit > 0 {
                sql += " LIMIT ?"
                _ = args.append(contentsOf: [limit])
            }
            // Columns by position, in the SELECT's order (a look-up by name lower-cases it: 4 %
            // of a search server's CPU).
            return try Row.fetchAll(db, sql: sql, arguments: args).map { row in
                var hit = SearchHit(rowID: row[0], roomID: row[1], roomName: row[2], messageID: row[3],
                          version: row[4], accountID: row[5], accountName: WholeText.read(row, at: 6),
                          body: WholeText.read(row, at: 7), sendTime: row[8], updateTime: row[9],
                          status: SearchHit.Status(rawValue: row[10]) ?? .current)
                hit.source = row[11]
                return hit
            }
        }
    }

    /// The number of hits of `search`.
    public func countHits(_ search: IndexSearch) throws -> Int {
        try searchRead { db in
            let (whereSQL, arguments, match) = try Self.conditions(search, db)
            let fts = match.table.sqlName
            let sql = "SELECT COUNT(*) FROM \(fts) CROSS JOIN messages m ON m.id = \(fts).rowid WHERE \(whereSQL)"
            return try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0
        }
    }

    /// The query plan and the MATCH expression, for checking that the full-text index drives it.
    public func searchPlan(_ search: IndexSearch) throws -> (plan: [String], match: FullTextMatch) {
        try searchRead { db in
            let (whereSQL, arguments, match) = try Self.conditions(search, db)
            let fts = match.table.sqlName
            let sql = """
                EXPLAIN QUERY PLAN SELECT m.id FROM \(fts) CROSS JOIN messages m ON m.id = \(fts).rowid
                LEFT JOIN rooms r ON r.room_id = m.room_id WHERE \(whereSQL) ORDER BY \(fts).rowid DESC LIMIT 20
                """
            return (try Row.fetchAll(db, sql: sql, arguments: arguments).map { $0["detail"] as String }, match)
        }
    }

    /// The names of these accounts (one query per 500 ids), for the person-name tags of a page of hits.
    public func accountNames(ids: Set<Int>) throws -> [Int: String] {
        guard !ids.isEmpty else { return [:] }
        let all = Array(ids)
        return try searchRead { db in
            var names: [Int: String] = [:]
            for start in stride(from: 0, to: all.count, by: 500) {
                let chunk = Array(all[start..<min(all.count, start + 500)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                for row in try Row.fetchAll(db, sql: "SELECT account_id, name FROM accounts WHERE account_id IN (\(marks))",
                                            arguments: StatementArguments(chunk)) {
                    names[row["account_id"]] = row["name"]
                }
            }
            return names
        }
    }

    /// Whether the index carries room and author tokens (``SearchText/filterToken(room:)``): true
    /// when the oldest and the newest message both have theirs (an index built by one version of
    /// the ingestor has them on every row or on none).
    public func hasFilterTokens() throws -> Bool {
        try searchRead(Self.hasFilterTokens)
    }

    static func hasFilterTokens(_ db: Database) throws -> Bool {
        for order in ["ASC", "DESC"] {
            guard let row = try Row.fetchOne(db, sql: "SELECT id, room_id, account_id FROM messages ORDER BY id \(order) LIMIT 1") else {
                return false
            }
            let match = "(terms : " + SearchText.ftsString([SearchText.filterToken(room: row["room_id"])]) + ") AND (terms : "
                + SearchText.ftsString([SearchText.filterToken(account: row["account_id"])]) + ")"
            let found = try Bool.fetchOne(db, sql: "SELECT 1 FROM message_fts WHERE message_fts MATCH ? AND rowid = ?",
                                          arguments: [match, row["id"] as Int64]) ?? false
            if !found { return false }
        }
        return true
    }

    /// The WHERE clause (fixed SQL text with `?` only), its arguments and the MATCH expression.
    /// Room and author filters go into the MATCH expression when the index has filter tokens;
    /// they are also checked on `messages`, which keeps the results right on an older index.
    /// A time range is a rowid range that FTS5 seeks to, widened where a busy second's
    /// messages took later ids (``MessageRowID``), and checked exactly on `send_time`.
    private static func conditions(_ search: IndexSearch, _ db: Database) throws -> (String, StatementArguments, FullTextMatch) {
        let filtered = !search.roomIDs.isEmpty || !search.accountIDs.isEmpty
        let match = search.match(try filtered && hasFilterTokens(db))
        let fts = match.table.sqlName
        var parts = ["\(fts) MATCH ?"]
        var values: [any DatabaseValueConvertible] = [match.expression]
        if let since = search.since {
            parts.append("\(fts).rowid >= ?")
            values.append(MessageRowID.lowerBound(sentAtOrAfter: since))
            parts.append("m.send_time >= ?")
            values.append(since)
        }
        if let until = search.until {
            parts.append("\(fts).rowid < ?")
            values.append(try MessageRowID.upperBound(sentBefore: until) { try MessageRowID.used(inSecond: $0, db) })
            parts.append("m.send_time < ?")
            values.append(until)
        }
        if let before = search.beforeRowID {
            parts.append("\(fts).rowid < ?")
            values.append(before)
        }
        if !search.includeHistory {
            parts.append("m.status = 'current'")
        }
        if !search.roomIDs.isEmpty {
            parts.append("m.room_id IN (" + Array(repeating: "?", count: search.roomIDs.count).joined(separator: ", ") + ")")
            values.append(contentsOf: search.roomIDs.map { $0 as any DatabaseValueConvertible })
        }
        if !search.accountIDs.isEmpty {
            parts.append("m.account_id IN (" + Array(repeating: "?", count: search.accountIDs.count).joined(separator: ", ") + ")")
            values.append(contentsOf: search.accountIDs.map { $0 as any DatabaseValueConvertible })
        }
        return (parts.joined(separator: " AND "), StatementArguments(values), match)
    }

    /// Runs `body` in a read transaction, turning SQLite's complaints into a one-line ``IndexError``.
    /// An index of another format (``IndexSchema/derivationVersion``) that could not be rebuilt
    /// yet is refused: its tokens are not the ones the query is made of.
    private func searchRead<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read { db in
                if let found = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'derivation'").flatMap(Int.init),
                   found != IndexSchema.derivationVersion {
                    throw IndexError(description: "the index was made by another version of cwarchive (index format \(found), this version uses \(IndexSchema.derivationVersion)) and could not be rebuilt now: a running `cwarchive archive` rebuilds it, so try again when it ends; otherwise run `cwarchive reindex` on the archive")
                }
                return try body(db)
            }
        } catch let error as DatabaseError {
            throw IndexError(description: "the search failed in the index (\(error.resultCode)); if this persists, rebuild it with `cwarchive reindex`")
        }
    }
}
