import Foundation

/// Checks of exported files: HTML that runs nothing, Markdown with no raw HTML or script links,
/// CSV cells that a spreadsheet will not run as formulas.
enum ExportSafety {
    /// Problems in one HTML document.
    static func htmlProblems(_ html: String) -> [String] {
        var out: [String] = []
        let lower = html.lowercased()
        if lower.contains("<script") { out.append("a <script> element") }
        for tag in tags(in: html) {
            let t = tag.lowercased()
            for name in attributeNames(in: t) where name.hasPrefix("on") {
                out.append("an event attribute \(name)= in \(tag.prefix(120))")
            }
            let squeezed = decodeEntities(t).unicodeScalars.filter { $0.value > 0x20 }.map(String.init).joined()
            for scheme in ["javascript:", "vbscript:", "data:text/html"] where squeezed.contains(scheme) {
                out.append("a \(scheme) URL in \(tag.prefix(120))")
            }
            if t.hasPrefix("<iframe") || t.hasPrefix("<object") || t.hasPrefix("<embed") || t.hasPrefix("<base") || t.hasPrefix("<svg") {
                out.append("an active element \(tag.prefix(60))")
            }
            if t.hasPrefix("<meta") && t.contains("refresh") { out.append("a meta refresh") }
        }
        return out
    }

    /// Problems in one Markdown document: raw tags (viewers render them) and script links.
    static func markdownProblems(_ raw: String) -> [String] {
        var out: [String] = []
        // `\<` is a CommonMark backslash escape: a literal `<`, never the start of a tag.
        let md = withoutFencedCode(raw).replacingOccurrences(of: "\\<", with: "&lt;")
        let lower = md.lowercased()
        for bad in ["<script", "<img", "<iframe", "<svg", "<a ", "<body", "<style", "<meta"] {
            guard let r = lower.range(of: bad) else { continue }
            let from = lower.index(r.lowerBound, offsetBy: -60, limitedBy: lower.startIndex) ?? lower.startIndex
            let to = lower.index(r.upperBound, offsetBy: 40, limitedBy: lower.endIndex) ?? lower.endIndex
            out.append("raw HTML \(bad) in \(String(lower[from..<to]).debugDescription)")
        }
        for scheme in ["](javascript:", "](vbscript:", "](data:", "<javascript:"] where lower.replacingOccurrences(of: " ", with: "").contains(scheme) {
            out.append("a link \(scheme)")
        }
        for tag in tags(in: md) {
            for name in attributeNames(in: tag.lowercased()) where name.hasPrefix("on") { out.append("an event attribute \(name)=") }
        }
        return out
    }

    /// The document without the contents of fenced code blocks (literal text in CommonMark).
    /// A fence closes only on a line of at least as many backticks, as CommonMark reads it.
    static func withoutFencedCode(_ md: String) -> String {
        var out: [Substring] = []
        var fence = 0
        for line in md.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            let ticks = trimmed.prefix { $0 == "`" }.count
            if fence == 0 {
                if ticks >= 3 { fence = ticks } else { out.append(line) }
            } else if ticks >= fence && trimmed.dropFirst(ticks).allSatisfy(\.isWhitespace) {
                fence = 0
            }
        }
        return out.joined(separator: "\n")
    }

    /// Cells that start like a formula (=, +, -, @, tab, CR) in an RFC 4180 CSV document.
    static func csvProblems(_ csv: String) -> [String] {
        var text = csv
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return parseCSV(text).flatMap { $0 }.filter { cell in
            guard let first = cell.unicodeScalars.first else { return false }
            return ["=", "+", "-", "@", "\t", "\r"].contains(String(first))
        }.map { "a formula-like cell: \($0.prefix(60).debugDescription)" }
    }

    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var cell = ""
        var quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { cell.unicodeScalars.append("\""); chars.removeFirst() } else { quoted = false }
                } else { cell.unicodeScalars.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(cell); cell = ""
            } else if c == "\r" && chars.first == "\n" {
                chars.removeFirst(); row.append(cell); rows.append(row); row = []; cell = ""
            } else if c == "\n" {
                row.append(cell); rows.append(row); row = []; cell = ""
            } else { cell.unicodeScalars.append(c) }
        }
        if !cell.isEmpty || !row.isEmpty { row.append(cell); rows.append(row) }
        return rows
    }

    /// Start tags (`<name ...>`) of a document.
    static func tags(in html: String) -> [String] {
        var out: [String] = []
        var i = html.startIndex
        while let lt = html[i...].firstIndex(of: "<") {
            let next = html.index(after: lt)
            guard next < html.endIndex else { break }
            if html[next].isLetter, let gt = html[next...].firstIndex(of: ">") {
                out.append(String(html[lt...gt]))
                i = html.index(after: gt)
            } else {
                i = next
            }
        }
        return out
    }

    /// Attribute names of a lowercased start tag.
    static func attributeNames(in tag: String) -> [String] {
        var names: [String] = []
        var inQuote: Character?
        var current = ""
        var afterSpace = false
        for ch in tag.dropFirst() {
            if let q = inQuote { if ch == q { inQuote = nil }; continue }
            if ch == "\"" || ch == "'" { inQuote = ch; current = ""; afterSpace = false; continue }
            if ch.isWhitespace || ch == "/" { afterSpace = true; current = ""; continue }
            if ch == "=" { if !current.isEmpty { names.append(current) }; current = ""; afterSpace = false; continue }
            if afterSpace || !current.isEmpty { current.append(ch) }
        }
        return names
    }

    /// Numeric character references and the few named ones an attacker would use.
    static func decodeEntities(_ s: String) -> String {
        var out = s.replacingOccurrences(of: "&colon;", with: ":").replacingOccurrences(of: "&tab;", with: "\t").replacingOccurrences(of: "&newline;", with: "\n")
        let pattern = try? NSRegularExpression(pattern: "&#(x?)([0-9a-f]+);?")
        while let m = pattern?.firstMatch(in: out, range: NSRange(out.startIndex..., in: out)),
              let r = Range(m.range, in: out), let hexR = Range(m.range(at: 1), in: out), let numR = Range(m.range(at: 2), in: out) {
            let value = UInt32(out[numR], radix: out[hexR].isEmpty ? 10 : 16).flatMap(Unicode.Scalar.init)
            out.replaceSubrange(r, with: value.map { String($0) } ?? "")
        }
        return out
    }
}
