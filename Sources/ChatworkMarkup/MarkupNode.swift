/// How a tag was written in the message body.
///
/// Chatwork accepts tags in more than one spelling (`[To:1]` and `[to:1]`, attributes in another
/// order, extra attributes). To reproduce a body exactly from its tree, every tag node keeps the
/// text of its tags when it differs from the canonical spelling that `MarkupSerializer` writes.
/// `.canonical` (the default) means "write the canonical tag"; parsed nodes whose tags were
/// written canonically also carry `.canonical`, so `.mention(accountID: 1)` equals
/// `MarkupParser.parse("[To:1]")[0]`.
public struct MarkupSpelling: Hashable, Sendable {
    /// The tags exactly as written, in source order, or `nil` for the canonical spelling.
    /// The number of tags per node kind is fixed: leaf tags have one; `code`, `download`,
    /// `quote` (with its `[qtmeta]` in the first), `task` and an untitled `info` have two
    /// (open, close); a titled `info` has four (`[info]`, `[title]`, `[/title]`, `[/info]`).
    public var tags: [String]?

    public init(tags: [String]?) { self.tags = tags }

    /// Write the canonical tag text.
    public static let canonical = MarkupSpelling(tags: nil)
}

/// One piece of a parsed Chatwork message body.
///
/// Everything in a body becomes a node: text that is not a well-formed tag (unknown, unclosed,
/// misnested, too deeply nested) stays as `.text`, so `MarkupSerializer.serialize(_:)` gives back
/// the original body exactly.
public indirect enum MarkupNode: Equatable, Sendable {
    /// Literal text (newlines included).
    case text(String)
    /// `[To:ACCOUNT_ID]`: a mention. The name usually follows as text.
    case mention(accountID: Int, spelling: MarkupSpelling = .canonical)
    /// `[toall]`: mention everyone.
    case toAll(spelling: MarkupSpelling = .canonical)
    /// `[rp aid=ACCOUNT_ID to=ROOM_ID-MESSAGE_ID]`: reply to a message.
    /// `roomID` and `messageID` are both set or both `nil`.
    case reply(accountID: Int, roomID: Int?, messageID: String?, spelling: MarkupSpelling = .canonical)
    /// `[qt][qtmeta aid=ACCOUNT_ID time=UNIX]...[/qt]`: a quote; the `[qtmeta]` may be missing.
    case quote(accountID: Int?, time: Int?, children: [MarkupNode], spelling: MarkupSpelling = .canonical)
    /// `[info]...[/info]` or `[info][title]...[/title]...[/info]`.
    case info(title: [MarkupNode]?, children: [MarkupNode], spelling: MarkupSpelling = .canonical)
    /// `[code]...[/code]`; the content is verbatim (no tags are parsed inside).
    case code(String, spelling: MarkupSpelling = .canonical)
    /// `[hr]`.
    case rule(spelling: MarkupSpelling = .canonical)
    /// `[picon:ACCOUNT_ID]`.
    case personIcon(accountID: Int, spelling: MarkupSpelling = .canonical)
    /// `[pname:ACCOUNT_ID]`.
    case personName(accountID: Int, spelling: MarkupSpelling = .canonical)
    /// `[piconname:ACCOUNT_ID]`.
    case personIconName(accountID: Int, spelling: MarkupSpelling = .canonical)
    /// `[download:FILE_ID]NAME (SIZE)[/download]`; `label` is verbatim, on one line.
    case download(fileID: Int, label: String, spelling: MarkupSpelling = .canonical)
    /// `[preview id=FILE_ID ht=HEIGHT]`.
    case preview(fileID: Int, height: Int?, spelling: MarkupSpelling = .canonical)
    /// `[task aid=ACCOUNT_ID st=open|done lt=UNIX ltype=date|time]...[/task]`.
    case task(
        accountID: Int?, status: String?, limitTime: Int?, limitType: String?,
        children: [MarkupNode], spelling: MarkupSpelling = .canonical)
    /// `[dtext:KEY]`: a system text such as `file_uploaded`.
    case systemText(key: String, spelling: MarkupSpelling = .canonical)
    /// `[deleted]`: the body of a deleted message.
    case deleted(spelling: MarkupSpelling = .canonical)
    /// An emoticon code such as `:)` or `(bow)`, exactly one of `Emoticons.codes`.
    case emoticon(String)
}
