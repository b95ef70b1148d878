import CWArchiveCore
import Foundation

/// What `cwarchive serve` was asked, checked before anything starts: where to listen, the
/// archive, the access token (read from its file) and the template override.
public struct ServeConfiguration: Sendable {
    public let bind: BindAddress
    public let archive: URL
    /// The access token every request must present; nil on loopback without `--auth-token-file`.
    public let token: ViewerToken?
    public let templates: URL?

    /// - Throws: ``UsageError`` when a non-loopback address is asked for without a token, or the
    ///   token file cannot be used.
    public init(bind: BindAddress, archive: URL, tokenFile: URL?, templates: URL?) throws(UsageError) {
        if !bind.isLoopback && tokenFile == nil {
            throw UsageError("--host: \(TerminalText.quoted(bind.host, limit: 80)) can be reached from other machines; serving the archive there needs --auth-token-file FILE (a file holding a secret token), or use 127.0.0.1")
        }
        self.bind = bind
        self.archive = archive
        if let tokenFile { token = try ViewerToken(file: tokenFile) } else { token = nil }
        self.templates = templates
    }
}

/// The viewer's access token, from its file. Its description never shows it.
public struct ViewerToken: Sendable, CustomStringConvertible {
    let value: String

    /// Tokens shorter than this are refused: they could be guessed.
    public static let minimumLength = 16

    /// Reads the token: the file's content without surrounding white space (one line).
    public init(file: URL) throws(UsageError) {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw UsageError("--auth-token-file: cannot read \(TerminalText.quoted(file.path, limit: 200)) (give a readable file holding the token, for example made with `openssl rand -hex 32 > token && chmod 600 token`)")
        }
        try self.init(text: String(decoding: data, as: UTF8.self), source: file.path)
    }

    init(text: String, source: String = "the token") throws(UsageError) {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard t.utf8.count >= Self.minimumLength else {
            throw UsageError("--auth-token-file: \(TerminalText.quoted(source, limit: 200)) holds no token of at least \(Self.minimumLength) characters (make one with `openssl rand -hex 32`)")
        }
        guard t.utf8.count <= 4096, t.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw UsageError("--auth-token-file: the token in \(TerminalText.quoted(source, limit: 200)) must be one line of printable ASCII without spaces (make one with `openssl rand -hex 32`)")
        }
        value = t
    }

    public var description: String { "ViewerToken(redacted)" }
}
