import Foundation

/// Everything `cwarchive search` was asked, as typed (dates still text).
public struct SearchRequest: Sendable {
    public var query: String
    public var roomIDs: [Int]
    public var accountIDs: [Int]
    public var since: String?
    public var until: String?
    /// At most this many hits; 0 for all.
    public var limit: Int
    public var includeHistory: Bool
    public var sort: SearchSort
    public var format: SearchOutputFormat
    /// Print only the number of hits.
    public var countOnly: Bool

    public init(query: String, roomIDs: [Int] = [], accountIDs: [Int] = [], since: String? = nil, until: String? = nil,
                limit: Int = 20, includeHistory: Bool = false, sort: SearchSort = .newest,
                format: SearchOutputFormat = .text, countOnly: Bool = false) {
        self.query = query; self.roomIDs = roomIDs; self.accountIDs = accountIDs; self.since = since; self.until = until
        self.limit = limit; self.includeHistory = includeHistory; self.sort = sort; self.format = format
        self.countOnly = countOnly
    }
}

/// Runs `cwarchive search` and decides its exit code, like grep: 0 something was found,
/// 1 nothing was, 2 an error (bad query, bad date, no archive, unreadable index).
public enum SearchCommand {
    public static let found: Int32 = 0
    public static let nothingFound: Int32 = 1
    public static let failed: Int32 = 2

    /// Validates the request, opens the index for reading (never taking the archive lock) and
    /// writes the results to `out` (raw text, line ends included) and problems to `err` (one line
    /// each, without a line end). Never throws: every failure becomes exit code 2.
    public static func run(_ request: SearchRequest, timeZone: TimeZone = .current, highlight: Bool = false,
                           openStore: () throws -> ArchiveStore,
                           out: (String) -> Void, err: (String) -> Void) -> Int32 {
        do {
            let query = try SearchQuery.parse(request.query)
            let filter = try filter(for: request, timeZone: timeZone)
            guard request.limit >= 0 else { throw SearchError("--limit must be 0 (all) or more, not \(request.limit)") }
            let index = try ArchiveIndex.openForOneRead(store: try openStore(), notice: { err("search: " + $0) })
            let engine = SearchEngine(index: index)
            if request.countOnly {
                let n = try engine.count(query, filter: filter)
                out("\(n)\n")
                return n > 0 ? found : nothingFound
            }
            // One more than asked tells whether there are more.
            let fetch = request.limit == 0 ? 0 : request.limit + 1
            var hits = try engine.search(query, filter: filter, sort: request.sort, limit: fetch)
            let more = request.limit > 0 && hits.count > request.limit
            if more { hits.removeLast(hits.count - request.limit) }
            let output = SearchOutput(format: request.format, highlight: highlight, timeZone: timeZone)
            let lineEnd = request.format == .csv ? "\r\n" : "\n"
            if let header = output.header() { out(header + lineEnd) }
            for (i, hit) in hits.enumerated() {
                let text = try output.render(hit, query: query)
                if request.format == .text {
                    out((i > 0 ? "\n" : "") + text)
                } else {
                    out(text + lineEnd)
                }
            }
            if more, request.format == .text {
                err("search: showing the newest \(request.limit) hits; there are more (--limit N for more, --limit 0 for all, --count to count)")
            }
            return hits.isEmpty ? nothingFound : found
        } catch {
            err("search: \(oneLine("\(error)"))")
            return failed
        }
    }

    /// The filter for the request's rooms, accounts, dates and history flag.
    public static func filter(for request: SearchRequest, timeZone: TimeZone = .current) throws -> SearchFilter {
        let (since, until) = try DateArgument.range(since: request.since, until: request.until, timeZone: timeZone)
        return SearchFilter(roomIDs: request.roomIDs, accountIDs: request.accountIDs, since: since, until: until,
                            includeHistory: request.includeHistory)
    }

    private static func oneLine(_ s: String) -> String {
        TerminalText.sanitize(s.replacingOccurrences(of: "\r\n", with: "\n"))
    }
}
