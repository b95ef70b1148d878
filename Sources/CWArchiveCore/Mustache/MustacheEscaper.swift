/// Writes a value's text as UTF-8 with the escaping of a ``MustacheEscapeMode``.
///
/// HTML replaces `< > & " '` like swift-mustache (`&lt; &gt; &amp; &quot; &#39;`), but byte by
/// byte rather than per grapheme cluster: swift-mustache leaves a `"` that a combining mark
/// follows unescaped (one `Character`), which would end an attribute; here it never is.
/// Markdown is ``ExportEscaping/markdown(_:)`` of ``ExportEscaping/display(_:)``, done on bytes.
enum MustacheEscaper {
    static func append(_ s: String, as type: MustacheEscapeMode, to out: inout [UInt8]) {
        switch type {
        case .text: out.append(contentsOf: s.utf8)
        case .html: appendHTML(s, to: &out)
        case .markdown: appendMarkdown(s, to: &out)
        }
    }

    private static let lt: [UInt8] = Array("&lt;".utf8)
    private static let gt: [UInt8] = Array("&gt;".utf8)
    private static let amp: [UInt8] = Array("&amp;".utf8)
    private static let quot: [UInt8] = Array("&quot;".utf8)
    private static let apos: [UInt8] = Array("&#39;".utf8)
    private static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    static func appendHTML(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { buf in
            var run = 0
            for i in 0..<buf.count {
                let entity: [UInt8]
                switch buf[i] {
                case UInt8(ascii: "<"): entity = lt
                case UInt8(ascii: ">"): entity = gt
                case UInt8(ascii: "&"): entity = amp
                case UInt8(ascii: "\""): entity = quot
                case UInt8(ascii: "'"): entity = apos
                default: continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run..<i]))
                out.append(contentsOf: entity)
                run = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run...]))
        }
    }

    /// Bytes that Markdown escaping changes: ASCII controls, line breaks, tabs, DEL,
    /// `< > &` and the punctuation of ``ExportEscaping/markdownSpecial``, and 0xC2 (which
    /// starts the C1 controls U+0080–U+009F).
    private static let markdownTable: [Bool] = {
        var t = [Bool](repeating: false, count: 256)
        for b in 0..<0x20 { t[b] = true }
        t[0x7F] = true
        t[0xC2] = true
        for c in "<>&\\`*_{}[]#!|~".utf8 { t[Int(c)] = true }
        return t
    }()

    static func appendMarkdown(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { buf in
            var run = 0
            var i = 0
            let n = buf.count
            while i < n {
                let b = buf[i]
                guard markdownTable[Int(b)] else { i += 1; continue }
                if b == 0xC2 {
                    // U+0080–U+009F (C1 controls) become U+FFFD; other U+00xx stay.
                    guard i + 1 < n, (0x80...0x9F).contains(buf[i + 1]) else { i += 1; continue }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run..<i]))
                    out.append(contentsOf: replacement)
                    i += 2
                    run = i
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run..<i]))
                switch b {
                case UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): out.append(UInt8(ascii: " "))
                case UInt8(ascii: "<"): out.append(contentsOf: lt)
                case UInt8(ascii: ">"): out.append(contentsOf: gt)
                case UInt8(ascii: "&"): out.append(contentsOf: amp)
                case 0..<0x20, 0x7F: out.append(contentsOf: replacement)
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
