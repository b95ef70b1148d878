import Foundation
import Mustache

/// The Mustache templates of one format (`html/*.mustache`), loaded so that they can include
/// each other as partials (`{{> message}}`). A syntax error names the file and line.
struct TemplateSet: Sendable {
    let folder: URL
    private let library: MustacheLibrary

    /// Loads every `*.mustache` of `root/format`, and checks that `required` templates exist.
    init(root: URL, format: String, required: [String]) throws {
        folder = root.appendingPathComponent(format)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".mustache") && !$0.hasPrefix(".") }.sorted()
        var templates: [String: MustacheTemplate] = [:]
        for name in names {
            let url = folder.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw ExportError("cannot read the template \(url.path)")
            }
            let text = String(decoding: data, as: UTF8.self)
            do {
                templates[String(name.dropLast(".mustache".count))] = try MustacheTemplate(string: text)
            } catch let error as MustacheTemplate.ParserError {
                throw ExportError("template error in \(url.path), line \(error.context.lineNumber), column \(error.context.columnNumber): \(Self.describe(error.error)) near `\(error.context.line.trimmingCharacters(in: .whitespaces))`")
            } catch {
                throw ExportError("template error in \(url.path): \(error)")
            }
        }
        for name in required where templates[name] == nil {
            throw ExportError("the template \(folder.appendingPathComponent(name + ".mustache").path) is missing: copy it from the installed templates")
        }
        library = MustacheLibrary(templates: templates)
    }

    func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: name) ?? ""
    }

    /// Renders a layout template around a marker and splits it, so messages can be streamed
    /// between the two halves without holding them in memory.
    func renderAround(_ name: String, _ context: [String: Any], slot: String) throws -> (head: String, tail: String) {
        let marker = "\u{1}CWARCHIVE-SLOT-\(UUID().uuidString)\u{1}"
        var ctx = context
        ctx[slot] = marker
        let text = render(name, ctx)
        guard let r = text.range(of: marker) else {
            throw ExportError("the template \(folder.appendingPathComponent(name + ".mustache").path) must contain {{{\(slot)}}} exactly once (where the messages go)")
        }
        let tail = text[r.upperBound...]
        if tail.contains(marker) {
            throw ExportError("the template \(folder.appendingPathComponent(name + ".mustache").path) contains {{{\(slot)}}} more than once")
        }
        return (String(text[..<r.lowerBound]), String(tail))
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
