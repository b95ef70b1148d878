import ChatworkAPI
import ChatworkSimulator
import Crypto
import Foundation
import Testing

@Suite("Downloads from the simulator", .serialized)
struct DownloadTests {
    typealias H = SimulatorHarness

    static func sha256Hex(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    static func mode(of url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("a file is streamed to disk with mode 0600, the right SHA-256, and no token sent to the download host")
    func smallFile() async throws {
        let folder = try H.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await H.run { sim, client async throws in
            let file = try await client.file(roomID: H.groupRoom, fileID: H.smallFileID, createDownloadURL: true)
            let url = try #require(file.downloadURL.flatMap(URL.init(string:)))
            let destination = folder.appendingPathComponent("small.bin")
            let result = try await client.download(from: url, to: destination, expectedSize: file.filesize)

            let expected = SimFileContent.generatedData(seed: H.smallFileSeed, size: H.smallFileSize)
            #expect(result.size == H.smallFileSize)
            #expect(result.sha256Hex == Self.sha256Hex(expected))
            #expect(try Data(contentsOf: destination) == expected)
            #expect(try Self.mode(of: destination) == 0o600)
            #expect(sim.credentialLeakCount == 0, "the token went to the download host")
            #expect(sim.downloadLog().count == 1)
            let stats = await client.statistics
            #expect(stats.downloads == 1)
            #expect(stats.bytesDownloaded == Int64(H.smallFileSize))
            #expect(stats.requests == 1, "downloads are not API requests")
        }
    }

    @Test("an existing destination is overwritten and tightened to 0600")
    func overwritesExisting() async throws {
        let folder = try H.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let destination = folder.appendingPathComponent("existing.bin")
        try Data(repeating: 1, count: 200_000).write(to: destination)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: destination.path)
        try await H.run { _, client async throws in
            let file = try await client.file(roomID: H.groupRoom, fileID: H.smallFileID, createDownloadURL: true)
            let url = try #require(file.downloadURL.flatMap(URL.init(string:)))
            let result = try await client.download(from: url, to: destination, expectedSize: file.filesize)
            #expect(result.size == H.smallFileSize)
            #expect(try Data(contentsOf: destination).count == H.smallFileSize)
            #expect(try Self.mode(of: destination) == 0o600)
        }
    }

    @Test("a 20 MB file downloads in constant memory with the right SHA-256")
    func largeFileConstantMemory() async throws {
        let folder = try H.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let expectedHash = Self.sha256Hex(SimFileContent.generatedData(seed: H.bigFileSeed, size: H.bigFileSize))
        try await H.run { sim, client async throws in
            // Warm up the connection pool and the code paths before measuring.
            let warm = try await client.file(roomID: H.groupRoom, fileID: H.smallFileID, createDownloadURL: true)
            _ = try await client.download(from: try #require(warm.downloadURL.flatMap(URL.init(string:))),
                to: folder.appendingPathComponent("warm.bin"), expectedSize: warm.filesize)

            // The peak RSS is the whole test process's, and other suites allocate beside this one:
            // the smallest growth of three downloads is the download's own. A client that held the
            // file in memory would grow by 20 MB every time.
            var growths: [Int] = []
            var canMeasure = true
            for attempt in 0..<3 {
                let file = try await client.file(roomID: H.groupRoom, fileID: H.bigFileID, createDownloadURL: true)
                let url = try #require(file.downloadURL.flatMap(URL.init(string:)))
                let destination = folder.appendingPathComponent("big-\(attempt).bin")
                canMeasure = MemoryProbe.resetPeak() && canMeasure
                let before = MemoryProbe.field("VmRSS")
                let result = try await client.download(from: url, to: destination, expectedSize: file.filesize)
                let peak = MemoryProbe.field("VmHWM")

                #expect(result.size == H.bigFileSize)
                #expect(result.sha256Hex == expectedHash)
                let attributes = try FileManager.default.attributesOfItem(atPath: destination.path)
                #expect((attributes[.size] as? NSNumber)?.intValue == H.bigFileSize)
                if let before, let peak { growths.append(peak - before) }
                try? FileManager.default.removeItem(at: destination)
                if let g = growths.last, g < 6 * 1024 * 1024 { break }
            }
            if canMeasure, let growth = growths.min() {
                // The file is 20 MB; streaming must keep the peak far below that (simulator included).
                #expect(growth < 6 * 1024 * 1024, "peak RSS grew by \(growths.map { $0 / 1024 }) KiB during 20 MiB downloads")
            } else {
                Issue.record("cannot measure memory here (/proc/self/clear_refs unavailable)")
            }
            #expect(sim.credentialLeakCount == 0)
        }
    }

    @Test("an expired download URL is an error flagged as expired; no file is left")
    func expiredURL() async throws {
        let folder = try H.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = SimulatorClock()
        try await H.run(simulator: H.fast(clock: clock)) { sim, client async throws in
            let file = try await client.file(roomID: H.groupRoom, fileID: H.smallFileID, createDownloadURL: true)
            let url = try #require(file.downloadURL.flatMap(URL.init(string:)))
            clock.advance(by: 31)
            let destination = folder.appendingPathComponent("expired.bin")
            let error = await #expect(throws: DownloadError.self) {
                try await client.download(from: url, to: destination, expectedSize: file.filesize)
            }
            #expect(error?.isExpiredLink == true)
            #expect(error?.description.contains("30 seconds") == true)
            #expect(!FileManager.default.fileExists(atPath: destination.path))

            // A fresh URL works again.
            let fresh = try await client.file(roomID: H.groupRoom, fileID: H.smallFileID, createDownloadURL: true)
            let result = try await client.download(
                from: try #require(fresh.downloadURL.flatMap(URL.init(string:))), to: destination, expectedSize: fresh.filesize)
            #expect(result.size == H.smallFileSize)
            #expect(sim.credentialLeakCount == 0)
        }
        try await H.run(simulator: H.fast(faults: .init(expireDownloadURLs: true))) { _, client async throws in
            let file = try await client.file(roomID: H.groupRoom, fileID: H.smallFileID, createDownloadURL: true)
            let url = try #require(file.downloadURL.flatMap(URL.init(string:)))
            let error = await #expect(throws: DownloadError.self) {
                try await client.download(from: url, to: folder.appendingPathComponent("x.bin"), expectedSize: file.filesize)
            }
            #expect(error == .httpStatus(status: 403, url: LoggableURLForTests.strip(url)))
        }
    }

    @Test("an HTML error page instead of the file is an error; no file is left")
    func htmlErrorPage() async throws {
        let folder = try H.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await H.run(simulator: H.fast(faults: .init(downloadHTMLErrorPage: true))) { _, client async throws in
            let file = try await client.file(roomID: H.groupRoom, fileID: H.smallFileID, createDownloadURL: true)
            let url = try #require(file.downloadURL.flatMap(URL.init(string:)))
            let destination = folder.appendingPathComponent("page.bin")
            for expectedSize in [file.filesize, nil] as [Int?] {
                let error = await #expect(throws: DownloadError.self) {
                    try await client.download(from: url, to: destination, expectedSize: expectedSize)
                }
                if case .htmlPage(let status, _) = error {
                    #expect(status == 200)
                } else {
                    Issue.record("expected htmlPage, got \(String(describing: error))")
                }
                #expect(!FileManager.default.fileExists(atPath: destination.path))
            }
        }
    }

    @Test("a size other than announced, a dropped or a cut download: error, partial file removed")
    func brokenDownloads() async throws {
        let folder = try H.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let destination = folder.appendingPathComponent("broken.bin")
        try await H.run { sim, client async throws in
            let file = try await client.file(roomID: H.groupRoom, fileID: H.smallFileID, createDownloadURL: true)
            let url = try #require(file.downloadURL.flatMap(URL.init(string:)))
            let error = await #expect(throws: DownloadError.self) {
                try await client.download(from: url, to: destination, expectedSize: file.filesize + 1)
            }
            #expect(error == .sizeMismatch(expected: file.filesize + 1, actual: file.filesize, url: LoggableURLForTests.strip(url)))
            #expect(!FileManager.default.fileExists(atPath: destination.path))

            sim.setFaults(.init(truncateRate: 1, scope: .download))
            let cut = try await client.file(roomID: H.groupRoom, fileID: H.smallFileID, createDownloadURL: true)
            let cutError = await #expect(throws: DownloadError.self) {
                try await client.download(from: try #require(cut.downloadURL.flatMap(URL.init(string:))), to: destination, expectedSize: cut.filesize)
            }
            #expect(cutError?.isRetryable == true)
            #expect(!FileManager.default.fileExists(atPath: destination.path))

            sim.setFaults(.init(dropRate: 1, scope: .download))
            let dropped = try await client.file(roomID: H.groupRoom, fileID: H.smallFileID, createDownloadURL: true)
            let dropError = await #expect(throws: DownloadError.self) {
                try await client.download(from: try #require(dropped.downloadURL.flatMap(URL.init(string:))), to: destination, expectedSize: dropped.filesize)
            }
            if case .connectionLost = dropError {} else { Issue.record("expected connectionLost, got \(String(describing: dropError))") }
            #expect(!FileManager.default.fileExists(atPath: destination.path))
            #expect(await client.statistics.downloads == 0)
        }
    }

    @Test("a destination that is a symlink is not followed")
    func refusesSymlink() async throws {
        let folder = try H.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("target.txt")
        try Data("keep me".utf8).write(to: target)
        let link = folder.appendingPathComponent("link.bin")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        try await H.run { _, client async throws in
            let file = try await client.file(roomID: H.groupRoom, fileID: H.smallFileID, createDownloadURL: true)
            let url = try #require(file.downloadURL.flatMap(URL.init(string:)))
            await #expect(throws: DownloadError.self) {
                try await client.download(from: url, to: link, expectedSize: file.filesize)
            }
            #expect(try String(contentsOf: target, encoding: .utf8) == "keep me")
        }
    }
}

/// The URL as download errors show it: without the query.
enum LoggableURLForTests {
    static func strip(_ url: URL) -> String {
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        components?.query = nil
        components?.fragment = nil
        return components?.string ?? ""
    }
}
