/// Reads a template's text character by character (grapheme clusters, as swift-mustache does, so
/// that `\r\n` is one newline), for ``MustacheParser``.
struct MustacheScanner {
    /// Reading past the end of the text.
    struct Overflow: Error {}

    let text: String
    var position: String.Index

    init(_ text: String) {
        self.text = text
        position = text.startIndex
    }

    var atEnd: Bool { position == text.endIndex }

    /// The current character, or NUL at the end.
    var current: Character { atEnd ? "\0" : text[position] }

    mutating func advance() { position = text.index(after: position) }
    mutating func retreat() { position = text.index(before: position) }

    /// Reads `c` if it is next. Throws at the end of the text.
    mutating func read(_ c: Character) throws -> Bool {
        guard !atEnd else { throw Overflow() }
        guard text[position] == c else { return false }
        advance()
        return true
    }

    /// Reads `s` if it comes next. Throws when fewer characters than `s` has are left.
    mutating func read(string s: String) throws -> Bool {
        let n = s.count
        guard n > 0 else { return true }
        guard text.distance(from: position, to: text.endIndex) >= n else { throw Overflow() }
        let end = text.index(position, offsetBy: n)
        guard text[position..<end] == s else { return false }
        position = end
        return true
    }

    /// Reads while `test` holds.
    @discardableResult
    mutating func read(while test: (Character) -> Bool) -> Substring {
        let start = position
        while !atEnd, test(text[position]) { advance() }
        return text[start..<position]
    }

    /// Reads until `test` holds (stopping before that character). At the end of the text it throws
    /// and goes back if `throwAtEnd`, else returns what it read.
    mutating func read(until test: (Character) -> Bool, throwAtEnd: Bool = true) throws -> Substring {
        let start = position
        while !atEnd {
            if test(text[position]) { return text[start..<position] }
            advance()
        }
        if throwAtEnd {
            position = start
            throw Overflow()
        }
        return text[start..<position]
    }

    /// Reads up to and including `end` (a comment's closing delimiter); throws if it never comes.
    mutating func skip(past end: String) throws {
        let start = position
        let target = Array(end)
        var matched = 0
        while !atEnd {
            if text[position] == target[matched] {
                matched += 1
                if matched == target.count {
                    advance()
                    return
                }
            } else {
                matched = 0
            }
            advance()
        }
        position = start
        throw Overflow()
    }

    /// Line, column and the line's text at the current position (as swift-mustache reports them).
    func location() -> MustacheTemplateError.Location {
        var p = position
        var column = 0
        while p != text.startIndex {
            p = text.index(before: p)
            if text[p] == "\n" { break }
            column += 1
        }
        if p < text.endIndex, text[p] == "\n" { p = text.index(after: p) }
        var e = p
        while e < text.endIndex, text[e] != "\n" { e = text.index(after: e) }
        let line = text[text.startIndex..<position].filter(\.isNewline).count
        return .init(line: line + 1, column: column + 1, text: String(text[p..<e]))
    }
}
