/// Escaping for text and attribute values in HTML.
public enum HTMLEscaping {
    /// Escapes `&`, `<`, `>`, `"` and `'`, and replaces NUL (which HTML forbids) with U+FFFD.
    /// The result is safe both as element text and inside a quoted attribute value.
    public static func escape(_ s: String) -> String {
        var output = ""
        output.unicodeScalars.reserveCapacity(s.unicodeScalars.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            case "\u{0}": output += "\u{FFFD}"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// Escapes a value for a quoted attribute (`name="..."`): as `escape`, and also newlines and
    /// tabs as character references so the value stays on one line.
    public static func escapeAttribute(_ s: String) -> String {
        escape(s).replacingOccurrences(of: "\n", with: "&#10;").replacingOccurrences(of: "\r", with: "&#13;")
            .replacingOccurrences(of: "\t", with: "&#9;")
    }
}
