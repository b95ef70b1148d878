/// Renders one message body as readable plain text with the tags resolved, for CSV cells,
/// search snippets and terminals: `[To:1]` → `@Bob`, a quote → `> Bob (2024-01-02 10:00): ...`,
/// files → `[file: name]`. Text is not escaped (the output is not markup); control characters
/// from the body are kept, so callers writing to a terminal filter them.
public struct PlainTextMarkupRenderer: Sendable {
    public let context: any MarkupContext

    public init(context: any MarkupContext) { self.context = context }

    /// Parses and renders a body.
    public func render(body: String) -> String { render(MarkupParser.parse(body)) }

    public func render(_ nodes: [MarkupNode]) -> String {
        var writer = LineWriter()
        for item in MarkupRendering.prepare(nodes, context) {
            write(item.node, shownName: item.shownName, to: &writer)
        }
        return writer.output
    }

    private func name(_ id: Int) -> String { MarkupRendering.name(id, context) }

    private func write(_ node: MarkupNode, shownName: String, to writer: inout LineWriter) {
        switch node {
        case .text(let text):
            writer.inline(writer.afterBlock ? MarkupRendering.droppingLeadingBreak(text) : text)
        case .emoticon(let code): writer.inline(code)
        case .mention: writer.inline("@" + shownName)
        case .toAll: writer.inline("@all")
        case .reply: writer.inline("Re: " + shownName)
        case .quote(let id, let time, let children, _):
            var head: [String] = []
            if let id { head.append(name(id)) }
            if let time { head.append("(\(MarkupRendering.time(time, context.timeZone)))") }
            var content = render(children)
            var lead = head.isEmpty ? "> " : "> \(head.joined(separator: " ")): "
            if !head.isEmpty, let first = children.first, MarkupRendering.isBlock(first) {
                content = "\n" + content  // the header gets a line of its own
                lead = "> \(head.joined(separator: " ")):"
            }
            writer.block(LineWriter.prefixLines(content, first: lead, rest: "> "))
        case .info(let title, let children, _):
            var content = render(children)
            if let title { content = "【\(render(title))】" + (content.isEmpty ? "" : "\n" + content) }
            writer.block(content)
        case .code(let content, _):
            writer.block(content.hasSuffix("\n") ? String(content.dropLast()) : content)
        case .rule: writer.block("----------")
        case .personIcon(let id, _), .personName(let id, _), .personIconName(let id, _):
            writer.inline(name(id))
        case .download(let id, let label, _):
            writer.inline("[file: \(MarkupRendering.fileLabel(label, context.file(id), fileID: id))]")
        case .preview(let id, _, _):
            writer.inline("[preview: \(context.file(id)?.name ?? "file \(id)")]")
        case .task(let id, let status, let limit, let limitType, let children, _):
            var meta: [String] = []
            if let id { meta.append(name(id)) }
            if let due = MarkupRendering.taskDue(limitTime: limit, limitType: limitType, context.timeZone) {
                meta.append("due \(due)")
            }
            let box = MarkupRendering.isDone(status) ? "[x] " : "[ ] "
            let head = meta.isEmpty ? box : box + "(\(meta.joined(separator: ", "))) "
            writer.block(LineWriter.prefixLines(render(children), first: head, rest: "    "))
        case .systemText(let key, _): writer.inline(MarkupRendering.systemText(key, context))
        case .deleted: writer.inline("(\(MarkupRendering.deletedText))")
        }
    }
}

/// Plain text with blocks (quotes, info boxes, code, tasks) on lines of their own.
struct LineWriter {
    private(set) var output = ""
    private(set) var afterBlock = false

    mutating func inline(_ text: String) {
        guard !text.isEmpty else { return }
        if afterBlock { output += "\n" }
        afterBlock = false
        output += text
    }

    mutating func block(_ text: String) {
        if afterBlock || !(output.isEmpty || output.hasSuffix("\n")) { output += "\n" }
        output += text
        afterBlock = true
    }

    static func prefixLines(_ text: String, first: String, rest: String) -> String {
        var output = ""
        for (index, line) in MarkdownEscaping.normalizedLines(text).enumerated() {
            if index > 0 { output += "\n" }
            output += (index == 0 ? first : rest) + line
        }
        return output
    }
}
