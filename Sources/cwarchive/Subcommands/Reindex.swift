import ArgumentParser
import CWArchiveCore

extension CWArchive {
    struct Reindex: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reindex",
            abstract: "Rebuild the SQLite index from the archive's data files alone.")

        @OptionGroup var archiveOption: ArchiveOption

        func validate() throws { try archiveOption.check(forWriting: false) }

        func run() async throws {
            let console = Console(quiet: false)
            do {
                let store = try openArchive(archiveOption)
                let lock = try store.acquireLock()
                defer { lock.release() }
                let start = ContinuousClock.now
                try ArchiveIndex.rebuild(store: store)
                console.out("index rebuilt in \(ContinuousClock.now - start): \(store.indexURL.path)")
            } catch let error as ArchiveLockedError {
                console.warn("\(error)")
                throw ExitCode(ExitStatus.locked.rawValue)
            } catch {
                console.warn("\(error)")
                throw ExitCode(ExitStatus.fatal.rawValue)
            }
        }
    }
}
