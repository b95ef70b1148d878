import Foundation

extension ConfigFile {
    /// Finds, loads and checks the configuration file a command will use, before any work:
    /// a file named by `--config` or `$CWARCHIVE_CONFIG` must exist and be readable, every key
    /// must be known and every value well formed.
    /// - Throws: ``UsageError`` (exit 64) naming the flag, or the file and line.
    public static func checked(flag: String?, environment: [String: String]) throws(UsageError) -> ConfigFile {
        if let flag { try UsageChecks.existingFile(flag, flag: "--config") }
        else if let env = environment["CWARCHIVE_CONFIG"], !env.isEmpty { try UsageChecks.existingFile(env, flag: "CWARCHIVE_CONFIG") }
        let config: ConfigFile
        do {
            config = try ConfigFile.load(path: ConfigFile.locate(flag: flag, environment: environment))
        } catch {
            throw UsageError("\(error)")
        }
        try config.checkValues()
        return config
    }

    /// Checks the value of every key this version knows; the message names the file and key.
    public func checkValues() throws(UsageError) {
        let file = path ?? "the configuration file"
        for value in all("archive") { _ = try UsageChecks.path(value, flag: "\(file): archive") }
        for value in all("token_file") { _ = try UsageChecks.path(value, flag: "\(file): token_file") }
        for value in all("api_base") { try UsageChecks.apiBase(value, flag: "\(file): api_base") }
        for key in ["room", "exclude_room"] {
            for value in all(key) where Int(value).map({ $0 > 0 }) != true {
                throw UsageError("\(file): \(key) = \(TerminalText.quoted(value)): a room id is a positive number")
            }
        }
        for value in all("max_file_size") where SizeParser.parse(value) == nil {
            throw UsageError("\(file): max_file_size = \(TerminalText.quoted(value)): not a size; use a number of bytes or one with K, M, G or T, such as 500M")
        }
        for value in all("download_concurrency") where Int(value).map({ (1...32).contains($0) }) != true {
            throw UsageError("\(file): download_concurrency = \(TerminalText.quoted(value)): give 1 to 32")
        }
        for value in all("no_files") where !["true", "false"].contains(value.lowercased()) {
            throw UsageError("\(file): no_files = \(TerminalText.quoted(value)): give true or false")
        }
    }

    /// The archive folder a command will use (`--archive`, `$CWARCHIVE_ARCHIVE`, the file's
    /// `archive`), checked: for reading it must be an existing folder, for writing a folder that
    /// can be created.
    public func checkedArchive(flag: String?, environment: [String: String], forWriting: Bool) throws(UsageError) -> URL {
        let chosen: (value: String, name: String)
        if let flag { chosen = (flag, "--archive") }
        else if let env = environment["CWARCHIVE_ARCHIVE"], !env.isEmpty { chosen = (env, "CWARCHIVE_ARCHIVE") }
        else if let value = string("archive") { chosen = (value, "\(path ?? "config"): archive") }
        else {
            throw UsageError("no archive folder given: pass --archive DIR, set CWARCHIVE_ARCHIVE, or put `archive = DIR` in the configuration file")
        }
        return forWriting ? try UsageChecks.writableDirectory(chosen.value, flag: chosen.name, existingMayBeReadOnly: true)
                          : try UsageChecks.existingDirectory(chosen.value, flag: chosen.name)
    }
}
