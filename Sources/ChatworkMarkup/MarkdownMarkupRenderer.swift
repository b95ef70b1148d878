/// Renders one message body as GitHub-flavoured Markdown.
///
/// Text from the message is escaped so it never becomes markup. Quotes and info boxes become
/// `>` blocks (author and time, or the title, in bold on the first line), code becomes a fenced
/// block with a fence longer than any backtick run inside, tasks become task-list items, files
/// relative links (or the name with "(not archived)"). Line breaks are hard breaks.
public struct MarkdownMarkupRenderer: Sendable {
    public let context: any MarkupContext

    public init(context: any MarkupContext) { self.context = context }

    /// Parses and renders a body.
    public func render(body: String) -> String { render(MarkupParser.parse(body)) }

    public func render(_ nodes: [MarkupNode]) -> String {
        var writer = BlockWriter()
        write(nodes, to: &writer)
        return writer.output
    }

    private func inline(_ s: String, _ writer: BlockWriter) -> String {
        MarkdownEscaping.escape(s, atLineStart: writer.atLineStart)
    }

    private func name(_ id: Int) -> String { MarkupRendering.name(id, context) }

    private func write(_ nodes: [MarkupNode], to writer: inout BlockWriter) {
        for item in MarkupRendering.prepare(nodes, context) {
            write(item.node, shownName: item.shownName, to: &writer)
        }
    }

    private func write(_ node: MarkupNode, shownName: String, to writer: inout BlockWriter) {
        switch node {
        case .text(let text):
            let text = writer.afterBlock ? MarkupRendering.droppingLeadingBreak(text) : text
            writer.inline(MarkdownEscaping.escape(text, atLineStart: writer.atLineStart))
        case .emoticon(let code): writer.inline(inline(code, writer))
        case .mention: writer.inline(inline("@" + shownName, writer))
        case .toAll: writer.inline("@all")
        case .reply(_, let room, let message, _):
            let label = inline("Re: " + shownName, writer)
            if let room, let message, let href = MarkupRendering.messageHref(roomID: room, messageID: message, context) {
                writer.inline("[\(label)](\(MarkdownEscaping.linkDestination(href)))")
            } else {
                writer.inline(label)
            }
        case .quote(let id, let time, let children, _):
            var header: [String] = []
            if let id { header.append("**\(MarkdownEscaping.escape(name(id)))**") }
            if let time { header.append("(\(MarkupRendering.time(time, context.timeZone)))") }
            writer.block(BlockWriter.quoted(head: header.joined(separator: " "), body: render(children)))
        case .info(let title, let children, _):
            // A title with a block in it (or an empty one) is not wrapped in `**`, which would
            // break the block or make a thematic break.
            let titleText = title.map(render) ?? ""
            let plainTitle = titleText.isEmpty || title?.contains(where: MarkupRendering.isBlock) == true
            let head = plainTitle ? titleText : "**\(titleText)**"
            writer.block(BlockWriter.quoted(head: head, body: render(children)))
        case .code(let content, _):
            let fence = MarkdownEscaping.fence(for: content)
            var lines = MarkdownEscaping.normalizedLines(content)
            if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
            writer.block(fence + "\n" + lines.joined(separator: "\n") + "\n" + fence)
        case .rule:
            writer.block("---")
        case .personIcon(let id, _), .personName(let id, _), .personIconName(let id, _):
            writer.inline(inline(name(id), writer))
        case .download(let id, let label, _):
            let info = context.file(id)
            let text = MarkupRendering.fileLabel(label, info, fileID: id)
            if let href = info?.href.flatMap(MarkupRendering.safeHref) {
                writer.inline("[\(MarkdownEscaping.escape(text, atLineStart: false))](\(MarkdownEscaping.linkDestination(href)))")
            } else {
                writer.inline(inline("\(text) \(MarkupRendering.notArchived)", writer))
            }
        case .preview(let id, _, _):
            let info = context.file(id)
            let fileName = info?.name ?? "file \(id)"
            if let info, info.isImage, let href = info.href.flatMap(MarkupRendering.safeHref) {
                writer.inline("![\(MarkdownEscaping.escape(fileName, atLineStart: false))](\(MarkdownEscaping.linkDestination(href)))")
            } else {
                writer.inline(inline("[preview: \(fileName)] \(MarkupRendering.notArchived)", writer))
            }
        case .task(let id, let status, let limit, let limitType, let children, _):
            var meta: [String] = []
            if let id { meta.append(MarkdownEscaping.escape(name(id), atLineStart: false)) }
            if let due = MarkupRendering.taskDue(limitTime: limit, limitType: limitType, context.timeZone) {
                meta.append("due \(due)")
            }
            let box = MarkupRendering.isDone(status) ? "- [x] " : "- [ ] "
            // Never empty, so a block first in the body does not follow the checkbox directly.
            let head = meta.isEmpty ? "*task*: " : "*\(meta.joined(separator: ", "))*: "
            var body = BlockWriter()
            body.inline(head)
            write(children, to: &body)
            writer.block(box + BlockWriter.indented(body.output, by: "  "))
        case .systemText(let key, _):
            writer.inline(inline(MarkupRendering.systemText(key, context), writer))
        case .deleted:
            writer.inline("*\(MarkupRendering.deletedText)*")
        }
    }
}

/// Builds text made of inline runs and blocks that stand on their own lines, separated by a
/// blank line (so a following line never continues a quote or list lazily).
struct BlockWriter {
    private(set) var output = ""
    private(set) var afterBlock = false

    var atLineStart: Bool { output.isEmpty || output.hasSuffix("\n") || afterBlock }

    mutating func inline(_ text: String) {
        guard !text.isEmpty else { return }
        if afterBlock { output += "\n\n" }
        afterBlock = false
        output += text
    }

    mutating func block(_ text: String) {
        if afterBlock {
            output += "\n\n"
        } else if !output.isEmpty {
            output += output.hasSuffix("\n") ? "\n" : "\n\n"
        }
        output += text
        afterBlock = true
    }

    /// `head` and `body` as a `>` block; empty lines become `>`.
    static func quoted(head: String, body: String) -> String {
        let content: String
        switch (head.isEmpty, body.isEmpty) {
        case (true, _): content = body
        case (false, true): content = head
        case (false, false): content = head + "\n\n" + body
        }
        return prefixLines(content, first: "> ", rest: "> ")
    }

    /// Every line after the first indented by `prefix` (list item continuation).
    static func indented(_ text: String, by prefix: String) -> String {
        prefixLines(text, first: "", rest: prefix)
    }

    private static func prefixLines(_ text: String, first: String, rest: String) -> String {
        var output = ""
        for (index, line) in MarkdownEscaping.normalizedLines(text).enumerated() {
            if index > 0 { output += "\n" }
            let prefix = index == 0 ? first : rest
            output += line.isEmpty ? prefix.trimmingSuffixSpaces : prefix + line
        }
        return output
    }
}

extension String {
    fileprivate var trimmingSuffixSpaces: String {
        var copy = self
        while copy.hasSuffix(" ") { copy.removeLast() }
        return copy
    }
}
