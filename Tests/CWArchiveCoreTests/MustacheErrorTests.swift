import Foundation
import Testing
@testable import CWArchiveCore

/// Broken templates: the error names the file, line and column, as it did with swift-mustache.
@Suite("Export: Mustache template errors")
struct MustacheErrorTests {
    static func message(_ text: String, swiftMustache: Bool = false) -> String? {
        do {
            _ = try TemplateSet(texts: ["message": text], folder: URL(fileURLWithPath: "/t/html"), swiftMustache: swiftMustache)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Same message as swift-mustache gave, word for word.
    @Test(arguments: [
        ("line one\nline two\n{{#files}}never closed\nline four\n", "line 5, column 1: a section is never closed (missing `{{/name}}`)"),
        ("a\n  {{#a}}x{{/b}}\n", "line 2, column 13: a section is closed with the wrong name near `{{#a}}x{{/b}}`"),
        ("{{/a}}", "line 1, column 4: a section is closed with the wrong name"),
        ("x {{name y}}\n", "line 1, column 10: a tag is not closed (missing `}}`) near `x {{name y}}`"),
        ("x\n{{{name}}\n", "line 2, column 10: a tag is not closed (missing `}}`)"),
        ("{{=<% =}}\n", "line 1, column 10: bad set-delimiter tag"),
        ("{{% CONTENT_TYPE: XML}}", "unrecognisedConfigVariable"),
        ("{{% NOPE }}", "invalidConfigVariableSyntax"),
        ("{{#a}}{{#b}}{{/a}}{{/b}}", "line 1, column 16: a section is closed with the wrong name"),
    ])
    func sameAsSwiftMustache(_ text: String, _ expected: String) throws {
        let ours = try #require(Self.message(text))
        let theirs = try #require(Self.message(text, swiftMustache: true))
        #expect(ours == theirs)
        #expect(ours.contains("/t/html/message.mustache"))
        #expect(ours.contains(expected), "\(ours)")
    }

    /// Where swift-mustache said only "overflow", the message says what is wrong.
    @Test(arguments: ["a {{name", "a\n{{! never closed", "{{{name}}", "text then a lone brace {", "{{=<% %>}}\n"])
    func textEndingInsideATag(_ text: String) throws {
        let ours = try #require(Self.message(text))
        let theirs = try #require(Self.message(text, swiftMustache: true))
        #expect(theirs.contains("overflow"))
        #expect(ours.contains("/t/html/message.mustache, line "))
        #expect(ours.contains("the template ends inside a tag"))
    }

    @Test func aBrokenUserTemplateIsReportedByTheExport() throws {
        let tmp = TempDir("export-template-errors")
        defer { withExtendedLifetime(tmp) {} }
        let folder = tmp.path("t/markdown")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "# {{roomName}}\n{{{messages}}}\n".write(to: folder.appendingPathComponent("room.mustache"), atomically: true, encoding: .utf8)
        try "ok\n{{#files}}\n{{/file}}\n".write(to: folder.appendingPathComponent("message.mustache"), atomically: true, encoding: .utf8)
        let error = try #require(throws: ExportError.self) {
            try TemplateSet(root: tmp.path("t"), format: "markdown", required: ["room", "message"])
        }
        #expect(error.description.contains("message.mustache, line 3, column 4: a section is closed with the wrong name near `{{/file}}`"))
    }
}
