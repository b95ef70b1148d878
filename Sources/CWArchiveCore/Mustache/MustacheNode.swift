/// How `{{name}}` escapes what it writes; set by `{{% CONTENT_TYPE: … }}`.
enum MustacheEscapeMode: Sendable, Equatable {
    /// `< > & " '` become entities (the default, also after `CONTENT_TYPE: HTML`).
    case html
    /// Written as is (`CONTENT_TYPE: TEXT`).
    case text
    /// One line, control characters replaced, Markdown punctuation backslash-escaped and
    /// `< > &` as entities (`CONTENT_TYPE: MARKDOWN`, see ``ExportEscaping/markdown(_:)``).
    case markdown

    init?(pragmaValue: Substring) {
        switch pragmaValue {
        case "HTML": self = .html
        case "TEXT": self = .text
        case "MARKDOWN": self = .markdown
        default: return nil
        }
    }
}

/// A name as written in a tag: `.` (the current context), `a` (searched up the context stack),
/// `a.b.c` (the first part searched, the rest looked up inside it), `.a` (the current context only).
struct MustachePath: Sendable, Equatable {
    /// The parts between dots; empty for `.` and for an empty name.
    let parts: [String]
    /// True for `.` and names starting with a dot: no search up the stack.
    let currentOnly: Bool
    /// The name as written (to match a section's closing tag).
    let name: String

    init(_ name: String) {
        self.name = name
        parts = name.split(separator: ".").map(String.init)
        currentOnly = name.first == "."
    }
}

/// One compiled piece of a template.
indirect enum MustacheNode: Sendable {
    /// Literal text, as UTF-8.
    case text([UInt8])
    /// `{{name}}` (escaped) or `{{{name}}}` / `{{& name}}` (raw).
    case variable(MustachePath, escaped: Bool)
    /// `{{#name}}…{{/name}}` or, inverted, `{{^name}}…{{/name}}`.
    case section(MustachePath, inverted: Bool, body: [MustacheNode])
    /// `{{> name}}`; `indentation` is set when the tag stands alone on its line.
    case partial(String, indentation: [UInt8]?)
    /// `{{% CONTENT_TYPE: … }}`: the escaping for the rest of the enclosing template or section.
    case contentType(MustacheEscapeMode)
}

/// A template compiled once into nodes. Parsing follows swift-mustache's rules (standalone
/// lines, set delimiters, partial indentation) so the output is the same byte for byte.
struct MustacheCompiledTemplate: Sendable {
    let nodes: [MustacheNode]

    init(_ text: String) throws(MustacheTemplateError) {
        nodes = try MustacheParser.parse(text)
    }
}
