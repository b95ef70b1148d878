import ChatworkAPI
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem with an OAuth credentials file, saying what to do.
public struct CredentialsFileError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Reading, writing and locking an OAuth credentials file.
///
/// - Written whole and durably: a temporary file (0600) beside it, fsynced, renamed over it, the
///   folder fsynced. A reader or a crash sees the old file or the new one, never a torn one.
/// - Readable only by its owner: a file that group or others can read is refused.
/// - Locked with `flock` on a lock file beside it (`.oauth.json.lock`), which is never replaced,
///   while every write renames a new credentials file into place.
public enum CredentialsFile {
    /// The default: `~/.config/cwarchive/oauth.json`.
    public static func defaultPath(environment: [String: String]) -> String {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return "\(home)/.config/cwarchive/oauth.json"
    }

    /// Expands `~` and makes the path absolute.
    public static func resolve(_ path: String) -> URL {
        let expanded = (path as NSString).expandingTildeInPath
        return URL(fileURLWithPath: expanded, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
    }

    /// Reads and checks the file.
    public static func read(_ url: URL) throws -> OAuthCredentials {
        let path = url.path
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT {
                throw CredentialsFileError("no OAuth credentials file at \(path): run `cwarchive auth login` first (or pass --credentials FILE)")
            }
            throw CredentialsFileError("cannot read the OAuth credentials file \(path): \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw CredentialsFileError("the OAuth credentials file \(path) is not a regular file") }
        let mode = Int(info.st_mode & 0o777)
        guard mode & 0o077 == 0 else {
            throw CredentialsFileError("the OAuth credentials file \(path) can be read by other users (mode \(String(mode, radix: 8))); run `chmod 600 \(path)`")
        }
        guard info.st_size <= 256 * 1024 else { throw CredentialsFileError("the OAuth credentials file \(path) is larger than 256 KiB; it is not a credentials file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CredentialsFileError("cannot read the OAuth credentials file \(path): check its owner and permissions")
        }
        let credentials: OAuthCredentials
        do {
            credentials = try OAuthCredentials.decoder.decode(OAuthCredentials.self, from: data)
        } catch {
            throw CredentialsFileError("the OAuth credentials file \(path) cannot be read (\(describe(error))); run `cwarchive auth login` again to write a new one")
        }
        if let problem = credentials.problem {
            throw CredentialsFileError("the OAuth credentials file \(path) cannot be used: \(problem); run `cwarchive auth login` again")
        }
        return credentials
    }

    /// Replaces the file durably (mode 0600), creating its folder (0700) if needed.
    public static func write(_ credentials: OAuthCredentials, to url: URL) throws {
        let data = try OAuthCredentials.encoder.encode(credentials) + Data("\n".utf8)
        let folder = url.deletingLastPathComponent()
        try DurableFile.makeDirectory(folder)
        let tmp = folder.appendingPathComponent(temporaryPrefix(for: url) + UUID().uuidString)
        let fd = try DurableFile.createExclusive(tmp)
        do {
            try data.withUnsafeBytes { try DurableFile.writeAll(fd, $0, path: tmp.path) }
            try DurableFile.sync(fd, path: tmp.path)
            close(fd)
        } catch {
            close(fd)
            unlink(tmp.path)
            throw error
        }
        do { try DurableFile.commitRename(from: tmp, to: url) } catch { unlink(tmp.path); throw error }
    }

    /// `.oauth.json.tmp-`: temporary files of `url` (left only by a crash mid-write).
    static func temporaryPrefix(for url: URL) -> String { ".\(url.lastPathComponent).tmp-" }

    /// Removes temporary files a crash left beside `url` (call with the lock held).
    static func removeLeftovers(of url: URL) {
        let folder = url.deletingLastPathComponent()
        let prefix = temporaryPrefix(for: url)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(prefix) { unlink(folder.appendingPathComponent(name).path) }
    }

    /// The lock file of `url`: `.oauth.json.lock` beside it. It is never renamed or replaced
    /// (the credentials file is, on every write), so every process locks the same inode. It is
    /// empty: it holds no secret.
    static func lockFile(for url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).lock")
    }

    /// Takes the exclusive lock on the credentials file at `url` (`flock` on its lock file),
    /// waiting for other holders up to `timeout` seconds, and returns the descriptor holding it.
    static func lock(_ url: URL, timeout: TimeInterval = 300) async throws -> Int32 {
        let lockURL = lockFile(for: url)
        try DurableFile.makeDirectory(url.deletingLastPathComponent())
        let fd = open(lockURL.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw CredentialsFileError("cannot open the lock file \(lockURL.path) of the OAuth credentials: \(String(cString: strerror(errno)))")
        }
        var waited: TimeInterval = 0
        let step: TimeInterval = 0.02
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw CredentialsFileError("cannot lock the OAuth credentials file \(url.path): \(reason)")
            }
            guard waited < timeout else {
                close(fd)
                throw CredentialsFileError("another cwarchive has held the lock on \(url.path) for \(Int(timeout)) s; try again later")
            }
            do { try await Task.sleep(nanoseconds: UInt64(step * 1_000_000_000)) } catch { close(fd); throw error }
            waited += step
        }
        return fd
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "field \(key.stringValue) is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "field \(context.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type"
        case DecodingError.dataCorrupted(let context):
            return context.codingPath.isEmpty ? "it is not valid JSON" : "field \(context.codingPath.map(\.stringValue).joined(separator: ".")) is invalid"
        default: return "it is not valid JSON"
        }
    }
}
