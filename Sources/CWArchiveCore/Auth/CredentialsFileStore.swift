import ChatworkAPI
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The tokens of a credentials file, shared by every process that names the file: the store the
/// refreshing provider rotates them in (lock, read again, write durably, release).
public struct CredentialsFileStore: OAuthTokenStore {
    public let url: URL

    public init(url: URL) { self.url = url }

    public func lock() async throws -> any OAuthTokenStoreLease {
        let fd = try await CredentialsFile.lock(url)
        CredentialsFile.removeLeftovers(of: url)
        return CredentialsFileLease(url: url, fd: fd)
    }
}

/// A held lock on a credentials file.
final class CredentialsFileLease: OAuthTokenStoreLease, @unchecked Sendable {
    // @unchecked: the lease is used by the one task that took the lock, from `lock()` to
    // `release()`; `document` and `fd` are guarded by `guardLock` all the same.
    private let url: URL
    private let guardLock = NSLock()
    private var fd: Int32
    /// The whole file as last read, so that a write keeps every field that is not a token.
    private var document: OAuthCredentials?

    init(url: URL, fd: Int32) {
        self.url = url
        self.fd = fd
    }

    deinit { release() }

    func read() throws -> OAuthStoredTokens {
        let credentials = try CredentialsFile.read(url)
        guardLock.withLock { document = credentials }
        return credentials.stored
    }

    func write(_ tokens: OAuthStoredTokens) throws {
        let base = try guardLock.withLock { () -> OAuthCredentials in
            guard let document else { throw CredentialsFileError("internal error: the credentials file was written before it was read") }
            return document
        }
        var next = base
        next.stored = tokens
        try CredentialsFile.write(next, to: url)
        guardLock.withLock { document = next }
    }

    func release() {
        guardLock.withLock {
            if fd >= 0 {
                flock(fd, LOCK_UN)
                close(fd)
                fd = -1
            }
        }
    }
}
