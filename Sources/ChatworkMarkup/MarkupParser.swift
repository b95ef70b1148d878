/// Parses Chatwork message bodies (メッセージ記法) into a tree of `MarkupNode`s.
///
/// Safe on untrusted input: it never fails, never loses text (`MarkupSerializer.serialize`
/// gives back the body exactly), works in one pass over the UTF-8 bytes without rescanning
/// (linear time on 65,535-character and adversarial bodies), and nests at most
/// `maxDepth` quotes/infos/tasks: deeper opening tags stay literal text.
public enum MarkupParser {
    /// The deepest nesting of `[qt]`, `[info]`, `[title]` and `[task]` that is parsed as a tree.
    public static let maxDepth = 32

    /// Parses a message body into nodes. Never fails: what is not a well-formed tag stays text.
    public static func parse(_ body: String) -> [MarkupNode] {
        guard !body.isEmpty else { return [] }
        // Most bodies are plain text: no tag (no `[`) and no emoticon (no byte one may start
        // with). Such a body is one text node, as the tree builder would make it.
        if !UTF8Bytes.contains(body, where: { $0 == UInt8(ascii: "[") || Emoticons.mayStart($0) }) {
            return [.text(body)]
        }
        var parser = TreeBuilder(body: body)
        return parser.run()
    }
}

/// The one-pass tree builder behind `MarkupParser.parse`.
///
/// Parsed pieces go into one flat list; an open container is a stack frame pointing at the
/// literal text of its opening tag in that list. Closing it moves the pieces after that point
/// into a node; an unclosed or misnested container is simply forgotten, which leaves its
/// opening tag and contents in place as literal text. So nothing is ever moved twice.
struct TreeBuilder {
    private enum FrameKind { case quote, info, title, task }

    private struct Frame {
        let kind: FrameKind
        /// Index in `pieces` of the opening tag's literal text.
        let start: Int
        let openTag: String
        let tag: RecognizedTag?
    }

    private enum Piece {
        case node(MarkupNode)
        /// A closed `[title]...[/title]`, right after an `[info]`; text again if the info fails.
        case title(open: String, nodes: [MarkupNode], close: String)
    }

    private let bytes: [UInt8]
    /// The body itself, for a text that is all of it (most bodies: no copy).
    private let body: String
    private var pieces: [Piece] = []
    private var stack: [Frame] = []
    private var openCount: [FrameKind: Int] = [:]
    /// Start of the text not yet emitted.
    private var textStart = 0
    /// Where `[/code]`, `[/download]` and line breaks are, each found by one scan of the body
    /// when a `[code]` or `[download:…]` first asks (most bodies have neither).
    private var codeCloses: CloseTagIndex?
    private var downloadCloses: CloseTagIndex?
    private var newlines: CloseTagIndex?

    init(body: String) {
        self.body = body
        bytes = Array(body.utf8)
    }

    mutating func run() -> [MarkupNode] {
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "[") else { index += 1; continue }
            guard let end = tagEnd(from: index),
                let tag = MarkupTagReader.recognize(bytes[(index + 1)..<end]),
                let next = place(tag, from: index, to: end + 1)
            else { index += 1; continue }
            index = next
            textStart = next
        }
        emitText(upTo: bytes.count)
        return Self.nodes(from: pieces[...])
    }

    /// The index of the `]` closing a tag that starts at `start`, or `nil` if a `[`, a newline
    /// or the length limit comes first (each byte is looked at by one such search at most).
    private func tagEnd(from start: Int) -> Int? {
        var index = start + 1
        let limit = min(bytes.count, start + 2 + MarkupTagReader.maxTagLength)
        while index < limit {
            switch bytes[index] {
            case UInt8(ascii: "]"): return index
            case UInt8(ascii: "["), UInt8(ascii: "\n"): return nil
            default: index += 1
            }
        }
        return nil
    }

    private func source(_ range: Range<Int>) -> String {
        range.count == bytes.count ? body : String(decoding: bytes[range], as: UTF8.self)
    }

    /// Places a recognised tag spanning `start..<end`. Returns where parsing continues, or `nil`
    /// when the tag is not valid here and stays literal text.
    private mutating func place(_ tag: RecognizedTag, from start: Int, to end: Int) -> Int? {
        let raw = source(start..<end)
        switch tag {
        case .mention(let id): return leaf(.mention(accountID: id), raw, start, end)
        case .toAll: return leaf(.toAll(), raw, start, end)
        case .reply(let aid, let room, let message):
            return leaf(.reply(accountID: aid, roomID: room, messageID: message), raw, start, end)
        case .rule: return leaf(.rule(), raw, start, end)
        case .personIcon(let id): return leaf(.personIcon(accountID: id), raw, start, end)
        case .personName(let id): return leaf(.personName(accountID: id), raw, start, end)
        case .personIconName(let id): return leaf(.personIconName(accountID: id), raw, start, end)
        case .preview(let id, let height): return leaf(.preview(fileID: id, height: height), raw, start, end)
        case .systemText(let key): return leaf(.systemText(key: key), raw, start, end)
        case .deleted: return leaf(.deleted(), raw, start, end)
        case .codeOpen: return placeCode(from: start, openEnd: end)
        case .downloadOpen(let id): return placeDownload(id, from: start, openEnd: end)
        case .quoteOpen: return placeQuoteOpen(from: start, openEnd: end)
        case .infoOpen: return open(.info, tag: nil, from: start, to: end)
        case .taskOpen: return open(.task, tag: tag, from: start, to: end)
        case .titleOpen:
            // A title is only a title right at the start of an info box.
            guard let top = stack.last, top.kind == .info, pieces.count == top.start + 1, textStart == start
            else { return nil }
            return open(.title, tag: nil, from: start, to: end)
        case .quoteClose: return close(.quote, raw, from: start, to: end)
        case .infoClose: return close(.info, raw, from: start, to: end)
        case .titleClose: return close(.title, raw, from: start, to: end)
        case .taskClose: return close(.task, raw, from: start, to: end)
        case .quoteMeta, .codeClose, .downloadClose: return nil
        }
    }

    private mutating func leaf(_ node: MarkupNode, _ raw: String, _ start: Int, _ end: Int) -> Int {
        emitText(upTo: start)
        pieces.append(.node(Spelling.attach([raw], to: node)))
        return end
    }

    private mutating func placeCode(from start: Int, openEnd: Int) -> Int? {
        if codeCloses == nil { codeCloses = CloseTagIndex(bytes: bytes, tag: "[/code]") }
        guard let close = codeCloses!.first(atOrAfter: openEnd) else { return nil }
        let closeEnd = close + 7
        emitText(upTo: start)
        let node = MarkupNode.code(source(openEnd..<close))
        pieces.append(.node(Spelling.attach([source(start..<openEnd), source(close..<closeEnd)], to: node)))
        return closeEnd
    }

    private mutating func placeDownload(_ id: Int, from start: Int, openEnd: Int) -> Int? {
        if downloadCloses == nil { downloadCloses = CloseTagIndex(bytes: bytes, tag: "[/download]") }
        guard let close = downloadCloses!.first(atOrAfter: openEnd) else { return nil }
        if newlines == nil { newlines = CloseTagIndex(bytes: bytes, tag: "\n") }
        if let newline = newlines!.first(atOrAfter: openEnd), newline < close { return nil }
        let closeEnd = close + 11
        emitText(upTo: start)
        let node = MarkupNode.download(fileID: id, label: source(openEnd..<close))
        pieces.append(.node(Spelling.attach([source(start..<openEnd), source(close..<closeEnd)], to: node)))
        return closeEnd
    }

    /// `[qt]`, taking a `[qtmeta ...]` right after it into the opening tag.
    private mutating func placeQuoteOpen(from start: Int, openEnd: Int) -> Int? {
        var end = openEnd
        var meta: RecognizedTag?
        if end < bytes.count, bytes[end] == UInt8(ascii: "["), let metaEnd = tagEnd(from: end),
            case .quoteMeta? = MarkupTagReader.recognize(bytes[(end + 1)..<metaEnd])
        {
            meta = MarkupTagReader.recognize(bytes[(end + 1)..<metaEnd])
            end = metaEnd + 1
        }
        return open(.quote, tag: meta, from: start, to: end)
    }

    private mutating func open(_ kind: FrameKind, tag: RecognizedTag?, from start: Int, to end: Int) -> Int? {
        guard stack.count < MarkupParser.maxDepth else { return nil }
        emitText(upTo: start)
        let raw = source(start..<end)
        stack.append(Frame(kind: kind, start: pieces.count, openTag: raw, tag: tag))
        openCount[kind, default: 0] += 1
        pieces.append(.node(.text(raw)))
        return end
    }

    private mutating func close(_ kind: FrameKind, _ raw: String, from start: Int, to end: Int) -> Int? {
        guard openCount[kind, default: 0] > 0 else { return nil }
        emitText(upTo: start)
        // Containers opened inside and never closed are forgotten: they stay as text.
        while let top = stack.last, top.kind != kind {
            stack.removeLast()
            openCount[top.kind, default: 0] -= 1
        }
        guard let frame = stack.popLast() else { return nil }
        openCount[kind, default: 0] -= 1
        var content = pieces[(frame.start + 1)...]
        var titleParts: (open: String, nodes: [MarkupNode], close: String)?
        if kind == .info, case .title(let open, let nodes, let close)? = content.first {
            titleParts = (open, nodes, close)
            content = content.dropFirst()
        }
        let children = Self.nodes(from: content)
        pieces.removeSubrange(frame.start...)
        switch kind {
        case .title:
            pieces.append(.title(open: frame.openTag, nodes: children, close: raw))
        case .quote:
            var accountID: Int?, time: Int?
            if case .quoteMeta(let aid, let t)? = frame.tag { (accountID, time) = (aid, t) }
            let node = MarkupNode.quote(accountID: accountID, time: time, children: children)
            pieces.append(.node(Spelling.attach([frame.openTag, raw], to: node)))
        case .info:
            let node = MarkupNode.info(title: titleParts?.nodes, children: children)
            let tags = titleParts.map { [frame.openTag, $0.open, $0.close, raw] } ?? [frame.openTag, raw]
            pieces.append(.node(Spelling.attach(tags, to: node)))
        case .task:
            var aid: Int?, status: String?, limit: Int?, limitType: String?
            if case .taskOpen(let a, let s, let l, let t)? = frame.tag { (aid, status, limit, limitType) = (a, s, l, t) }
            let node = MarkupNode.task(
                accountID: aid, status: status, limitTime: limit, limitType: limitType, children: children)
            pieces.append(.node(Spelling.attach([frame.openTag, raw], to: node)))
        }
        return end
    }

    /// Emits the pending text up to `end`, split into text and emoticons.
    private mutating func emitText(upTo end: Int) {
        guard textStart < end else { return }
        var runStart = textStart
        var index = textStart
        while index < end {
            if Emoticons.mayStart(bytes[index]), let length = Emoticons.match(in: bytes, at: index, end: end) {
                if runStart < index { pieces.append(.node(.text(source(runStart..<index)))) }
                pieces.append(.node(.emoticon(source(index..<(index + length)))))
                index += length
                runStart = index
            } else {
                index += 1
            }
        }
        if runStart < end { pieces.append(.node(.text(source(runStart..<end)))) }
        textStart = end
    }

    /// Final nodes from pieces: stray titles become text again, adjacent texts are joined.
    private static func nodes(from pieces: ArraySlice<Piece>) -> [MarkupNode] {
        var result: [MarkupNode] = []
        var pendingText = ""
        func append(_ node: MarkupNode) {
            if case .text(let text) = node {
                pendingText.append(text)
                return
            }
            if !pendingText.isEmpty { result.append(.text(pendingText)) }
            pendingText = ""
            result.append(node)
        }
        for piece in pieces {
            switch piece {
            case .node(let node): append(node)
            case .title(let open, let nodes, let close):
                append(.text(open))
                nodes.forEach(append)
                append(.text(close))
            }
        }
        if !pendingText.isEmpty { result.append(.text(pendingText)) }
        return result
    }
}

/// Start positions of one ASCII tag (case-insensitive) in a body, asked in increasing order.
struct CloseTagIndex {
    private var positions: [Int] = []
    private var cursor = 0

    init(bytes: [UInt8], tag: String) {
        let pattern = Array(tag.lowercased().utf8)
        guard let first = pattern.first, bytes.count >= pattern.count else { return }
        var index = 0
        while index <= bytes.count - pattern.count {
            if bytes[index] == first {
                var equal = true
                for offset in 1..<pattern.count {
                    let byte = bytes[index + offset]
                    let lower = byte >= 65 && byte <= 90 ? byte + 32 : byte
                    if lower != pattern[offset] { equal = false; break }
                }
                if equal { positions.append(index) }
            }
            index += 1
        }
    }

    /// The first position at or after `offset`. Offsets must not decrease between calls.
    mutating func first(atOrAfter offset: Int) -> Int? {
        while cursor < positions.count, positions[cursor] < offset { cursor += 1 }
        return cursor < positions.count ? positions[cursor] : nil
    }
}
