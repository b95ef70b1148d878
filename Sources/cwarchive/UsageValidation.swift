import ArgumentParser
import CWArchiveCore
import Foundation

/// Runs the core's usage checks inside a subcommand's `validate()`: a ``UsageError`` becomes
/// ArgumentParser's `ValidationError`, printed as one line with the usage hint, exit 64
/// (`search`: 2, see ``CWArchive/main()``).
func usageCheck<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as UsageError {
        throw ValidationError(error.description)
    }
}

extension ArchiveOption {
    /// Checks the configuration file and the archive folder before any work: for reading, an
    /// existing folder; for writing, one that exists or can be created.
    func check(forWriting: Bool) throws {
        try checkArchiveArguments(archive: archive, config: config, forWriting: forWriting)
    }
}

/// The check of ``ArchiveOption/check(forWriting:)`` for a command that has its own flags.
func checkArchiveArguments(archive: String?, config: String?, forWriting: Bool) throws {
    let env = ProcessInfo.processInfo.environment
    try usageCheck {
        let file = try ConfigFile.checked(flag: config, environment: env)
        _ = try file.checkedArchive(flag: archive, environment: env, forWriting: forWriting)
    }
}
