import Foundation

/// The `cwarchive` binary of the same build as the running tests: `swift test` builds every
/// product of the package into one folder, and the test runner runs from it. (Looking for
/// `.build/debug` then `.build/release` could pick a release binary weeks older than the sources.)
enum BuiltBinary {
    static let url: URL = {
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")).map(URL.init(fileURLWithPath:))
            ?? Bundle.main.executableURL ?? Bundle.main.bundleURL
        var folder = runner.deletingLastPathComponent()
        // On macOS the runner is inside `cwarchivePackageTests.xctest/Contents/MacOS/`.
        while folder.pathComponents.count > 1, folder.path.contains(".xctest") { folder.deleteLastPathComponent() }
        return folder.appendingPathComponent("cwarchive")
    }()

    /// The newest Swift source of the package, with its modification time.
    static func newestSource() -> (path: String, date: Date)? {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        guard let walk = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: [.contentModificationDateKey]) else { return nil }
        var newest: (String, Date)?
        for case let file as URL in walk where file.pathExtension == "swift" {
            guard let date = try? file.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate else { continue }
            if newest == nil || date > newest!.1 { newest = (file.path, date) }
        }
        return newest
    }

    /// Why the binary cannot be trusted for the command-line suites, or nil when it can.
    static func problem() -> String? {
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            return "no executable at \(url.path): the command-line suites were skipped; run `swift build` first"
        }
        if let built = try? url.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate,
           let source = newestSource(), source.date > built {
            return "\(url.path) is older than \(source.path): the command-line suites ran an old binary; run `swift build` first"
        }
        return nil
    }
}
