import Foundation

/// `cwarchive-export.json`: what an export wrote, from which archive state, with which options.
struct ExportManifest: Encodable {
    /// One exported room (a send time is left out when the room has no message in range).
    struct Room: Encodable {
        let roomID: Int
        let name: String
        let messages: Int
        let files: [String]
        let firstSendTime: String?
        let lastSendTime: String?

        enum CodingKeys: String, CodingKey {
            case roomID = "room_id", name, messages, files
            case firstSendTime = "first_send_time", lastSendTime = "last_send_time"
        }
    }

    let toolVersion: String
    let format: String
    /// The archive's manifest head hash; `null` for an archive without a manifest.
    let archiveHeadHash: String?
    let timeZone: String
    let history: Bool
    let rooms: [Room]
    let since: String?
    let until: String?

    enum CodingKeys: String, CodingKey {
        case tool, toolVersion = "tool_version", format, archiveHeadHash = "archive_head_hash"
        case timeZone = "time_zone", history, rooms, since, until
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("cwarchive", forKey: .tool)
        try c.encode(toolVersion, forKey: .toolVersion)
        try c.encode(format, forKey: .format)
        if let archiveHeadHash { try c.encode(archiveHeadHash, forKey: .archiveHeadHash) } else { try c.encodeNil(forKey: .archiveHeadHash) }
        try c.encode(timeZone, forKey: .timeZone)
        try c.encode(history, forKey: .history)
        try c.encode(rooms, forKey: .rooms)
        try c.encodeIfPresent(since, forKey: .since)
        try c.encodeIfPresent(until, forKey: .until)
    }

    /// The file's bytes: sorted keys, two-space indentation, a final newline.
    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [0x0A]
    }
}
