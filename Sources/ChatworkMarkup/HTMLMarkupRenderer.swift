/// Renders one message body as an HTML fragment.
///
/// Every string from the message or the context is escaped; links are only relative paths or
/// `https:` URLs. The elements and CSS classes it writes (the page's CSS styles them):
///
/// - `span.cw-mention` (`[To:]`, with `data-account-id`), `span.cw-mention.cw-toall` (`[toall]`)
/// - `a.cw-reply` / `span.cw-reply` (`[rp]`, a link when the message is known)
/// - `blockquote.cw-quote` > `div.cw-quote-meta` > `span.cw-quote-author`, `time.cw-quote-time`
/// - `div.cw-info` > `div.cw-info-title`, `div.cw-info-body`
/// - `pre.cw-code > code`, `hr.cw-rule`
/// - `span.cw-person` > `span.cw-person-icon` (empty, `title` = name), `span.cw-person-name`
/// - `a.cw-download` (archived file) / `span.cw-download.cw-not-archived`
/// - `img.cw-preview` / `span.cw-preview.cw-not-archived`
/// - `div.cw-task.cw-task-open|cw-task-done` > `span.cw-task-status`, `span.cw-task-assignee`,
///   `span.cw-task-due`, `div.cw-task-body`
/// - `span.cw-system-text` (`[dtext:]`), `span.cw-deleted`, `span.cw-emoticon` (`title` = name)
/// - `<br>` for each line break in text.
public struct HTMLMarkupRenderer: Sendable {
    public let context: any MarkupContext

    public init(context: any MarkupContext) { self.context = context }

    /// Parses and renders a body.
    public func render(body: String) -> String { render(MarkupParser.parse(body)) }

    public func render(_ nodes: [MarkupNode]) -> String {
        var output = ""
        write(nodes, to: &output)
        return output
    }

    private func write(_ nodes: [MarkupNode], to output: inout String) {
        var afterBlock = false
        for item in MarkupRendering.prepare(nodes, context) {
            var node = item.node
            if afterBlock, case .text(let text) = node { node = .text(MarkupRendering.droppingLeadingBreak(text)) }
            write(node, shownName: item.shownName, to: &output)
            afterBlock = MarkupRendering.isBlock(node)
        }
    }

    private func esc(_ s: String) -> String { HTMLEscaping.escape(s) }
    private func attr(_ s: String) -> String { HTMLEscaping.escapeAttribute(s) }

    private func write(_ node: MarkupNode, shownName: String, to output: inout String) {
        switch node {
        case .text(let text):
            output += text.isEmpty ? "" : Self.textWithBreaks(text)
        case .emoticon(let code):
            output += "<span class=\"cw-emoticon\" title=\"\(attr(Emoticons.names[code] ?? code))\">\(esc(code))</span>"
        case .mention(let id, _):
            output += "<span class=\"cw-mention\" data-account-id=\"\(id)\">@\(esc(shownName))</span>"
        case .toAll:
            output += "<span class=\"cw-mention cw-toall\">@all</span>"
        case .reply(let id, let room, let message, _):
            let label = "Re: \(esc(shownName))"
            if let room, let message, let href = MarkupRendering.messageHref(roomID: room, messageID: message, context) {
                output += "<a class=\"cw-reply\" href=\"\(attr(href))\" data-account-id=\"\(id)\">\(label)</a>"
            } else {
                output += "<span class=\"cw-reply\" data-account-id=\"\(id)\">\(label)</span>"
            }
        case .quote(let id, let time, let children, _):
            output += "<blockquote class=\"cw-quote\">"
            if id != nil || time != nil {
                output += "<div class=\"cw-quote-meta\">"
                if let id { output += "<span class=\"cw-quote-author\">\(esc(MarkupRendering.name(id, context)))</span>" }
                if id != nil, time != nil { output += " " }
                if let time { output += timeElement(time) }
                output += "</div>"
            }
            write(children, to: &output)
            output += "</blockquote>"
        case .info(let title, let children, _):
            output += "<div class=\"cw-info\">"
            if let title {
                output += "<div class=\"cw-info-title\">"
                write(title, to: &output)
                output += "</div>"
            }
            output += "<div class=\"cw-info-body\">"
            write(children, to: &output)
            output += "</div></div>"
        case .code(let content, _):
            output += "<pre class=\"cw-code\"><code>\(esc(content))</code></pre>"
        case .rule:
            output += "<hr class=\"cw-rule\">"
        case .personIcon(let id, _):
            output += personIcon(id)
        case .personName(let id, _):
            output += personName(id)
        case .personIconName(let id, _):
            output += "<span class=\"cw-person\">\(personIcon(id))\(personName(id))</span>"
        case .download(let id, let label, _):
            let info = context.file(id)
            let text = esc(MarkupRendering.fileLabel(label, info, fileID: id))
            if let href = info?.href.flatMap(MarkupRendering.safeHref) {
                output += "<a class=\"cw-download\" href=\"\(attr(href))\" data-file-id=\"\(id)\">\(text)</a>"
            } else {
                output += "<span class=\"cw-download cw-not-archived\" data-file-id=\"\(id)\">\(text) "
                    + "\(MarkupRendering.notArchived)</span>"
            }
        case .preview(let id, let height, _):
            output += preview(id, height: height)
        case .task(let id, let status, let limit, let limitType, let children, _):
            let done = MarkupRendering.isDone(status)
            output += "<div class=\"cw-task \(done ? "cw-task-done" : "cw-task-open")\">"
            output += "<span class=\"cw-task-status\">\(done ? "☑ Done" : "☐ Open")</span>"
            if let id { output += " <span class=\"cw-task-assignee\">\(esc(MarkupRendering.name(id, context)))</span>" }
            if let due = MarkupRendering.taskDue(limitTime: limit, limitType: limitType, context.timeZone) {
                output += " <span class=\"cw-task-due\">Due \(esc(due))</span>"
            }
            output += "<div class=\"cw-task-body\">"
            write(children, to: &output)
            output += "</div></div>"
        case .systemText(let key, _):
            output += "<span class=\"cw-system-text\" data-key=\"\(attr(key))\">"
                + "\(esc(MarkupRendering.systemText(key, context)))</span>"
        case .deleted:
            output += "<span class=\"cw-deleted\">\(MarkupRendering.deletedText)</span>"
        }
    }

    private func timeElement(_ time: Int) -> String {
        let shown = esc(MarkupRendering.time(time, context.timeZone))
        guard let iso = MarkupRendering.isoTime(time, context.timeZone) else {
            return "<time class=\"cw-quote-time\">\(shown)</time>"
        }
        return "<time class=\"cw-quote-time\" datetime=\"\(attr(iso))\">\(shown)</time>"
    }

    private func personIcon(_ id: Int) -> String {
        "<span class=\"cw-person-icon\" data-account-id=\"\(id)\" title=\"\(attr(MarkupRendering.name(id, context)))\"></span>"
    }

    private func personName(_ id: Int) -> String {
        "<span class=\"cw-person-name\" data-account-id=\"\(id)\">\(esc(MarkupRendering.name(id, context)))</span>"
    }

    private func preview(_ id: Int, height: Int?) -> String {
        let info = context.file(id)
        let name = info?.name ?? "file \(id)"
        if let info, info.isImage, let href = info.href.flatMap(MarkupRendering.safeHref) {
            let heightAttribute = height.map { " height=\"\(min(max($0, 1), 10_000))\"" } ?? ""
            return "<img class=\"cw-preview\" src=\"\(attr(href))\" alt=\"\(attr(name))\" loading=\"lazy\"\(heightAttribute)>"
        }
        return "<span class=\"cw-preview cw-not-archived\" data-file-id=\"\(id)\">[preview: \(esc(name))] "
            + "\(MarkupRendering.notArchived)</span>"
    }

    /// Escaped text with `<br>` for each line break (`\r\n`, `\n` or `\r`).
    static func textWithBreaks(_ text: String) -> String {
        // Line breaks and the characters to escape are ASCII, so this works on UTF-8 bytes:
        // runs without one are copied whole.
        guard UTF8Bytes.contains(text, where: { $0 == 0x0A || $0 == 0x0D || HTMLEscaping.needsEscape($0) }) else { return text }
        var text = text
        return text.withUTF8 { buf in
            var out: [UInt8] = []
            out.reserveCapacity(buf.count + 32)
            var run = 0
            var i = 0
            while i < buf.count {
                let b = buf[i]
                guard b == 0x0A || b == 0x0D || HTMLEscaping.needsEscape(b) else { i += 1; continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run..<i]))
                if b == 0x0A || b == 0x0D {
                    out.append(contentsOf: [0x3C, 0x62, 0x72, 0x3E, 0x0A]) // <br>\n
                    if b == 0x0D, i + 1 < buf.count, buf[i + 1] == 0x0A { i += 1 }
                } else {
                    HTMLEscaping.append(b, to: &out)
                }
                i += 1
                run = i
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run...]))
            return String(decoding: out, as: UTF8.self)
        }
    }
}
