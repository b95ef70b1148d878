import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file written by ``ChatworkClient/download(from:to:expectedSize:)``.
public struct DownloadResult: Sendable, Equatable {
    /// SHA-256 of the bytes written, lowercase hex.
    public var sha256Hex: String
    /// Bytes written.
    public var size: Int

    public init(sha256Hex: String, size: Int) {
        self.sha256Hex = sha256Hex
        self.size = size
    }
}

/// Why a download failed. URLs appear without their query (signed URLs carry a secret there).
/// The partial file has been removed.
public enum DownloadError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    case invalidURL(String)
    /// The host answered something other than 200 (403/404/410 usually mean the link expired).
    case httpStatus(status: Int, url: String)
    /// An HTML page came back where a file was expected (a login or error page).
    case htmlPage(status: Int, url: String)
    /// The file does not have the size Chatwork announced.
    case sizeMismatch(expected: Int, actual: Int, url: String)
    /// The connection failed, timed out or dropped before the end.
    case connectionLost(url: String, detail: String)
    case tooManyRedirects(url: String)
    /// The destination could not be created or written.
    case cannotWrite(path: String, detail: String)

    /// Whether the link has probably expired: ask for a new `download_url` and try again.
    public var isExpiredLink: Bool {
        if case .httpStatus(let status, _) = self { return [401, 403, 404, 410].contains(status) }
        return false
    }

    /// Whether another try (with a fresh download URL) may succeed.
    public var isRetryable: Bool {
        switch self {
        case .httpStatus(let status, _): return isExpiredLink || status == 408 || status == 429 || status >= 500
        case .connectionLost, .sizeMismatch, .htmlPage: return true
        case .invalidURL, .tooManyRedirects, .cannotWrite: return false
        }
    }

    public var description: String {
        switch self {
        case .invalidURL(let url):
            return "The download URL \(url) is not an http(s) URL; Chatwork sent something unexpected."
        case .httpStatus(let status, let url):
            let hint = isExpiredLink
                ? "Download links are valid for about 30 seconds: ask for a new one and try again."
                : "Try again later."
            return "Downloading \(url) failed with HTTP \(status). \(hint)"
        case .htmlPage(let status, let url):
            return "Downloading \(url) returned an HTML page (HTTP \(status)) instead of the file; the link may have "
                + "expired or a proxy intercepted it. Ask for a new link and try again."
        case .sizeMismatch(let expected, let actual, let url):
            return "The file from \(url) has \(actual) bytes but Chatwork announced \(expected); the download was "
                + "cut short or changed. Try again."
        case .connectionLost(let url, let detail):
            return "The download from \(url) did not finish (\(detail)). Check the network and try again."
        case .tooManyRedirects(let url):
            return "The download from \(url) was redirected too many times."
        case .cannotWrite(let path, let detail):
            return "Cannot write the downloaded file \(path): \(detail). Check free space and permissions."
        }
    }

    public var errorDescription: String? { description }
}

extension ChatworkClient {
    /// Streams `url` to `destination` (created or truncated with mode 0600), computing SHA-256 on
    /// the way, in constant memory whatever the size.
    ///
    /// No Chatwork header or token is sent: the download host is a third party. Redirects are
    /// followed (at most 5), also without them. `text/html` is accepted only when `expectedSize`
    /// is given and matched exactly (a real HTML file); otherwise it is an error page.
    ///
    /// Throws ``DownloadError`` when the status is not 200, the size differs from `expectedSize`,
    /// an HTML page arrives instead of the file, or the connection drops; the partial file is then
    /// removed. The download is not retried here: a new `download_url` is needed for that.
    public func download(from url: URL, to destination: URL, expectedSize: Int?) async throws -> DownloadResult {
        let shown = LoggableURL.describe(url)
        guard !isShutDown else { throw DownloadError.connectionLost(url: shown, detail: "the client was shut down") }
        guard let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = url.host, !host.isEmpty
        else { throw DownloadError.invalidURL(shown) }

        logger.debug("Downloading \(shown)")
        let result = try await Self.receive(
            http: downloads, url: url, destination: destination, expectedSize: expectedSize,
            userAgent: configuration.userAgent, timeout: configuration.downloadTimeout)
        stats.downloads += 1
        stats.bytesDownloaded += Int64(result.size)
        logger.debug("Downloaded \(result.size) bytes from \(shown)")
        return result
    }

    /// Sends the GET (following at most 5 redirects by hand, never with a Chatwork header),
    /// receives the file through a ``DownloadReceiver`` and syncs it to disk.
    nonisolated static func receive(
        http: HTTPClient, url: URL, destination: URL, expectedSize: Int?, userAgent: String, timeout: TimeInterval
    ) async throws -> DownloadResult {
        let deadline = NIODeadline.now() + timeAmount(timeout)
        var current = url
        for _ in 0...5 {
            let shown = LoggableURL.describe(current)
            var request: HTTPClient.Request
            do {
                request = try HTTPClient.Request(url: current.absoluteString, method: .GET)
            } catch {
                throw DownloadError.invalidURL(shown)
            }
            request.headers.add(name: "User-Agent", value: userAgent)
            request.headers.add(name: "Accept", value: "*/*")
            let receiver = DownloadReceiver(destination: destination.path, expectedSize: expectedSize, shownURL: shown)
            let task = http.execute(request: request, delegate: receiver, deadline: deadline)
            let outcome: DownloadReceiver.Outcome
            do {
                outcome = try await withTaskCancellationHandler {
                    try await task.futureResult.get()
                } onCancel: {
                    task.cancel()
                }
            } catch {
                receiver.abandon()
                if error is CancellationError || Task.isCancelled { throw CancellationError() }
                if let error = error as? DownloadError { throw error }
                throw DownloadError.connectionLost(url: shown, detail: describeTransport(error))
            }
            switch outcome {
            case .redirect(let status, let location):
                guard let location, let next = URL(string: location, relativeTo: current)?.absoluteURL,
                    let scheme = next.scheme?.lowercased(), scheme == "https" || scheme == "http"
                else {
                    throw DownloadError.httpStatus(status: status, url: shown)
                }
                current = next
            case .file(let file, let size, let hex):
                do {
                    try file.finish()
                } catch {
                    file.discard()
                    throw error
                }
                return DownloadResult(sha256Hex: hex, size: size)
            }
        }
        throw DownloadError.tooManyRedirects(url: LoggableURL.describe(url))
    }
}

/// A destination file written through a raw descriptor: created 0600, never through a symlink.
final class DownloadFile: @unchecked Sendable {
    // @unchecked: used by one task at a time (the download loop).
    let path: String
    private var fd: Int32
    private var writeBehind = WriteBehind()

    init(creating path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DownloadError.cannotWrite(path: path, detail: String(cString: strerror(errno))) }
        // An existing file keeps its old mode with O_CREAT: tighten it.
        _ = fchmod(fd, 0o600)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard var base = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            #if canImport(Glibc)
                let written = Glibc.write(fd, base, left)
            #else
                let written = Darwin.write(fd, base, left)
            #endif
            if written < 0 {
                if errno == EINTR { continue }
                throw DownloadError.cannotWrite(path: path, detail: String(cString: strerror(errno)))
            }
            left -= written
            base = base.advanced(by: written)
        }
        writeBehind.wrote(bytes.count, fd: fd)
    }

    /// Flushes to disk and closes.
    func finish() throws {
        defer { closeIfOpen() }
        if fsync(fd) != 0 {
            throw DownloadError.cannotWrite(path: path, detail: String(cString: strerror(errno)))
        }
    }

    /// Closes and removes the partial file.
    func discard() {
        closeIfOpen()
        unlink(path)
    }

    private func closeIfOpen() {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
    }

    deinit { closeIfOpen() }
}
