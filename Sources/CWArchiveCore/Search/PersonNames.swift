/// The names that `[pname:ID]` and `[piconname:ID]` tags stand for. Chatwork shows a person's
/// name there and the body holds only the id, so a snippet without them loses words a reader
/// saw ("[pname:101] さんに確認" is "山田 太郎 さんに確認").
enum PersonNames {
    private static let prefixes = ["[pname:", "[piconname:"]

    /// The account ids the body's person-name tags refer to.
    static func ids(in body: String) -> Set<Int> {
        var ids: Set<Int> = []
        guard body.contains("name:") else { return ids }
        forEachTag(in: body) { id, _ in ids.insert(id) }
        return ids
    }

    /// The body with each person-name tag whose id has a name replaced by that name; other
    /// tags are left for ``SearchText/stripTags(_:)``.
    static func substitute(in body: String, names: [Int: String]) -> String {
        guard !names.isEmpty, body.contains("name:") else { return body }
        var out = ""
        var last = body.startIndex
        forEachTag(in: body) { id, range in
            guard let name = names[id] else { return }
            out += body[last..<range.lowerBound]
            out += " " + name + " "
            last = range.upperBound
        }
        return out + body[last...]
    }

    /// Calls `body` with the id and range of each well-formed person-name tag, in order.
    private static func forEachTag(in text: String, _ body: (Int, Range<String.Index>) -> Void) {
        var i = text.startIndex
        while let open = text[i...].firstIndex(of: "[") {
            let rest = text[open...]
            guard let prefix = prefixes.first(where: { rest.hasPrefix($0) }) else {
                i = text.index(after: open)
                continue
            }
            let digitsStart = text.index(open, offsetBy: prefix.count)
            let digits = text[digitsStart...].prefix { $0.isASCII && $0.isNumber }
            let close = digits.endIndex
            if !digits.isEmpty, digits.count <= 18, close < text.endIndex, text[close] == "]", let id = Int(digits) {
                body(id, open..<text.index(after: close))
                i = text.index(after: close)
            } else {
                i = text.index(after: open)
            }
        }
    }
}
