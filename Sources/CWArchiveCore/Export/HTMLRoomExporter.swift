import Foundation

/// Writes one room as HTML pages (`12345-name.html`, `12345-name-2.html`, …), streaming the
/// messages from a cursor into templates `page` (with `{{{messages}}}` where they go) and `message`.
struct HTMLRoomExporter {
    let templates: TemplateSet
    let context: RoomExportContext

    static func pageFileName(base: String, page: Int) -> String {
        page <= 1 ? "\(base).html" : "\(base)-\(page).html"
    }

    /// Writes the pages; returns their file names.
    func export(messages cursor: ExportMessageCursor) throws -> [String] {
        let perPage = context.options.messagesPerPage
        let pageCount = max(1, (context.stats.count + perPage - 1) / perPage)
        var written: [String] = []
        var writer: BufferedWriter?
        var tail: [UInt8] = []
        var page = 0
        var inPage = 0
        var lastDay: String?

        func openPage() throws {
            page += 1
            let name = Self.pageFileName(base: context.baseName, page: page)
            let w = try BufferedWriter(folder: context.folder, name: name)
            let parts = try templates.renderAround("page", pageContext(page: page, of: pageCount), slot: "messages")
            try w.write(bytes: parts.head)
            tail = parts.tail
            writer = w
            written.append(name)
            inPage = 0
            lastDay = nil
        }
        func closePage() throws {
            guard let w = writer else { return }
            try w.write(bytes: tail)
            try w.close()
            writer = nil
        }

        do {
            while let m = try cursor.next() {
                if writer == nil || (inPage >= perPage && page < pageCount) {
                    try closePage()
                    try openPage()
                }
                let stamp = context.clock.stamp(m.sendTime)
                let heading = stamp.day != lastDay ? context.clock.dayHeading(m.sendTime) : nil
                lastDay = stamp.day
                let view = try context.builder.context(m, stamp: stamp, dayStart: heading)
                try writer?.write { templates.render("message", view, into: &$0) }
                inPage += 1
            }
            if writer == nil { try openPage() }
            try closePage()
        } catch {
            writer?.discard()
            throw error
        }
        return written
    }

    func pageContext(page: Int, of count: Int) -> MustacheObject {
        var c = context.common
        c["page"] = .int(page)
        c["pageCount"] = .int(count)
        c["paged"] = .bool(count > 1)
        c["title"] = .string(count > 1 ? "\(ExportEscaping.display(context.room.name)) (\(page)/\(count))" : ExportEscaping.display(context.room.name))
        if page > 1 { c["prevHref"] = .string(AttachmentCopier.href(Self.pageFileName(base: context.baseName, page: page - 1))) }
        if page < count { c["nextHref"] = .string(AttachmentCopier.href(Self.pageFileName(base: context.baseName, page: page + 1))) }
        c["pages"] = .list((1...count).map { n in
            .object(["number": .int(n), "href": .string(AttachmentCopier.href(Self.pageFileName(base: context.baseName, page: n))), "current": .bool(n == page)])
        })
        c["indexHref"] = .string("index.html")
        c["empty"] = .bool(context.stats.count == 0)
        return c
    }
}
