/// A tag recognised between `[` and `]`, before it is placed in the tree.
enum RecognizedTag: Equatable {
    case mention(Int)
    case toAll
    case reply(accountID: Int, roomID: Int?, messageID: String?)
    case quoteOpen, quoteClose
    case quoteMeta(accountID: Int?, time: Int?)
    case infoOpen, infoClose
    case titleOpen, titleClose
    case codeOpen, codeClose
    case rule
    case personIcon(Int), personName(Int), personIconName(Int)
    case downloadOpen(Int), downloadClose
    case preview(fileID: Int, height: Int?)
    case taskOpen(accountID: Int?, status: String?, limitTime: Int?, limitType: String?)
    case taskClose
    case systemText(String)
    case deleted
}

/// Recognises the text between brackets as a Chatwork tag. Tag and attribute names are
/// case-insensitive; anything not understood returns `nil` and stays literal text.
enum MarkupTagReader {
    /// Longest tag text (between the brackets) looked at; longer bracketed text is not a tag.
    static let maxTagLength = 256

    static func recognize(_ content: ArraySlice<UInt8>) -> RecognizedTag? {
        guard let first = content.first else { return nil }
        if first == UInt8(ascii: "/") {
            return closeTag(lowercased(content.dropFirst()))
        }
        if let colon = content.firstIndex(of: UInt8(ascii: ":")) {
            return colonTag(name: lowercased(content[..<colon]), value: content[(colon + 1)...])
        }
        if let space = content.firstIndex(where: isSpace) {
            let attributes = parseAttributes(content[space...])
            guard let attributes else { return nil }
            return attributeTag(name: lowercased(content[..<space]), attributes: attributes)
        }
        switch lowercased(content) {
        case "toall": return .toAll
        case "qt": return .quoteOpen
        case "qtmeta": return .quoteMeta(accountID: nil, time: nil)
        case "info": return .infoOpen
        case "title": return .titleOpen
        case "code": return .codeOpen
        case "hr": return .rule
        case "deleted": return .deleted
        case "task": return .taskOpen(accountID: nil, status: nil, limitTime: nil, limitType: nil)
        default: return nil
        }
    }

    private static func closeTag(_ name: String) -> RecognizedTag? {
        switch name {
        case "qt": return .quoteClose
        case "info": return .infoClose
        case "title": return .titleClose
        case "code": return .codeClose
        case "download": return .downloadClose
        case "task": return .taskClose
        default: return nil
        }
    }

    private static func colonTag(name: String, value: ArraySlice<UInt8>) -> RecognizedTag? {
        if name == "dtext" {
            guard !value.isEmpty, value.allSatisfy(isKeyByte) else { return nil }
            return .systemText(String(decoding: value, as: UTF8.self))
        }
        guard let id = integer(value) else { return nil }
        switch name {
        case "to": return .mention(id)
        case "picon": return .personIcon(id)
        case "pname": return .personName(id)
        case "piconname": return .personIconName(id)
        case "download": return .downloadOpen(id)
        default: return nil
        }
    }

    private static func attributeTag(name: String, attributes: [String: ArraySlice<UInt8>]) -> RecognizedTag? {
        switch name {
        case "rp":
            guard let aid = attributes["aid"].flatMap(integer) else { return nil }
            let target = attributes["to"].flatMap(replyTarget)
            return .reply(accountID: aid, roomID: target?.room, messageID: target?.message)
        case "qtmeta":
            return .quoteMeta(accountID: attributes["aid"].flatMap(integer), time: attributes["time"].flatMap(integer))
        case "preview":
            guard let id = attributes["id"].flatMap(integer) else { return nil }
            return .preview(fileID: id, height: attributes["ht"].flatMap(integer))
        case "task":
            return .taskOpen(
                accountID: attributes["aid"].flatMap(integer),
                status: attributes["st"].flatMap(word),
                limitTime: attributes["lt"].flatMap(integer),
                limitType: attributes["ltype"].flatMap(word))
        default:
            return nil
        }
    }

    /// Parses ` key=value key=value` (runs of spaces allowed). The first of a repeated key wins.
    /// Returns `nil` when a part is not `key=value`.
    private static func parseAttributes(_ bytes: ArraySlice<UInt8>) -> [String: ArraySlice<UInt8>]? {
        var result: [String: ArraySlice<UInt8>] = [:]
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if isSpace(bytes[index]) { index += 1; continue }
            var end = index
            while end < bytes.endIndex, !isSpace(bytes[end]) { end += 1 }
            let part = bytes[index..<end]
            guard let equals = part.firstIndex(of: UInt8(ascii: "=")), equals > part.startIndex else { return nil }
            let key = lowercased(part[..<equals])
            if result[key] == nil { result[key] = part[(equals + 1)...] }
            index = end
        }
        return result
    }

    private static func replyTarget(_ value: ArraySlice<UInt8>) -> (room: Int, message: String)? {
        guard let dash = value.firstIndex(of: UInt8(ascii: "-")), let room = integer(value[..<dash]) else { return nil }
        let message = value[(dash + 1)...]
        guard !message.isEmpty, message.count <= 40, message.allSatisfy(isDigit) else { return nil }
        return (room, String(decoding: message, as: UTF8.self))
    }

    /// A non-negative decimal integer of at most 18 digits (so it always fits in `Int`).
    static func integer(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18, bytes.allSatisfy(isDigit) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    /// A short ASCII word such as `open` or `date`.
    private static func word(_ bytes: ArraySlice<UInt8>) -> String? {
        guard !bytes.isEmpty, bytes.count <= 32, bytes.allSatisfy(isKeyByte) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func lowercased(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
    static func isKeyByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
}
