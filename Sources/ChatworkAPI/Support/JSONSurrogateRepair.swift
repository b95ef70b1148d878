import Foundation

/// Makes JSON text with lone UTF-16 surrogate escapes decodable without losing the rest.
///
/// JSON may carry `\ud800` alone (a broken emoji cut in half by a client); `JSONDecoder`
/// rejects the whole string then, and the lenient models would keep an empty body. Each
/// `\uD800`–`\uDFFF` escape that is not half of a valid pair becomes `\uFFFD`, so that only
/// that character is replaced and the rest of the text is kept. Everything else, escaped
/// backslashes (`\\ud800` is text) and valid pairs included, is left byte for byte.
public enum JSONSurrogateRepair {
    /// `data` with its lone surrogate escapes replaced; the same bytes when it has none.
    public static func repair(_ data: Data) -> Data {
        guard mayHaveSurrogates(data) else { return data }
        let b = [UInt8](data)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        let replacement = Array(#"\uFFFD"#.utf8)
        var i = 0
        while i < b.count {
            guard b[i] == 0x5C, i + 1 < b.count else { out.append(b[i]); i += 1; continue }
            guard b[i + 1] == 0x75, i + 5 < b.count, let v = hex4(b, i + 2) else {
                out.append(b[i]); out.append(b[i + 1]); i += 2   // another escape, `\\` included
                continue
            }
            if (0xD800...0xDBFF).contains(v) {
                if i + 11 < b.count, b[i + 6] == 0x5C, b[i + 7] == 0x75, let w = hex4(b, i + 8), (0xDC00...0xDFFF).contains(w) {
                    out.append(contentsOf: b[i..<(i + 12)]); i += 12
                } else {
                    out.append(contentsOf: replacement); i += 6
                }
            } else if (0xDC00...0xDFFF).contains(v) {
                out.append(contentsOf: replacement); i += 6
            } else {
                out.append(contentsOf: b[i..<(i + 6)]); i += 6
            }
        }
        return Data(out)
    }

    /// A quick scan for `\u` followed by `d` or `D`: most answers have none.
    static func mayHaveSurrogates(_ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            let p = raw.bindMemory(to: UInt8.self)
            guard p.count >= 3 else { return false }
            for i in 0..<(p.count - 2) where p[i] == 0x5C && p[i + 1] == 0x75 && (p[i + 2] | 0x20) == 0x64 { return true }
            return false
        }
    }

    private static func hex4(_ b: [UInt8], _ at: Int) -> Int? {
        var v = 0
        for k in at..<(at + 4) {
            let c = b[k]
            let d: Int
            switch c {
            case 0x30...0x39: d = Int(c - 0x30)
            case 0x41...0x46: d = Int(c - 0x41 + 10)
            case 0x61...0x66: d = Int(c - 0x61 + 10)
            default: return nil
            }
            v = v * 16 + d
        }
        return v
    }
}
