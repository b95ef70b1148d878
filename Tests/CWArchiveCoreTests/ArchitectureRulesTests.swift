import Foundation
import Testing

/// The rules of `ARCHITECTURE.md`, checked on the source tree so that a change that breaks one
/// fails here instead of waiting for a review: the index alone knows SQL, the clock alone reads
/// the time, and each folder of the core uses only the folders below it.
@Suite("Architecture: the rules ARCHITECTURE.md states hold in the sources")
struct ArchitectureRulesTests {
    /// The folders of `CWArchiveCore`, lowest first: a folder may use types of folders of a
    /// lower rank only (the same order as the table in ARCHITECTURE.md).
    static let ranks: [String: Int] = [
        "Common": 0, "Mustache": 0,
        "Store": 1,
        "Index": 2, "Auth": 2,
        "Archiver": 3, "Search": 3, "Export": 3,
        "Viewer": 4, "Listen": 4, "Import": 4,
        "Frontend": 5,
    ]

    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")

    /// Every Swift file under `Sources/<target>`: its path relative to Sources, its text, and its
    /// code without comments.
    static func files(in target: String) throws -> [(path: String, text: String, code: String)] {
        let root = sources.appendingPathComponent(target)
        let enumerator = try #require(FileManager.default.enumerator(atPath: root.path))
        var out: [(String, String, String)] = []
        for case let relative as String in enumerator where relative.hasSuffix(".swift") {
            let text = try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
            out.append((target + "/" + relative, text, withoutComments(text)))
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// The code of a file with `//` comments removed (doc comments talk about SQL and dates).
    static func withoutComments(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            guard let r = line.range(of: "//") else { return line }
            // Keep `//` inside a string literal (a URL): only cut when the quotes before it are balanced.
            return line[..<r.lowerBound].filter { $0 == "\"" }.count % 2 == 0 ? line[..<r.lowerBound] : line
        }.joined(separator: "\n")
    }

    @Test func noSQLAndNoRowReadsOutsideTheIndex() throws {
        let patterns = [#"Row\["#, #"import GRDB"#, #"sql:"#, #"\bdb\.execute"#, #"fetch(One|All|Cursor)\("#,
                        #""(SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA) "#]
        var offenders: [String] = []
        for target in ["CWArchiveCore", "CWArchiveServer", "cwarchive"] {
            for file in try Self.files(in: target) where !file.path.hasPrefix("CWArchiveCore/Index/") {
                for p in patterns where file.code.range(of: p, options: .regularExpression) != nil {
                    offenders.append("\(file.path): \(p)")
                }
            }
        }
        #expect(offenders.isEmpty, "SQL outside Sources/CWArchiveCore/Index/: \(offenders)")
    }

    @Test func onlyTheSystemClockReadsTheTime() throws {
        var offenders: [String] = []
        for target in ["CWArchiveCore", "ChatworkAPI", "CWArchiveServer", "cwarchive"] {
            for file in try Self.files(in: target) {
                let calls = file.code.components(separatedBy: "Date()").count - 1
                let allowed = file.path == "ChatworkAPI/Client/RateLimitClock.swift" ? 1 : 0
                if calls > allowed { offenders.append(file.path) }
            }
        }
        #expect(offenders.isEmpty, "Date() outside SystemClock: \(offenders)")
    }

    @Test func eachFolderOfTheCoreUsesOnlyTheFoldersBelowIt() throws {
        let files = try Self.files(in: "CWArchiveCore")
        let declaration = try Regex(#"(?m)^(?:public |internal |private |fileprivate |final |indirect )*(?:struct|class|enum|protocol|actor|typealias) (\w+)"#)
        var owner: [String: String] = [:]
        for file in files {
            let folder = String(file.path.split(separator: "/")[1])
            #expect(Self.ranks[folder] != nil, "\(folder) is not in ARCHITECTURE.md's table (and this test's ranks)")
            for match in file.code.matches(of: declaration) {
                if let name = match.output[1].substring, owner[String(name)] == nil { owner[String(name)] = folder }
            }
        }
        var offenders: [String] = []
        for file in files {
            let folder = String(file.path.split(separator: "/")[1])
            let words = Set(file.code.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).map(String.init))
            for word in words {
                guard let other = owner[word], other != folder, let mine = Self.ranks[folder], let theirs = Self.ranks[other] else { continue }
                if theirs >= mine { offenders.append("\(file.path) uses \(word) of \(other)/") }
            }
        }
        #expect(offenders.isEmpty, "uses of a folder that is not below: \(offenders.sorted())")
    }

    @Test func everyUncheckedSendableSaysWhy() throws {
        var offenders: [String] = []
        for target in ["CWArchiveCore", "ChatworkAPI", "CWArchiveServer", "ChatworkSimulator", "cwarchive"] {
            for file in try Self.files(in: target) {
                let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
                for (i, line) in lines.enumerated() where line.contains(": @unchecked Sendable") || line.contains(", @unchecked Sendable") {
                    let near = lines[max(0, i - 4)...min(lines.count - 1, i + 3)]
                    let reasoned = near.contains { $0.contains("//") && $0.contains("@unchecked") && $0 != line }
                    if !reasoned { offenders.append("\(file.path):\(i + 1)") }
                }
            }
        }
        #expect(offenders.isEmpty, "@unchecked Sendable without a reason beside it: \(offenders)")
    }
}
