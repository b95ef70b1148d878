import Foundation
import GRDB

/// How hits are ordered.
public enum SearchSort: String, Sendable, CaseIterable {
    /// Newest first (by send time).
    case newest
    /// Best match first (BM25), then newest.
    case relevance
}

/// What to search for and where.
public struct SearchFilter: Sendable, Equatable {
    /// Only these rooms (any room when empty).
    public var roomIDs: [Int]
    /// Only messages by these accounts (anyone when empty).
    public var accountIDs: [Int]
    /// Sent at or after this Unix second.
    public var since: Int?
    /// Sent before this Unix second (exclusive; see ``DateArgument``).
    public var until: Int?
    /// Also earlier versions of edited messages and deleted messages.
    public var includeHistory: Bool

    public init(roomIDs: [Int] = [], accountIDs: [Int] = [], since: Int? = nil, until: Int? = nil, includeHistory: Bool = false) {
        self.roomIDs = roomIDs; self.accountIDs = accountIDs; self.since = since; self.until = until
        self.includeHistory = includeHistory
    }
}

/// Runs searches against an archive's index.
///
/// The plan: FTS5 drives the query (`message_fts MATCH ?`), walking its doclist newest first
/// (`ORDER BY rowid DESC`) and stopping at the limit; a time range becomes a rowid range
/// (rowid = send_time << 21 | n), which FTS5 seeks to; each candidate is then joined to
/// `messages` by primary key for its status, room and author. Every value is bound as a parameter.
public struct SearchEngine: Sendable {
    public let index: ArchiveIndex

    public init(index: ArchiveIndex) { self.index = index }

    /// Hits for `query`, at most `limit` of them (all when `limit` is 0).
    public func search(_ query: SearchQuery, filter: SearchFilter = SearchFilter(), sort: SearchSort = .newest,
                       limit: Int = 20) throws -> [SearchHit] {
        try read { db in
            let (whereSQL, arguments, _) = try conditions(query, filter, db)
            var sql = """
                SELECT m.id, m.room_id, COALESCE(r.name, '') AS room_name, m.message_id, m.version, m.account_id,
                       m.account_name, m.body, m.send_time, m.update_time, m.status
                FROM message_fts CROSS JOIN messages m ON m.id = message_fts.rowid
                LEFT JOIN rooms r ON r.room_id = m.room_id
                WHERE \(whereSQL)
                """
            switch sort {
            case .newest: sql += " ORDER BY message_fts.rowid DESC"
            case .relevance: sql += " ORDER BY bm25(message_fts), message_fts.rowid DESC"
            }
            var args = arguments
            if limit > 0 {
                sql += " LIMIT ?"
                _ = args.append(contentsOf: [limit])
            }
            let hits = try Row.fetchAll(db, sql: sql, arguments: args).map { row in
                SearchHit(rowID: row["id"], roomID: row["room_id"], roomName: row["room_name"], messageID: row["message_id"],
                          version: row["version"], accountID: row["account_id"], accountName: row["account_name"],
                          body: row["body"], sendTime: row["send_time"], updateTime: row["update_time"],
                          status: SearchHit.Status(rawValue: row["status"]) ?? .current)
            }
            return try withPersonNames(hits, db)
        }
    }

    /// Looks up the names the hits' person-name tags refer to (one query for the whole page).
    private func withPersonNames(_ hits: [SearchHit], _ db: Database) throws -> [SearchHit] {
        let idsByHit = hits.map { PersonNames.ids(in: $0.body) }
        let all = Array(idsByHit.reduce(into: Set<Int>()) { $0.formUnion($1) })
        guard !all.isEmpty else { return hits }
        var names: [Int: String] = [:]
        for start in stride(from: 0, to: all.count, by: 500) {
            let chunk = Array(all[start..<min(all.count, start + 500)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            for row in try Row.fetchAll(db, sql: "SELECT account_id, name FROM accounts WHERE account_id IN (\(marks))",
                                        arguments: StatementArguments(chunk)) {
                names[row["account_id"]] = row["name"]
            }
        }
        return zip(hits, idsByHit).map { hit, ids in
            var hit = hit
            hit.personNames = ids.reduce(into: [:]) { result, id in result[id] = names[id] }
            return hit
        }
    }

    /// The number of hits for `query`.
    public func count(_ query: SearchQuery, filter: SearchFilter = SearchFilter()) throws -> Int {
        try read { db in
            let (whereSQL, arguments, _) = try conditions(query, filter, db)
            let sql = "SELECT COUNT(*) FROM message_fts CROSS JOIN messages m ON m.id = message_fts.rowid WHERE \(whereSQL)"
            return try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0
        }
    }

    /// The query plan and the MATCH expression, for checking that the index is used (`EXPLAIN QUERY PLAN`).
    public func queryPlan(_ query: SearchQuery, filter: SearchFilter = SearchFilter()) throws -> (plan: [String], match: String) {
        try read { db in
            let (whereSQL, arguments, match) = try conditions(query, filter, db)
            let sql = """
                EXPLAIN QUERY PLAN SELECT m.id FROM message_fts CROSS JOIN messages m ON m.id = message_fts.rowid
                LEFT JOIN rooms r ON r.room_id = m.room_id WHERE \(whereSQL) ORDER BY message_fts.rowid DESC LIMIT 20
                """
            let plan = try Row.fetchAll(db, sql: sql, arguments: arguments).map { $0["detail"] as String }
            return (plan, match)
        }
    }

    /// The WHERE clause (fixed SQL text with `?` only) and its arguments.
    /// Room and author filters go into the MATCH expression when the index has filter tokens;
    /// they are also checked on `messages`, which keeps the results right on an older index.
    private func conditions(_ query: SearchQuery, _ filter: SearchFilter, _ db: Database) throws -> (String, StatementArguments, String) {
        let filtered = !filter.roomIDs.isEmpty || !filter.accountIDs.isEmpty
        let tokens = try filtered && Self.hasFilterTokens(db)
        let match = tokens
            ? FTSQueryBuilder.matchExpression(for: query, roomIDs: filter.roomIDs, accountIDs: filter.accountIDs)
            : FTSQueryBuilder.matchExpression(for: query)
        var parts = ["message_fts MATCH ?"]
        var values: [any DatabaseValueConvertible] = [match]
        if let since = filter.since {
            parts.append("message_fts.rowid >= ?")
            values.append(Int64(clamping: max(0, since)) << 21)
        }
        if let until = filter.until {
            parts.append("message_fts.rowid < ?")
            values.append(until <= 0 ? Int64(0) : (until >= Int(Int64.max >> 21) ? Int64.max : Int64(until) << 21))
        }
        if !filter.includeHistory {
            parts.append("m.status = 'current'")
        }
        if !filter.roomIDs.isEmpty {
            parts.append("m.room_id IN (" + Array(repeating: "?", count: filter.roomIDs.count).joined(separator: ", ") + ")")
            values.append(contentsOf: filter.roomIDs.map { $0 as any DatabaseValueConvertible })
        }
        if !filter.accountIDs.isEmpty {
            parts.append("m.account_id IN (" + Array(repeating: "?", count: filter.accountIDs.count).joined(separator: ", ") + ")")
            values.append(contentsOf: filter.accountIDs.map { $0 as any DatabaseValueConvertible })
        }
        return (parts.joined(separator: " AND "), StatementArguments(values), match)
    }

    /// Whether the index carries room and author tokens (``SearchText/filterToken(room:)``): true
    /// when the oldest and the newest message both have theirs (an index built by one version of
    /// the ingestor has them on every row or on none).
    static func hasFilterTokens(_ db: Database) throws -> Bool {
        for order in ["ASC", "DESC"] {
            guard let row = try Row.fetchOne(db, sql: "SELECT id, room_id, account_id FROM messages ORDER BY id \(order) LIMIT 1") else {
                return false
            }
            let match = "(terms : " + FTSQueryBuilder.quoted([SearchText.filterToken(room: row["room_id"])]) + ") AND (terms : "
                + FTSQueryBuilder.quoted([SearchText.filterToken(account: row["account_id"])]) + ")"
            let found = try Bool.fetchOne(db, sql: "SELECT 1 FROM message_fts WHERE message_fts MATCH ? AND rowid = ?",
                                          arguments: [match, row["id"] as Int64]) ?? false
            if !found { return false }
        }
        return true
    }

    /// Runs `body` in a read transaction, turning SQLite's complaints into a one-line ``SearchError``.
    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try index.dbPool.read(body)
        } catch let error as DatabaseError {
            throw SearchError("the search failed in the index (\(error.resultCode)); if this persists, rebuild it with `cwarchive reindex`")
        }
    }
}
