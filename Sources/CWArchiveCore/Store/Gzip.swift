import CZlib
import Foundation

/// An error from zlib while compressing or decompressing a data file.
public struct GzipError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String
    public var description: String { "gzip: \(message) (zlib code \(code))" }
}

/// Streams bytes through zlib's deflate in gzip format (RFC 1952) into a sink.
///
/// Memory stays constant: input is compressed in chunks and handed to `sink` as it comes out.
public final class GzipCompressor {
    private var stream = z_stream()
    private var output = [UInt8](repeating: 0, count: 1 << 16)
    private var finished = false
    private let sink: (UnsafeRawBufferPointer) throws -> Void

    /// - Parameters:
    ///   - level: zlib level 0–9 (6 is gzip's default).
    ///   - sink: receives compressed bytes.
    public init(level: Int32 = 6, sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        self.sink = sink
        let status = deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw GzipError(code: status, message: "cannot start compression") }
    }

    deinit { deflateEnd(&stream) }

    /// Compresses `bytes`; output may be buffered until more input or `finish()`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !bytes.isEmpty else { return }
        try run(input: bytes, flush: Z_NO_FLUSH)
    }

    public func write(_ data: Data) throws {
        try data.withUnsafeBytes { try write($0) }
    }

    /// Flushes everything and writes the gzip trailer.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        try run(input: UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH)
    }

    private func run(input: UnsafeRawBufferPointer, flush: Int32) throws {
        let base = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.next_in = UnsafeMutablePointer(mutating: base)
        stream.avail_in = uInt(input.count)
        let capacity = output.count
        while true {
            let (status, produced): (Int32, Int) = output.withUnsafeMutableBufferPointer { out in
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(capacity)
                let status = deflate(&stream, flush)
                return (status, capacity - Int(stream.avail_out))
            }
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                throw GzipError(code: status, message: "compression failed")
            }
            if produced > 0 { try output.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) } }
            if flush == Z_FINISH {
                if status == Z_STREAM_END { break }
            } else if stream.avail_in == 0 && produced < capacity {
                break
            }
        }
    }
}

/// Streams gzip data (one or several concatenated members) back to plain bytes.
public final class GzipDecompressor {
    private var stream = z_stream()
    private var output = [UInt8](repeating: 0, count: 1 << 16)
    private var atMemberEnd = false
    private let sink: (UnsafeRawBufferPointer) throws -> Void

    public init(sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        self.sink = sink
        let status = inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw GzipError(code: status, message: "cannot start decompression") }
    }

    deinit { inflateEnd(&stream) }

    /// True when the input so far ended exactly at the end of a gzip member.
    public var isComplete: Bool { atMemberEnd }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        stream.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(bytes.count)
        let capacity = output.count
        while stream.avail_in > 0 || !atMemberEnd {
            atMemberEnd = false
            let (status, produced): (Int32, Int) = output.withUnsafeMutableBufferPointer { out in
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(capacity)
                let status = inflate(&stream, Z_NO_FLUSH)
                return (status, capacity - Int(stream.avail_out))
            }
            if produced > 0 { try output.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) } }
            switch status {
            case Z_STREAM_END:
                atMemberEnd = true
                if stream.avail_in > 0 { inflateReset(&stream) } else { return }
            case Z_OK:
                if stream.avail_in == 0 && produced < capacity { return }
            case Z_BUF_ERROR:
                return
            default:
                throw GzipError(code: status, message: "corrupt or not gzip data")
            }
        }
    }
}
