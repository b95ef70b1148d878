/// Everything a room exporter needs besides its messages.
struct RoomExportContext {
    let room: ExportRoom
    let stats: ExportRoomStats
    let baseName: String
    /// The output folder's path (`options.output`), where the room's files go.
    let folder: String
    let options: ExportOptions
    let clock: TimeFormatter
    let headHash: String?
    let builder: MessageViewBuilder

    /// Values every page template sees: the provenance an auditor needs to tie the file to
    /// the archive (`toolVersion`, `headHash`, `range`, `timeZone`) and the room.
    var common: MustacheObject {
        var c: MustacheObject = [
            "toolVersion": .string(CWArchiveVersion.string),
            "headHash": .string(headHash ?? "none"),
            "timeZone": .string(clock.zoneName),
            "roomID": .int(room.roomID),
            "roomName": .string(ExportEscaping.display(room.name)),
            "roomType": .string(room.type),
            "messageCount": .int(stats.count),
            "range": .string(rangeText),
            "history": .bool(options.history),
            "url": .string("https://www.chatwork.com/#!rid\(room.roomID)"),
        ]
        if let first = stats.first { c["firstTime"] = .string(clock.dateTime(first)) }
        if let last = stats.last { c["lastTime"] = .string(clock.dateTime(last)) }
        if let d = room.description, !d.isEmpty { c["description"] = .string(d) }
        return c
    }

    /// The requested and the actual time span, e.g. `2024-05-01 09:00 – 2024-05-31 18:12 (requested: since 2024-05-01)`.
    var rangeText: String { Self.rangeText(stats: stats, range: options.range, clock: clock) }

    static func rangeText(stats: ExportRoomStats, range: ExportRange, clock: TimeFormatter) -> String {
        var text: String
        if let first = stats.first, let last = stats.last {
            text = "\(clock.dateTime(first)) – \(clock.dateTime(last))"
        } else {
            text = "no messages"
        }
        var asked: [String] = []
        if let s = range.since { asked.append("since \(clock.iso(s))") }
        if let u = range.until { asked.append("until \(clock.iso(u))") }
        if !asked.isEmpty { text += " (requested: \(asked.joined(separator: ", ")))" }
        return text
    }
}
