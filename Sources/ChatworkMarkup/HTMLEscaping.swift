/// Escaping for text and attribute values in HTML: the one HTML escaper of the package (the
/// markup renderer, the export's and the viewer's templates all use it).
public enum HTMLEscaping {
    /// Appends `s` escaped as ``escape(_:)`` does to UTF-8 bytes (runs without a special byte
    /// are copied whole: the template engine's hot path).
    public static func append(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { buf in
            var run = 0
            for i in 0..<buf.count where needsEscape(buf[i]) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run..<i]))
                append(buf[i], to: &out)
                run = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run...]))
        }
    }

    /// Escapes `&`, `<`, `>`, `"` and `'`, and replaces NUL (which HTML forbids) with U+FFFD.
    /// The result is safe both as element text and inside a quoted attribute value.
    public static func escape(_ s: String) -> String {
        // Most text has nothing to escape: return it as is.
        guard UTF8Bytes.contains(s, where: needsEscape) else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 16)
        append(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `escape` replaces the byte: `& < > " '` and NUL (all ASCII, so never part of a
    /// multi-byte character). A bit mask of the bytes below 64 rather than a table: no lazy
    /// global to reach on every byte of every text.
    @inline(__always)
    static func needsEscape(_ b: UInt8) -> Bool {
        b < 64 && (escapeMask >> UInt64(b)) & 1 != 0
    }

    /// Bit `b` set for each byte `b` that ``needsEscape(_:)`` accepts: NUL `"` `&` `'` `<` `>`
    /// (a constant expression, folded at compile time).
    private static let escapeMask: UInt64 = 1 << 0x00 | 1 << 0x22 | 1 << 0x26 | 1 << 0x27 | 1 << 0x3C | 1 << 0x3E

    /// Appends one byte of UTF-8 text, escaped as `escape` does.
    @inline(__always)
    static func append(_ b: UInt8, to out: inout [UInt8]) {
        guard needsEscape(b) else { out.append(b); return }
        switch b {
        case UInt8(ascii: "&"): out.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B]) // &amp;
        case UInt8(ascii: "<"): out.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B]) // &lt;
        case UInt8(ascii: ">"): out.append(contentsOf: [0x26, 0x67, 0x74, 0x3B]) // &gt;
        case UInt8(ascii: "\""): out.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B]) // &quot;
        case UInt8(ascii: "'"): out.append(contentsOf: [0x26, 0x23, 0x33, 0x39, 0x3B]) // &#39;
        default: out.append(contentsOf: [0xEF, 0xBF, 0xBD]) // NUL → U+FFFD
        }
    }

    /// Escapes a value for a quoted attribute (`name="..."`): as `escape`, and also newlines and
    /// tabs as character references so the value stays on one line.
    public static func escapeAttribute(_ s: String) -> String {
        guard UTF8Bytes.contains(s, where: { needsEscape($0) || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 16)
        for b in s.utf8 {
            switch b {
            case 0x0A: out.append(contentsOf: [0x26, 0x23, 0x31, 0x30, 0x3B]) // &#10;
            case 0x0D: out.append(contentsOf: [0x26, 0x23, 0x31, 0x33, 0x3B]) // &#13;
            case 0x09: out.append(contentsOf: [0x26, 0x23, 0x39, 0x3B]) // &#9;
            default: append(b, to: &out)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
