import ChatworkSimulator
import Foundation

/// The size of the reliability suite: the short form runs in `swift test`; the long form
/// (`CWARCHIVE_RELIABILITY_LONG=1`, see `scripts/reliability.sh`) scales the same tests up.
enum Reliability {
    static let environment = ProcessInfo.processInfo.environment

    /// True in the long form.
    static var long: Bool { environment["CWARCHIVE_RELIABILITY_LONG"] == "1" }

    /// A count from the environment (`CWARCHIVE_RELIABILITY_<NAME>`), else the short or long default.
    static func scale(_ name: String, short: Int, long longValue: Int) -> Int {
        if let text = environment["CWARCHIVE_RELIABILITY_\(name)"], let n = Int(text), n > 0 { return n }
        return long ? longValue : short
    }

    /// SIGKILLs of `archive` (the long form: at least 30).
    static var kills: Int { scale("KILLS", short: 6, long: 36) }
    /// Inputs given to each fuzzer.
    static var fuzzIterations: Int { scale("FUZZ", short: 3000, long: 60000) }
    /// Seeds each API fault is tried with.
    static var faultSeeds: Int { scale("FAULT_SEEDS", short: 1, long: 4) }
    /// Searches run at once in the concurrency test.
    static var parallelSearches: Int { scale("SEARCHES", short: 8, long: 48) }

    /// A seed for random choices: `CWARCHIVE_RELIABILITY_SEED` to replay a run, else random.
    static let seed: UInt64 = {
        if let text = environment["CWARCHIVE_RELIABILITY_SEED"], let n = UInt64(text) { return n }
        return UInt64.random(in: 1...UInt64(UInt32.max))
    }()
}

/// Figures of a reliability run: one JSON line per scenario appended to
/// `$CWARCHIVE_RELIABILITY_FIGURES` (the long-form script sums them for RELIABILITY.md), and
/// printed to the test log either way.
enum ReliabilityFigures {
    private static let lock = NSLock()

    static func record(_ scenario: String, _ figures: [String: Int]) {
        var object: [String: Any] = ["scenario": scenario, "long": Reliability.long, "seed": Reliability.seed]
        for (k, v) in figures { object[k] = v }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        let line = String(decoding: data, as: UTF8.self)
        print("reliability figures: \(line)")
        guard let path = Reliability.environment["CWARCHIVE_RELIABILITY_FIGURES"] else { return }
        lock.lock(); defer { lock.unlock() }
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        handle.seekToEndOfFile()
        handle.write(Data((line + "\n").utf8))
        try? handle.close()
    }
}

/// A small deterministic generator (SplitMix64), so a failing seed can be replayed.
typealias SeededGenerator = SeededRandom
