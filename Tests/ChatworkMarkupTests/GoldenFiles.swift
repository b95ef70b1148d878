import Foundation
import Testing

/// Expected outputs kept as files in `Golden/` next to this source file.
/// Run with `UPDATE_GOLDEN=1` to (re)write them from the current output.
enum GoldenFiles {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static var updating: Bool { ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" }

    static func check(_ actual: String, name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name)
        if updating {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Issue.record("Missing golden file \(name); run the tests with UPDATE_GOLDEN=1 to write it.",
                         sourceLocation: sourceLocation)
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        #expect(actual == expected, "golden \(name) differs; if the change is intended, rerun with UPDATE_GOLDEN=1",
                sourceLocation: sourceLocation)
    }
}
