import ChatworkAPI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes to the terminal: messages to standard error, a one-line progress display when
/// standard error is a terminal, plain log lines when it is not (cron, files, pipes).
public final class Console: @unchecked Sendable {
    // @unchecked: `progressShown`, the only mutable state, and every write to the terminal are
    // guarded by `lock`, so lines from concurrent rooms never interleave.
    public let quiet: Bool
    public let isTerminal: Bool
    private let lock = NSLock()
    private var progressShown = false
    /// The time of the log stamps.
    private let clock: any NowProvider

    public init(quiet: Bool, clock: any NowProvider = SystemClock()) {
        self.quiet = quiet
        self.clock = clock
        self.isTerminal = isatty(STDERR_FILENO) == 1
    }

    /// A log line (always shown unless quiet; warnings use ``warn(_:)``).
    public func log(_ message: String) {
        guard !quiet else { return }
        write(stamp() + message)
    }

    /// A warning or error: shown even when quiet.
    public func warn(_ message: String) { write("cwarchive: " + message) }

    /// Updates the progress line on a terminal; logs a plain line elsewhere.
    public func progress(_ p: ArchiveProgress) {
        guard !quiet else { return }
        let text = "[\(p.roomIndex)/\(p.roomCount)] \(p.roomName.prefix(40)) · \(p.messages) new messages · \(ByteCount.format(p.bytes))"
        if isTerminal {
            lock.lock(); defer { lock.unlock() }
            let clean = TerminalText.sanitize(text, replacement: "")
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + clean).utf8))
            progressShown = true
        } else {
            write(stamp() + "room " + text)
        }
    }

    /// Prints to standard output as it is (no newline added).
    public func outRaw(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Prints a line to standard output.
    public func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    private func write(_ line: String) {
        lock.lock(); defer { lock.unlock() }
        if progressShown { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)); progressShown = false }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// `2024-05-01T09:30:00Z ` before each line that is not on a terminal (formatted without
    /// building an `ISO8601DateFormatter` per line, which cost milliseconds).
    private func stamp() -> String {
        isTerminal ? "" : Self.utc.iso(Int(clock.now().timeIntervalSince1970.rounded(.down))) + " "
    }

    private static let utc = TimeFormatter(timeZone: TimeZone(secondsFromGMT: 0)!)

    /// Ends the progress line.
    public func finishProgress() {
        lock.lock(); defer { lock.unlock() }
        if progressShown { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)); progressShown = false }
    }
}
