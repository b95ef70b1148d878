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
    let clock: ExportClock
    let copier: AttachmentCopier
    let files: [Int: ExportFile]
    /// File ids by the message they belong to (from the files table).
    let filesByMessage: [String: [Int]]
    let flavor: Flavor

    init(roomID: Int, renderer: MessageBodyRenderer, clock: ExportClock, copier: AttachmentCopier,
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
        var ids = renderer.referencedFileIDs(m.body)
        for id in filesByMessage[m.messageID] ?? [] where !ids.contains(id) { ids.append(id) }
        return ids
    }

    /// Copies the message's archived files and describes them.
    func fileViews(of m: ExportMessage) throws -> [[String: Any]] {
        try fileViews(ids: fileIDs(of: m))
    }

    func fileViews(ids: [Int]) throws -> [[String: Any]] {
        try ids.map { id in
            guard let f = files[id] else {
                return ["id": id, "name": "file \(id)", "href": "", "size": "", "image": false, "archived": false] as [String: Any]
            }
            let path = try copier.copy(f)
            let href = path.map(AttachmentCopier.href)
            return ["id": id, "name": ExportEscaping.display(f.filename), "href": href ?? "", "path": path ?? "", "size": ExportSize.format(f.filesize),
                    "image": href != nil && AttachmentCopier.isImage(f.filename), "archived": href != nil]
        }
    }

    func context(_ m: ExportMessage, dayStart: String?) throws -> [String: Any] {
        let status: String
        var classes = ["cw-message"]
        if m.isDeleted { status = "deleted"; classes.append("cw-message-deleted") }
        else if m.isEarlierVersion { status = "earlier version \(m.version)"; classes.append("cw-message-earlier") }
        else { status = "" }
        if m.isEdited { classes.append("cw-message-edited") }
        let body: String = switch flavor {
        case .html: renderer.html(m.body)
        case .markdown: renderer.markdown(m.body)
        }
        // Every file is copied; the template lists those the body does not already show.
        let referenced = renderer.referencedFileIDs(m.body)
        let all = try fileViews(ids: fileIDs(of: m))
        let fileViews = all.filter { view in !referenced.contains(view["id"] as? Int ?? -1) }
        var ctx: [String: Any] = [
            "anchor": m.isEarlierVersion ? "m\(m.messageID)-v\(m.version)" : "m\(m.messageID)",
            "messageID": m.messageID,
            "version": m.version,
            "author": ExportEscaping.display(m.accountName),
            "authorID": m.accountID,
            "time": clock.time(m.sendTime),
            "dateTime": clock.dateTime(m.sendTime),
            "iso": clock.iso(m.sendTime),
            "day": clock.day(m.sendTime),
            "edited": m.isEdited,
            "earlierVersion": m.isEarlierVersion,
            "deleted": m.isDeleted,
            "statusLabel": status,
            "classes": classes.joined(separator: " "),
            "body": body,
            "url": m.url(roomID: roomID),
            "files": fileViews,
            "hasFiles": !fileViews.isEmpty,
        ]
        if m.updateTime > 0 { ctx["editedAt"] = clock.dateTime(m.updateTime) }
        if let dayStart { ctx["dayStart"] = dayStart }
        return ctx
    }
}
