import ChatworkMarkup
import Foundation

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
    /// Only hits older than this one (its ``SearchHit/rowID``): the next page of a newest-first search.
    public var beforeRowID: Int64?

    public init(roomIDs: [Int] = [], accountIDs: [Int] = [], since: Int? = nil, until: Int? = nil, includeHistory: Bool = false,
                beforeRowID: Int64? = nil) {
        self.roomIDs = roomIDs; self.accountIDs = accountIDs; self.since = since; self.until = until
        self.includeHistory = includeHistory; self.beforeRowID = beforeRowID
    }
}

/// Runs searches against an archive's index: turns a query into the index's MATCH expression
/// (``FTSQueryBuilder``) and the filters into an ``IndexSearch``, and the index's rows into hits
/// with the names their person-name tags stand for.
public struct SearchEngine: Sendable {
    public let index: ArchiveIndex

    public init(index: ArchiveIndex) { self.index = index }

    /// Hits for `query`, at most `limit` of them (all when `limit` is 0): one query for the page,
    /// one for the names its person-name tags refer to.
    public func search(_ query: SearchQuery, filter: SearchFilter = SearchFilter(), sort: SearchSort = .newest,
                       limit: Int = 20) throws -> [SearchHit] {
        let ranked = sort == .relevance
        let hits = try index.searchHits(Self.indexSearch(query, filter, ranked: ranked), order: ranked ? .relevance : .newest, limit: limit)
        return try withPersonNames(hits)
    }

    /// Looks up the names the hits' person-name tags refer to (one query for the whole page).
    private func withPersonNames(_ hits: [SearchHit]) throws -> [SearchHit] {
        let idsByHit = hits.map { MarkupPlainText.personNameIDs(in: $0.body) }
        let all = idsByHit.reduce(into: Set<Int>()) { $0.formUnion($1) }
        guard !all.isEmpty else { return hits }
        let names = try index.accountNames(ids: all)
        return zip(hits, idsByHit).map { hit, ids in
            var hit = hit
            hit.personNames = ids.reduce(into: [:]) { result, id in result[id] = names[id] }
            return hit
        }
    }

    /// The number of hits for `query`.
    public func count(_ query: SearchQuery, filter: SearchFilter = SearchFilter()) throws -> Int {
        try index.countHits(Self.indexSearch(query, filter))
    }

    /// The query plan and the MATCH expression, for checking that the index is used (`EXPLAIN QUERY PLAN`).
    public func queryPlan(_ query: SearchQuery, filter: SearchFilter = SearchFilter()) throws -> (plan: [String], match: FullTextMatch) {
        try index.searchPlan(Self.indexSearch(query, filter))
    }

    /// The search as the index runs it. Room and author filters go into the MATCH expression when
    /// the index has filter tokens; the index also checks them on its rows (right on an older index).
    /// `ranked`: for a best-match order, which needs the counts only `message_fts` keeps.
    static func indexSearch(_ query: SearchQuery, _ filter: SearchFilter, ranked: Bool = false) -> IndexSearch {
        let roomIDs = filter.roomIDs, accountIDs = filter.accountIDs
        return IndexSearch(
            match: { tokens in
                tokens ? FTSQueryBuilder.match(for: query, roomIDs: roomIDs, accountIDs: accountIDs, ranked: ranked)
                       : FTSQueryBuilder.match(for: query, ranked: ranked)
            },
            roomIDs: roomIDs, accountIDs: accountIDs, since: filter.since, until: filter.until,
            includeHistory: filter.includeHistory, beforeRowID: filter.beforeRowID)
    }
}
