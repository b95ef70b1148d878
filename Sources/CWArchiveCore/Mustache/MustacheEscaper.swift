import ChatworkMarkup

/// Writes a value's text as UTF-8 with the escaping of a ``MustacheEscapeMode``.
///
/// HTML is ``HTMLEscaping`` (the package's one HTML escaper): `< > & " '` become
/// `&lt; &gt; &amp; &quot; &#39;` like swift-mustache, with two deliberate differences, both
/// checked in `MustacheDifferentialTests` (the one place that compares the two engines): it works
/// byte by byte rather than per grapheme cluster (swift-mustache leaves a `"` that a combining
/// mark follows unescaped, which would end an attribute; here it never is), and NUL, which HTML
/// forbids, becomes U+FFFD (swift-mustache passes it through).
/// Markdown is ``MarkdownEscaping/appendValue(_:to:)``.
enum MustacheEscaper {
    static func append(_ s: String, as type: MustacheEscapeMode, to out: inout [UInt8]) {
        switch type {
        case .text: out.append(contentsOf: s.utf8)
        case .html: appendHTML(s, to: &out)
        case .markdown: appendMarkdown(s, to: &out)
        }
    }

    static func appendHTML(_ s: String, to out: inout [UInt8]) { HTMLEscaping.append(s, to: &out) }

    /// A value in a Markdown template: ``MarkdownEscaping/appendValue(_:to:)``.
    static func appendMarkdown(_ s: String, to out: inout [UInt8]) { MarkdownEscaping.appendValue(s, to: &out) }
}
