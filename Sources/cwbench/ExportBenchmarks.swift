import ChatworkAPI
import CWArchiveCore
import Foundation

/// `cwarchive export` speed per format on the whole archive, and its peak memory exporting one
/// room of growing size, both through the release binary run as a child process.
enum ExportBenchmarks {
    static let formats = ["html", "markdown", "csv"]

    /// The release `cwarchive` beside this program.
    static var binary: String {
        URL(fileURLWithPath: DownloadBenchmark.selfPath).deletingLastPathComponent().appendingPathComponent("cwarchive").path
    }

    /// The package this program was built from (the folder above `.build` with `Package.swift`).
    static var packageRoot: URL? {
        var dir = URL(fileURLWithPath: binary).deletingLastPathComponent()
        while dir.path != "/" {
            if dir.lastPathComponent == ".build" {
                let root = dir.deletingLastPathComponent()
                return FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) ? root : nil
            }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    /// Makes sure the release `cwarchive` beside this program is built from the same sources
    /// (`swift run -c release cwbench` builds only cwbench): builds it once per run.
    private nonisolated(unsafe) static var built = false

    static func checkBinary() throws {
        if !built, let root = packageRoot {
            built = true
            print("building the release cwarchive for the export figures (swift build -c release --product cwarchive)…")
            let r = Measure.shell("cd '\(root.path)' && swift build -c release --product cwarchive 2>&1")
            if r.status != 0 { print(r.output.suffix(2_000)) }
        }
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ValidationFailure("\(binary) is missing: build it first with `swift build -c release --product cwarchive`")
        }
        let help = Measure.shell("'\(binary)' export --help")
        guard help.status == 0 else {
            throw ValidationFailure("\(binary) has no `export` command yet (build it from a tree with export merged)")
        }
    }

    /// One export run of the binary; throws when it fails.
    static func export(archive: URL, format: String, out: URL) throws -> Measure.CommandResult {
        try? FileManager.default.removeItem(at: out)
        let r = Measure.shell("exec '\(binary)' export --archive '\(archive.path)' --format \(format) --out '\(out.path)' --timezone Asia/Tokyo > /dev/null")
        guard r.status == 0 else { throw ValidationFailure("cwarchive export --format \(format) failed (\(r.status)): \(r.output.suffix(800))") }
        return r
    }

    static func folderSize(_ url: URL) -> Int {
        guard let e = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.fileSizeKey]) else { return 0 }
        var total = 0
        for case let f as URL in e { total += (try? f.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0 }
        return total
    }

    /// Messages/s per format on the benchmark archive (its index already built).
    static func speed(_ data: DataSet, messages: Int, work: URL, table: inout ResultTable) throws {
        try checkBinary()
        let out = work.appendingPathComponent("export-out")
        for format in formats {
            let r = try export(archive: data.root, format: format, out: out)
            let size = folderSize(out)
            let rate = Double(messages) / r.seconds
            print("export \(format): \(fmt(r.seconds, 2)) s, \(mb(size)), peak \(mb(r.peakRSS))")
            table.add("export \(format) (\(messages) messages, \(data.roomCount) rooms)",
                      ours: "\(Int(rate)) msg/s (\(fmt(r.seconds, 1)) s, \(mb(size)) written, peak \(mb(r.peakRSS)))",
                      reference: "DiscordChatExporter (published): ~3,900 msg/s", ratio: fmt(rate / 3_900, 1) + "×",
                      target: "≥ 50,000 msg/s", met: rate >= 50_000)
        }
        try? FileManager.default.removeItem(at: out)
    }

    /// Peak RSS of the export process for one room of each size, every format.
    static func memory(sizes: [Int], seed: UInt64, work: URL, table: inout ResultTable) throws {
        try checkBinary()
        var peaks: [String: [(Int, Int)]] = [:]
        for size in sizes {
            let data = DataSet(messageCount: size, roomCount: 1, root: work.appendingPathComponent("room-\(size)"), seed: seed &+ UInt64(size))
            let rooms = data.generate()
            _ = try data.write(rooms)
            let store = try ArchiveStore.open(at: data.root, create: false)
            _ = try ArchiveIndex.rebuild(store: store)
            let out = work.appendingPathComponent("export-room-\(size)")
            for format in formats {
                let r = try export(archive: data.root, format: format, out: out)
                print("export memory \(format) \(size): peak \(mb(r.peakRSS)) in \(fmt(r.seconds, 2)) s")
                peaks[format, default: []].append((size, r.peakRSS))
            }
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: data.root)
        }
        for format in formats {
            let list = peaks[format] ?? []
            guard let first = list.first, let last = list.last else { continue }
            let maxPeak = list.map(\.1).max() ?? 0
            // Flat: the largest room costs at most 25 % (and 10 MB) more than the smallest.
            let flat = Double(last.1) <= Double(first.1) * 1.25 || last.1 - first.1 <= 10_000_000
            table.add("export \(format): peak memory, one room of \(list.map { count($0.0) }.joined(separator: " / ")) messages",
                      ours: list.map { mb($0.1) }.joined(separator: " / "), reference: "—",
                      ratio: fmt(Double(last.1) / Double(max(first.1, 1)), 2) + "× from smallest to largest",
                      target: "< 100 MB, flat", met: maxPeak < 100_000_000 && flat)
        }
    }

    static func count(_ n: Int) -> String {
        n >= 1_000_000 && n % 1_000_000 == 0 ? "\(n / 1_000_000)M" : (n >= 1_000 && n % 1_000 == 0 ? "\(n / 1_000)k" : "\(n)")
    }
}
