/// Builds the values a message template sees, for one room.
///
/// Template fields (HTML and Markdown; text fields are escaped by the template, `body` is
/// already rendered markup and must be written with triple braces `{{{body}}}`):
/// `anchor`, `messageID`, `version`, `author`, `authorID`, `time` (HH:mm), `dateTime`, `iso`,
/// `edited` (bool), `editedAt`, `earlierVersion` (bool), `deleted` (bool), `statusLabel`,
/// `classes` (HTML), `body`, `url`, `dayStart` (the day heading when a new day begins),
/// `day`, `files` (files of the message that the body does not show itself; each: `name`,
/// `href`, `size`, `image` (bool), `archived` (bool)), `hasFiles`.
struct MessageViewBuilder {
    enum Flavor { case html, markdown }

    let roomID: Int
    let renderer: MessageBodyRenderer
    let clock: TimeFormatter
    let copier: any AttachmentLinking
    let files: [Int: ExportFile]
    /// File ids by the message they belong to (from the files table).
    let filesByMessage: [String: [Int]]
    let flavor: Flavor

    init(roomID: Int, renderer: MessageBodyRenderer, clock: TimeFormatter, copier: any AttachmentLinking,
         files: [Int: ExportFile], flavor: Flavor) {
        self.roomID = roomID; self.renderer = renderer; self.clock = clock; self.copier = copier
        self.files = files; self.flavor = flavor
        var byMessage: [String: [Int]] = [:]
        for f in files.values.sorted(by: { $0.fileID < $1.fileID }) {
            if let m = f.messageID { byMessage[m, default: []].append(f.fileID) }
        }
        filesByMessage = byMessage
    }

    /// The files of a message: those its body names first, then the others the files table links to it.
    func fileIDs(of m: ExportMessage) -> [Int] {
        fileIDs(of: m, referenced: renderer.referencedFileIDs(m.body))
    }

    /// ``fileIDs(of:)`` when the body's own references are known.
    func fileIDs(of m: ExportMessage, referenced: [Int]) -> [Int] {
        var ids = referenced
        for id in filesByMessage[m.messageID] ?? [] where !ids.contains(id) { ids.append(id) }
        return ids
    }

    /// Copies the message's archived files and describes them.
    func fileViews(of m: ExportMessage) throws -> [ExportFileView] {
        try fileViews(ids: fileIDs(of: m))
    }

    func fileViews(ids: [Int]) throws -> [ExportFileView] {
        try ids.map { id in
            guard let f = files[id] else {
                return ExportFileView(id: id, name: "file \(id)", href: "", path: nil, size: "", image: false, archived: false)
            }
            let link = try copier.link(f)
            let href = link?.href
            return ExportFileView(id: id, name: ExportEscaping.display(f.filename), href: href ?? "", path: link?.path ?? "",
                                  size: ExportSize.format(f.filesize),
                                  image: href != nil && AttachmentCopier.isImage(f.filename), archived: href != nil)
        }
    }

    /// The values of one message; `stamp` is its send time as the exporter already formatted it.
    func context(_ m: ExportMessage, stamp given: TimeFormatter.Stamp? = nil, dayStart: String?) throws -> MustacheObject {
        let stamp = given ?? clock.stamp(m.sendTime)
        let status: String
        var classes = "cw-message"
        if m.isDeleted { status = "deleted"; classes += " cw-message-deleted" }
        else if m.isEarlierVersion { status = "earlier version \(m.version)"; classes += " cw-message-earlier" }
        else { status = "" }
        if m.isEdited { classes += " cw-message-edited" }
        let body = renderer.render(m.body, flavor: flavor)
        // Every file is copied; the template lists those the body does not already show.
        let referenced = body.fileIDs
        let ids = fileIDs(of: m, referenced: referenced)
        let all = ids.isEmpty ? [] : try fileViews(ids: ids)
        let fileViews = all.filter { !referenced.contains($0.id) }
        var ctx = MustacheObject(capacity: 22)
        ctx.append("anchor", .string(m.isEarlierVersion ? "m\(m.messageID)-v\(m.version)" : "m\(m.messageID)"))
        ctx.append("messageID", .string(m.messageID))
        ctx.append("version", .int(m.version))
        ctx.append("author", .string(ExportEscaping.display(m.accountName)))
        ctx.append("authorID", .int(m.accountID))
        ctx.append("time", .string(stamp.time))
        ctx.append("dateTime", .string(stamp.dateTime))
        ctx.append("iso", .string(stamp.iso))
        ctx.append("day", .string(stamp.day))
        ctx.append("edited", .bool(m.isEdited))
        ctx.append("earlierVersion", .bool(m.isEarlierVersion))
        ctx.append("deleted", .bool(m.isDeleted))
        ctx.append("imported", .bool(m.isImported))
        ctx.append("source", .string(m.source))
        ctx.append("statusLabel", .string(status))
        ctx.append("classes", .string(classes))
        ctx.append("body", .string(body.text))
        ctx.append("url", .string(m.url(roomID: roomID)))
        ctx.append("files", .list(fileViews.map(\.mustacheValue)))
        ctx.append("hasFiles", .bool(!fileViews.isEmpty))
        if m.updateTime > 0 { ctx.append("editedAt", .string(clock.dateTime(m.updateTime))) }
        if let dayStart { ctx.append("dayStart", .string(dayStart)) }
        return ctx
    }
}

/// One file of a message as the templates (`files`) and the CSV `files` column see it.
struct ExportFileView: Sendable {
    let id: Int
    let name: String
    let href: String
    /// The path under the export folder; nil when the archive does not know the file at all.
    let path: String?
    let size: String
    let image: Bool
    let archived: Bool

    var mustacheValue: MustacheValue {
        var o = MustacheObject(capacity: 7)
        o.append("id", .int(id))
        o.append("name", .string(name))
        o.append("href", .string(href))
        if let path { o.append("path", .string(path)) }
        o.append("size", .string(size))
        o.append("image", .bool(image))
        o.append("archived", .bool(archived))
        return .object(o)
    }
}
