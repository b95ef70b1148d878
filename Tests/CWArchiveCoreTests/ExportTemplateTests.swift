import Foundation
import Testing
@testable import CWArchiveCore

@Suite("Export: templates")
struct ExportTemplateTests {
    /// Copies the default templates, as a user would.
    func copyDefaults(to dir: URL) throws {
        try FileManager.default.copyItem(at: TemplateLocator.sourceCheckoutTemplates, to: dir)
    }

    @Test func anEditedCopyOfTheTemplatesIsUsed() throws {
        let tmp = TempDir("export-templates")
        defer { withExtendedLifetime(tmp) {} }
        let store = try makeGoldenArchive(at: tmp.path("archive"))
        let custom = tmp.path("my-templates")
        try copyDefaults(to: custom)
        let message = custom.appendingPathComponent("html/message.mustache")
        try ("<p class=\"custom\">CUSTOM {{author}} said {{{body}}}</p>\n").write(to: message, atomically: true, encoding: .utf8)
        let out = tmp.path("out")
        try ExportJob(options: exportOptions(store.root, .html, to: out, rooms: [67890], templates: custom)).run()
        let page = try #require(filesUnder(out).first { $0.hasPrefix("67890-") })
        let html = text(out.appendingPathComponent(page))
        #expect(html.contains("CUSTOM Alice &lt;b&gt;Smith&lt;/b&gt; said Hello from another room."))
        #expect(html.contains("<!DOCTYPE html>")) // page.mustache still the default copy
    }

    @Test func aTemplateErrorNamesTheFileAndLine() throws {
        let tmp = TempDir("export-templates")
        defer { withExtendedLifetime(tmp) {} }
        let store = try makeGoldenArchive(at: tmp.path("archive"))
        let custom = tmp.path("broken")
        try copyDefaults(to: custom)
        try "line one\nline two\n{{#files}}never closed\nline four\n".write(to: custom.appendingPathComponent("html/message.mustache"), atomically: true, encoding: .utf8)
        let error = try #require(throws: ExportError.self) {
            try ExportJob(options: exportOptions(store.root, .html, to: tmp.path("out"), templates: custom)).run()
        }
        #expect(error.description.contains("message.mustache"))
        #expect(error.description.contains("line "))
        #expect(error.description.contains(custom.path))
    }

    @Test func aPageTemplateWithoutTheMessagesSlotIsExplained() throws {
        let tmp = TempDir("export-templates")
        defer { withExtendedLifetime(tmp) {} }
        let store = try makeGoldenArchive(at: tmp.path("archive"))
        let custom = tmp.path("noslot")
        try copyDefaults(to: custom)
        try "<html>{{title}}</html>\n".write(to: custom.appendingPathComponent("html/page.mustache"), atomically: true, encoding: .utf8)
        let error = try #require(throws: ExportError.self) {
            try ExportJob(options: exportOptions(store.root, .html, to: tmp.path("out"), templates: custom)).run()
        }
        #expect(error.description.contains("page.mustache"))
        #expect(error.description.contains("{{{messages}}}"))
    }

    @Test func aMissingTemplateFolderIsAnError() throws {
        let tmp = TempDir("export-templates")
        defer { withExtendedLifetime(tmp) {} }
        let store = try makeGoldenArchive(at: tmp.path("archive"))
        let error = try #require(throws: ExportError.self) {
            try ExportJob(options: exportOptions(store.root, .markdown, to: tmp.path("out"), templates: tmp.path("nowhere"))).run()
        }
        #expect(error.description.contains("nowhere"))
    }

    @Test func locatorOrder() throws {
        let tmp = TempDir("export-locator")
        defer { withExtendedLifetime(tmp) {} }
        let exe = tmp.path("prefix/bin/cwarchive")
        let share = tmp.path("prefix/share/cwarchive/templates")
        let beside = tmp.path("prefix/bin/templates")
        let env = tmp.path("env-templates")
        for d in [share, beside, env] {
            try FileManager.default.createDirectory(at: d.appendingPathComponent("html"), withIntermediateDirectories: true)
        }
        try FileManager.default.createDirectory(at: exe.deletingLastPathComponent(), withIntermediateDirectories: true)
        #expect(try TemplateLocator.locate(format: "html", explicit: nil, environment: ["CWARCHIVE_TEMPLATES": env.path], executable: exe).path == env.path)
        #expect(try TemplateLocator.locate(format: "html", explicit: nil, environment: [:], executable: exe).standardizedFileURL.path == share.standardizedFileURL.path)
        try FileManager.default.removeItem(at: share)
        #expect(try TemplateLocator.locate(format: "html", explicit: nil, environment: [:], executable: exe).path == beside.path)
        try FileManager.default.removeItem(at: beside)
        #expect(try TemplateLocator.locate(format: "html", explicit: nil, environment: [:], executable: exe).path == TemplateLocator.sourceCheckoutTemplates.path)
    }
}
