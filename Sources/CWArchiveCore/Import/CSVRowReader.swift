/// Streams the rows of an RFC 4180 CSV file: fields separated by `,`, rows by CRLF or LF,
/// fields quoted with `"` (a quote inside doubled) and may hold commas and line breaks. A UTF-8
/// byte order mark at the start is skipped.
///
/// Never fails on content: a row that is not valid CSV (a stray character after a closing
/// quote, a quote never closed, more than ``maxRowBytes``, bad UTF-8, a NUL) comes back as
/// ``Row/bad(line:reason:)`` and reading goes on with the next row. Memory stays below
/// ``maxRowBytes`` whatever the file holds.
struct CSVRowReader {
    enum Row: Equatable {
        /// The fields of one row and the line it starts on (1-based).
        case fields([String], line: Int)
        case bad(line: Int, reason: String)
    }

    static let maxRowBytes = 4 << 20
    private var source: ByteSource
    private var line = 1
    private var started = false

    init(source: ByteSource) { self.source = source }

    var bytesRead: Int { source.bytesRead }

    /// The next row, or nil at the end of the file. Throws only when the file cannot be read.
    mutating func next() throws -> Row? {
        if !started {
            started = true
            if try source.peek() == 0xEF {
                _ = try source.next()
                if try source.peek() == 0xBB { _ = try source.next(); if try source.peek() == 0xBF { _ = try source.next() } }
            }
        }
        // Blank lines between rows are skipped.
        while let b = try source.peek(), b == 0x0A || b == 0x0D {
            _ = try source.next()
            if b == 0x0A { line += 1 } else if try source.peek() != 0x0A { line += 1 }
        }
        guard try source.peek() != nil else { return nil }
        let startLine = line
        var fields: [[UInt8]] = []
        var field: [UInt8] = []
        var size = 0
        var problem: String?
        var quoted = false, inQuotes = false, afterQuote = false
        func add(_ b: UInt8) {
            size += 1
            if size > Self.maxRowBytes { if problem == nil { problem = "is longer than \(Self.maxRowBytes >> 20) MiB" } }
            if problem == nil { field.append(b) }
        }
        while true {
            guard let b = try source.next() else {
                if inQuotes { problem = problem ?? "has a quoted field that is never closed (the file may be truncated)" }
                fields.append(field)
                break
            }
            if inQuotes {
                if b == 0x22 {
                    if try source.peek() == 0x22 { _ = try source.next(); add(0x22) } else { inQuotes = false; afterQuote = true }
                } else {
                    if b == 0x0A { line += 1 } else if b == 0x0D, try source.peek() != 0x0A { line += 1 }
                    add(b)
                }
                continue
            }
            if b == 0x2C { fields.append(field); field = []; quoted = false; afterQuote = false; continue }
            if b == 0x0A || b == 0x0D {
                if b == 0x0D, try source.peek() == 0x0A { _ = try source.next() }
                line += 1
                fields.append(field)
                break
            }
            if afterQuote {
                problem = problem ?? "has a character after a closing quote (broken quoting)"
                continue
            }
            if b == 0x22 && field.isEmpty && !quoted { quoted = true; inQuotes = true; continue }
            add(b)
        }
        if let problem { return .bad(line: startLine, reason: problem) }
        var out: [String] = []
        out.reserveCapacity(fields.count)
        for f in fields {
            switch ImportText.string(f) {
            case .success(let s): out.append(s)
            case .failure(let e): return .bad(line: startLine, reason: e.reason)
            }
        }
        return .fields(out, line: startLine)
    }
}
