import Foundation
import Testing
@testable import CWArchiveCore

let tokyo = TimeZone(identifier: "Asia/Tokyo") ?? TimeZone(secondsFromGMT: 9 * 3600)!

func exportOptions(_ archive: URL, _ format: ExportFormat, to out: URL, history: Bool = false, rooms: [Int] = [],
                   templates: URL? = nil, perPage: Int = 5000, bom: Bool = true) -> ExportOptions {
    ExportOptions(archive: archive, format: format, output: out, roomIDs: rooms, templates: templates, history: history,
                  timeZone: tokyo, byteOrderMark: bom, messagesPerPage: perPage)
}

/// Every regular file under `dir`, relative, sorted.
func filesUnder(_ dir: URL) -> [String] {
    guard let e = FileManager.default.enumerator(atPath: dir.path) else { return [] }
    var out: [String] = []
    while let rel = e.nextObject() as? String {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir.appendingPathComponent(rel).path, isDirectory: &isDir), !isDir.boolValue {
            out.append(rel)
        }
    }
    return out.sorted()
}

func text(_ url: URL) -> String {
    String(decoding: (try? Data(contentsOf: url)) ?? Data(), as: UTF8.self)
}

/// Golden files live in `Tests/CWArchiveCoreTests/Golden/<name>/`; `UPDATE_GOLDEN=1` rewrites them.
enum Golden {
    static var root: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden") }
    static var updating: Bool { ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" }

    /// The archive's manifest head changes with every build of the test archive (manifests
    /// carry their creation time), so golden files hold this placeholder instead.
    static let headPlaceholder = "HEAD-HASH-PLACEHOLDER"

    static func normalized(_ data: Data, headHash: String?) -> Data {
        guard let headHash, let text = String(data: data, encoding: .utf8) else { return data }
        return Data(text.replacingOccurrences(of: headHash, with: headPlaceholder).utf8)
    }

    /// Compares every file of `output` with the golden folder `name` (same file set, same bytes,
    /// `headHash` replaced by a placeholder).
    static func check(_ output: URL, against name: String, headHash: String?) throws {
        let golden = root.appendingPathComponent(name)
        let fm = FileManager.default
        if updating {
            try? fm.removeItem(at: golden)
            for rel in filesUnder(output) {
                let dest = golden.appendingPathComponent(rel)
                try fm.createDirectory(at: dest.deletingLastPathComponent(), withIntermediateDirectories: true)
                try normalized(try Data(contentsOf: output.appendingPathComponent(rel)), headHash: headHash).write(to: dest)
            }
            return
        }
        let produced = filesUnder(output)
        let expected = filesUnder(golden)
        #expect(produced == expected, "file set differs from \(golden.path); run with UPDATE_GOLDEN=1 if the change is intended")
        for rel in produced where expected.contains(rel) {
            let a = normalized(try Data(contentsOf: output.appendingPathComponent(rel)), headHash: headHash)
            let b = try Data(contentsOf: golden.appendingPathComponent(rel))
            if a != b {
                let la = String(decoding: a, as: UTF8.self).components(separatedBy: "\n")
                let lb = String(decoding: b, as: UTF8.self).components(separatedBy: "\n")
                let i = (0..<min(la.count, lb.count)).first { la[$0] != lb[$0] } ?? min(la.count, lb.count)
                Issue.record("\(rel) differs from the golden file at line \(i + 1):\n got: \(i < la.count ? la[i] : "<eof>")\nwant: \(i < lb.count ? lb[i] : "<eof>")")
            }
        }
    }
}
