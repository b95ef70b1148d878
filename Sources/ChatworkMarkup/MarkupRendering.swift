import Foundation

/// Pieces the three renderers share: names, times, task texts, link safety.
enum MarkupRendering {
    /// The name shown for an account: its known name, or `user ID` when unknown or empty.
    static func name(_ accountID: Int, _ context: some MarkupContext) -> String {
        guard let name = context.accountName(accountID), !name.isEmpty else { return "user \(accountID)" }
        return name
    }

    /// A node ready to render, with the name shown for a mention or reply.
    struct Item {
        var node: MarkupNode
        /// For `.mention` and `.reply`: the name to show (may be empty, see `prepare`).
        var shownName: String = ""
    }

    /// Prepares sibling nodes for rendering. Chatwork writes the name after `[To:ID]` and
    /// `[rp ...]` (`[To:1]Bob さん`); renderers show the name with the mention, so:
    /// - a known name at the start of the following text is taken out of that text;
    /// - an unknown account followed by text shows no name of its own (the text names it);
    /// - an unknown account with nothing after it shows `user ID`;
    /// - a shown name directly followed by a letter gets a space after it.
    /// Consecutive person tags (`[piconname:1][piconname:2]`) get `, ` between them.
    static func prepare(_ nodes: [MarkupNode], _ context: some MarkupContext) -> [Item] {
        var items: [Item] = []
        items.reserveCapacity(nodes.count)
        var index = 0
        while index < nodes.count {
            let node = nodes[index]
            index += 1
            if isPerson(node), let previous = items.last, isPerson(previous.node) {
                items.append(Item(node: .text(", ")))
            }
            let accountID: Int
            switch node {
            case .mention(let id, _), .reply(let id, _, _, _): accountID = id
            default:
                items.append(Item(node: node))
                continue
            }
            var following: String?
            if index < nodes.count, case .text(let text) = nodes[index] { following = text }
            let startsWithWord = following?.first.map { !$0.isWhitespace && !$0.isPunctuation } ?? false
            if let name = context.accountName(accountID), !name.isEmpty {
                if let text = following, text.hasPrefix(name) {
                    items.append(Item(node: node, shownName: name))
                    items.append(Item(node: .text(String(text.dropFirst(name.count)))))
                    index += 1
                } else {
                    items.append(Item(node: node, shownName: name))
                    if let text = following, startsWithWord {
                        items.append(Item(node: .text(" " + text)))
                        index += 1
                    }
                }
            } else {
                items.append(Item(node: node, shownName: startsWithWord ? "" : "user \(accountID)"))
            }
        }
        return items
    }

    private static func isPerson(_ node: MarkupNode) -> Bool {
        switch node {
        case .personIcon, .personName, .personIconName: return true
        default: return false
        }
    }

    /// Whether a node renders as a block of its own (not inline in a line of text).
    static func isBlock(_ node: MarkupNode) -> Bool {
        switch node {
        case .quote, .info, .code, .rule, .task: return true
        default: return false
        }
    }

    /// Text right after a block loses one leading line break: the block already ends the line.
    static func droppingLeadingBreak(_ text: String) -> String {
        guard let first = text.first, first == "\n" || first == "\r\n" || first == "\r" else { return text }
        return String(text.dropFirst())
    }

    /// The link of a replied-to message: the export's own, or Chatwork's web link.
    static func messageHref(roomID: Int, messageID: String, _ context: some MarkupContext) -> String? {
        if let local = context.messageLink(roomID: roomID, messageID: messageID), let safe = safeHref(local) {
            return safe
        }
        return "https://www.chatwork.com/#!rid\(roomID)-\(messageID)"
    }

    /// `href` if it is safe to link: a relative path or an `https:` URL. Anything with a scheme
    /// other than https (`javascript:`, `data:`, `http:`), a network path (`//host`), backslashes,
    /// whitespace or control characters gives `nil`.
    static func safeHref(_ href: String) -> String? {
        guard !href.isEmpty else { return nil }
        for scalar in href.unicodeScalars {
            if scalar.value <= 0x20 || scalar.value == 0x7F || scalar == "\\" { return nil }
            if (0x80...0x9F).contains(scalar.value) || scalar.properties.generalCategory == .format { return nil }
        }
        if href.hasPrefix("//") { return nil }
        let firstSegment = href.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if firstSegment.contains(":") {
            return href.lowercased().hasPrefix("https://") ? href : nil
        }
        return href
    }

    /// `yyyy-MM-dd HH:mm` (or `yyyy-MM-dd` with `dateOnly`) in the context's time zone.
    /// Times outside years 1970–9999 are shown as the raw number (bodies are untrusted).
    static func time(_ unix: Int, _ timeZone: TimeZone, dateOnly: Bool = false) -> String {
        guard validTimes.contains(unix) else { return String(unix) }
        let p = components(unix, timeZone)
        let date = "\(pad(p.year ?? 0, 4))-\(pad(p.month ?? 0))-\(pad(p.day ?? 0))"
        return dateOnly ? date : date + " \(pad(p.hour ?? 0)):\(pad(p.minute ?? 0))"
    }

    /// ISO 8601 with offset, for `<time datetime=...>`.
    static func isoTime(_ unix: Int, _ timeZone: TimeZone) -> String? {
        guard validTimes.contains(unix) else { return nil }
        let p = components(unix, timeZone)
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(unix)))
        let zone = "\(offset < 0 ? "-" : "+")\(pad(abs(offset) / 3600)):\(pad(abs(offset) % 3600 / 60))"
        return "\(pad(p.year ?? 0, 4))-\(pad(p.month ?? 0))-\(pad(p.day ?? 0))T"
            + "\(pad(p.hour ?? 0)):\(pad(p.minute ?? 0)):\(pad(p.second ?? 0))\(zone)"
    }

    private static let validTimes = 0...253_402_300_799

    private static func components(_ unix: Int, _ timeZone: TimeZone) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: TimeInterval(unix)))
    }

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let digits = String(abs(value))
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// The due text of a task (`2024-01-02` for ltype=date, with the time otherwise), or `nil`
    /// without a limit (Chatwork writes `lt=0` for none).
    static func taskDue(limitTime: Int?, limitType: String?, _ timeZone: TimeZone) -> String? {
        guard let limitTime, limitTime > 0 else { return nil }
        return time(limitTime, timeZone, dateOnly: limitType?.lowercased() == "date")
    }

    static func isDone(_ status: String?) -> Bool { status?.lowercased() == "done" }

    /// The text of a `[dtext:KEY]`: the context's text, or the key made readable.
    static func systemText(_ key: String, _ context: some MarkupContext) -> String {
        context.systemText(key) ?? key.replacingOccurrences(of: "_", with: " ")
    }

    /// The shown name of a file: the body's label (`NAME (SIZE)`), else the known name, else `file ID`.
    static func fileLabel(_ label: String, _ info: MarkupFileInfo?, fileID: Int) -> String {
        if !label.isEmpty { return label }
        if let name = info?.name, !name.isEmpty { return name }
        return "file \(fileID)"
    }

    static let deletedText = "This message was deleted."
    static let notArchived = "(not archived)"
}
