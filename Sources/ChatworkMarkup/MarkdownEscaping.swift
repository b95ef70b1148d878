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
        var output = ""
        var scalars = line.unicodeScalars[...]
        if atLineStart {
            while let first = scalars.first, first == " " || first == "\t" {
                output += first == " " ? "&#32;" : "&#9;"
                scalars = scalars.dropFirst()
            }
            if let first = scalars.first, lineStartSpecials.contains(first) {
                output += "\\"
                output.unicodeScalars.append(first)
                scalars = scalars.dropFirst()
            } else {
                // An ordered-list marker: up to 9 digits then `.` or `)`.
                let digits = scalars.prefix { $0.properties.numericType != nil && $0.isASCII }
                let rest = scalars.dropFirst(digits.count)
                if !digits.isEmpty, digits.count <= 9, let marker = rest.first, marker == "." || marker == ")" {
                    output += String(String.UnicodeScalarView(digits)) + "\\"
                    scalars = rest
                }
            }
        }
        for scalar in scalars {
            if inlineSpecials.contains(scalar) { output += "\\" }
            output.unicodeScalars.append(scalar)
        }
        return output
    }

    /// Escapes text that may span lines; each line break becomes a hard break (`  \n`).
    /// `atLineStart` says whether the text starts at the beginning of a Markdown line.
    public static func escape(_ text: String, atLineStart: Bool = true) -> String {
        let lines = normalizedLines(text)
        var output = ""
        for (index, line) in lines.enumerated() {
            if index > 0 { output += "  \n" }
            output += escapeLine(line, atLineStart: index > 0 || atLineStart)
        }
        return output
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
}
