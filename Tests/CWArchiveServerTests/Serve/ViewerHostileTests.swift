import CWArchiveCore
@testable import CWArchiveServer
import Foundation
import Testing
import CWTestSupport

/// Hostile request targets: traversal, encoded dots, NUL, huge numbers, bad hashes, methods.
@Suite("Serve: hostile requests", .serialized)
struct ViewerHostileTests {
    @Test func hostileTargetsAreRefusedWithoutACrash() async throws {
        let h = try await ServeHarness.shared.value
        let v = try await RunningViewer.start(archive: h.archiveURL)
        try await withTeardown({ await v.stop() }) {
            let room = ServeHarness.groupRoom
            let cases: [(String, Int)] = [
                ("/rooms/abc", 404), ("/rooms/-1", 404), ("/rooms/0", 404), ("/rooms/99999999999999999999999999", 404),
                ("/rooms/1", 404), ("/rooms/\(room)x", 404), ("/rooms/%2e%2e", 404), ("/rooms/../etc/passwd", 404),
                ("/rooms/\(room)/messages/..%2f..%2fetc%2fpasswd", 404), ("/rooms/\(room)/messages/99999999999999999999999", 404),
                ("/rooms/\(room)/messages/' OR 1=1 --".replacingOccurrences(of: " ", with: "%20"), 404),
                ("/rooms/\(room)?before=999999999999", 404), ("/rooms/\(room)?after=%27%20OR%201%3D1", 400), ("/rooms/\(room)?after=%27OR%271%27%3D%271", 404),
                ("/rooms/\(room)?before=1&after=2", 400), ("/rooms/\(room)?before=%00", 400), ("/rooms/\(room)?history=2", 400),
                ("/rooms/\(room)?before=", 400), ("/rooms/%00", 400), ("/search?q=%ZZ", 400), ("/search?q=%C3%28", 400),
                ("/files/../../etc/passwd", 404), ("/files/..%2f..%2fetc%2fpasswd", 404), ("/files/%2e%2e", 404),
                ("/files/" + String(repeating: "g", count: 64), 404), ("/files/" + String(repeating: "0", count: 64), 404),
                ("/files/" + String(repeating: "a", count: 63), 404), ("/files/" + String(repeating: "a", count: 65), 404),
                ("/files/" + String(repeating: "a", count: 64) + "/x", 404), ("/files", 404),
                ("/nope", 404), ("/rooms", 404), ("/api/nope", 404), ("/assets/../templates/html/message.mustache", 404),
                ("/" + String(repeating: "x", count: 20_000), 400),
            ]
            for (target, status) in cases {
                let r = try await v.http.get(target)
                #expect(r.status == status, "\(target) gave \(r.status)")
                ViewerRouteTests.expectSecure(r, target)
                #expect(!r.text.contains("root:"), "\(target)")
            }
            let post = try await v.http.get("/", method: "POST", headers: [("Content-Length", "0")])
            #expect(post.status == 405)
            #expect(post.header("allow") == "GET")
            // Still alive and well.
            #expect(try await v.http.get("/").status == 200)
        }
    }

    @Test func anArchivedFileIsServedByItsHashOnly() async throws {
        let h = try await ServeHarness.shared.value
        let v = try await RunningViewer.start(archive: h.archiveURL)
        try await withTeardown({ await v.stop() }) {
            let page = try await v.http.get("/rooms/\(ServeHarness.hostileRoom)?oldest=1")
            let links = Set(page.text.components(separatedBy: "href=\"/files/").dropFirst().map { String($0.prefix(64)) })
            #expect(!links.isEmpty)
            for sha in links {
                let r = try await v.http.get("/files/\(sha)")
                #expect(r.status == 200, "\(sha)")
                ViewerRouteTests.expectSecure(r, sha)
                let disposition = try #require(r.header("content-disposition"))
                // No image in the hostile room: every file is a download, as bytes.
                #expect(disposition.hasPrefix("attachment; filename=\""))
                #expect(r.header("content-type") == "application/octet-stream")
                #expect(!disposition.contains("\n") && !disposition.contains("\u{7}"))
                #expect(!disposition.contains("../"))
                #expect(r.header("content-security-policy")?.contains("sandbox") == true)
                let etag = try #require(r.header("etag"))
                let again = try await v.http.get("/files/\(sha.uppercased())", headers: [("If-None-Match", etag)])
                #expect(again.status == 304)
            }
            // The image of the group room is shown inline, as an image.
            let group = try await v.http.get("/rooms/\(ServeHarness.groupRoom)?oldest=1")
            let images = group.text.components(separatedBy: "<img").dropFirst().compactMap { chunk -> String? in
                guard let r = chunk.range(of: "src=\"/files/") else { return nil }
                return String(chunk[r.upperBound...].prefix(64))
            }
            let image = try #require(images.first)
            let r = try await v.http.get("/files/\(image)")
            #expect(r.status == 200)
            #expect(r.header("content-type") == "image/png")
            #expect(r.header("content-disposition")?.hasPrefix("inline;") == true)
        }
    }

    @Test func contentDispositionNeverCarriesUnsafeBytes() {
        for name in ["../../etc/passwd", "con\u{7}trol\u{1}name.txt", "a/b\\c:d*e?f\"g<h>i|j.txt", "\r\nSet-Cookie: x=y", "報告書.pdf",
                     "x\u{202E}gpj.exe", "", "..", "%41;b"] {
            let d = FileDelivery.disposition(filename: name, inline: false)
            #expect(!d.contains("\r") && !d.contains("\n") && !d.unicodeScalars.contains { $0.value < 0x20 || $0.value > 0x7E }, "\(name)")
            #expect(d.components(separatedBy: "\"").count == 3, "\(name): \(d)")
        }
        #expect(FileDelivery.disposition(filename: "報告書.pdf", inline: false).hasSuffix("filename*=UTF-8''%E5%A0%B1%E5%91%8A%E6%9B%B8.pdf"))
    }

    @Test func randomTargetsNeverCrashTheParser() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("/%?&=+.;#aZ09\u{0}\u{7F}é稟 \\'\"<>")
        for _ in 0..<2000 {
            let n = Int.random(in: 0..<40, using: &rng)
            let s = String((0..<n).map { _ in alphabet.randomElement(using: &rng) ?? "a" })
            let parts = s.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            if let t = try? RequestTarget(path: String(parts[0]), query: parts.count > 1 ? String(parts[1]) : nil) {
                #expect(t.segments.allSatisfy { !$0.isEmpty && !$0.unicodeScalars.contains(where: UnicodeRules.isControl) })
                #expect(t.query.allSatisfy { !($0.name + $0.value).unicodeScalars.contains(where: UnicodeRules.isControl) })
            }
        }
    }
}
