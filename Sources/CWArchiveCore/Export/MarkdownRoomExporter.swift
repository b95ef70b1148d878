import Foundation

/// Writes one room as GitHub-flavoured Markdown (`12345-name.md`): template `room` (with
/// `{{{messages}}}` where they go) and `message`, one heading per day.
struct MarkdownRoomExporter {
    let templates: TemplateSet
    let context: RoomExportContext

    func export(messages cursor: ExportMessageCursor) throws -> [String] {
        let name = "\(context.baseName).md"
        let w = try BufferedWriter(folder: context.folder, name: name)
        do {
            var c = context.common
            c["empty"] = .bool(context.stats.count == 0)
            let parts = try templates.renderAround("room", c, slot: "messages")
            try w.write(bytes: parts.head)
            var lastDay: String?
            while let m = try cursor.next() {
                let stamp = context.clock.stamp(m.sendTime)
                let heading = stamp.day != lastDay ? context.clock.dayHeading(m.sendTime) : nil
                lastDay = stamp.day
                let view = try context.builder.context(m, stamp: stamp, dayStart: heading)
                try w.write { templates.render("message", view, into: &$0) }
            }
            try w.write(bytes: parts.tail)
            try w.close()
        } catch {
            w.discard()
            throw error
        }
        return [name]
    }
}
