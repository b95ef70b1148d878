import CWArchiveCore
import Foundation

/// Where one of cwarchive's HTTP servers (`serve`, `listen`) listens, checked before anything
/// starts: a host name or address without control characters, and a port in 0...65535
/// (0 lets the system pick a free one).
public struct BindAddress: Sendable, Equatable, CustomStringConvertible {
    /// The host name or address as given (`127.0.0.1`, `::1`, `0.0.0.0`, `localhost`, …).
    public let host: String
    /// The TCP port; 0 means "pick a free port".
    public let port: Int

    /// Checks a host and port typed on the command line.
    /// - Throws: ``UsageError`` naming the flag when either value cannot be used.
    public init(host: String, port: Int, hostFlag: String = "--host", portFlag: String = "--port") throws(UsageError) {
        let trimmed = host.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F || UnicodeRules.isControl($0) })
            || trimmed.utf8.count > 253 {
            throw UsageError("\(hostFlag): \(TerminalText.quoted(host, limit: 80)) is not a host name or address (for example 127.0.0.1, ::1 or 0.0.0.0)")
        }
        guard (0...65_535).contains(port) else {
            throw UsageError("\(portFlag): \(port) is not a TCP port (give 0 to 65535; 0 picks a free port)")
        }
        self.host = trimmed
        self.port = port
    }

    /// True when only this machine can reach the address: `localhost`, 127.0.0.0/8 or `::1`.
    /// Anything else (`0.0.0.0`, `::`, a LAN address, a host name) is reachable from elsewhere.
    public var isLoopback: Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if h == "localhost" || h == "::1" || h == "0:0:0:0:0:0:0:1" { return true }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && UInt8($0) != nil })
        else { return false }
        return parts[0] == "127"
    }

    /// The address as a URL authority: IPv6 addresses in brackets.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
