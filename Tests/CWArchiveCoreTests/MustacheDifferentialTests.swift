import Foundation
import Testing
@testable import CWArchiveCore

/// Our Mustache engine against swift-mustache (the fallback engine of ``TemplateSet``): the same
/// templates and values must give the same bytes.
@Suite("Export: Mustache engine = swift-mustache")
struct MustacheDifferentialTests {
    static let hostile = "<b>\"Tom\" & 'Jerry'</b> `code` *em* _u_ [x](y) {z} #h !i |t| ~s~ \\ \n\r\n\tend \u{1}\u{7F}\u{85} 長い"

    /// A context with every kind of value, nested.
    static let context: MustacheObject = [
        "name": .string("Ann"),
        "hostile": .string(hostile),
        "empty": .string(""),
        "zero": .int(0),
        "n": .int(-42),
        "yes": .bool(true),
        "no": .bool(false),
        "none": .list([]),
        "words": .list([.string("a<b"), .string("*c*"), .int(3), .bool(false)]),
        "items": .list([
            .object(["name": .string("one <1>"), "flag": .bool(true), "n": .int(1)]),
            .object(["name": .string("two & 2"), "flag": .bool(false)]),
            .object(["flag": .bool(true), "sub": .object(["deep": .string("d*e_e`p")])]),
        ]),
        "person": .object(["name": .string("Bob"), "address": .object(["city": .string("Tōkyō <東京>")])]),
    ]

    /// name → template texts (the one rendered is `main`).
    static let cases: [(String, [String: String])] = [
        ("variables", ["main": "{{name}} {{{hostile}}} {{& hostile}} {{hostile}} {{zero}} {{n}} {{yes}} {{no}} {{missing}}|{{ name }}|{{{ name }}}\n"]),
        ("dotted", ["main": "{{person.name}} {{person.address.city}} {{person.missing.city}} {{#person}}{{name}}/{{.name}}/{{address.city}}{{/person}} {{#items}}{{name}}{{/items}}\n"]),
        ("dot inside a string", ["main": "{{#name}}[{{.}}]{{/name}}{{#zero}}<{{.}}>{{/zero}}{{#empty}}E{{.}}E{{/empty}}\n"]),
        ("truthiness", ["main": "{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}notN{{/no}}{{#none}}X{{/none}}{{^none}}empty{{/none}}{{^missing}}M{{/missing}}{{^zero}}Z{{/zero}}{{^empty}}S{{/empty}}{{#missing}}?{{/missing}}\n"]),
        ("lists", ["main": "{{#items}}- {{name}}{{#flag}} (flag){{/flag}}{{^flag}} (no flag){{/flag}} {{n}} {{sub.deep}} outer={{person.name}}\n{{/items}}"]),
        ("standalone lines", ["main": "begin\n  {{#items}}  \n  item {{name}}\n  {{/items}}  \n{{! a comment\n  over lines }}\n  {{^none}}\t\nnone\n{{/none}}\nend\n"]),
        ("standalone with CRLF", ["main": "a\r\n{{#yes}}\r\nb\r\n{{/yes}}\r\n  {{! c }}  \r\nc {{name}}\r\n"]),
        ("not standalone", ["main": "  {{#yes}} x {{/yes}}  \n {{! c }} y\n  {{name}}  {{#no}}{{/no}}\n"]),
        ("comments", ["main": "a{{! one }}b\n{{!two}}\nc {{!three}} d\n"]),
        ("set delimiters", ["main": "{{=<% %>=}}\n<% name %> {{name}}\n<%={{ }}=%>\n{{name}} <%x%>\n  {{= | | =}}  \n|name| |#items||name||/items|\n"]),
        ("delimiters in a section", ["main": "{{#yes}}{{=[ ]=}}[name]{{/yes}}[/yes] {{name}}\n"]),
        ("partials", ["main": "A {{> p}} B\n{{> p}}\n  {{> p}}\n{{#items}}  {{> q}}\n{{/items}}{{> missing}}\n  {{> missing}}\nend\n",
                      "p": "p1 {{name}}\np2\n", "q": "[{{name}}]\n{{#flag}}\nflag\n{{/flag}}\n"]),
        ("nested indentation", ["main": "  {{> a}}\n", "a": "a\n  {{> b}}\na-end", "b": "b1\nb2 {{{hostile}}}\n{{#items}}\n{{name}}\n{{/items}}\n"]),
        ("markdown pragma", ["main": "{{% CONTENT_TYPE: MARKDOWN}}\n{{hostile}}\n{{{hostile}}}\n{{#items}}{{name}}|{{/items}}\n{{> p}}\n", "p": "{{hostile}}\n"]),
        ("pragma in a section", ["main": "{{#yes}}{{%CONTENT_TYPE:MARKDOWN}}{{hostile}}{{/yes}}\n{{hostile}}\n{{%CONTENT_TYPE: TEXT}}{{hostile}}\n{{% CONTENT_TYPE: HTML }}{{hostile}}\n"]),
        ("partial of a markdown template", ["main": "{{% CONTENT_TYPE: MARKDOWN}}\n{{> p}}\n", "p": "{{% CONTENT_TYPE: MARKDOWN}}\n{{name}} {{hostile}}\n"]),
        ("odd text", ["main": "{ {{name}} }} {{{name}}} { {{!}}x{ a\n\n\n{{name}}{{name}}\n  \n\t{{#yes}}\n"
                                 + "{{/yes}}x\u{301}\r\n\r\u{2028}{{name}}\u{2028}\nlast line without newline"]),
        // `{{.}}` of an object is not compared: swift-mustache prints a Swift dictionary, in no fixed order.
        ("empty names", ["main": "{{#words}}{{.}},{{ }};{{/words}}{{#name}}{{ . }}{{/name}}{{#person.name}}{{.}}{{/person.name}}\n"]),
    ]

    static func render(_ templates: [String: String], _ context: MustacheObject, swiftMustache: Bool) throws -> String {
        try TemplateSet(texts: templates, swiftMustache: swiftMustache).render("main", context)
    }

    @Test(arguments: cases.map(\.0))
    func sameOutput(_ name: String) throws {
        let templates = try #require(Self.cases.first { $0.0 == name }).1
        let ours = try Self.render(templates, Self.context, swiftMustache: false)
        let theirs = try Self.render(templates, Self.context, swiftMustache: true)
        #expect(ours == theirs)
        #expect(!(try TemplateSet(texts: templates).usesSwiftMustache))
    }

    /// The shipped templates, with message and page values as the exporters build them.
    @Test(arguments: ["html", "markdown"])
    func shippedTemplates(_ format: String) throws {
        let folder = TemplateLocator.sourceCheckoutTemplates.appendingPathComponent(format)
        var texts: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".mustache") {
            texts[String(name.dropLast(9))] = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        }
        let ours = try TemplateSet(texts: texts)
        let theirs = try TemplateSet(texts: texts, swiftMustache: true)
        #expect(!ours.usesSwiftMustache)
        for context in MustacheFixtures.messages + [MustacheFixtures.page] {
            for name in texts.keys.sorted() {
                let a = ours.render(name, context), b = theirs.render(name, context)
                #expect(a == b, "\(format)/\(name)")
            }
        }
    }

    @Test func transformsFallBackToSwiftMustache() throws {
        let texts = ["main": "{{#items}}{{name}}{{^last()}}, {{/last()}}{{/items}} {{uppercased(name)}}"]
        let set = try TemplateSet(texts: texts)
        #expect(set.usesSwiftMustache)
        // The third item has no name: `{{name}}` finds the outer one.
        #expect(set.render("main", Self.context) == "one &lt;1&gt;, two &amp; 2, Ann ANN")
    }

    @Test func inheritanceFallsBackToSwiftMustache() throws {
        let texts = ["main": "{{<base}}{{$title}}T {{name}}{{/title}}{{/base}}", "base": "<h1>{{$title}}default{{/title}}</h1>"]
        let set = try TemplateSet(texts: texts)
        #expect(set.usesSwiftMustache)
        #expect(set.render("main", Self.context) == "<h1>T Ann</h1>")
    }

    /// swift-mustache escapes per grapheme cluster and so leaves a quote that a combining mark
    /// follows as is; ours escapes every quote.
    @Test func quotesBeforeCombiningMarksAreEscaped() throws {
        let set = try TemplateSet(texts: ["main": "<img alt=\"{{v}}\">"])
        #expect(set.render("main", ["v": .string("\"\u{301} onerror=x")]) == "<img alt=\"&quot;\u{301} onerror=x\">")
    }

    /// HTML forbids NUL: ours (``HTMLEscaping``, as in the markup renderer) writes U+FFFD where
    /// swift-mustache passes NUL through. The rest of such a value is kept.
    @Test func nulBecomesReplacementCharacterInHTML() throws {
        let set = try TemplateSet(texts: ["main": "<p title=\"{{v}}\">{{v}}</p>"])
        #expect(set.render("main", ["v": .string("a\u{0}<b>")]) == "<p title=\"a\u{FFFD}&lt;b&gt;\">a\u{FFFD}&lt;b&gt;</p>")
    }
}
