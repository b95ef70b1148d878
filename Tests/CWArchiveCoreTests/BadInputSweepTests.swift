import Foundation
import Testing
@testable import CWArchiveCore

/// Runs the built binary over a generated corpus of bad values for every flag of every
/// subcommand (read from `--experimental-dump-help`, so a new flag cannot be missed) and checks
/// that nothing crashes, every exit code is a documented one, stderr holds at most the error
/// line and the usage hint, surely-bad values give the usage exit (64, `search`: 2) with a
/// message naming the flag, and nothing is written.
@Suite("Bad input on every flag", .enabled(if: CLIRunner.isAvailable))
struct BadInputSweepTests {
    @Test("every flag of every subcommand refuses bad values without crashing or writing")
    func sweep() async throws {
        let work = TempDir("cwarchive-sweep")
        let archive = work.path("archive")
        _ = try ArchiveStore.open(at: archive, create: true)
        try FileManager.default.createDirectory(at: work.path("empty-import"), withIntermediateDirectories: true)
        let tokenFile = work.path("token")
        try "0123456789abcdef\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        chmod(tokenFile.path, 0o600)
        for (name, text, mode) in [("empty-token", "", 0o600), ("blank-token", "  \n\t\n", 0o600), ("shared-token", "0123456789abcdef\n", 0o644)] {
            try text.write(to: work.path(name), atomically: true, encoding: .utf8)
            chmod(work.path(name).path, mode_t(mode))
        }
        // Open the index once so that later readers find it built.
        _ = try await SweepRunner.run(["status", "--archive", archive.path], cwd: work.url, timeout: 60)
        let before = SweepRunner.snapshot(archive)

        let commands = try await SweepCommands.load()
        var cases: [SweepCase] = []
        for command in commands {
            guard let base = SweepCorpus.baseArguments(command.path, archive: archive, tokenFile: tokenFile) else {
                Issue.record("the sweep has no base arguments for `cwarchive \(command.path.joined(separator: " "))`: add it to SweepCorpus.baseArguments")
                continue
            }
            for option in command.options where SweepCorpus.kind(command: command.path, flag: option) == nil {
                Issue.record("`cwarchive \(command.path.joined(separator: " ")) --\(option)` is not in the sweep: give it a kind in SweepCorpus.kind")
            }
            cases += SweepCorpus.cases(for: command, base: base, fixtures: work.url)
        }
        #expect(cases.count >= 300, "the corpus should hold several hundred invocations, has \(cases.count)")

        let failures = await SweepRunner.runAll(cases, work: work.url)
        for failure in failures.prefix(40) { Issue.record(Comment(rawValue: failure)) }
        let failureCount = failures.count
        #expect(failureCount == 0, "invocations that misbehaved, of \(cases.count)")
        if failureCount > 0 {
            let list = FileManager.default.temporaryDirectory.appendingPathComponent("cwarchive-sweep-failures.txt")
            try? failures.joined(separator: "\n\n").write(to: list, atomically: true, encoding: .utf8)
            Issue.record("all \(failureCount) are listed in \(list.path)")
        }
        // The index is derived and may be brought up to date by a reader that was given valid
        // values; the data files, manifests and blobs must not change.
        let unchanged = SweepRunner.snapshot(archive) == before
        #expect(unchanged, "the sweep changed the archive it only reads")
        #expect(!FileManager.default.fileExists(atPath: SweepCorpus.missingParent), "a run created \(SweepCorpus.missingParent)")
    }
}

/// One invocation and what it must do.
struct SweepCase: Sendable {
    var arguments: [String]
    var flag: String
    /// True when the value can never be accepted: the usage exit and a message naming the flag.
    var strict: Bool
    /// A server subcommand given a value that is valid may still be running at the timeout.
    var mayKeepRunning: Bool
    /// Given as raw bytes through the shell (a value that is not UTF-8).
    var rawValue: String? = nil
    var command: String { arguments.first ?? "" }
}

/// A subcommand and its options, from `--experimental-dump-help`.
struct SweepCommand: Sendable {
    var path: [String]
    var options: [String]   // long names
    var flags: [String]     // long names of flags without a value
}

enum SweepCommands {
    static func load() async throws -> [SweepCommand] {
        let result = try await SweepRunner.run(["--experimental-dump-help"], cwd: FileManager.default.temporaryDirectory, timeout: 60)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let root = try #require(json["command"] as? [String: Any])
        var out: [SweepCommand] = []
        func walk(_ node: [String: Any], path: [String]) {
            let subcommands = node["subcommands"] as? [[String: Any]] ?? []
            for sub in subcommands {
                guard let name = sub["commandName"] as? String, name != "help" else { continue }
                walk(sub, path: path + [name])
            }
            guard !path.isEmpty, subcommands.isEmpty || node["arguments"] != nil else { return }
            var options: [String] = [], flags: [String] = []
            for argument in node["arguments"] as? [[String: Any]] ?? [] {
                let names = (argument["names"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "long" }
                guard let name = names.first?["name"] as? String, !["help", "version", "experimental-dump-help"].contains(name) else { continue }
                switch argument["kind"] as? String {
                case "option": options.append(name)
                case "flag": flags.append(name)
                default: break
                }
            }
            if subcommands.isEmpty { out.append(SweepCommand(path: path, options: options, flags: flags)) }
        }
        walk(root, path: [])
        return out
    }
}
