import ChatworkAPI
import Foundation

/// One message read from a source file, before it is matched with the archive.
struct ImportRow: Sendable, Equatable {
    var roomID: Int
    var roomName: String?
    /// The Chatwork message id; nil when the format has none (`goodbye-chatwork`).
    var messageID: String?
    /// The sender's account id when the export gave it (or a name resolves to it later).
    var accountID: Int?
    var accountName: String
    var body: String
    var sendTime: Int
    var updateTime: Int
    var deleted = false
    /// Fields or columns beyond the ones read, kept with the record.
    var extra: [String: JSONValue] = [:]
    /// The row (CSV line) or element number, for the provenance.
    var row: Int
    /// The line it starts on, for messages about it.
    var line: Int
}

/// What reading one row gave.
enum ImportRowResult: Sendable, Equatable {
    case row(ImportRow)
    case bad(line: Int, reason: String)
}

/// What the readers of every format share: the time zone for times without an offset, and the
/// names byecha's `conf.json` gives.
struct ImportContext: Sendable {
    var timeZone: TimeZone
    var contactNames: [Int: String] = [:]
    var roomNames: [Int: String] = [:]
}

/// The checks every format's fields go through.
enum ImportFields {
    /// A Chatwork message id: 1 to 20 digits.
    static func messageID(_ s: String?) -> String? {
        guard let s = s?.trimmingCharacters(in: .whitespaces), (1...20).contains(s.utf8.count), s.allSatisfy(\.isASCIIDigit) else { return nil }
        return s
    }

    /// A time of day as a Unix second: ISO 8601 with a time (`2024-01-05T14:21:00+09:00`; no
    /// offset means `timeZone`), through the one date grammar (``DateArgument``). An offset
    /// beyond ±18:00 is refused rather than read in another zone.
    static func time(_ text: String, timeZone: TimeZone) -> Result<Int, ImportRowError> {
        let s = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "/", with: "-")
        guard s.utf8.count >= 16, s.utf8.count <= 40 else { return .failure(ImportRowError("has no time of day: \(TerminalText.quoted(text))")) }
        // An offset the parser would otherwise ignore (no zone is that far from UTC).
        let bytes = Array(s.utf8)
        if bytes.count > 19, let sign = bytes[19...].firstIndex(where: { $0 == 0x2B || $0 == 0x2D }) {
            let digits = bytes[(sign + 1)...].filter { $0 >= 0x30 && $0 <= 0x39 }
            if digits.count >= 2, Int(digits[digits.startIndex] - 0x30) * 10 + Int(digits[digits.startIndex + 1] - 0x30) > 18 {
                return .failure(ImportRowError("has an impossible time zone offset: \(TerminalText.quoted(text))"))
            }
        }
        do {
            let t = try DateArgument.parse(s, as: .since, timeZone: timeZone)
            guard t >= 0, t < 32_503_680_000 else { return .failure(ImportRowError("has a time out of range: \(TerminalText.quoted(text))")) }
            return .success(t)
        } catch {
            return .failure(ImportRowError("has no valid time: \(TerminalText.quoted(text))"))
        }
    }

    /// A Unix time field (`tm`, `utm`): a non-negative integer below year 3000.
    static func unixTime(_ v: JSONValue?) -> Int? {
        guard let t = v?.importInt, t >= 0, t < 32_503_680_000 else { return nil }
        return t
    }

    /// An account id: a positive integer.
    static func accountID(_ v: JSONValue?) -> Int? {
        guard let a = v?.importInt, a > 0 else { return nil }
        return a
    }
}
