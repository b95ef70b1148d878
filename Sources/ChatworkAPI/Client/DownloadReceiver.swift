import AsyncHTTPClient
import Crypto
import NIOCore
import NIOHTTP1

/// Receives one download answer on the connection's event loop: the head is checked as soon as
/// it arrives, and each part of the body is hashed and written to the file where it is read, with
/// no hop to another thread per part, the way `curl` handles a download. An `AsyncSequence` of
/// parts consumed by a task had 60 % of this throughput; handing the parts to a writer queue of
/// their own gained nothing on 2 cores (BENCHMARKS.md). A redirect is reported back without a file.
///
/// Writes of a part go to the page cache and are short; the `fsync` at the end is left to the
/// caller, off the event loop.
final class DownloadReceiver: HTTPClientResponseDelegate, @unchecked Sendable {
    // @unchecked: AHC calls the delegate on one event loop, one call at a time; the caller reads
    // the state only after the task has completed.

    enum Outcome: Sendable {
        /// A redirect to `location` (nil when the answer had none).
        case redirect(status: Int, location: String?)
        /// The whole body, written to `file` (not yet synced).
        case file(DownloadFile, size: Int, sha256Hex: String)
    }

    private let destination: String
    private let expectedSize: Int?
    private let shownURL: String
    private var status = 0
    private var isHTML = false
    private var redirectLocation: String??
    private var file: DownloadFile?
    private var hasher = SHA256()
    private var size = 0

    init(destination: String, expectedSize: Int?, shownURL: String) {
        self.destination = destination
        self.expectedSize = expectedSize
        self.shownURL = shownURL
    }

    private func wrongSize(_ actual: Int) -> DownloadError {
        isHTML ? .htmlPage(status: status, url: shownURL) : .sizeMismatch(expected: expectedSize ?? -1, actual: actual, url: shownURL)
    }

    private func fail(_ error: any Error, on loop: any EventLoop) -> EventLoopFuture<Void> {
        abandon()
        return loop.makeFailedFuture(error)
    }

    func didReceiveHead(task: HTTPClient.Task<Outcome>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        let loop = task.eventLoop
        status = Int(head.status.code)
        if [301, 302, 303, 307, 308].contains(status) {
            redirectLocation = .some(head.headers.first(name: "location"))
            return loop.makeSucceededVoidFuture()
        }
        let contentType = head.headers.first(name: "content-type")?.lowercased() ?? ""
        isHTML = contentType.hasPrefix("text/html") || contentType.hasPrefix("application/xhtml")
        guard status == 200 else { return fail(DownloadError.httpStatus(status: status, url: shownURL), on: loop) }
        if isHTML, expectedSize == nil { return fail(DownloadError.htmlPage(status: status, url: shownURL), on: loop) }
        let declared = head.headers.first(name: "content-length").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        if let expectedSize, let declared, declared != expectedSize { return fail(wrongSize(declared), on: loop) }
        do {
            file = try DownloadFile(creating: destination)
        } catch {
            return fail(error, on: loop)
        }
        return loop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Outcome>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let loop = task.eventLoop
        guard let file else { return loop.makeSucceededVoidFuture() } // a redirect's body
        size += buffer.readableBytes
        if let expectedSize, size > expectedSize { return fail(wrongSize(size), on: loop) }
        do {
            try buffer.withUnsafeReadableBytes { bytes in
                hasher.update(bufferPointer: bytes)
                try file.write(bytes)
            }
        } catch {
            return fail(error, on: loop)
        }
        return loop.makeSucceededVoidFuture()
    }

    func didReceiveError(task: HTTPClient.Task<Outcome>, _ error: any Error) {
        abandon()
    }

    func didFinishRequest(task: HTTPClient.Task<Outcome>) throws -> Outcome {
        if let location = redirectLocation { return .redirect(status: status, location: location) }
        guard let file else { throw DownloadError.connectionLost(url: shownURL, detail: "the answer ended before its body") }
        if let expectedSize, size != expectedSize {
            abandon()
            throw wrongSize(size)
        }
        self.file = nil
        let hex = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return .file(file, size: size, sha256Hex: hex)
    }

    /// Closes and removes a partial file (after a failure, or when the task failed).
    func abandon() {
        file?.discard()
        file = nil
    }
}
