import ChatworkAPI
import Foundation

/// Encodes the most frequent record, a message, by hand into JSON bytes identical to what
/// `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` writes (keys in byte order; `"`,
/// `\` and control characters escaped as `\"`, `\\`, `\b`, `\t`, `\n`, `\f`, `\r` or `\u00xx`;
/// everything else as raw UTF-8). `JSONEncoder` costs several microseconds per record, more than
/// compressing it; this is the write path's hot loop.
enum RecordJSONWriter {
    /// Appends the JSON of `record` to `out` and returns true when it is a message record;
    /// returns false (and leaves `out` alone) for every other kind.
    static func appendMessageRecord(_ record: ArchiveRecord, to out: inout [UInt8]) -> Bool {
        guard case .message(let m) = record.payload, m.unknownFields == nil else { return false }
        append(#"{"at":"#, to: &out)
        appendInt(record.at, to: &out)
        append(#","data":{"account":{"account_id":"#, to: &out)
        appendInt(m.account.accountID, to: &out)
        append(#","avatar_image_url":"#, to: &out)
        appendString(m.account.avatarImageURL, to: &out)
        append(#","name":"#, to: &out)
        appendString(m.account.name, to: &out)
        append(#"},"body":"#, to: &out)
        appendString(m.body, to: &out)
        append(#","message_id":"#, to: &out)
        appendString(m.messageID, to: &out)
        append(#","send_time":"#, to: &out)
        appendInt(m.sendTime, to: &out)
        append(#","update_time":"#, to: &out)
        appendInt(m.updateTime, to: &out)
        append("}", to: &out)
        if let roomID = record.roomID {
            append(#","room_id":"#, to: &out)
            appendInt(roomID, to: &out)
        }
        append(#","run":"#, to: &out)
        appendString(record.run, to: &out)
        append(#","type":"message"}"#, to: &out)
        return true
    }

    @inline(__always)
    static func append(_ literal: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    static func appendInt(_ value: Int, to out: inout [UInt8]) {
        if value == 0 { out.append(0x30); return }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0) // 24 bytes: enough for any Int64
        var magnitude = value.magnitude
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            while magnitude > 0 {
                buf[23 - count] = UInt8(truncatingIfNeeded: magnitude % 10) + 0x30
                magnitude /= 10
                count += 1
            }
            if value < 0 { count += 1; buf[24 - count] = 0x2D }
            out.append(contentsOf: buf[(24 - count)...])
        }
    }

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    static func appendString(_ string: String, to out: inout [UInt8]) {
        out.append(0x22)
        var s = string
        s.withUTF8 { p in
            var start = 0
            for i in 0..<p.count {
                let c = p[i]
                guard c == 0x22 || c == 0x5C || c < 0x20 else { continue }
                if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<i])) }
                start = i + 1
                out.append(0x5C)
                switch c {
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                case 0x08: out.append(0x62) // b
                case 0x09: out.append(0x74) // t
                case 0x0A: out.append(0x6E) // n
                case 0x0C: out.append(0x66) // f
                case 0x0D: out.append(0x72) // r
                default:
                    out.append(contentsOf: [0x75, 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 0xF)]])
                }
            }
            if start < p.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: p[start...])) }
        }
        out.append(0x22)
    }
}
