import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A webhook setting's token, read from a file: the key of its signatures.
///
/// The token never appears in `description`, interpolation, `dump`, logs or errors; only the
/// file's path does.
public struct WebhookToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Base64-decoded token bytes: the HMAC-SHA256 key (Chatwork's documented derivation).
    public let key: [UInt8]
    /// The file it was read from.
    public let path: String

    public var description: String { "webhook token from \(path)" }
    public var debugDescription: String { description }

    /// Wraps a key (tests, the simulator).
    public init(key: [UInt8], path: String) { self.key = key; self.path = path }

    /// Reads the first line of `path`. The file must be a regular file that only its owner can
    /// read or write (mode 0600 or 0400), like `ssh` demands of keys: a token others can read is a
    /// leaked token, and anyone holding it can forge deliveries into the archive.
    public static func read(path: String, flag: String) throws -> WebhookToken {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw WebhookTokenError("\(flag): cannot read the token file \(TerminalText.quoted(path, limit: 200)): \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw WebhookTokenError("\(flag): \(TerminalText.quoted(path, limit: 200)) is not a regular file")
        }
        let mode = Int(info.st_mode & 0o777)
        if mode & 0o077 != 0 {
            throw WebhookTokenError("\(flag): the token file \(TerminalText.quoted(path, limit: 200)) can be read by others (mode \(String(mode, radix: 8))): run `chmod 600` on it; the token is a secret")
        }
        guard info.st_size <= 4096, let data = FileManager.default.contents(atPath: path) else {
            throw WebhookTokenError("\(flag): the token file \(TerminalText.quoted(path, limit: 200)) is too large or unreadable; it should hold only the token from the webhook's settings page")
        }
        let first = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let token = first.trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty else {
            throw WebhookTokenError("\(flag): the token file \(TerminalText.quoted(path, limit: 200)) is empty; copy the token from the webhook's settings page into it")
        }
        guard let key = Data(base64Encoded: token), !key.isEmpty else {
            throw WebhookTokenError("\(flag): the token in \(TerminalText.quoted(path, limit: 200)) is not Base64 text; copy the token exactly as the webhook's settings page shows it")
        }
        return WebhookToken(key: Array(key), path: path)
    }
}

/// A webhook token file that cannot be used (the message names the file, never the token).
public struct WebhookTokenError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
