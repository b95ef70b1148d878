import ChatworkAPI
import Foundation
import Testing
@testable import CWArchiveCore

/// Issue 13, "Hostile content survives every reader": bodies with NUL, other control
/// characters, what a lone surrogate in the API's JSON becomes, bidirectional overrides and the
/// longest bodies come out whole from search (text, JSON, CSV) and every export format, with
/// control characters made visible or escaped as each format needs, never cut at a NUL.
@Suite("Hostile bodies: whole in every search and export format (golden files)")
struct HostileBodyGoldenTests {
    static let room = 77
    /// Chatwork's longest message body, in characters.
    static let longest = 65_535
    static let longTail = "最後🍣NUL\u{0}の後も残る"

    /// A body with lone surrogate escapes (`\ud800`) in the API's JSON.
    static let loneSurrogateJSON = #"{"message_id":"1","account":{"account_id":1,"name":"a","avatar_image_url":""},"body":"lone \ud800 high \udc00 low","send_time":1,"update_time":0}"#
    /// What such a body should become: each lone surrogate a U+FFFD, the rest kept (a Swift
    /// string cannot hold a lone surrogate, so this is as far as JSON input can carry one).
    static let loneSurrogateBody = "lone \u{FFFD} high \u{FFFD} low"

    @Test func aLoneSurrogateInTheAPIsJSONKeepsTheRestOfTheBody() throws {
        // As the client decodes an answer: lone surrogate escapes repaired first (JSONSurrogateRepair).
        let decoded = try JSONDecoder().decode(Message.self, from: JSONSurrogateRepair.repair(Data(Self.loneSurrogateJSON.utf8)))
        #expect(decoded.body == Self.loneSurrogateBody)
        // Valid pairs and escaped backslashes are left alone.
        let kept = #"{"a":"\ud83c\udf63 \\ud800 \u00e9"}"#
        #expect(JSONSurrogateRepair.repair(Data(kept.utf8)) == Data(kept.utf8))
        let decodedKept = try JSONDecoder().decode([String: String].self, from: JSONSurrogateRepair.repair(Data(kept.utf8)))
        #expect(decodedKept["a"] == "🍣 \\ud800 é")
        // A high surrogate at the very end, a low one alone, a high one before a non-surrogate.
        for (text, expected) in [(#"["x\ud800"]"#, "x\u{FFFD}"), (#"["\udc00y"]"#, "\u{FFFD}y"), (#"["\ud800\u0041"]"#, "\u{FFFD}A")] {
            let values = try JSONDecoder().decode([String].self, from: JSONSurrogateRepair.repair(Data(text.utf8)))
            #expect(values == [expected], "\(text)")
        }
    }

    static var bodies: [(id: String, body: String)] {
        [
            ("7001", "NUL>\u{0}<NUL after"),
            ("7002", "controls \u{1}\u{7}\u{8}\u{B}\u{C}\u{1B}[31m red \u{7F} \u{85} \u{9B} end"),
            ("7003", "tab\tand\r\nCRLF and\u{2028}line separator"),
            ("7004", Self.loneSurrogateBody),
            ("7005", "bidi abc\u{202E}gnp.exe \u{200B}zero width"),
            ("7006", String(repeating: "長", count: longest - longTail.count) + longTail),
        ]
    }

    static func makeArchive(_ tmp: TempDir) throws -> ArchiveStore {
        var b = try ExportArchiveBuilder(at: tmp.path("archive"))
        b.room(room, "Hostile \u{1}bodies")
        for (n, m) in bodies.enumerated() { b.message(room, m.id, m.body, by: 2, at: b.clock + n * 60) }
        _ = try b.commit()
        return b.store
    }

    @Test func theIndexHoldsAndGivesEveryBodyWhole() throws {
        let tmp = TempDir("hostile-bodies")
        defer { withExtendedLifetime(tmp) {} }
        let index = try ArchiveIndex.open(store: try Self.makeArchive(tmp))
        let exported = try index.readForExport { q in
            let cursor = try q.messages(roomID: Self.room, range: ExportRange(), history: true)
            var bodies: [String] = []
            while let m = try cursor.next() { bodies.append(m.body) }
            return bodies
        }
        #expect(exported == Self.bodies.map(\.body))
        let hits = try SearchEngine(index: index).search(SearchQuery.parse("NUL"), limit: 0)
        #expect(Set(hits.map(\.body)) == Set([Self.bodies[0].body, Self.bodies[5].body]))
    }

    @Test(arguments: ExportFormat.allCases)
    func exportMatchesGoldenFilesAndKeepsTheLongestBodyWhole(format: ExportFormat) throws {
        let tmp = TempDir("hostile-bodies")
        defer { withExtendedLifetime(tmp) {} }
        let store = try Self.makeArchive(tmp)
        let out = tmp.path("out")
        let summary = try ExportJob(options: exportOptions(store.root, format, to: out)).run()
        #expect(summary.messages == Self.bodies.count)
        let page = try #require(filesUnder(out).first { $0.hasPrefix("\(Self.room)-") })
        let file = out.appendingPathComponent(page)
        let content = text(file)
        // The rest of a body after a NUL is there; no raw control character is.
        #expect(content.contains("&lt;NUL after") || content.contains("<NUL after"))
        #expect(content.contains("の後も残る"))
        #expect(content.contains(String(repeating: "長", count: Self.longest - Self.longTail.count)))
        let controls = content.unicodeScalars.filter { UnicodeRules.isControl($0) }.map(\.value)
        #expect(controls.isEmpty, "raw control characters \(controls)")
        // The golden files leave the longest body out (it is checked above).
        try Data(content.replacingOccurrences(of: String(repeating: "長", count: Self.longest - Self.longTail.count), with: "長…").utf8).write(to: file)
        try Golden.check(out, against: "hostile-\(format.rawValue)", headHash: summary.headHash)
    }

    @Test(arguments: SearchOutputFormat.allCases)
    func searchMatchesGoldenFilesAndKeepsEveryBodyWhole(format: SearchOutputFormat) throws {
        let tmp = TempDir("hostile-bodies")
        defer { withExtendedLifetime(tmp) {} }
        let store = try Self.makeArchive(tmp)
        var out = "", err: [String] = []
        for query in ["NUL", "red", "CRLF", "lone", "gnp.exe", "🍣", "\"NUL after\""] {
            let request = SearchRequest(query: query, limit: 0, format: format)
            let code = SearchCommand.run(request, timeZone: tokyo, openStore: { try ArchiveStore.open(at: store.root, create: false) },
                                         out: { out += $0 }, err: { err.append($0) })
            #expect(code == SearchCommand.found, "\(query)")
        }
        #expect(err.isEmpty)
        switch format {
        case .json:
            let bodies = out.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["body"] as? String
            }
            #expect(bodies.contains(Self.bodies[0].body))
            #expect(bodies.contains(Self.bodies[5].body))
        case .csv:
            #expect(out.contains("NUL>\u{FFFD}<NUL after"))
            #expect(out.contains(Self.longTail.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")))
        case .text:
            #expect(out.contains("NUL>\u{FFFD}<NUL after"))
        }
        // JSON escapes C0 controls (and may carry DEL and C1 as they are); text and CSV show them as U+FFFD.
        let controls = out.unicodeScalars.filter { format == .json ? $0.value < 0x20 && $0 != "\n" : UnicodeRules.isControl($0) }
        #expect(controls.isEmpty, "raw control characters \(controls.map(\.value))")
        let dir = tmp.path("search")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let shortened = out.replacingOccurrences(of: String(repeating: "長", count: Self.longest - Self.longTail.count), with: "長…")
        try Data(shortened.utf8).write(to: dir.appendingPathComponent("search.\(format.rawValue)"))
        try Golden.check(dir, against: "search-hostile-\(format.rawValue)", headHash: nil)
    }
}
