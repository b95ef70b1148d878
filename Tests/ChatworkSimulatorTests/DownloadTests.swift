import Foundation
import Testing
@testable import ChatworkSimulator

/// `download_url`: no token needed, bytes as promised, expiry like S3, streamed big files.
@Suite struct DownloadTests {
    func downloadURL(_ sim: ChatworkSimulator, room: Int = Fixture.adminGroup, file: Int = 1001) async throws -> URL {
        let info = try await HTTP.get(sim.url("/rooms/\(room)/files/\(file)?create_download_url=1"), token: Fixture.token)
        return try #require((try info.object()["download_url"] as? String).flatMap(URL.init(string:)))
    }

    @Test func servesGeneratedBytesWithoutToken() async throws {
        try await Fixture.with { sim async throws in
            let result = try await HTTP.get(try await downloadURL(sim))
            #expect(result.status == 200)
            #expect(result.body == SimFileContent.generatedData(seed: 5, size: 1000))
            #expect(result.headers["content-length"] == "1000")
            #expect(result.headers["content-disposition"] == "attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd")
            #expect(sim.credentialLeakCount == 0)
            #expect(sim.downloadLog().count == 1)
        }
    }

    @Test func expiresAfterItsLifetime() async throws {
        try await Fixture.with(downloadLifetime: 30) { sim async throws in
            let url = try await downloadURL(sim)
            sim.clock.advance(by: 29)
            #expect(try await HTTP.get(url).status == 200)
            sim.clock.advance(by: 2)
            let expired = try await HTTP.get(url)
            #expect(expired.status == 403)
            #expect(expired.headers["content-type"] == "application/xml")
            #expect(expired.text.contains("<Code>AccessDenied</Code>"))
            #expect(expired.text.contains("Request has expired"))
            // A fresh URL works again.
            #expect(try await HTTP.get(try await downloadURL(sim)).status == 200)
        }
    }

    @Test func unknownTicketIs403() async throws {
        try await Fixture.with { sim async throws in
            let bogus = URL(string: "http://127.0.0.1:\(sim.port ?? 0)/download/0123456789abcdef")!
            #expect(try await HTTP.get(bogus).status == 403)
        }
    }

    @Test func sendingCredentialsIsRecordedAndAuthorizationRefused() async throws {
        try await Fixture.with { sim async throws in
            let url = try await downloadURL(sim)
            #expect(try await HTTP.get(url, token: Fixture.token).status == 200)
            #expect(try await HTTP.get(url, headers: ["Authorization": "Bearer \(Fixture.token)"]).status == 400)
            #expect(sim.credentialLeakCount == 2)
        }
    }

    @Test func storedFilesOfTheSampleWorkspaceAreServedAsOnDisk() async throws {
        let folder = try #require(ChatworkSimulator.sampleWorkspaceDirectory())
        let sim = ChatworkSimulator(workspace: try ChatworkSimulator.loadWorkspace(from: folder))
        try await sim.start()
        try await Fixture.running(sim) { sim async throws in
            let files = try await HTTP.get(sim.url("/rooms/2000004/files"), token: "demo-token-0000").array()
            let png = try #require(files.first { $0["filename"] as? String == "screenshot.png" })
            let id = try #require(png["file_id"] as? Int)
            let info = try await HTTP.get(sim.url("/rooms/2000004/files/\(id)?create_download_url=1"), token: "demo-token-0000").object()
            let url = try #require((info["download_url"] as? String).flatMap(URL.init(string:)))
            let result = try await HTTP.get(url)
            let onDisk = try Data(contentsOf: folder.appendingPathComponent("files/screenshot.png"))
            #expect(result.body == onDisk)
            #expect(result.headers["content-type"] == "image/png")
            #expect(info["filesize"] as? Int == onDisk.count)
            #expect(result.body.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        }
    }

    @Test func bigGeneratedFileIsStreamedWithItsLength() async throws {
        let size = 20 * 1024 * 1024 + 3
        var ws = Fixture.workspace()
        let (fileId, _) = try ws.addFile(roomId: Fixture.emptyRoom, accountId: Fixture.bob, filename: "big.bin", size: size, seed: 99)
        try await Fixture.with(workspace: ws) { sim async throws in
            let result = try await HTTP.get(try await downloadURL(sim, room: Fixture.emptyRoom, file: fileId))
            #expect(result.status == 200)
            #expect(result.headers["content-length"] == String(size))
            #expect(result.body.count == size)
            let tail = SimFileContent.generatedBytes(seed: 99, range: (size - 4096)..<size)
            #expect(Array(result.body.suffix(4096)) == tail)
            let middle = SimFileContent.generatedBytes(seed: 99, range: 10_000_001..<10_000_101)
            #expect(Array(result.body[10_000_001..<10_000_101]) == middle)
        }
    }

    @Test func generatedSlicesMatchTheWhole() {
        let whole = SimFileContent.generatedBytes(seed: 3, range: 0..<100)
        #expect(SimFileContent.generatedBytes(seed: 3, range: 13..<57) == Array(whole[13..<57]))
        #expect(SimFileContent.generatedBytes(seed: 4, range: 0..<100) != whole)
    }

    /// Byte i is byte i % 8 (little-endian) of the mixed word i / 8, whatever the slice (the
    /// generator stores whole words at once).
    @Test func generatedBytesFollowTheirDefinition() {
        for (start, end) in [(0, 0), (0, 1), (3, 5), (7, 9), (0, 64), (5, 77), (1_000_003, 1_000_100)] {
            let bytes = SimFileContent.generatedBytes(seed: 11, range: start..<end)
            let expected = (start..<end).map { i -> UInt8 in
                let word = SeededRandom.mix(11 &+ UInt64(i / 8) &* 0x9E37_79B9_7F4A_7C15)
                return UInt8(truncatingIfNeeded: word >> (8 * UInt64(i % 8)))
            }
            #expect(bytes == expected, "\(start)..<\(end)")
        }
    }
}

@Test func expectedBytesMatchWhatIsServed() async throws {
    try await Fixture.with { sim async throws in
        let info = try await HTTP.get(sim.url("/rooms/\(Fixture.adminGroup)/files/1001?create_download_url=1"), token: Fixture.token)
        let url = try #require((try info.object()["download_url"] as? String).flatMap(URL.init(string:)))
        let served = try await HTTP.get(url).body
        #expect(served == sim.expectedBytes(roomId: Fixture.adminGroup, fileId: 1001))
        #expect(sim.expectedBytes(roomId: Fixture.adminGroup, fileId: 9) == nil)
    }
}
