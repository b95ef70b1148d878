import ChatworkMarkup
import Foundation
import Mustache

/// The Mustache templates of one format (`html/*.mustache`), loaded so that they can include
/// each other as partials (`{{> message}}`). A syntax error names the file, line and column.
///
/// Templates are compiled by our own engine (``MustacheParser``, ``MustacheRenderer``), which
/// reads typed ``MustacheValue``s. A set that uses what that engine leaves out (transforms such
/// as `{{#first()}}`, template inheritance, dynamic partials) is rendered by swift-mustache
/// instead, with the same values converted to `[String: Any]`: slower, same output.
struct TemplateSet: Sendable {
    let folder: URL
    private let engine: Engine
    /// What ``renderAround(_:_:slot:)`` puts in the slot to find it: random per set, so no text
    /// of the archive can imitate it.
    private let slotMarker = Array("\u{1}CWARCHIVE-SLOT-\(UUID().uuidString)\u{1}".utf8)

    private enum Engine: Sendable {
        case native(MustacheRenderer)
        case swiftMustache(MustacheLibrary)
    }

    /// Whether the set falls back to swift-mustache.
    var usesSwiftMustache: Bool {
        if case .swiftMustache = engine { return true }
        return false
    }

    /// Loads every `*.mustache` of `root/format`, and checks that `required` templates exist.
    init(root: URL, format: String, required: [String]) throws {
        folder = root.appendingPathComponent(format)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".mustache") && !$0.hasPrefix(".") }.sorted()
        var texts: [String: (url: URL, text: String)] = [:]
        for name in names {
            let url = folder.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw ExportError("cannot read the template \(url.path)")
            }
            texts[String(name.dropLast(".mustache".count))] = (url, String(decoding: data, as: UTF8.self))
        }
        engine = try Self.compile(texts)
        for name in required where texts[name] == nil {
            throw ExportError("the template \(folder.appendingPathComponent(name + ".mustache").path) is missing: copy it from the installed templates")
        }
    }

    /// Builds a set from texts by name (tests); `swiftMustache` forces the fallback engine, to
    /// compare the two.
    init(texts: [String: String], folder: URL = URL(fileURLWithPath: "/templates"), swiftMustache: Bool = false) throws {
        self.folder = folder
        engine = try Self.compile(texts.reduce(into: [:]) { $0[$1.key] = (folder.appendingPathComponent($1.key + ".mustache"), $1.value) },
                                  forceFallback: swiftMustache)
    }

    private static func compile(_ texts: [String: (url: URL, text: String)], forceFallback: Bool = false) throws -> Engine {
        var compiled: [String: MustacheCompiledTemplate] = [:]
        var fallback = forceFallback
        for (name, t) in texts.sorted(by: { $0.key < $1.key }) where !forceFallback {
            let result = Result { () throws(MustacheTemplateError) in try MustacheCompiledTemplate(t.text) }
            switch result {
            case .success(let template): compiled[name] = template
            case .failure(let error) where error.kind.isUnsupported: fallback = true
            case .failure(let error):
                throw ExportError("template error in \(t.url.path), line \(error.location.line), column \(error.location.column): \(error.explanation) near `\(error.location.text.trimmingCharacters(in: .whitespaces))`")
            }
        }
        guard fallback else { return .native(MustacheRenderer(templates: compiled)) }
        MarkdownContentType.registerOnce()
        var library: [String: MustacheTemplate] = [:]
        for (name, t) in texts.sorted(by: { $0.key < $1.key }) {
            do {
                library[name] = try MustacheTemplate(string: t.text)
            } catch let error as MustacheTemplate.ParserError {
                throw ExportError("template error in \(t.url.path), line \(error.context.lineNumber), column \(error.context.columnNumber): \(describe(error.error)) near `\(error.context.line.trimmingCharacters(in: .whitespaces))`")
            } catch {
                throw ExportError("template error in \(t.url.path): \(error)")
            }
        }
        return .swiftMustache(MustacheLibrary(templates: library))
    }

    /// Appends the template `name` rendered with `context` to `out`.
    func render(_ name: String, _ context: MustacheObject, into out: inout [UInt8]) {
        switch engine {
        case .native(let renderer): renderer.render(name, context, into: &out)
        case .swiftMustache(let library): out.append(contentsOf: (library.render(context.anyDictionary, withTemplate: name) ?? "").utf8)
        }
    }

    func render(_ name: String, _ context: MustacheObject) -> String {
        var out: [UInt8] = []
        render(name, context, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Renders a layout template around a marker and splits it, so messages can be streamed
    /// between the two halves without holding them in memory. The halves are UTF-8.
    func renderAround(_ name: String, _ context: MustacheObject, slot: String) throws -> (head: [UInt8], tail: [UInt8]) {
        var ctx = context
        ctx[slot] = .string(String(decoding: slotMarker, as: UTF8.self))
        var text: [UInt8] = []
        render(name, ctx, into: &text)
        guard let start = Self.firstIndex(of: slotMarker, in: text, from: 0) else {
            throw ExportError("the template \(folder.appendingPathComponent(name + ".mustache").path) must contain {{{\(slot)}}} exactly once (where the messages go)")
        }
        let end = start + slotMarker.count
        if Self.firstIndex(of: slotMarker, in: text, from: end) != nil {
            throw ExportError("the template \(folder.appendingPathComponent(name + ".mustache").path) contains {{{\(slot)}}} more than once")
        }
        return (Array(text[..<start]), Array(text[end...]))
    }

    /// Where `pattern` first occurs in `bytes` at or after `from`.
    private static func firstIndex(of pattern: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        guard let first = pattern.first, bytes.count - from >= pattern.count else { return nil }
        var i = from
        while i <= bytes.count - pattern.count {
            if bytes[i] == first, bytes[i..<(i + pattern.count)].elementsEqual(pattern) { return i }
            i += 1
        }
        return nil
    }

    private static func describe(_ error: Error) -> String {
        guard let e = error as? MustacheTemplate.Error else { return "\(error)" }
        switch e {
        case .sectionCloseNameIncorrect: return "a section is closed with the wrong name"
        case .unfinishedName: return "a tag is not closed (missing `}}`)"
        case .expectedSectionEnd: return "a section is never closed (missing `{{/name}}`)"
        case .invalidSetDelimiter: return "bad set-delimiter tag"
        default: return "\(e)"
        }
    }
}

extension MustacheTemplateError.Kind {
    var isUnsupported: Bool {
        if case .unsupported = self { return true }
        return false
    }
}

/// swift-mustache's content type for Markdown templates (`{{% CONTENT_TYPE: MARKDOWN}}`), for
/// template sets that fall back to it (see ``TemplateSet``): `{{value}}` backslash-escapes
/// Markdown punctuation.
struct MarkdownContentType: MustacheContentType {
    func escapeText(_ text: String) -> String { MarkdownEscaping.value(text) }

    private static let once: Void = { MustacheContentTypes.register(MarkdownContentType(), named: "MARKDOWN") }()
    static func registerOnce() { _ = once }
}
