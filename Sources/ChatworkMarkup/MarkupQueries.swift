/// Things an archiver wants to know about a body: files, replied-to messages, mentions.
public extension MarkupParser {
    /// File ids from `[download:ID]` and `[preview id=ID]`, in order of appearance, without repeats.
    static func referencedFileIDs(in nodes: [MarkupNode]) -> [Int] {
        var ids = OrderedIDs<Int>()
        walk(nodes) { node in
            switch node {
            case .download(let id, _, _), .preview(let id, _, _): ids.insert(id)
            default: break
            }
        }
        return ids.values
    }

    /// Messages replied to with `[rp aid=.. to=ROOM-MESSAGE]`, in order, without repeats.
    static func referencedMessages(in nodes: [MarkupNode]) -> [(roomID: Int, messageID: String)] {
        var seen = Set<String>()
        var result: [(roomID: Int, messageID: String)] = []
        walk(nodes) { node in
            if case .reply(_, let room?, let message?, _) = node, seen.insert("\(room)-\(message)").inserted {
                result.append((room, message))
            }
        }
        return result
    }

    /// Account ids from `[To:ID]` and `[rp aid=ID ...]`, in order, without repeats.
    /// `[toall]` is not an account; see `mentionsAll(in:)`.
    static func mentionedAccountIDs(in nodes: [MarkupNode]) -> [Int] {
        var ids = OrderedIDs<Int>()
        walk(nodes) { node in
            switch node {
            case .mention(let id, _), .reply(let id, _, _, _): ids.insert(id)
            default: break
            }
        }
        return ids.values
    }

    /// Whether the body contains `[toall]`.
    static func mentionsAll(in nodes: [MarkupNode]) -> Bool {
        var found = false
        walk(nodes) { if case .toAll = $0 { found = true } }
        return found
    }

    /// Convenience overloads that parse the body first.
    static func referencedFileIDs(in body: String) -> [Int] {
        mayReferToFiles(body) ? referencedFileIDs(in: parse(body)) : []
    }

    /// Whether the body has a `[` followed by `d` or `p` (any case): only `[download:ID]` and
    /// `[preview id=ID]` refer to files, so most bodies need no parse to know they refer to none.
    static func mayReferToFiles(_ body: String) -> Bool {
        var previousWasBracket = false
        for b in body.utf8 {
            if previousWasBracket, b | 0x20 == UInt8(ascii: "d") || b | 0x20 == UInt8(ascii: "p") { return true }
            previousWasBracket = b == UInt8(ascii: "[")
        }
        return false
    }
    static func referencedMessages(in body: String) -> [(roomID: Int, messageID: String)] {
        referencedMessages(in: parse(body))
    }
    static func mentionedAccountIDs(in body: String) -> [Int] { mentionedAccountIDs(in: parse(body)) }

    /// Calls `visit` on every node, depth first, children after their parent (titles included).
    static func walk(_ nodes: [MarkupNode], _ visit: (MarkupNode) -> Void) {
        for node in nodes {
            visit(node)
            switch node {
            case .quote(_, _, let children, _), .task(_, _, _, _, let children, _):
                walk(children, visit)
            case .info(let title, let children, _):
                if let title { walk(title, visit) }
                walk(children, visit)
            default: break
            }
        }
    }
}

private struct OrderedIDs<ID: Hashable> {
    private(set) var values: [ID] = []
    private var seen = Set<ID>()
    mutating func insert(_ id: ID) { if seen.insert(id).inserted { values.append(id) } }
}
