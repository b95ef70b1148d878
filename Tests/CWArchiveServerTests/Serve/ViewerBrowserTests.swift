import Foundation
import Testing
import CWTestSupport

/// The viewer in headless Chromium, when installed (`.ci/run` installs it, as for the export
/// check): the room list, a room, a search for 稟議 with its hits highlighted, the hostile room's
/// name as text, and no console error or CSP violation. Skipped without Chromium.
@Suite("Serve: in a real browser", .serialized)
struct ViewerBrowserTests {
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    func dump(_ url: String) async throws -> (dom: String, problems: [String]) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(Self.chromium))
        p.arguments = ["--headless", "--disable-gpu", "--no-sandbox", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
                       "--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000",
                       "--user-data-dir=\(FileManager.default.temporaryDirectory.path)/cwarchive-chromium-\(UUID().uuidString)",
                       "--dump-dom", url]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        final class Box: @unchecked Sendable { let p: Process; let out: Pipe; let err: Pipe
            init(_ p: Process, _ o: Pipe, _ e: Pipe) { self.p = p; out = o; self.err = e } }
        let box = Box(p, out, err)
        let (o, e) = await withCheckedContinuation { (c: CheckedContinuation<(Data, Data), Never>) in
            Thread {
                let o = box.out.fileHandleForReading.readDataToEndOfFile()
                let e = box.err.fileHandleForReading.readDataToEndOfFile()
                box.p.waitUntilExit()
                c.resume(returning: (o, e))
            }.start()
        }
        let problems = String(decoding: e, as: UTF8.self).split(separator: "\n").map(String.init).filter {
            $0.contains("CONSOLE") || $0.contains("Content Security Policy") || $0.contains("Refused to") || $0.contains("Uncaught")
        }
        return (String(decoding: o, as: UTF8.self), problems)
    }

    @Test(.enabled(if: chromium != nil, "chromium is not installed"))
    func pagesRenderWithHighlightsAndWithoutConsoleErrors() async throws {
        let h = try await ServeHarness.shared.value
        let v = try await RunningViewer.start(archive: h.archiveURL)
        try await withTeardown({ await v.stop() }) {
            let home = try await dump(v.url)
            #expect(home.problems.isEmpty, "\(home.problems)")
            #expect(home.dom.contains("&lt;b&gt;Hostile&lt;/b&gt; &amp; \"odd\" input ../room"))
            #expect(!home.dom.contains("<b>Hostile</b>"))
            let room = try await dump(v.url + "rooms/\(ServeHarness.hostileRoom)")
            #expect(room.problems.isEmpty, "\(room.problems)")
            #expect(room.dom.contains("class=\"cw-message"))
            #expect(!room.dom.contains("<script>alert"))
            let search = try await dump(v.url + "search?q=%E7%A8%9F%E8%AD%B0")
            #expect(search.problems.isEmpty, "\(search.problems)")
            #expect(search.dom.components(separatedBy: "<mark>稟議</mark>").count - 1 >= 10)
        }
    }
}
