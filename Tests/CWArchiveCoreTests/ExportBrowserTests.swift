import Foundation
import Testing
@testable import CWArchiveCore

/// Renders an HTML export in headless Chromium, when installed (`scripts/check-html.sh`
/// installs it and runs this suite). Skipped otherwise.
@Suite("Export: HTML in a real browser")
struct ExportBrowserTests {
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    func run(_ args: [String]) async throws -> (out: String, err: String, status: Int32) {
        let r = try await CLIRunner.runProgram(URL(fileURLWithPath: try #require(Self.chromium)),
            ["--headless", "--disable-gpu", "--no-sandbox", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
             "--enable-logging=stderr", "--v=0", "--user-data-dir=\(FileManager.default.temporaryDirectory.path)/cwarchive-chromium-\(UUID().uuidString)"] + args)
        return (r.stdout, r.stderr, r.status)
    }

    @Test(.enabled(if: chromium != nil, "chromium is not installed (scripts/check-html.sh installs it)"))
    func exportRendersWithoutConsoleErrors() async throws {
        let tmp = TempDir("export-browser")
        defer { withExtendedLifetime(tmp) {} }
        let store = try makeGoldenArchive(at: tmp.path("archive"))
        let out = tmp.path("out")
        try ExportJob(options: exportOptions(store.root, .html, to: out, history: true)).run()
        let pages = filesUnder(out).filter { $0.hasSuffix(".html") }
        #expect(pages.count == 3)
        for page in pages {
            let url = out.appendingPathComponent(page).absoluteURL.absoluteString
            let r = try await run(["--dump-dom", url])
            #expect(r.out.contains("</html>") || r.out.contains("</body>"), "\(page) did not render")
            let problems = r.err.split(separator: "\n").filter {
                $0.contains("CONSOLE") || $0.contains("Content Security Policy") || $0.contains("Refused to") || $0.contains("Uncaught")
            }
            #expect(problems.isEmpty, "\(page): \(problems.joined(separator: "\n"))")
        }
        let shot = ProcessInfo.processInfo.environment["CWARCHIVE_SCREENSHOT"] ?? tmp.path("shot.png").path
        let main = try #require(pages.first { $0.hasPrefix("12345-") })
        _ = try await run(["--screenshot=\(shot)", "--window-size=420,2400", out.appendingPathComponent(main).absoluteURL.absoluteString])
        #expect(FileManager.default.fileExists(atPath: shot))
    }
}
