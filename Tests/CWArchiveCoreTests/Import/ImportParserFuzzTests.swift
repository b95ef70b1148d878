import ChatworkAPI
import Foundation
import Testing
@testable import CWArchiveCore

/// A small deterministic generator, so a failing case can be replayed from its seed.
struct ImportRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Import: CSV and JSON readers on random and hostile input")
struct ImportParserFuzzTests {
    static let alphabet: [String] = ["a", "Z", "0", " ", ",", "\"", "\n", "\r\n", "'", "=", "会", "議", "😀", "\t", "\\", "[", "]", "{", "}", "é"]

    static func randomField(_ rng: inout ImportRandom) -> String {
        let n = Int.random(in: 0...12, using: &rng)
        return (0..<n).map { _ in alphabet.randomElement(using: &rng)! }.joined()
    }

    static func file(_ bytes: [UInt8], _ tmp: TempDir, _ name: String = "f.csv") throws -> URL {
        let url = tmp.path(name)
        try Data(bytes).write(to: url)
        return url
    }

    static func readCSV(_ url: URL) throws -> [CSVRowReader.Row] {
        var r = CSVRowReader(source: try ByteSource(url: url))
        var rows: [CSVRowReader.Row] = []
        while let row = try r.next() { rows.append(row) }
        return rows
    }

    static func readJSON(_ url: URL) throws -> [JSONArrayReader.Element] {
        var r = JSONArrayReader(source: try ByteSource(url: url))
        var out: [JSONArrayReader.Element] = []
        while let e = try r.next() { out.append(e) }
        return out
    }

    @Test(arguments: 0..<40)
    func csvRoundTripsWhateverTheFieldsHold(seed: Int) throws {
        var rng = ImportRandom(seed: UInt64(seed))
        let tmp = TempDir("import-fuzz")
        var rows: [[String]] = []
        var text = Bool.random(using: &rng) ? "\u{FEFF}" : ""
        var lines: [Int] = []
        var line = 1
        let crlf = Bool.random(using: &rng)
        for _ in 0..<Int.random(in: 1...30, using: &rng) {
            var fields = (0..<Int.random(in: 2...5, using: &rng)).map { _ in Self.randomField(&rng) }
            if fields.allSatisfy(\.isEmpty) { fields[0] = "x" }
            rows.append(fields)
            lines.append(line)
            let written = fields.map(ImportFixtures.cell).joined(separator: ",")
            line += written.reduce(0) { $0 + ($1 == "\n" || $1 == "\r\n" ? 1 : 0) } + 1
            text += written + (crlf ? "\r\n" : "\n")
        }
        let read = try Self.readCSV(try Self.file(Array(text.utf8), tmp))
        #expect(read.count == rows.count, "seed \(seed)")
        for (i, r) in read.enumerated() where i < rows.count {
            #expect(r == .fields(rows[i], line: lines[i]), "seed \(seed) row \(i)")
        }
    }

    @Test(arguments: 0..<40)
    func randomBytesNeverCrashTheCSVReader(seed: Int) throws {
        var rng = ImportRandom(seed: UInt64(seed) + 1000)
        let tmp = TempDir("import-fuzz")
        let pool: [UInt8] = [0x22, 0x2C, 0x0A, 0x0D, 0x00, 0xFF, 0xE4, 0xBC, 0x9A, 0x61, 0x20, 0xEF, 0xBB, 0xBF]
        let bytes = (0..<Int.random(in: 0...3000, using: &rng)).map { _ in Bool.random(using: &rng) ? pool.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng) }
        let lineCount = bytes.filter { $0 == 0x0A || $0 == 0x0D }.count + 1
        let rows = try Self.readCSV(try Self.file(bytes, tmp))
        var previous = 0
        for r in rows {
            let line: Int
            switch r {
            case .fields(_, let l): line = l
            case .bad(let l, let reason): line = l; #expect(!reason.isEmpty)
            }
            #expect(line >= 1 && line <= lineCount, "seed \(seed)")
            #expect(line > previous, "rows come in order, seed \(seed)")
            previous = line
        }
    }

    @Test func aRowLongerThanTheLimitIsBadAndReadingGoesOn() throws {
        let tmp = TempDir("import-fuzz")
        var bytes = Array("a,\"".utf8)
        bytes += [UInt8](repeating: 0x61, count: CSVRowReader.maxRowBytes + 10)
        bytes += Array("\"\nb,c\n".utf8)
        let rows = try Self.readCSV(try Self.file(bytes, tmp))
        #expect(rows.count == 2)
        if case .bad(let line, let reason) = rows.first { #expect(line == 1); #expect(reason.contains("MiB")) } else { Issue.record("expected a bad row") }
        #expect(rows.last == .fields(["b", "c"], line: 2))
    }

    @Test func anUnclosedQuoteAtTheEndIsABadRow() throws {
        let tmp = TempDir("import-fuzz")
        let rows = try Self.readCSV(try Self.file(Array("a,b\nc,\"never closed\nmore".utf8), tmp))
        #expect(rows.count == 2)
        #expect(rows.first == .fields(["a", "b"], line: 1))
        if case .bad(let line, _) = rows.last { #expect(line == 2) } else { Issue.record("expected a bad row") }
    }

    @Test(arguments: 0..<30)
    func jsonArraysRoundTripAndEveryTruncationIsReported(seed: Int) throws {
        var rng = ImportRandom(seed: UInt64(seed) + 5000)
        let tmp = TempDir("import-fuzz")
        let objects: [[String: Any]] = (0..<Int.random(in: 1...8, using: &rng)).map { i in
            ["id": String(1_700_000_000_000_000_000 + i), "msg": Self.randomField(&rng), "tm": Int.random(in: 0...2_000_000_000, using: &rng),
             "nested": ["a": [1, 2, ["b": Self.randomField(&rng)]]]]
        }
        let data = try JSONSerialization.data(withJSONObject: objects, options: Bool.random(using: &rng) ? [.prettyPrinted] : [])
        let full = try Self.readJSON(try Self.file([UInt8](data), tmp, "a.json"))
        #expect(full.count == objects.count)
        for (i, e) in full.enumerated() {
            guard case .value(let v, let number, _) = e else { Issue.record("element \(i) not read, seed \(seed)"); continue }
            #expect(number == i + 1)
            #expect(v[member: "id"]?.importString == objects[i]["id"] as? String)
            #expect(v[member: "msg"]?.importString == objects[i]["msg"] as? String)
        }
        // Cut anywhere before the closing bracket: the last element read is bad, never a crash.
        for _ in 0..<10 {
            let cut = Int.random(in: 0..<(data.count - 1), using: &rng)
            let part = try Self.readJSON(try Self.file([UInt8](data.prefix(cut)), tmp, "cut.json"))
            let good = part.filter { if case .value = $0 { true } else { false } }.count
            #expect(good < objects.count, "seed \(seed) cut \(cut)")
            if cut > 1 { #expect(part.contains { if case .bad = $0 { true } else { false } }, "seed \(seed) cut \(cut)") }
        }
    }

    @Test(arguments: 0..<30)
    func randomBytesNeverCrashTheJSONReader(seed: Int) throws {
        var rng = ImportRandom(seed: UInt64(seed) + 9000)
        let tmp = TempDir("import-fuzz")
        let pool = Array("[]{},:\"\\ \n0123456789.-eE truefalsenull".utf8) + [0x00, 0xFF, 0xC3]
        var bytes: [UInt8] = [0x5B]
        bytes += (0..<Int.random(in: 0...2000, using: &rng)).map { _ in pool.randomElement(using: &rng)! }
        let elements = try Self.readJSON(try Self.file(bytes, tmp, "r.json"))
        #expect(elements.count <= bytes.count)
    }

    @Test func deepNestingIsABadElementNotACrash() throws {
        let tmp = TempDir("import-fuzz")
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let elements = try Self.readJSON(try Self.file(Array("[\(deep), {\"id\": \"1\"}]".utf8), tmp, "deep.json"))
        #expect(elements.count == 2)
        if case .bad = elements.first {} else { Issue.record("a 100,000-deep element should be refused") }
        if case .value = elements.last {} else { Issue.record("the element after it should be read") }
    }

    @Test func aFileThatIsNotAnArrayGivesOneBadElement() throws {
        let tmp = TempDir("import-fuzz")
        let elements = try Self.readJSON(try Self.file(Array("{\"a\": 1}".utf8), tmp, "o.json"))
        #expect(elements.count == 1)
        if case .bad(_, let line, let reason) = elements.first { #expect(line == 1); #expect(reason.contains("not a JSON array")) }
    }

    @Test func timesWithOffsetsAndWithoutAreReadAndImpossibleZonesRefused() {
        let tokyo = ImportFixtures.tokyo
        #expect(ImportFields.time("2024-01-05T14:21:00+09:00", timeZone: TimeZone(identifier: "UTC")!) == .success(1_704_432_060))
        #expect(ImportFields.time("2024-01-05 14:21:00", timeZone: tokyo) == .success(1_704_432_060))
        #expect(ImportFields.time("2024/01/05 14:21:00", timeZone: tokyo) == .success(1_704_432_060))
        #expect(ImportFields.time("2024-01-05T05:21:00Z", timeZone: tokyo) == .success(1_704_432_060))
        for bad in ["2024-01-05", "2024-01-05T14:21:00+25:00", "yesterday", "", "2024-13-45T99:99:99", String(repeating: "9", count: 100)] {
            if case .success = ImportFields.time(bad, timeZone: tokyo) { Issue.record("accepted \(bad)") }
        }
    }

    @Test func messageIDsAreChatworkNumbersOnly() {
        #expect(ImportFields.messageID("1789000000000032108") == "1789000000000032108")
        for bad in ["", "abc", "12 34", "-1", String(repeating: "1", count: 21), "1e5", "١٢٣"] { #expect(ImportFields.messageID(bad) == nil, "\(bad)") }
    }
}
