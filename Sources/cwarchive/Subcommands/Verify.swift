import ArgumentParser
import CWArchiveCore

extension CWArchive {
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Recompute every hash and walk the manifest chain; exit 0 only when the archive is intact.",
            discussion: "Names every missing, changed, unlisted or unreadable file. Files left by an interrupted run are listed as pending (the next run adopts them) and do not fail the check unless --strict.")

        @OptionGroup var archiveOption: ArchiveOption

        func validate() throws { try archiveOption.check(forWriting: false) }

        @Flag(name: .long, help: "Also fail on files an interrupted run left for the next run to adopt.")
        var strict = false

        @Option(name: .long, help: "Output format: text or json.")
        var format: Status.OutputFormat = .text

        func run() async throws {
            let console = Console(quiet: false)
            let report: VerificationReport
            do {
                let store = try openArchive(archiveOption)
                report = try ArchiveVerifier(store: store).verify()
            } catch {
                console.warn("\(error)")
                throw ExitCode(ExitStatus.fatal.rawValue)
            }
            let ok = report.isIntact && (!strict || report.pendingAdoption.isEmpty)
            if format == .json {
                console.out(try jsonString(report))
            } else {
                for p in report.missing { console.out("MISSING    \(p)") }
                for p in report.changed { console.out("CHANGED    \(p)") }
                for p in report.unlisted { console.out("UNLISTED   \(p)") }
                for p in report.unreadable { console.out("UNREADABLE \(p)") }
                for p in report.chainErrors { console.out("CHAIN      \(p)") }
                for p in report.pendingAdoption { console.out("PENDING    \(p) (left by an interrupted run; the next run adopts it)") }
                console.out("\(report.manifests) manifests, \(report.filesChecked) files, \(report.bytesChecked) bytes checked; head \(report.headHash ?? "none")")
                console.out(ok ? "OK: the archive is intact." : "FAILED: the archive has been changed or damaged (see above).")
            }
            if !ok { throw ExitCode(ExitStatus.fatal.rawValue) }
        }
    }
}
