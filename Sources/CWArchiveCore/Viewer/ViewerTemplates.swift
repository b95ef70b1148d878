import Foundation

/// The templates the viewer renders with: the HTML export's set (`html/`: `message` for every
/// message, `style` for the stylesheet) and the viewer's own pages (`viewer/`: `rooms`, `room`,
/// `context`, `search`, `error`, with their partials, and `css` for what the pages add to the
/// export's style). `--templates DIR` replaces either folder when it has it.
struct ViewerTemplates: Sendable {
    let html: TemplateSet
    let viewer: TemplateSet
    /// The stylesheet served at `/assets/style.css`: the export's style, then the viewer's.
    let stylesheet: String

    static let viewerPages = ["rooms", "room", "context", "search", "error", "css"]

    init(explicit: URL?) throws {
        html = try TemplateSet(root: try Self.root(format: "html", explicit: explicit), format: "html", required: ["message", "style"])
        viewer = try TemplateSet(root: try Self.root(format: "viewer", explicit: explicit), format: "viewer", required: Self.viewerPages)
        stylesheet = Self.unwrapStyle(html.render("style", [:])) + "\n" + viewer.render("css", [:])
    }

    /// The override folder when it has `format/`, else the installed templates.
    private static func root(format: String, explicit: URL?) throws -> URL {
        if let explicit {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: explicit.appendingPathComponent(format).path, isDirectory: &isDir), isDir.boolValue {
                return explicit
            }
            guard FileManager.default.fileExists(atPath: explicit.path, isDirectory: &isDir), isDir.boolValue else {
                throw ExportError("the template folder \(explicit.path) does not exist: give a folder with viewer/ (and optionally html/) templates")
            }
        }
        return try TemplateLocator.locate(format: format, explicit: nil)
    }

    /// The CSS inside the export's `<style>` element (the viewer serves it as a file, so that
    /// its Content-Security-Policy needs no inline style).
    static func unwrapStyle(_ text: String) -> String {
        var s = Substring(text)
        if let open = s.range(of: "<style>") { s = s[open.upperBound...] }
        if let close = s.range(of: "</style>", options: .backwards) { s = s[..<close.lowerBound] }
        return String(s)
    }
}
