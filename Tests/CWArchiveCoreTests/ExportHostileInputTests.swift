import Foundation
import Testing
@testable import CWArchiveCore

@Suite("Export: hostile input")
struct ExportHostileInputTests {
    static let hostile = [
        "<script>alert(1)</script><img src=x onerror=alert(2)>",
        "[info][title]<a href=\"javascript:alert(3)\" onclick=\"alert(4)\">x</a>[/title]<svg onload=alert(5)>[/info]",
        "[qt][info]misnested[/qt][/info] [code]unclosed [task aid=1 st=open]",
        "=HYPERLINK(\"http://evil.example\",\"click\")",
        "+1+1", "-2", "@SUM(A1)", "\tTab", "\rCR",
        "control \u{0}\u{1}\u{7}\u{1B}[31m red \u{7F}\u{85} end\u{202E}gnp.exe",
        "\" onmouseover=\"alert(6)",
        "[download:900]x[/download] [preview id=901 ht=10]",
    ]

    func makeArchive(_ tmp: TempDir) throws -> ArchiveStore {
        var b = try ExportArchiveBuilder(at: tmp.path("archive"))
        b.room(1, "<img src=x onerror=alert('room')>\u{1}..\\..\\x")
        for (i, body) in Self.hostile.enumerated() {
            b.message(1, String(100 + i), body, by: 2, at: b.clock + i * 60)
        }
        b.message(1, "999", String(repeating: "長", count: 65_535), by: 1, at: b.clock + 10_000)
        try b.file(1, 900, message: "111", name: "../../etc/passwd", bytes: Data("secret".utf8))
        try b.file(1, 901, message: "111", name: "/abs/\u{0}nul<script>.png", bytes: tinyPNG)
        _ = try b.commit()
        return b.store
    }

    @Test func htmlEscapesEverythingAndHasNoScripts() throws {
        let tmp = TempDir("export-hostile")
        defer { withExtendedLifetime(tmp) {} }
        let store = try makeArchive(tmp)
        let out = tmp.path("out")
        try ExportJob(options: exportOptions(store.root, .html, to: out)).run()
        for f in filesUnder(out) where f.hasSuffix(".html") {
            let page = text(out.appendingPathComponent(f))
            let lower = page.lowercased()
            // Booleans first: the page is too long to print in a failure message.
            let script = lower.contains("<script"), img = lower.contains("<img src=x"), svg = lower.contains("<svg")
            let js = lower.contains("href=\"javascript:")
            let events = lower.contains(" onerror=\"") || lower.contains(" onclick=\"") || lower.contains(" onmouseover=\"")
            let controls = page.unicodeScalars.filter { $0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\r" }.map { $0.value }
            let csp = page.contains("Content-Security-Policy") && page.contains("default-src 'none'")
            #expect(!script, "\(f) has a script tag")
            #expect(!img, "\(f) has an injected img")
            #expect(!svg, "\(f) has an injected svg")
            #expect(!js, "\(f) has a javascript: link")
            #expect(!events, "\(f) has an event attribute")
            #expect(controls.isEmpty, "\(f) has control characters")
            #expect(csp)
        }
        let room = try #require(filesUnder(out).first { $0.hasPrefix("1-") && $0.hasSuffix(".html") })
        let page = text(out.appendingPathComponent(room))
        let long = page.contains(String(repeating: "長", count: 65_535))
        let escaped = page.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        #expect(long)
        #expect(escaped)
    }

    @Test func fileNamesNeverEscapeTheOutputFolder() throws {
        let tmp = TempDir("export-hostile")
        defer { withExtendedLifetime(tmp) {} }
        let store = try makeArchive(tmp)
        let out = tmp.path("out")
        try ExportJob(options: exportOptions(store.root, .html, to: out)).run()
        let files = filesUnder(out)
        #expect(!FileManager.default.fileExists(atPath: tmp.path("etc/passwd").path))
        #expect(!FileManager.default.fileExists(atPath: tmp.url.deletingLastPathComponent().appendingPathComponent("etc/passwd").path))
        let copied = files.filter { $0.hasPrefix("files/") }
        #expect(copied.count == 2)
        for f in copied {
            let parts = f.split(separator: "/")
            #expect(parts.count == 3, "\(f) is not files/<hash>/<name>")
            #expect(!parts[2].hasPrefix("."))
            #expect(!parts[2].contains("\u{0}"))
        }
        #expect(copied.contains { $0.hasSuffix("/etc_passwd") })
        for f in files {
            for part in f.split(separator: "/") { #expect(part != ".." && !part.hasPrefix("."), "\(f)") }
        }
        #expect(files.contains { $0.hasPrefix("1-") && $0.hasSuffix(".html") && !$0.contains("\\") && !$0.contains("<") })
    }

    @Test func csvNeutralisesFormulasAndQuotesEverything() throws {
        let tmp = TempDir("export-hostile")
        defer { withExtendedLifetime(tmp) {} }
        let store = try makeArchive(tmp)
        let out = tmp.path("out")
        try ExportJob(options: exportOptions(store.root, .csv, to: out)).run()
        let name = try #require(filesUnder(out).first { $0.hasSuffix(".csv") })
        let data = try Data(contentsOf: out.appendingPathComponent(name))
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let rows = try CSVTestParser.parse(String(decoding: data.dropFirst(3), as: UTF8.self))
        let header = try #require(rows.first)
        for col in ["room_id", "message_id", "send_time", "account_id", "account_name", "body", "update_time", "status", "version", "files", "body_markup", "url"] {
            #expect(header.contains(col), "missing column \(col)")
        }
        #expect(rows.count == Self.hostile.count + 2)
        let bodyCol = try #require(header.firstIndex(of: "body_markup"))
        for row in rows.dropFirst() {
            #expect(row.count == header.count)
            for cell in row {
                if let first = cell.first { #expect(!["=", "+", "-", "@", "\t", "\r"].contains(first), "formula cell \(cell.debugDescription)") }
            }
        }
        #expect(rows[4][bodyCol] == "'=HYPERLINK(\"http://evil.example\",\"click\")")
        #expect(rows[5][bodyCol] == "'+1+1")
        #expect(rows[8][bodyCol] == "'\tTab")
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\r\n"))
        #expect(text.replacingOccurrences(of: "\r\n", with: "").split(separator: "\n").count > 1) // newlines inside quoted cells only
    }

    @Test func csvWithoutBOM() throws {
        let tmp = TempDir("export-hostile")
        defer { withExtendedLifetime(tmp) {} }
        let store = try makeArchive(tmp)
        let out = tmp.path("out")
        try ExportJob(options: exportOptions(store.root, .csv, to: out, bom: false)).run()
        let name = try #require(filesUnder(out).first { $0.hasSuffix(".csv") })
        let data = try Data(contentsOf: out.appendingPathComponent(name))
        #expect(data.starts(with: Data("room_id,".utf8)))
    }

    @Test func markdownEscapesHTMLAndMarkdown() throws {
        let tmp = TempDir("export-hostile")
        defer { withExtendedLifetime(tmp) {} }
        let store = try makeArchive(tmp)
        let out = tmp.path("out")
        try ExportJob(options: exportOptions(store.root, .markdown, to: out)).run()
        let name = try #require(filesUnder(out).first { $0.hasSuffix(".md") })
        let md = text(out.appendingPathComponent(name))
        let lower = md.lowercased()
        // `<` must be escaped (`\\<` or `&lt;`) wherever it is not inside a fenced code block.
        let unescaped = { (needle: String) in lower.components(separatedBy: needle).dropFirst().count > lower.components(separatedBy: "\\" + needle).dropFirst().count }
        let hasScript = unescaped("<script"), hasImg = unescaped("<img src=x"), hasJS = md.contains("](javascript:")
        let controls = md.unicodeScalars.filter { $0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\r" }.map { $0.value }
        #expect(!hasScript)
        #expect(!hasImg)
        #expect(!hasJS)
        #expect(controls.isEmpty)
    }
}

/// A strict RFC 4180 reader for the tests.
enum CSVTestParser {
    struct Malformed: Error {}
    static func parse(_ text: String) throws -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], cell = "", quoted = false, atStart = true
        var it = Array(text.unicodeScalars)[...]
        while let c = it.popFirst() {
            if quoted {
                if c == "\"" {
                    if it.first == "\"" { it.removeFirst(); cell.unicodeScalars.append("\"") } else { quoted = false }
                } else { cell.unicodeScalars.append(c) }
            } else if c == "\"" && atStart { quoted = true; atStart = false }
            else if c == "," { row.append(cell); cell = ""; atStart = true }
            else if c == "\r" {
                guard it.popFirst() == "\n" else { throw Malformed() }
                row.append(cell); rows.append(row); row = []; cell = ""; atStart = true
            } else if c == "\n" || c == "\"" { throw Malformed() }
            else { cell.unicodeScalars.append(c); atStart = false }
        }
        if !row.isEmpty || !cell.isEmpty { row.append(cell); rows.append(row) }
        return rows
    }
}
