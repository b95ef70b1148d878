import Foundation

/// The output forms of `cwarchive search`.
public enum SearchOutputFormat: String, Sendable, CaseIterable {
    /// For people: room, author, local time, a snippet, the link.
    case text
    /// JSON Lines: one object per hit.
    case json
    /// RFC 4180 CSV with a header row, safe to open in a spreadsheet.
    case csv
}

/// Formats hits. Text output strips control characters from API text; colour is used only
/// when asked (`highlight`, for a terminal).
public struct SearchOutput: Sendable {
    public var format: SearchOutputFormat
    /// Bold and colour for matches (ANSI), for a terminal only.
    public var highlight: Bool
    /// The zone for times in the text form.
    public var timeZone: TimeZone { didSet { times = TimeFormatter(timeZone: timeZone) } }
    /// Local times without a `DateFormatter` per hit (its ICU set-up was 13 % of a whole
    /// `cwarchive search` process in text form).
    private var times: TimeFormatter

    public init(format: SearchOutputFormat, highlight: Bool = false, timeZone: TimeZone = .current) {
        self.format = format
        self.highlight = highlight
        self.timeZone = timeZone
        times = TimeFormatter(timeZone: timeZone)
    }

    /// The header line, if the format has one.
    public func header() -> String? {
        format == .csv ? Self.csvColumns.joined(separator: ",") : nil
    }

    /// The output for one hit (several lines for text, one for JSON, one record for CSV).
    public func render(_ hit: SearchHit, query: SearchQuery?) throws -> String {
        switch format {
        case .text: return text(hit, query: query)
        case .json: return try json(hit, query: query)
        case .csv: return csv(hit)
        }
    }

    // MARK: - Text

    private static let bold = "\u{1B}[1;31m", dim = "\u{1B}[2m", cyan = "\u{1B}[36m", reset = "\u{1B}[0m"

    func text(_ hit: SearchHit, query: SearchQuery?) -> String {
        let room = SnippetBuilder.displayText(hit.roomName.isEmpty ? "room \(hit.roomID)" : hit.roomName)
        let author = SnippetBuilder.displayText(hit.accountName)
        var status = ""
        switch hit.status {
        case .current: break
        case .edited: status = " (earlier version \(hit.version))"
        case .deleted: status = " (deleted)"
        }
        let snippet = SnippetBuilder.snippet(body: hit.body, query: query, names: hit.personNames)
        let snippetText = snippet.pieces.map { piece in
            piece.isMatch && highlight ? Self.bold + piece.text + Self.reset : piece.text
        }.joined()
        let when = localTime(hit.sendTime)
        if highlight {
            return "\(Self.cyan)[\(room)]\(Self.reset) \(author)  \(Self.dim)\(when)\(status)\(Self.reset)\n"
                + "  \(snippetText)\n  \(Self.dim)\(hit.url)\(Self.reset)\n"
        }
        return "[\(room)] \(author)  \(when)\(status)\n  \(snippetText)\n  \(hit.url)\n"
    }

    /// `2024-05-01 09:30` in ``timeZone`` (Gregorian, no locale).
    func localTime(_ unix: Int) -> String { times.dateTime(unix) }

    // MARK: - JSON Lines

    /// One JSON object; keys in snake_case, sorted (``JSONObjectWriter``).
    func json(_ hit: SearchHit, query: SearchQuery?) throws -> String {
        var out: [UInt8] = []
        appendJSON(hit, query: query, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// ``json(_:query:)`` written at the end of `out`.
    func appendJSON(_ hit: SearchHit, query: SearchQuery?, to out: inout [UInt8]) {
        out.reserveCapacity(out.count + hit.body.utf8.count * 2 + 400)
        var w = JSONObjectWriter(opening: &out)
        w.add("account_id", hit.accountID, to: &out)
        w.add("account_name", hit.accountName, to: &out)
        w.add("body", hit.body, to: &out)
        w.add("message_id", hit.messageID, to: &out)
        w.add("room_id", hit.roomID, to: &out)
        w.add("room_name", hit.roomName, to: &out)
        w.add("send_time", hit.sendTime, to: &out)
        w.add("snippet", SnippetBuilder.snippet(body: hit.body, query: query, names: hit.personNames).plainText, to: &out)
        w.add("source", hit.source, to: &out)
        w.add("status", hit.status.rawValue, to: &out)
        w.add("update_time", hit.updateTime, to: &out)
        w.add("url", hit.url, to: &out)
        w.add("version", hit.version, to: &out)
        w.close(&out)
    }

    // MARK: - CSV

    static let csvColumns = ["room_id", "room_name", "message_id", "version", "account_id", "account_name",
                             "send_time", "update_time", "status", "url", "body"]

    func csv(_ hit: SearchHit) -> String {
        [String(hit.roomID), hit.roomName, hit.messageID, String(hit.version), String(hit.accountID), hit.accountName,
         String(hit.sendTime), String(hit.updateTime), hit.status.rawValue, hit.url, hit.body]
            .map(Self.csvCell).joined(separator: ",")
    }

    /// One CSV cell, by the export's rule (``CSVCell/encode(_:)``): control characters other
    /// than tab and line breaks become U+FFFD, a cell that a spreadsheet would read as a formula
    /// (starting with = + - @, tab or CR) gets a leading apostrophe, and a cell with a comma,
    /// quote or line break is quoted with its quotes doubled (RFC 4180).
    public static func csvCell(_ value: String) -> String {
        CSVCell.encode(value)
    }
}
