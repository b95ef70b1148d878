import ChatworkAPI
import Foundation

/// Reads a message record in exactly the layout ``RecordJSONWriter`` (and `JSONEncoder` with sorted
/// keys) writes, without `JSONDecoder`: the hot loop of a reindex. Any other layout, kind of
/// record, escape or invalid UTF-8 gives nil, and the caller decodes the line with `JSONDecoder`,
/// which also reports what is wrong with a bad line. So the result is always what `JSONDecoder`
/// would give, only sooner.
enum RecordJSONReader {
    static func messageRecord(_ line: Data) -> ArchiveRecord? {
        line.withUnsafeBytes { raw -> ArchiveRecord? in
            var p = Parser(bytes: raw.bindMemory(to: UInt8.self))
            guard p.literal(#"{"at":"#), let at = p.int(),
                  p.literal(#","data":{"account":{"account_id":"#), let accountID = p.int(),
                  p.literal(#","avatar_image_url":"#), let avatar = p.string(),
                  p.literal(#","name":"#), let name = p.string(),
                  p.literal(#"},"body":"#), let body = p.string(),
                  p.literal(#","message_id":"#), let messageID = p.string(),
                  p.literal(#","send_time":"#), let sendTime = p.int(),
                  p.literal(#","update_time":"#), let updateTime = p.int(),
                  p.literal("}")
            else { return nil }
            var roomID: Int?
            if p.literal(#","room_id":"#) {
                guard let r = p.int() else { return nil }
                roomID = r
            }
            guard p.literal(#","run":"#), let run = p.string(), p.literal(#","type":"message"}"#), p.atEnd else { return nil }
            let m = Message(messageID: messageID, account: Account(accountID: accountID, name: name, avatarImageURL: avatar),
                            body: body, sendTime: sendTime, updateTime: updateTime)
            return ArchiveRecord(run: run, at: at, roomID: roomID, payload: .message(m))
        }
    }

    struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        var atEnd: Bool { i == bytes.count }

        mutating func literal(_ s: StaticString) -> Bool {
            let n = s.utf8CodeUnitCount
            guard i + n <= bytes.count, memcmp(bytes.baseAddress! + i, s.utf8Start, n) == 0 else { return false }
            i += n
            return true
        }

        /// An integer written as JSON writes an Int: optional minus, digits, no leading zero.
        mutating func int() -> Int? {
            var negative = false
            if i < bytes.count, bytes[i] == 0x2D { negative = true; i += 1 }
            let start = i
            var value = 0
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                let d = Int(bytes[i] - 0x30)
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (a, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
                guard !o1, !o2 else { return nil }
                value = a
                i += 1
            }
            let digits = i - start
            guard digits > 0, !(digits > 1 && bytes[start] == 0x30) else { return nil }
            // A fraction or exponent: leave it to JSONDecoder.
            if i < bytes.count, bytes[i] == 0x2E || bytes[i] == 0x65 || bytes[i] == 0x45 { return nil }
            return value
        }

        /// A string with the escapes JSON allows; nil on anything unexpected or invalid UTF-8.
        mutating func string() -> String? {
            guard i < bytes.count, bytes[i] == 0x22 else { return nil }
            i += 1
            let start = i
            while i < bytes.count, bytes[i] != 0x22, bytes[i] != 0x5C, bytes[i] >= 0x20 { i += 1 }
            guard i < bytes.count else { return nil }
            if bytes[i] == 0x22 {
                let s = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            // Escapes (or a raw control character, which JSON forbids: nil).
            var out = Array(bytes[start..<i])
            while i < bytes.count {
                let c = bytes[i]
                if c == 0x22 {
                    i += 1
                    return String(validating: out, as: UTF8.self)
                }
                if c < 0x20 { return nil }
                if c != 0x5C { out.append(c); i += 1; continue }
                guard i + 1 < bytes.count else { return nil }
                let e = bytes[i + 1]
                i += 2
                switch e {
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                case 0x2F: out.append(0x2F)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                case 0x74: out.append(0x09)
                case 0x75:
                    guard var scalar = hex4() else { return nil }
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard literal("\\u"), let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { return nil }
                    out.append(contentsOf: String(Character(u)).utf8)
                default: return nil
                }
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard i + 4 <= bytes.count else { return nil }
            var v: UInt32 = 0
            for k in 0..<4 {
                let c = bytes[i + k]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: return nil
                }
                v = v << 4 | d
            }
            i += 4
            return v
        }
    }
}
