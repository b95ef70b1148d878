import ChatworkAPI
import ChatworkMarkup
import Foundation
import Testing
@testable import CWArchiveCore

/// Seeded random inputs for the markup parser and for the API response decoding: zero crashes,
/// clean errors, safe HTML. Replay a failure with CWARCHIVE_RELIABILITY_SEED.
@Suite("Reliability: fuzzing")
struct ReliabilityFuzzTests {
    static let markupPieces = [
        "[", "]", "/", "[/", "info", "title", "qt", "qtmeta", " aid=", " time=", "rp", " to=", "-", "code", "download:", "To:", "toall",
        "picon:", "piconname:", "pname:", "hr", "task", " st=open", " lt=", " ltype=", "preview", " id=", " ht=", "dtext:", "deleted",
        "1000002", "2000004", "0", "-1", "99999999999999999999", "<", ">", "&", "\"", "'", "=", "<script>", "javascript:", " onerror=",
        "\n", "\r\n", "\t", "\u{0}", "\u{202E}", "会議", "😀", "\u{301}", "http://", "https://x.example/", "?a=<b>", "(", ")", "*", "_", "`", "#",
    ]

    @Test func markupParserAndRenderersSurviveRandomInput() throws {
        var rng = SeededGenerator(seed: Reliability.seed)
        let corpus = (try? HostileCorpus.load().bodies) ?? []
        let context = StaticMarkupContext(accountNames: [1000002: "<img src=x onerror=alert(1)>"],
                                          files: [1: MarkupFileInfo(name: "\"><script>x</script>", size: 1, href: "files/1/%22%3E.png", isImage: true)])
        let html = HTMLMarkupRenderer(context: context), md = MarkdownMarkupRenderer(context: context), plain = PlainTextMarkupRenderer(context: context)
        var slowest = 0.0
        var unsafe: [String] = []
        let n = Reliability.fuzzIterations
        for i in 0..<n {
            var input: String
            if i % 3 == 0, let base = corpus.randomElement(using: &rng), base.count < 20_000 {
                input = Self.mutate(base, &rng)
            } else {
                input = ""
                for _ in 0..<Int.random(in: 1...80, using: &rng) { input += Self.markupPieces.randomElement(using: &rng)! }
            }
            if i % 500 == 0 && input.count < 2000 { input = String(repeating: input, count: 50) }
            let start = Date()
            let nodes = MarkupParser.parse(input)
            let out = html.render(nodes)
            _ = md.render(nodes)
            _ = plain.render(nodes)
            _ = MarkupSerializer.serialize(nodes)
            _ = MarkupParser.referencedMessages(in: input)
            _ = MarkupParser.referencedFileIDs(in: input)
            slowest = max(slowest, Date().timeIntervalSince(start))
            let problems = ExportSafety.htmlProblems(out)
            if !problems.isEmpty && unsafe.count < 5 { unsafe.append("\(input.prefix(100).debugDescription) → \(problems.first!)") }
        }
        #expect(unsafe.isEmpty, "unsafe HTML from the markup renderer: \(unsafe)")
        #expect(slowest < 2, "one input took \(slowest) s")
        ReliabilityFigures.record("fuzz_markup", ["iterations": n, "slowest_ms": Int(slowest * 1000)])
    }

    /// Random edits of a string: cut, repeat, insert a piece, swap brackets.
    static func mutate(_ s: String, _ rng: inout SeededGenerator) -> String {
        var scalars = Array(s.unicodeScalars)
        for _ in 0..<Int.random(in: 1...6, using: &rng) {
            let at = scalars.isEmpty ? 0 : Int.random(in: 0..<scalars.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: if !scalars.isEmpty { scalars.removeSubrange(at..<min(scalars.count, at + Int.random(in: 1...20, using: &rng))) }
            case 1: let end = min(scalars.count, at + Int.random(in: 1...40, using: &rng)); scalars.insert(contentsOf: scalars[at..<end], at: at)
            case 2: scalars.insert(contentsOf: markupPieces.randomElement(using: &rng)!.unicodeScalars, at: at)
            case 3: if !scalars.isEmpty { scalars[at] = ["[", "]", "<", ">", "\"", "/"].randomElement(using: &rng)!.unicodeScalars.first! }
            default: scalars = Array(scalars.prefix(at))
            }
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars)
        return String(out)
    }

    // MARK: API responses

    /// Decoders of every model the client reads.
    static let decoders: [(String, @Sendable (Data) throws -> Void)] = [
        ("me", { _ = try JSONDecoder().decode(Me.self, from: $0) }),
        ("my_status", { _ = try JSONDecoder().decode(MyStatus.self, from: $0) }),
        ("my_tasks", { _ = try JSONDecoder().decode([MyTask].self, from: $0) }),
        ("contacts", { _ = try JSONDecoder().decode([Contact].self, from: $0) }),
        ("incoming_requests", { _ = try JSONDecoder().decode([IncomingRequest].self, from: $0) }),
        ("rooms", { _ = try JSONDecoder().decode([Room].self, from: $0) }),
        ("room", { _ = try JSONDecoder().decode(Room.self, from: $0) }),
        ("members", { _ = try JSONDecoder().decode([Member].self, from: $0) }),
        ("messages", { _ = try JSONDecoder().decode([Message].self, from: $0) }),
        ("message", { _ = try JSONDecoder().decode(Message.self, from: $0) }),
        ("tasks", { _ = try JSONDecoder().decode([RoomTask].self, from: $0) }),
        ("files", { _ = try JSONDecoder().decode([ChatworkFile].self, from: $0) }),
        ("file", { _ = try JSONDecoder().decode(ChatworkFile.self, from: $0) }),
        ("link", { _ = try JSONDecoder().decode(RoomLink.self, from: $0) }),
        ("record", { _ = try JSONDecoder().decode(ArchiveRecord.self, from: $0) }),
    ]

    /// Calls of the client, each reading one model (the server answers the same bytes to any path).
    static let calls: [(String, @Sendable (ChatworkClient) async throws -> Void)] = [
        ("me", { _ = try await $0.me() }), ("my_status", { _ = try await $0.myStatus() }), ("my_tasks", { _ = try await $0.myTasks() }),
        ("contacts", { _ = try await $0.contacts() }), ("incoming_requests", { _ = try await $0.incomingRequests() }),
        ("rooms", { _ = try await $0.rooms() }), ("room", { _ = try await $0.room(1) }), ("members", { _ = try await $0.members(roomID: 1) }),
        ("messages", { _ = try await $0.messages(roomID: 1, force: true) }), ("message", { _ = try await $0.message(roomID: 1, messageID: "1") }),
        ("tasks", { _ = try await $0.tasks(roomID: 1) }), ("files", { _ = try await $0.files(roomID: 1) }),
        ("file", { _ = try await $0.file(roomID: 1, fileID: 1, createDownloadURL: true) }), ("link", { _ = try await $0.link(roomID: 1) }),
    ]

    /// Valid responses of every kind, read from the simulator and encoded again.
    static func seeds() async throws -> [String: [Data]] {
        let h = try await SimulatorHarness()
        let c = h.makeClient()
        let e = JSONEncoder()
        var s: [String: [Data]] = [:]
        func add(_ k: String, _ v: some Encodable) { if let d = try? e.encode(v) { s[k, default: []].append(d) } }
        add("me", try await c.me()); add("my_status", try await c.myStatus()); add("my_tasks", try await c.myTasks())
        add("contacts", try await c.contacts()); add("incoming_requests", try await c.incomingRequests())
        add("rooms", try await c.rooms()); add("room", try await c.room(2000004)); add("members", try await c.members(roomID: 2000004))
        let page = try await c.messages(roomID: 2000004, force: true)
        add("messages", page.messages)
        if let m = page.messages.first { add("message", m) }
        add("tasks", try await c.tasks(roomID: 2000004)); let files = try await c.files(roomID: 2000004); add("files", files)
        if let f = files.first { add("file", try await c.file(roomID: 2000004, fileID: f.fileID, createDownloadURL: true)) }
        add("link", try await c.link(roomID: 2000004))
        try await c.shutdown()
        await h.stop()
        // Hand-made hostile responses (lone surrogates, invalid UTF-8, deep nesting, wrong types).
        let raw = HostileCorpus.folder.appendingPathComponent("raw")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: raw.path)) ?? [] {
            if let d = FileManager.default.contents(atPath: raw.appendingPathComponent(name).path) { s["messages", default: []].append(d) }
        }
        if let m = s["messages"]?.first { add("record", ArchiveRecord(run: "r", at: 1, roomID: 1, payload: .message((try JSONDecoder().decode([Message].self, from: m))[0]))) }
        return s
    }

    static let jsonPieces: [[UInt8]] = [
        "null", "-1", "0", "1e999", "-1e999", "99999999999999999999999", "1.5", "true", "\"\"", "[]", "{}", "\"\\ud800\"", "\"\\udc00\\ud800\"",
        "\"\\u0000\"", "\"", "\\", ",", ":", "[", "]", "{", "}", "\"x\":", String(repeating: "[", count: 100),
    ].map { Array($0.utf8) } + [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE3, 0x81], [0x00]]

    /// Random byte-level edits of a JSON document.
    static func mutate(_ data: Data, _ rng: inout SeededGenerator) -> Data {
        var b = [UInt8](data)
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let at = b.isEmpty ? 0 : Int.random(in: 0..<b.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: if !b.isEmpty { b[at] = UInt8.random(in: 0...255, using: &rng) }
            case 1: if !b.isEmpty { b.removeSubrange(at..<min(b.count, at + Int.random(in: 1...16, using: &rng))) }
            case 2: b.insert(contentsOf: jsonPieces.randomElement(using: &rng)!, at: at)
            case 3: let end = min(b.count, at + Int.random(in: 1...64, using: &rng)); b.insert(contentsOf: b[at..<end], at: at)
            case 4: b = Array(b.prefix(at))
            default:
                // Replace a value after a colon with another piece.
                if let colon = b[at...].firstIndex(of: UInt8(ascii: ":")), let end = b[colon...].firstIndex(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "}") }) {
                    b.replaceSubrange((colon + 1)..<end, with: jsonPieces.randomElement(using: &rng)!)
                }
            }
        }
        return Data(b)
    }

    @Test func apiResponseDecodingSurvivesMutatedJSON() async throws {
        let seeds = try await Self.seeds()
        #expect(seeds.count >= 14, "\(seeds.keys.sorted())")
        var rng = SeededGenerator(seed: Reliability.seed &+ 1)
        var decoded = 0, rejected = 0
        let n = Reliability.fuzzIterations
        for _ in 0..<n {
            let (name, decode) = Self.decoders.randomElement(using: &rng)!
            guard let seed = seeds[name]?.randomElement(using: &rng) else { continue }
            let input = Self.mutate(seed, &rng)
            // To find the input of a crash: the last one tried is left in this file.
            if let dump = Reliability.environment["CWARCHIVE_RELIABILITY_DUMP"] { try? input.write(to: URL(fileURLWithPath: dump)) }
            do { try decode(input); decoded += 1 } catch { rejected += 1 }
        }
        #expect(decoded + rejected > 0)

        // The same through the real client over loopback HTTP: a value or a clean ChatworkAPIError.
        let server = try LoopbackServer()
        defer { server.stop() }
        var config = ChatworkClientConfiguration(baseURL: server.baseURL)
        config.maxRetries = 0
        config.backoffBase = 0.001
        config.backoffMaximum = 0.001
        let client = ChatworkClient(credential: .apiToken(SimulatorHarness.token), configuration: config)
        var clientOK = 0, clientErrors = 0
        var unclean: [String] = []
        let viaClient = max(200, n / 10)
        for i in 0..<viaClient {
            let (name, call) = Self.calls.randomElement(using: &rng)!
            guard let seed = seeds[name]?.randomElement(using: &rng) else { continue }
            var answer = LoopbackServer.Answer(body: i % 10 == 0 ? seed : Self.mutate(seed, &rng))
            if i % 17 == 0 { answer.contentType = "text/html" }
            if i % 23 == 0 { answer.status = [204, 500, 404, 418].randomElement(using: &rng)! }
            server.set(answer)
            do {
                try await call(client)
                clientOK += 1
            } catch let error as ChatworkAPIError {
                clientErrors += 1
                let text = error.description
                if text.isEmpty || text.contains(SimulatorHarness.token) { unclean.append(text) }
            } catch {
                unclean.append("\(name): \(type(of: error)): \(error)")
            }
        }
        try await client.shutdown()
        #expect(unclean.isEmpty, "errors that are not clean API errors: \(unclean.prefix(5))")
        #expect(clientOK > 0 && clientErrors > 0)
        ReliabilityFigures.record("fuzz_api_decoding", ["iterations_decoder": n, "decoded": decoded, "rejected": rejected,
                                                        "iterations_client": viaClient, "client_ok": clientOK, "client_errors": clientErrors])
    }
}
