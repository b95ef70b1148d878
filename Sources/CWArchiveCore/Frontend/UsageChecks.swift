import ChatworkAPI
import Foundation

/// The checks every subcommand's `validate()` runs on what a user typed, before any work starts.
/// Each throws a ``UsageError`` (exit 64; `search`: 2) naming the flag, showing the value with
/// control characters made visible, and saying what is accepted.
public enum UsageChecks {
    /// The longest path the system takes (PATH_MAX includes the final NUL) and the longest name.
    static let maxPathBytes = 4095
    static let maxNameBytes = 255

    /// A path typed by the user: not empty, no control characters, valid UTF-8 (a byte that is
    /// not arrives as U+FFFD), within the system's limits. `..` and relative paths are fine.
    public static func path(_ text: String, flag: String) throws(UsageError) -> URL {
        let shown = TerminalText.quoted(text, limit: 80)
        if text.trimmingCharacters(in: .whitespaces).isEmpty {
            throw UsageError("\(flag) \(shown): give a path (the value is empty)")
        }
        if text.unicodeScalars.contains(where: { UnicodeRules.isControl($0) }) {
            throw UsageError("\(flag) \(shown): a path with control characters is not accepted")
        }
        if text.unicodeScalars.contains("\u{FFFD}") {
            throw UsageError("\(flag) \(shown): the path is not valid UTF-8; rename the file or folder")
        }
        if text.utf8.count > maxPathBytes
            || text.split(separator: "/").contains(where: { $0.utf8.count > maxNameBytes }) {
            throw UsageError("\(flag) \(shown): the path is too long (at most \(maxPathBytes) bytes, \(maxNameBytes) per name)")
        }
        let expanded = (text as NSString).expandingTildeInPath
        return URL(fileURLWithPath: expanded, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
    }

    /// A folder that must exist and be readable (an archive to read, a template folder).
    @discardableResult
    public static func existingDirectory(_ text: String, flag: String) throws(UsageError) -> URL {
        let url = try path(text, flag: flag)
        let shown = TerminalText.quoted(text, limit: 80)
        switch kind(of: url.path) {
        case .missing: throw UsageError("\(flag) \(shown): no such folder")
        case .file: throw UsageError("\(flag) \(shown): this is a file; give a folder")
        case .directory:
            guard access(url.path, R_OK | X_OK) == 0 else { throw UsageError("\(flag) \(shown): the folder cannot be read (permissions)") }
            return url
        }
    }

    /// A folder that is written to and created when missing (an archive to write, an export's
    /// output): when it exists it must be a writable folder; otherwise its nearest existing
    /// parent must be a writable folder.
    /// With `existingMayBeReadOnly`, a folder that exists is not checked for writing: an
    /// archive that has become read-only is a storage failure the run reports (exit 1).
    @discardableResult
    public static func writableDirectory(_ text: String, flag: String, existingMayBeReadOnly: Bool = false) throws(UsageError) -> URL {
        let url = try path(text, flag: flag)
        let shown = TerminalText.quoted(text, limit: 80)
        var probe = url
        while true {
            switch kind(of: probe.path) {
            case .directory:
                if existingMayBeReadOnly && probe.path == url.path { return url }
                guard access(probe.path, W_OK | X_OK) == 0 else {
                    throw UsageError("\(flag) \(shown): \(probe.path == url.path ? "the folder" : "the folder \(TerminalText.quoted(probe.path)) it would be made in") is not writable")
                }
                return url
            case .file:
                throw UsageError("\(flag) \(shown): \(probe.path == url.path ? "this is a file" : "\(TerminalText.quoted(probe.path)) is a file"); give a folder")
            case .missing:
                let parent = probe.deletingLastPathComponent()
                if parent.path == probe.path { return url }
                probe = parent
            }
        }
    }

    /// A file that must exist and be readable (a configuration file, a certificate).
    @discardableResult
    public static func existingFile(_ text: String, flag: String) throws(UsageError) -> URL {
        let url = try path(text, flag: flag)
        let shown = TerminalText.quoted(text, limit: 80)
        switch kind(of: url.path) {
        case .missing: throw UsageError("\(flag) \(shown): no such file")
        case .directory: throw UsageError("\(flag) \(shown): this is a folder; give a file")
        case .file:
            guard access(url.path, R_OK) == 0 else { throw UsageError("\(flag) \(shown): the file cannot be read (permissions)") }
            return url
        }
    }

    /// A file to be written (a report): not a folder, in a folder that exists and is writable.
    @discardableResult
    public static func writableFile(_ text: String, flag: String) throws(UsageError) -> URL {
        let url = try path(text, flag: flag)
        let shown = TerminalText.quoted(text, limit: 80)
        if kind(of: url.path) == .directory { throw UsageError("\(flag) \(shown): this is a folder; give a file name") }
        let parent = url.deletingLastPathComponent()
        guard kind(of: parent.path) == .directory else { throw UsageError("\(flag) \(shown): the folder \(TerminalText.quoted(parent.path)) does not exist") }
        guard access(parent.path, W_OK | X_OK) == 0 else { throw UsageError("\(flag) \(shown): the folder \(TerminalText.quoted(parent.path)) is not writable") }
        return url
    }

    /// A file to be written whose folder is created when missing (the OAuth credentials file):
    /// not a folder, and its nearest existing parent a writable folder.
    @discardableResult
    public static func creatableFile(_ text: String, flag: String) throws(UsageError) -> URL {
        let url = try path(text, flag: flag)
        if kind(of: url.path) == .directory { throw UsageError("\(flag) \(TerminalText.quoted(text, limit: 80)): this is a folder; give a file name") }
        try writableDirectory(url.deletingLastPathComponent().path, flag: flag)
        return url
    }

    /// A token file: it must hold a token on its first line and be readable only by its owner
    /// (a token file that others can read is refused, as ssh refuses such keys).
    public static func tokenFile(_ text: String, flag: String) throws(UsageError) {
        let url = try existingFile(text, flag: flag)
        do {
            _ = try ChatworkCredential.fromFile(url)
        } catch {
            throw UsageError("\(flag) \(TerminalText.quoted(text, limit: 80)): \(error)")
        }
    }

    /// An API base URL given with `--api-base`: an absolute http(s) URL.
    public static func apiBase(_ text: String, flag: String = "--api-base") throws(UsageError) {
        let shown = TerminalText.quoted(text, limit: 80)
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty,
              !text.unicodeScalars.contains(where: { UnicodeRules.isControl($0) }) else {
            throw UsageError("\(flag) \(shown): give an absolute URL such as https://api.chatwork.com/v2")
        }
        do {
            _ = try ChatworkClientConfiguration.resolveBaseURL(flag: text, environment: [:])
        } catch {
            throw UsageError("\(flag) \(shown): \(error)")
        }
    }

    /// An absolute http(s) URL with a host and no fragment (where something is posted to).
    public static func httpURL(_ text: String, flag: String) throws(UsageError) {
        let shown = TerminalText.quoted(text, limit: 80)
        guard !text.unicodeScalars.contains(where: { UnicodeRules.isControl($0) || $0 == " " }),
              let c = URLComponents(string: text), let scheme = c.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = c.host, !host.isEmpty, c.fragment == nil, c.user == nil, c.password == nil else {
            throw UsageError("\(flag) \(shown): give an absolute http:// or https:// URL such as http://127.0.0.1:8080/chatwork/webhook")
        }
    }

    /// Ids of rooms or accounts: positive numbers.
    public static func ids(_ values: [Int], flag: String, what: String = "a room id") throws(UsageError) {
        if let bad = values.first(where: { $0 <= 0 }) {
            throw UsageError("\(flag) \(bad): \(what) is a positive number")
        }
    }

    /// A whole number within bounds.
    public static func number(_ value: Int, flag: String, in range: ClosedRange<Int>) throws(UsageError) {
        guard range.contains(value) else {
            throw UsageError("\(flag) \(value): give \(range.lowerBound) to \(range.upperBound)")
        }
    }

    enum Kind { case missing, file, directory }

    static func kind(of path: String) -> Kind {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .missing }
        return isDirectory.boolValue ? .directory : .file
    }
}

extension UsageChecks {
    /// A number of seconds (ArgumentParser reads `inf`, `nan` and `1e300` as numbers: refused).
    public static func seconds(_ value: Double, flag: String, in range: ClosedRange<Double>) throws(UsageError) {
        guard value.isFinite, range.contains(value) else {
            throw UsageError("\(flag) \(value): give a number of seconds from \(range.lowerBound) to \(range.upperBound)")
        }
    }
}
