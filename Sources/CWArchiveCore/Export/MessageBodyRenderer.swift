import ChatworkMarkup
import Foundation

/// Turns a message body (Chatwork markup) into HTML, Markdown or plain text for an export with
/// the `ChatworkMarkup` renderers, resolving names from the archived accounts and files from
/// the archived files (archived → relative link into `files/`, else "(not archived)").
struct MessageBodyRenderer: MarkupContext {
    let roomID: Int
    private let lookup: Lookup

    var timeZone: TimeZone { lookup.timeZone }

    /// The names, files and zone the renderers look up, behind one reference: a renderer's
    /// `any MarkupContext` then holds it inline instead of boxing a copy for every message.
    private final class Lookup: MarkupContext {
        let names: [Int: String]
        let fileInfo: [Int: MarkupFileInfo]
        let timeZone: TimeZone

        init(names: [Int: String], fileInfo: [Int: MarkupFileInfo], timeZone: TimeZone) {
            self.names = names
            self.fileInfo = fileInfo
            self.timeZone = timeZone
        }

        func accountName(_ accountID: Int) -> String? { names[accountID] }
        func file(_ fileID: Int) -> MarkupFileInfo? { fileInfo[fileID] }
        /// Replies link to chatwork.com: the replied-to message may be on another page or not archived.
        func messageLink(roomID: Int, messageID: String) -> String? { nil }
    }

    /// `href`: the link of an archived file (the export's relative `files/…` path by default;
    /// the viewer's `/files/SHA256`), nil when it is not archived.
    init(roomID: Int, names: [Int: String], files: [Int: ExportFile], clock: TimeFormatter,
         href: (ExportFile) -> String? = { AttachmentCopier.relativePath($0).map(AttachmentCopier.href) }) {
        self.roomID = roomID
        var info: [Int: MarkupFileInfo] = [:]
        for (id, f) in files {
            info[id] = MarkupFileInfo(name: f.filename, size: f.filesize,
                                      href: href(f),
                                      isImage: AttachmentCopier.isImage(f.filename))
        }
        lookup = Lookup(names: names, fileInfo: info, timeZone: clock.timeZone)
    }

    // MARK: MarkupContext

    func accountName(_ accountID: Int) -> String? { lookup.accountName(accountID) }
    func file(_ fileID: Int) -> MarkupFileInfo? { lookup.file(fileID) }
    func messageLink(roomID: Int, messageID: String) -> String? { lookup.messageLink(roomID: roomID, messageID: messageID) }

    // MARK: Rendering

    /// The file ids the body refers to (`[download:ID]`, `[preview id=ID]`).
    func referencedFileIDs(_ body: String) -> [Int] {
        MarkupParser.referencedFileIDs(in: body)
    }

    func html(_ body: String) -> String {
        HTMLMarkupRenderer(context: lookup).render(body: Self.withoutControls(body))
    }

    func markdown(_ body: String) -> String {
        MarkdownMarkupRenderer(context: lookup).render(body: Self.withoutControls(body))
    }

    /// The body rendered for an export format, and the file ids it refers to, from one parse.
    func render(_ body: String, flavor: MessageViewBuilder.Flavor) -> (text: String, fileIDs: [Int]) {
        let clean = Self.withoutControls(body)
        let nodes = MarkupParser.parse(clean)
        // Control characters never make or break a tag, but parse the original to be sure when there are any.
        let ids = clean.utf8.count == body.utf8.count && clean == body
            ? MarkupParser.referencedFileIDs(in: nodes) : referencedFileIDs(body)
        let text = switch flavor {
        case .html: HTMLMarkupRenderer(context: lookup).render(nodes)
        case .markdown: MarkdownMarkupRenderer(context: lookup).render(nodes)
        }
        return (text, ids)
    }

    /// Readable text with tags resolved (for the CSV `body` column).
    func plain(_ body: String) -> String {
        PlainTextMarkupRenderer(context: lookup).render(body: body)
    }

    /// ``plain(_:)`` and the file ids the body refers to, from one parse.
    func plainWithFileIDs(_ body: String) -> (text: String, fileIDs: [Int]) {
        let nodes = MarkupParser.parse(body)
        return (PlainTextMarkupRenderer(context: lookup).render(nodes), MarkupParser.referencedFileIDs(in: nodes))
    }

    /// Control characters other than tab and line breaks become U+FFFD (HTML does not allow
    /// them): ``UnicodeRules/replacingControls(_:)``.
    static func withoutControls(_ s: String) -> String { UnicodeRules.replacingControls(s) }
}
