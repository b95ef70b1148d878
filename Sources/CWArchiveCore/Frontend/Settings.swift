import Foundation

/// Settings read from a configuration file: simple `key = value` lines, `#` comments.
///
/// Keys: `archive`, `api_base`, `token_file`, `oauth_credentials`, `exclude_room` (repeatable), `room` (repeatable),
/// `max_file_size` (bytes, or with K/M/G), `download_concurrency`, `no_files` (true/false).
public struct ConfigFile: Sendable, Equatable {
    public var values: [String: [String]] = [:]
    public var path: String?

    public init() {}

    /// Where a configuration file is looked for, in order: `--config FILE`, `$CWARCHIVE_CONFIG`,
    /// `$XDG_CONFIG_HOME/cwarchive/config` (or `~/.config/cwarchive/config`), `/etc/cwarchive/config`.
    public static func locate(flag: String?, environment: [String: String]) -> String? {
        if let flag { return flag }
        if let env = environment["CWARCHIVE_CONFIG"], !env.isEmpty { return env }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let xdg = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(home)/.config"
        for candidate in ["\(xdg)/cwarchive/config", "/etc/cwarchive/config"] where FileManager.default.fileExists(atPath: candidate) {
            return candidate
        }
        return nil
    }

    /// Loads the file at `path`. A file named explicitly must exist.
    public static func load(path: String?) throws -> ConfigFile {
        var config = ConfigFile()
        guard let path else { return config }
        config.path = path
        guard let handle = FileHandle(forReadingAtPath: path), let data = try? handle.readToEnd() ?? Data(),
              let text = String(data: data, encoding: .utf8) else {
            throw SettingsError(description: "cannot read the configuration file \(path): check that it exists and is readable.")
        }
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else {
                throw SettingsError(description: "\(path):\(n + 1): expected `key = value`, found `\(line.prefix(60))`.")
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            let known = ["archive", "api_base", "token_file", "oauth_credentials", "exclude_room", "room", "max_file_size", "download_concurrency", "no_files"]
            guard known.contains(key) else {
                throw SettingsError(description: "\(path):\(n + 1): unknown key `\(key)`; known keys: \(known.joined(separator: ", ")).")
            }
            config.values[key, default: []].append(value)
        }
        return config
    }

    public func string(_ key: String) -> String? { values[key]?.last }
    public func all(_ key: String) -> [String] { values[key] ?? [] }
}

/// A configuration problem, with what to do about it.
public struct SettingsError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(description: String) { self.description = description }
}

/// Resolves the archive folder: `--archive`, else `$CWARCHIVE_ARCHIVE`, else the configuration file's `archive`.
public enum ArchiveLocation {
    public static func resolve(flag: String?, environment: [String: String], config: ConfigFile) throws -> URL {
        let chosen = flag ?? environment["CWARCHIVE_ARCHIVE"].flatMap { $0.isEmpty ? nil : $0 } ?? config.string("archive")
        guard let chosen else {
            throw SettingsError(description: "no archive folder given: pass --archive DIR, set CWARCHIVE_ARCHIVE, or put `archive = DIR` in the configuration file.")
        }
        let expanded = (chosen as NSString).expandingTildeInPath
        return URL(fileURLWithPath: expanded, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
    }
}
