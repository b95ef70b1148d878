import Foundation

/// The `cwarchive` binary of the same build as the running tests: `swift test` builds every
/// product of the package into one folder, and the test runner runs from it. (Looking for
/// `.build/debug` then `.build/release`, as before, could pick a release binary weeks older than
/// the sources.)
public enum BuiltBinary {
    public static let url: URL = {
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")).map(URL.init(fileURLWithPath:))
            ?? Bundle.main.executableURL ?? Bundle.main.bundleURL
        var folder = runner.deletingLastPathComponent()
        // On macOS the runner is inside `cwarchivePackageTests.xctest/Contents/MacOS/`.
        while folder.pathComponents.count > 1, folder.path.contains(".xctest") { folder.deleteLastPathComponent() }
        return folder.appendingPathComponent("cwarchive")
    }()

    /// Why the binary cannot be used for the command-line suites, or nil when it can. `swift test`
    /// builds it with the tests, into the folder the runner runs from, so it is never older than
    /// the code under test; only `--skip-build` after an edit could run an old one. (Comparing
    /// file times with the sources gave false alarms: a source whose time changes but whose
    /// content does not is not recompiled, and the binary keeps its time.)
    public static func problem() -> String? {
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            return "no executable at \(url.path): the command-line suites were skipped; run `swift build` first"
        }
        return nil
    }
}
