import ChatworkAPI
import Foundation
import Testing
@testable import CWArchiveCore

@Suite("Store: gzip data files, blobs, manifests, verify, lock")
struct StoreTests {
    @Test func gzipRoundTripIsReadableByTheSystemGzip() throws {
        let tmp = TempDir()
        var compressed = Data()
        let c = try GzipCompressor { compressed.append(contentsOf: $0) }
        let text = String(repeating: "会議は明日です。 meeting tomorrow\n", count: 5000)
        try c.write(Data(text.utf8))
        try c.finish()
        #expect(compressed.count < text.utf8.count / 10)
        let file = tmp.path("x.gz")
        try compressed.write(to: file)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -dc '\(file.path)'"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(String(decoding: out, as: UTF8.self) == text)

        var back = Data()
        let d = try GzipDecompressor { back.append(contentsOf: $0) }
        try compressed.withUnsafeBytes { try d.write($0) }
        #expect(d.isComplete)
        #expect(back == Data(text.utf8))
    }

    @Test func corruptGzipIsAnErrorNotACrash() throws {
        let d = try GzipDecompressor { _ in }
        let junk = Data((0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        #expect(throws: GzipError.self) { try junk.withUnsafeBytes { try d.write($0) } }
    }

    @Test func segmentsCommitAndVerify() throws {
        let tmp = TempDir()
        let store = try ArchiveStore.open(at: tmp.path("a"), create: true)
        let seg = try store.newSegment(runID: "r1")
        for i in 0..<500 {
            try seg.append(ArchiveRecord(run: "r1", at: 1000 + i, roomID: 7, payload: .message(makeMessage("\(i)", body: "本文 \(i)", time: 1000 + i))))
        }
        let entry = try seg.finish()
        #expect(entry.records == 500)
        try store.commit(runID: "r1", entries: [entry], runComplete: true)
        var n = 0
        try SegmentReader.forEachRecord(in: store.root.appendingPathComponent(entry.path)) { r in
            if case .message(let m) = r.payload { #expect(m.messageID == String(n)) }
            n += 1
        }
        #expect(n == 500)
        let report = try ArchiveVerifier(store: store).verify()
        #expect(report.isIntact)
        #expect(report.filesChecked == 1)

        // Private permissions.
        let attrs = try FileManager.default.attributesOfItem(atPath: store.root.appendingPathComponent(entry.path).path)
        #expect((attrs[.posixPermissions] as? Int ?? 0) & 0o077 == 0)
    }

    @Test func aFlippedByteIsNamedByVerify() throws {
        let tmp = TempDir()
        let store = try ArchiveStore.open(at: tmp.path("a"), create: true)
        let seg = try store.newSegment(runID: "r1")
        try seg.append(ArchiveRecord(run: "r1", at: 1, roomID: 1, payload: .message(makeMessage("1", body: "hello", time: 1))))
        let entry = try seg.finish()
        let blobSource = store.newTemporaryFile()
        try Data("blob bytes".utf8).write(to: blobSource)
        let (hash, size) = try Hashing.sha256(fileAt: blobSource)
        let blob = try store.storeBlob(from: blobSource, sha256: hash, size: size)
        try store.commit(runID: "r1", entries: [entry, blob], runComplete: true)
        #expect(try ArchiveVerifier(store: store).verify().isIntact)

        for path in [entry.path, blob.path] {
            let url = store.root.appendingPathComponent(path)
            var bytes = try Data(contentsOf: url)
            bytes[bytes.count / 2] ^= 0x01
            try bytes.write(to: url)
            let report = try ArchiveVerifier(store: store).verify()
            #expect(!report.isIntact)
            #expect(report.changed == [path])
            bytes[bytes.count / 2] ^= 0x01
            try bytes.write(to: url)
        }
        #expect(try ArchiveVerifier(store: store).verify().isIntact)
    }

    @Test func aChangedManifestBreaksTheChain() throws {
        let tmp = TempDir()
        let store = try ArchiveStore.open(at: tmp.path("a"), create: true)
        for run in ["r1", "r2", "r3"] { try store.commit(runID: run, entries: [], runComplete: true) }
        #expect(try ArchiveVerifier(store: store).verify().isIntact)
        let second = store.manifestDirectory.appendingPathComponent(Manifest.fileName(sequence: 2))
        var text = try String(contentsOf: second, encoding: .utf8)
        text = text.replacingOccurrences(of: "r2", with: "rX")
        try text.write(to: second, atomically: true, encoding: .utf8)
        let report = try ArchiveVerifier(store: store).verify()
        #expect(report.chainErrors.count == 1)
        #expect(report.chainErrors.first?.contains("00000003.json") == true)

        try FileManager.default.removeItem(at: second)
        #expect(!(try ArchiveVerifier(store: store).verify().isIntact))
    }

    @Test func anUnlistedFileFailsVerify() throws {
        let tmp = TempDir()
        let store = try ArchiveStore.open(at: tmp.path("a"), create: true)
        try store.commit(runID: "r1", entries: [], runComplete: true)
        let planted = store.blobDirectory.appendingPathComponent("ab/abcdef")
        try FileManager.default.createDirectory(at: planted.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: planted)
        let report = try ArchiveVerifier(store: store).verify()
        #expect(report.unlisted == ["blobs/sha256/ab/abcdef"])
    }

    @Test func recoveryAdoptsCompleteFilesOfAnInterruptedRun() throws {
        let tmp = TempDir()
        let store = try ArchiveStore.open(at: tmp.path("a"), create: true)
        let seg = try store.newSegment(runID: "crashed")
        try seg.append(ArchiveRecord(run: "crashed", at: 1, roomID: 1, payload: .message(makeMessage("1", body: "x", time: 1))))
        let entry = try seg.finish() // renamed into place but never committed: the run died here
        let before = try ArchiveVerifier(store: store).verify()
        #expect(before.isIntact)
        #expect(before.pendingAdoption == [entry.path])
        let result = try ArchiveRecovery.recover(store: store, runID: "next")
        #expect(result.adopted.map(\.path) == [entry.path])
        let after = try ArchiveVerifier(store: store).verify()
        #expect(after.isIntact && after.pendingAdoption.isEmpty)
    }

    @Test func recoveryQuarantinesATruncatedDataFile() throws {
        let tmp = TempDir()
        let store = try ArchiveStore.open(at: tmp.path("a"), create: true)
        let seg = try store.newSegment(runID: "crashed")
        for i in 0..<200 { try seg.append(ArchiveRecord(run: "crashed", at: i, roomID: 1, payload: .message(makeMessage("\(i)", body: String(repeating: "x\(i)", count: 50), time: i)))) }
        let entry = try seg.finish()
        let url = store.root.appendingPathComponent(entry.path)
        let data = try Data(contentsOf: url)
        try data.prefix(data.count / 2).write(to: url)
        let result = try ArchiveRecovery.recover(store: store, runID: "next")
        #expect(result.quarantined == [entry.path])
        #expect(result.adopted.isEmpty)
        #expect(try ArchiveVerifier(store: store).verify().isIntact)
    }

    @Test func theLockIsExclusiveAndNamesItsHolder() throws {
        let tmp = TempDir()
        let store = try ArchiveStore.open(at: tmp.path("a"), create: true)
        let first = try store.acquireLock()
        do {
            _ = try ArchiveLock.acquire(at: store.lockURL)
            Issue.record("a second lock was granted")
        } catch let error as ArchiveLockedError {
            #expect(error.holder?.pid == getpid())
            #expect(error.description.contains("pid \(getpid())"))
        }
        first.release()
        let again = try store.acquireLock()
        again.release()
    }

    @Test func aFolderThatIsNotAnArchiveIsRefused() throws {
        let tmp = TempDir()
        try Data("x".utf8).write(to: tmp.path("other.txt"))
        #expect(throws: ArchiveNotFoundError.self) { try ArchiveStore.open(at: tmp.url, create: true) }
        #expect(throws: ArchiveNotFoundError.self) { try ArchiveStore.open(at: tmp.path("none"), create: false) }
    }
}
