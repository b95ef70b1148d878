import Foundation
import GRDB

/// Writes one room as GitHub-flavoured Markdown (`12345-name.md`): template `room` (with
/// `{{{messages}}}` where they go) and `message`, one heading per day.
struct MarkdownRoomExporter {
    let templates: TemplateSet
    let context: RoomExportContext

    func export(messages cursor: RecordCursor<ExportMessage>) throws -> [String] {
        let name = "\(context.baseName).md"
        let w = try BufferedWriter(url: context.options.output.appendingPathComponent(name))
        do {
            var c = context.common
            c["empty"] = context.stats.count == 0
            let parts = try templates.renderAround("room", c, slot: "messages")
            try w.write(parts.head)
            var lastDay: String?
            while let m = try cursor.next() {
                let day = context.clock.day(m.sendTime)
                let heading = day != lastDay ? context.clock.dayHeading(m.sendTime) : nil
                lastDay = day
                try w.write(templates.render("message", try context.builder.context(m, dayStart: heading)))
            }
            try w.write(parts.tail)
            try w.close()
        } catch {
            w.discard()
            throw error
        }
        return [name]
    }
}
