import Foundation

/// The output formats of `cwarchive export`.
public enum ExportFormat: String, Sendable, CaseIterable {
    case html, markdown, csv

    var fileExtension: String {
        switch self {
        case .html: "html"
        case .markdown: "md"
        case .csv: "csv"
        }
    }
}

/// Everything `cwarchive export` was asked to do.
public struct ExportOptions: Sendable {
    public var archive: URL
    public var format: ExportFormat
    public var output: URL
    /// Rooms to export; empty means every room.
    public var roomIDs: [Int]
    public var range: ExportRange
    /// A folder of templates that replaces the installed ones (`--templates`).
    public var templates: URL?
    /// Also show earlier versions of edited messages and deleted messages.
    public var history: Bool
    public var timeZone: TimeZone
    /// Start CSV files with a UTF-8 byte order mark (for Excel).
    public var byteOrderMark: Bool
    /// HTML: messages per page before a room is split into several files.
    public var messagesPerPage: Int

    public init(archive: URL, format: ExportFormat, output: URL, roomIDs: [Int] = [], range: ExportRange = ExportRange(),
                templates: URL? = nil, history: Bool = false, timeZone: TimeZone = .current,
                byteOrderMark: Bool = true, messagesPerPage: Int = 5000) {
        self.archive = archive; self.format = format; self.output = output; self.roomIDs = roomIDs
        self.range = range; self.templates = templates; self.history = history; self.timeZone = timeZone
        self.byteOrderMark = byteOrderMark; self.messagesPerPage = max(1, messagesPerPage)
    }
}

/// What an export wrote.
public struct ExportSummary: Sendable {
    /// Files written, relative to the output folder, sorted.
    public var files: [String]
    public var rooms: Int
    public var messages: Int
    public var attachmentsCopied: Int
    public var headHash: String?
}

extension ExportRange {
    /// The range of `--since` / `--until` as typed, read by ``DateArgument`` (the grammar every
    /// command shares); `until` becomes the last included second.
    public static func parse(since: String?, until: String?, timeZone: TimeZone) throws -> ExportRange {
        let (start, end) = try DateArgument.range(since: since, until: until, timeZone: timeZone)
        return ExportRange(since: start, until: end.map { $0 - 1 })
    }
}
