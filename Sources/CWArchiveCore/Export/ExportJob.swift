import Foundation

/// `cwarchive export`: writes rooms of an archive as HTML, Markdown or CSV files.
///
/// The output is deterministic: the same archive and options give byte-identical files (stable
/// order: send time, message id, version; no "generated at" time). Each file names the tool
/// version, the time range and the archive's manifest head hash; `cwarchive-export.json` lists
/// every file written with the same facts.
public struct ExportJob: Sendable {
    public let options: ExportOptions

    public init(options: ExportOptions) { self.options = options }

    /// Runs the export. `log` receives one line per room.
    @discardableResult
    public func run(log: (String) -> Void = { _ in }) throws -> ExportSummary {
        let store = try ArchiveStore.open(at: options.archive, create: false)
        let index = try ArchiveIndex.openForOneRead(store: store)
        let headHash = try index.headHash()
        let templates = try loadTemplates()
        let clock = TimeFormatter(timeZone: options.timeZone)
        do {
            try FileManager.default.createDirectory(at: options.output, withIntermediateDirectories: true)
        } catch {
            throw ExportError("cannot create the output folder \(options.output.path): \(error.localizedDescription)")
        }
        let copier = AttachmentCopier(store: store, output: options.output)
        let folder = options.output.path
        var written: [String] = []
        var manifestRooms: [ExportManifest.Room] = []
        var indexRooms: [MustacheValue] = []
        var total = 0

        try index.readForExport { q in
            let names = try q.accountNames()
            let rooms = try q.rooms(ids: options.roomIDs)
            for room in rooms {
                let stats = try q.stats(roomID: room.roomID, range: options.range, history: options.history)
                let files = try q.files(roomID: room.roomID)
                let renderer = MessageBodyRenderer(roomID: room.roomID, names: names, files: files, clock: clock)
                let flavor: MessageViewBuilder.Flavor = options.format == .markdown ? .markdown : .html
                let builder = MessageViewBuilder(roomID: room.roomID, renderer: renderer, clock: clock, copier: copier,
                                                 files: files, flavor: flavor)
                let ctx = RoomExportContext(room: room, stats: stats, baseName: SafeFileName.roomBaseName(roomID: room.roomID, name: room.name),
                                            folder: folder, options: options, clock: clock, headHash: headHash, builder: builder)
                let cursor = try q.messages(roomID: room.roomID, range: options.range, history: options.history)
                let roomFiles: [String]
                switch options.format {
                case .html: roomFiles = try HTMLRoomExporter(templates: try require(templates), context: ctx).export(messages: cursor)
                case .markdown: roomFiles = try MarkdownRoomExporter(templates: try require(templates), context: ctx).export(messages: cursor)
                case .csv: roomFiles = try CSVRoomExporter(context: ctx).export(messages: cursor)
                }
                written += roomFiles
                total += stats.count
                log("room \(room.roomID) \(ExportEscaping.display(room.name)): \(stats.count) messages → \(roomFiles.joined(separator: ", "))")
                manifestRooms.append(ExportManifest.Room(roomID: room.roomID, name: room.name, messages: stats.count, files: roomFiles,
                                                         firstSendTime: stats.first.map(clock.iso), lastSendTime: stats.last.map(clock.iso)))
                var view = ctx.common
                view["href"] = .string(AttachmentCopier.href(roomFiles.first ?? ""))
                view["pages"] = .int(roomFiles.count)
                indexRooms.append(.object(view))
            }
        }
        if options.format == .html, let templates {
            written.append(try writeIndex(templates: templates, rooms: indexRooms, headHash: headHash, clock: clock))
        }
        written.append(try writeManifest(rooms: manifestRooms, headHash: headHash, clock: clock))
        return ExportSummary(files: (written + copier.written).sorted(), rooms: manifestRooms.count, messages: total,
                             attachmentsCopied: copier.copied, headHash: headHash)
    }

    private func require(_ t: TemplateSet?) throws -> TemplateSet {
        guard let t else { throw ExportError("no templates loaded") }
        return t
    }

    /// Loads and compiles the templates a `--templates` folder holds for `format`, so that a bad
    /// folder (missing or broken templates) is a usage error before anything is written.
    public static func checkTemplates(format: ExportFormat, folder: URL, flag: String = "--templates") throws(UsageError) {
        let job = ExportJob(options: ExportOptions(archive: folder, format: format, output: folder, templates: folder))
        do {
            _ = try job.loadTemplates()
        } catch {
            throw UsageError("\(flag) \(TerminalText.quoted(folder.path)): \(error)")
        }
    }

    func loadTemplates() throws -> TemplateSet? {
        switch options.format {
        case .csv: return nil
        case .html:
            let root = try TemplateLocator.locate(format: "html", explicit: options.templates)
            return try TemplateSet(root: root, format: "html", required: ["page", "message", "index"])
        case .markdown:
            let root = try TemplateLocator.locate(format: "markdown", explicit: options.templates)
            return try TemplateSet(root: root, format: "markdown", required: ["room", "message"])
        }
    }

    private func writeIndex(templates: TemplateSet, rooms: [MustacheValue], headHash: String?, clock: TimeFormatter) throws -> String {
        let ctx: MustacheObject = [
            "toolVersion": .string(CWArchiveVersion.string), "headHash": .string(headHash ?? "none"), "timeZone": .string(clock.zoneName),
            "rooms": .list(rooms), "roomCount": .int(rooms.count), "history": .bool(options.history),
            "range": .string(RoomExportContext.rangeText(stats: ExportRoomStats(count: 0, first: nil, last: nil), range: options.range, clock: clock)
                .replacingOccurrences(of: "no messages", with: "all archived messages")),
        ]
        let w = try BufferedWriter(folder: options.output.path, name: "index.html")
        try w.write(templates.render("index", ctx))
        try w.close()
        return "index.html"
    }

    /// `cwarchive-export.json`: what was exported, from which archive state, with which options.
    private func writeManifest(rooms: [ExportManifest.Room], headHash: String?, clock: TimeFormatter) throws -> String {
        let manifest = ExportManifest(
            toolVersion: CWArchiveVersion.string, format: options.format.rawValue, archiveHeadHash: headHash,
            timeZone: clock.zoneName, history: options.history, rooms: rooms,
            since: options.range.since.map(clock.iso), until: options.range.until.map(clock.iso))
        let name = "cwarchive-export.json"
        let w = try BufferedWriter(folder: options.output.path, name: name)
        try w.write(bytes: try manifest.encoded())
        try w.close()
        return name
    }
}
