import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One HTTP/1.1 exchange over a plain socket, read until the server closes: shows exactly what was
/// sent (a dropped connection gives no bytes; a truncated body gives fewer bytes than Content-Length).
enum RawHTTP {
    struct Exchange {
        var head: String
        var body: [UInt8]
        /// The head says 204, or the body has every byte Content-Length announced.
        var isComplete: Bool {
            head.hasPrefix("HTTP/1.1 204") || contentLength.map { body.count >= $0 } == true
        }

        var contentLength: Int? {
            for line in head.split(separator: "\r\n") {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].lowercased() == "content-length" {
                    return Int(parts[1].trimmingCharacters(in: .whitespaces))
                }
            }
            return nil
        }
    }

    /// Runs `get` on its own thread: blocking the few cooperative threads would starve the server.
    static func fetch(port: Int, target: String, token: String?) async throws -> Exchange {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try get(port: port, target: target, token: token) })
            }
            thread.start()
        }
    }

    /// Sends `GET target` and reads until the response is complete or the socket closes.
    static func get(port: Int, target: String, token: String?) throws -> Exchange {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw TestFailure("connect() failed") }
        var request = "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let token { request += "X-ChatWorkToken: \(token)\r\n" }
        request += "\r\n"
        let bytes = Array(request.utf8)
        guard send(fd, bytes, bytes.count, 0) == bytes.count else { throw TestFailure("send() failed") }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            received.append(contentsOf: buffer[0..<n])
            // Hummingbird keeps the connection open despite `Connection: close`: stop once complete.
            if let exchange = split(received), exchange.isComplete { return exchange }
        }
        return split(received) ?? Exchange(head: String(decoding: received, as: UTF8.self), body: [])
    }

    private static func split(_ received: [UInt8]) -> Exchange? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard received.count >= 4,
              let split = (0...(received.count - 4)).first(where: { Array(received[$0..<$0 + 4]) == separator }) else {
            return nil
        }
        return Exchange(head: String(decoding: received[0..<split], as: UTF8.self), body: Array(received[(split + 4)...]))
    }
}
