/// Writes a tree back as a Chatwork message body.
///
/// For a tree from `MarkupParser.parse(body)` the result is `body`, byte for byte: tags keep
/// the spelling they were written with. Nodes built in code (spelling `.canonical`) are
/// written with Chatwork's usual tag spelling, e.g. `[To:1]`, `[rp aid=1 to=2-3]`.
public enum MarkupSerializer {
    public static func serialize(_ nodes: [MarkupNode]) -> String {
        var output = ""
        write(nodes, to: &output)
        return output
    }

    private static func write(_ nodes: [MarkupNode], to output: inout String) {
        for node in nodes { write(node, to: &output) }
    }

    private static func write(_ node: MarkupNode, to output: inout String) {
        let tags = Spelling.tags(of: node)
        func tag(_ index: Int) -> String { index < tags.count ? tags[index] : "" }
        switch node {
        case .text(let text): output += text
        case .emoticon(let code): output += code
        case .code(let content, _):
            output += tag(0) + content + tag(1)
        case .download(_, let label, _):
            output += tag(0) + label + tag(1)
        case .quote(_, _, let children, _), .task(_, _, _, _, let children, _):
            output += tag(0)
            write(children, to: &output)
            output += tag(1)
        case .info(let title, let children, _):
            output += tag(0)
            if let title {
                output += tag(1)
                write(title, to: &output)
                output += tag(2)
                write(children, to: &output)
                output += tag(3)
            } else {
                write(children, to: &output)
                output += tag(1)
            }
        case .mention, .toAll, .reply, .rule, .personIcon, .personName, .personIconName, .preview,
            .systemText, .deleted:
            output += tag(0)
        }
    }
}

public extension Array where Element == MarkupNode {
    /// The message body this tree was parsed from (see `MarkupSerializer.serialize`).
    var sourceText: String { MarkupSerializer.serialize(self) }
}

/// Canonical tag text per node, and the choice between it and the source spelling.
enum Spelling {
    /// The tags to write for `node`: its recorded spelling if it has the right number of tags,
    /// otherwise the canonical one.
    static func tags(of node: MarkupNode) -> [String] {
        let canonical = canonicalTags(of: node)
        if let recorded = spelling(of: node).tags, recorded.count == canonical.count { return recorded }
        return canonical
    }

    /// `node` with its spelling set to `raw`, or `.canonical` when `raw` is the canonical text.
    static func attach(_ raw: [String], to node: MarkupNode) -> MarkupNode {
        if raw == canonicalTags(of: node) { return node }
        return with(MarkupSpelling(tags: raw), node)
    }

    static func canonicalTags(of node: MarkupNode) -> [String] {
        switch node {
        case .text, .emoticon: return []
        case .mention(let id, _): return ["[To:\(id)]"]
        case .toAll: return ["[toall]"]
        case .reply(let aid, let room, let message, _):
            if let room { return ["[rp aid=\(aid) to=\(room)-\(message ?? "")]"] }
            return ["[rp aid=\(aid)]"]
        case .quote(let aid, let time, _, _):
            var meta: [String] = []
            if let aid { meta.append("aid=\(aid)") }
            if let time { meta.append("time=\(time)") }
            let open = meta.isEmpty ? "[qt]" : "[qt][qtmeta \(meta.joined(separator: " "))]"
            return [open, "[/qt]"]
        case .info(let title, _, _):
            return title == nil ? ["[info]", "[/info]"] : ["[info]", "[title]", "[/title]", "[/info]"]
        case .code: return ["[code]", "[/code]"]
        case .rule: return ["[hr]"]
        case .personIcon(let id, _): return ["[picon:\(id)]"]
        case .personName(let id, _): return ["[pname:\(id)]"]
        case .personIconName(let id, _): return ["[piconname:\(id)]"]
        case .download(let id, _, _): return ["[download:\(id)]", "[/download]"]
        case .preview(let id, let height, _):
            return [height.map { "[preview id=\(id) ht=\($0)]" } ?? "[preview id=\(id)]"]
        case .task(let aid, let status, let limit, let limitType, _, _):
            var attributes: [String] = []
            if let aid { attributes.append("aid=\(aid)") }
            if let status { attributes.append("st=\(status)") }
            if let limit { attributes.append("lt=\(limit)") }
            if let limitType { attributes.append("ltype=\(limitType)") }
            let open = attributes.isEmpty ? "[task]" : "[task \(attributes.joined(separator: " "))]"
            return [open, "[/task]"]
        case .systemText(let key, _): return ["[dtext:\(key)]"]
        case .deleted: return ["[deleted]"]
        }
    }

    static func spelling(of node: MarkupNode) -> MarkupSpelling {
        switch node {
        case .text, .emoticon: return .canonical
        case .mention(_, let s), .toAll(let s), .reply(_, _, _, let s), .quote(_, _, _, let s),
            .info(_, _, let s), .code(_, let s), .rule(let s), .personIcon(_, let s), .personName(_, let s),
            .personIconName(_, let s), .download(_, _, let s), .preview(_, _, let s),
            .task(_, _, _, _, _, let s), .systemText(_, let s), .deleted(let s):
            return s
        }
    }

    private static func with(_ s: MarkupSpelling, _ node: MarkupNode) -> MarkupNode {
        switch node {
        case .text, .emoticon: return node
        case .mention(let id, _): return .mention(accountID: id, spelling: s)
        case .toAll: return .toAll(spelling: s)
        case .reply(let aid, let room, let message, _):
            return .reply(accountID: aid, roomID: room, messageID: message, spelling: s)
        case .quote(let aid, let time, let children, _):
            return .quote(accountID: aid, time: time, children: children, spelling: s)
        case .info(let title, let children, _): return .info(title: title, children: children, spelling: s)
        case .code(let content, _): return .code(content, spelling: s)
        case .rule: return .rule(spelling: s)
        case .personIcon(let id, _): return .personIcon(accountID: id, spelling: s)
        case .personName(let id, _): return .personName(accountID: id, spelling: s)
        case .personIconName(let id, _): return .personIconName(accountID: id, spelling: s)
        case .download(let id, let label, _): return .download(fileID: id, label: label, spelling: s)
        case .preview(let id, let height, _): return .preview(fileID: id, height: height, spelling: s)
        case .task(let aid, let status, let limit, let limitType, let children, _):
            return .task(
                accountID: aid, status: status, limitTime: limit, limitType: limitType, children: children,
                spelling: s)
        case .systemText(let key, _): return .systemText(key: key, spelling: s)
        case .deleted: return .deleted(spelling: s)
        }
    }
}
