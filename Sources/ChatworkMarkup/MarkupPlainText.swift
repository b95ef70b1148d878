/// The text a reader sees in a message body, for search: the index's tokens, the snippets and
/// the person names they show.
///
/// There is one tag scanner, the parser's (``MarkupParser``): a bracketed run is a tag here
/// exactly when the exports render it as one, so `[draft]`, `[WIP]` or an unclosed `[qt]` stay
/// text a user can find and see, and the contents of `[code]` stay verbatim, tags and all.
public enum MarkupPlainText {
    /// The body with each tag the parser recognises replaced by one space and everything between
    /// tags kept as written (emoticons too). `personName` gives the name that `[pname:ID]` and
    /// `[piconname:ID]` stand for (Chatwork shows it there); a tag without a name is a space.
    public static func withoutTags(_ body: String, personName: (Int) -> String? = { _ in nil }) -> String {
        // No `[`, no tag: the common short message costs one scan of its bytes.
        guard body.utf8.contains(UInt8(ascii: "[")) else { return body }
        var out = ""
        out.reserveCapacity(body.utf8.count)
        append(MarkupParser.parse(body), to: &out, personName)
        return out
    }

    /// The account ids the body's `[pname:ID]` and `[piconname:ID]` tags refer to.
    public static func personNameIDs(in body: String) -> Set<Int> {
        var ids: Set<Int> = []
        guard hasPersonNameTag(body) else { return ids }
        collectPersonNames(MarkupParser.parse(body), into: &ids)
        return ids
    }

    /// Whether `name:` occurs in the body (`[pname:` and `[piconname:` hold it): a plain byte
    /// scan over the contiguous UTF-8 (neither `String.contains`, which goes through Foundation's
    /// locale-aware search, nor the generic `firstRange`, which cost a search process 4 %).
    static func hasPersonNameTag(_ body: String) -> Bool {
        var body = body
        return body.withUTF8 { bytes in
            guard bytes.count >= 5 else { return false }
            // "name:" is n a m e :
            var i = 0
            let last = bytes.count - 5
            while i <= last {
                if bytes[i + 4] == 0x3A, bytes[i] == 0x6E, bytes[i + 1] == 0x61, bytes[i + 2] == 0x6D, bytes[i + 3] == 0x65 {
                    return true
                }
                i += 1
            }
            return false
        }
    }

    private static func append(_ nodes: [MarkupNode], to out: inout String, _ personName: (Int) -> String?) {
        for node in nodes {
            switch node {
            case .text(let text): out += text
            case .emoticon(let code): out += code
            case .code(let content, _), .download(_, let content, _):
                out += " " + content + " "
            case .quote(_, _, let children, _), .task(_, _, _, _, let children, _):
                out += " "
                append(children, to: &out, personName)
                out += " "
            case .info(let title, let children, _):
                out += " "
                if let title {
                    append(title, to: &out, personName)
                    out += " "
                }
                append(children, to: &out, personName)
                out += " "
            case .personName(let id, _), .personIconName(let id, _):
                if let name = personName(id) { out += " " + name + " " } else { out += " " }
            case .mention, .toAll, .reply, .rule, .personIcon, .preview, .systemText, .deleted:
                out += " "
            }
        }
    }

    private static func collectPersonNames(_ nodes: [MarkupNode], into ids: inout Set<Int>) {
        for node in nodes {
            switch node {
            case .personName(let id, _), .personIconName(let id, _): ids.insert(id)
            case .quote(_, _, let children, _), .task(_, _, _, _, let children, _):
                collectPersonNames(children, into: &ids)
            case .info(let title, let children, _):
                collectPersonNames(title ?? [], into: &ids)
                collectPersonNames(children, into: &ids)
            default: break
            }
        }
    }
}
