import Testing
@testable import ChatworkSimulator

@Suite struct FaultSpecTests {
    @Test func parsesEveryKey() throws {
        let f = try FaultConfiguration(spec: "error=0.1, latency=0.25,drop=0.2,truncate=0.3,malformed=0.4,content-type=0.5,storm=7,expire-downloads,html-download,scope=download,seed=42")
        #expect(f == FaultConfiguration(
            errorRate: 0.1, latency: 0.25, dropRate: 0.2, truncateRate: 0.3, malformedJSONRate: 0.4, wrongContentTypeRate: 0.5,
            storm429Count: 7, expireDownloadURLs: true, downloadHTMLErrorPage: true, scope: .download, seed: 42))
        #expect(try FaultConfiguration(spec: "") == .none)
    }

    @Test func rejectsNonsenseWithAHelpfulMessage() {
        #expect(throws: FaultSpecError.self) { try FaultConfiguration(spec: "error=2") }
        #expect(throws: FaultSpecError.self) { try FaultConfiguration(spec: "explode=1") }
        #expect(throws: FaultSpecError.self) { try FaultConfiguration(spec: "scope=moon") }
        do {
            _ = try FaultConfiguration(spec: "latency=-1")
            Issue.record("negative latency accepted")
        } catch {
            #expect(error.description.contains("latency"))
            #expect(error.description.contains("storm=N"))
        }
    }
}
