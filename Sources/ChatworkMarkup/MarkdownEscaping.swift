/// Escaping so text from a message never becomes Markdown (GitHub-flavoured) markup.
public enum MarkdownEscaping {
    /// Characters that are markup anywhere in a line, escaped with a backslash:
    /// emphasis, code, links, HTML, tables, strikethrough, math, entities.
    private static let inlineSpecials: Set<Unicode.Scalar> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "~", "&", "$"]
    /// Characters that start a block at the beginning of a line (headings, quotes, lists, setext).
    private static let lineStartSpecials: Set<Unicode.Scalar> = ["#", ">", "-", "+", "=", "!"]

    /// Escapes one line of text (no line breaks). `atLineStart` says whether the line begins a
    /// Markdown line: then leading spaces become `&#32;` (no indented code block) and a block
    /// marker (`#`, `-`, `1.`, ...) is escaped.
    public static func escapeLine(_ line: Substring, atLineStart: Bool) -> String {
        var line = line
        return line.withUTF8 { buf in
            var out: [UInt8] = []
            out.reserveCapacity(buf.count + 8)
            appendLine(buf, buf.startIndex, buf.endIndex, atLineStart: atLineStart, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Escapes text that may span lines; each line break (`\r\n`, `\n` or `\r`) becomes a hard
    /// break (`  \n`). `atLineStart` says whether the text starts at the beginning of a Markdown line.
    public static func escape(_ text: String, atLineStart: Bool = true) -> String {
        // Most text needs nothing: no special character, no line break, no block marker first.
        // (The tables are read into locals once: a global is reached through a lazy initializer.)
        let inline = inlineTable
        if !UTF8Bytes.contains(text, where: { inline[Int($0)] || $0 == 0x0A || $0 == 0x0D }) {
            guard atLineStart, let first = text.utf8.first else { return text }
            if first != 0x20, first != 0x09, !lineStartTable[Int(first)], !isDigit(first) { return text }
        }
        var text = text
        return text.withUTF8 { buf in
            var out: [UInt8] = []
            out.reserveCapacity(buf.count + 16)
            var lineStart = 0
            var index = 0
            var i = 0
            let n = buf.count
            while i < n {
                let b = buf[i]
                guard b == 0x0A || b == 0x0D else { i += 1; continue }
                if index > 0 { out.append(contentsOf: hardBreak) }
                appendLine(buf, lineStart, i, atLineStart: index > 0 || atLineStart, to: &out)
                index += 1
                i += (b == 0x0D && i + 1 < n && buf[i + 1] == 0x0A) ? 2 : 1
                lineStart = i
            }
            if index > 0 { out.append(contentsOf: hardBreak) }
            appendLine(buf, lineStart, n, atLineStart: index > 0 || atLineStart, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }

    private static let hardBreak: [UInt8] = [0x20, 0x20, 0x0A]

    /// Bytes of ``inlineSpecials`` and ``lineStartSpecials`` (all ASCII, so never inside a
    /// multi-byte character).
    private static let inlineTable: [Bool] = table(inlineSpecials)
    private static let lineStartTable: [Bool] = table(lineStartSpecials)

    private static func table(_ set: Set<Unicode.Scalar>) -> [Bool] {
        var t = [Bool](repeating: false, count: 256)
        for u in set { t[Int(u.value)] = true }
        return t
    }

    @inline(__always) private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Appends the escaped line `buf[start..<end]` to `out`.
    private static func appendLine(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, atLineStart: Bool, to out: inout [UInt8]) {
        let inlineTable = inlineTable, lineStartTable = lineStartTable
        var i = start
        if atLineStart {
            while i < end, buf[i] == 0x20 || buf[i] == 0x09 {
                out.append(contentsOf: buf[i] == 0x20 ? [0x26, 0x23, 0x33, 0x32, 0x3B] : [0x26, 0x23, 0x39, 0x3B]) // &#32; &#9;
                i += 1
            }
            if i < end, lineStartTable[Int(buf[i])] {
                out.append(0x5C)
                out.append(buf[i])
                i += 1
            } else {
                // An ordered-list marker: up to 9 digits then `.` or `)`.
                var j = i
                while j < end, isDigit(buf[j]) { j += 1 }
                if j > i, j - i <= 9, j < end, buf[j] == 0x2E || buf[j] == 0x29 {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<j]))
                    out.append(0x5C)
                    i = j
                }
            }
        }
        var run = i
        while i < end {
            if inlineTable[Int(buf[i])] {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run..<i]))
                out.append(0x5C)
                run = i
            }
            i += 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run..<end]))
    }

    /// A fence of backticks longer than any run of backticks in `content` (at least three).
    public static func fence(for content: String) -> String {
        var longest = 0
        var run = 0
        for scalar in content.unicodeScalars {
            run = scalar == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return String(repeating: "`", count: max(3, longest + 1))
    }

    /// A link destination safe inside `(...)`: parentheses, angle brackets and spaces percent-encoded.
    static func linkDestination(_ href: String) -> String {
        var output = ""
        for scalar in href.unicodeScalars {
            switch scalar {
            case "(": output += "%28"
            case ")": output += "%29"
            case "<": output += "%3C"
            case ">": output += "%3E"
            case " ": output += "%20"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// Lines of `text`, split at `\r\n`, `\n` or `\r`.
    static func normalizedLines(_ text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
    }

    // MARK: - Values in Markdown templates

    /// Appends a value that a Markdown template inserts inline (a room or person name, a file
    /// name, a date), as UTF-8: one line (line breaks and tabs become spaces), other controls
    /// U+FFFD, `< > &` entities (no HTML tag survives, even to a naive search), Markdown
    /// punctuation backslash-escaped. Message bodies, which span lines and blocks, use
    /// ``escape(_:atLineStart:)`` instead.
    public static func value(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 8)
        appendValue(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Bytes that ``appendValue(_:to:)`` changes: ASCII controls, line breaks, tabs, DEL,
    /// `< > &`, the punctuation `\ ` * _ { } [ ] # ! | ~`, and 0xC2 (which starts the C1
    /// controls U+0080–U+009F).
    private static let valueTable: [Bool] = {
        var t = [Bool](repeating: false, count: 256)
        for b in 0..<0x20 { t[b] = true }
        t[0x7F] = true
        t[0xC2] = true
        for c in "<>&\\`*_{}[]#!|~".utf8 { t[Int(c)] = true }
        return t
    }()

    public static func appendValue(_ s: String, to out: inout [UInt8]) {
        let valueTable = valueTable
        var s = s
        s.withUTF8 { buf in
            var run = 0
            var i = 0
            let n = buf.count
            while i < n {
                let b = buf[i]
                guard valueTable[Int(b)] else { i += 1; continue }
                if b == 0xC2 {
                    // U+0080–U+009F (C1 controls) become U+FFFD; other U+00xx stay.
                    guard i + 1 < n, (0x80...0x9F).contains(buf[i + 1]) else { i += 1; continue }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run..<i]))
                    out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    i += 2
                    run = i
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run..<i]))
                switch b {
                case UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): out.append(UInt8(ascii: " "))
                case UInt8(ascii: "<"): out.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])
                case UInt8(ascii: ">"): out.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])
                case UInt8(ascii: "&"): out.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])
                case 0..<0x20, 0x7F: out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                default:
                    out.append(UInt8(ascii: "\\"))
                    out.append(b)
                }
                i += 1
                run = i
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run..<n]))
        }
    }
}
