/// Compiles template text into ``MustacheNode``s, following swift-mustache's parser step by step
/// (the same standalone-line rules, whitespace handling and error positions), so that both give
/// the same output and the same errors for the same text.
struct MustacheParser {
    private var scanner: MustacheScanner

    /// Parser state of one nesting level.
    private struct State {
        var sectionName: String?
        var newLine = true
        var start = "{{"
        var end = "}}"
    }

    /// Compiles `text`; a syntax error carries its line and column.
    static func parse(_ text: String) throws(MustacheTemplateError) -> [MustacheNode] {
        var parser = MustacheParser(scanner: MustacheScanner(text))
        do {
            return try parser.parse(state: State())
        } catch let kind as MustacheTemplateError.Kind {
            throw MustacheTemplateError(kind: kind, location: parser.scanner.location())
        } catch {
            throw MustacheTemplateError(kind: .overflow, location: parser.scanner.location())
        }
    }

    private static func bytes<S: StringProtocol>(_ s: S) -> [UInt8] { Array(s.utf8) }

    private mutating func parse(state initial: State) throws -> [MustacheNode] {
        var nodes: [MustacheNode] = []
        var state = initial
        var whiteSpaceBefore: Substring = ""
        func flushWhiteSpace() {
            if !whiteSpaceBefore.isEmpty {
                nodes.append(.text(Self.bytes(whiteSpaceBefore)))
                whiteSpaceBefore = ""
            }
        }
        while !scanner.atEnd {
            if state.newLine {
                whiteSpaceBefore = scanner.read(while: { $0 == " " || $0 == "\t" })
            }
            let text = try readUntilTagOrNewline(state)
            if scanner.current.isNewline {
                nodes.append(.text(Self.bytes(whiteSpaceBefore) + Self.bytes(text) + Self.bytes(String(scanner.current))))
                state.newLine = true
                scanner.advance()
                continue
            }
            if !text.isEmpty {
                nodes.append(.text(Self.bytes(whiteSpaceBefore) + Self.bytes(text)))
                whiteSpaceBefore = ""
                state.newLine = false
            }
            if scanner.atEnd { break }
            var setNewLine = false
            switch scanner.current {
            case "#", "^":
                let inverted = scanner.current == "^"
                scanner.advance()
                let name = try parseName(state)
                if isStandalone(state) { setNewLine = true } else { flushWhiteSpace() }
                var inner = state
                inner.sectionName = name
                if !setNewLine { inner.newLine = false }
                let body = try parse(state: inner)
                nodes.append(.section(MustachePath(name), inverted: inverted, body: body))
            case "/":
                scanner.advance()
                let position = scanner.position
                let name = try parseName(state)
                guard name == state.sectionName else {
                    scanner.position = position
                    throw MustacheTemplateError.Kind.sectionCloseNameIncorrect
                }
                if !isStandalone(state) { flushWhiteSpace() }
                return nodes
            case "!":
                scanner.advance()
                try scanner.skip(past: state.end)
                setNewLine = isStandalone(state)
            case "{":
                flushWhiteSpace()
                scanner.advance()
                let name = try parseName(state)
                guard try scanner.read("}") else { throw MustacheTemplateError.Kind.unfinishedName }
                nodes.append(.variable(MustachePath(name), escaped: false))
            case "&":
                flushWhiteSpace()
                scanner.advance()
                nodes.append(.variable(MustachePath(try parseName(state)), escaped: false))
            case ">":
                scanner.advance()
                scanner.read(while: \.isWhitespace)
                if scanner.current == "*" { throw MustacheTemplateError.Kind.unsupported("dynamic partial") }
                let name = try parsePartialName(state)
                let indent = whiteSpaceBefore
                flushWhiteSpace()
                if isStandalone(state) {
                    setNewLine = true
                    nodes.append(.partial(name, indentation: Self.bytes(indent)))
                } else {
                    nodes.append(.partial(name, indentation: nil))
                }
            case "<", "$":
                throw MustacheTemplateError.Kind.unsupported("template inheritance")
            case "=":
                scanner.advance()
                try setDelimiters(&state)
                setNewLine = isStandalone(state)
            case "%":
                scanner.advance()
                nodes.append(.contentType(try readPragma(state)))
                setNewLine = isStandalone(state)
            default:
                flushWhiteSpace()
                nodes.append(.variable(MustachePath(try parseName(state)), escaped: true))
            }
            state.newLine = setNewLine
        }
        guard state.sectionName == nil else { throw MustacheTemplateError.Kind.expectedSectionEnd }
        return nodes
    }

    /// Text up to the next start delimiter (consumed) or newline (not consumed).
    private mutating func readUntilTagOrNewline(_ state: State) throws -> String {
        guard let first = state.start.first else { return "" }
        var total = ""
        while !scanner.atEnd {
            total += try scanner.read(until: { $0 == "\n" || $0 == "\r\n" || $0 == first }, throwAtEnd: false)
            if scanner.current.isNewline { break }
            if scanner.current == first {
                if try scanner.read(string: state.start) { break }
                total.append(first)
                scanner.advance()
            }
        }
        return total
    }

    private static let nameChars = Set<Character>("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?()*")
    private static let pragmaChars = Set<Character>("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?*")
    private static let partialChars = Set<Character>("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?()*/")

    /// A tag's name and its end delimiter. Transforms (`name(arg)`) are left to swift-mustache.
    private mutating func parseName(_ state: State) throws -> String {
        scanner.read(while: \.isWhitespace)
        let text = String(scanner.read(while: { Self.nameChars.contains($0) }))
        scanner.read(while: \.isWhitespace)
        guard try scanner.read(string: state.end) else { throw MustacheTemplateError.Kind.unfinishedName }
        if text.contains("(") || text.contains(")") { throw MustacheTemplateError.Kind.unsupported("transforms") }
        return text
    }

    private mutating func parsePartialName(_ state: State) throws -> String {
        scanner.read(while: \.isWhitespace)
        let text = String(scanner.read(while: { Self.partialChars.contains($0) }))
        scanner.read(while: \.isWhitespace)
        guard try scanner.read(string: state.end) else { throw MustacheTemplateError.Kind.unfinishedName }
        return text
    }

    /// `{{=<% %>=}}`.
    private mutating func setDelimiters(_ state: inout State) throws {
        let start: Substring, end: Substring
        do {
            scanner.read(while: \.isWhitespace)
            start = try scanner.read(until: \.isWhitespace)
            scanner.read(while: \.isWhitespace)
            end = try scanner.read(until: { $0 == "=" || $0.isWhitespace })
            scanner.read(while: \.isWhitespace)
        } catch {
            throw MustacheTemplateError.Kind.invalidSetDelimiter
        }
        guard try scanner.read("=") else { throw MustacheTemplateError.Kind.invalidSetDelimiter }
        guard try scanner.read(string: state.end) else { throw MustacheTemplateError.Kind.invalidSetDelimiter }
        guard !start.isEmpty, !end.isEmpty else { throw MustacheTemplateError.Kind.invalidSetDelimiter }
        state.start = String(start)
        state.end = String(end)
    }

    /// `{{% CONTENT_TYPE: MARKDOWN}}`.
    private mutating func readPragma(_ state: State) throws -> MustacheEscapeMode {
        let variable: Substring, value: Substring
        do {
            scanner.read(while: \.isWhitespace)
            variable = scanner.read(while: { Self.pragmaChars.contains($0) })
            scanner.read(while: \.isWhitespace)
            guard try scanner.read(":") else { throw MustacheTemplateError.Kind.invalidConfigVariableSyntax }
            scanner.read(while: \.isWhitespace)
            value = scanner.read(while: { Self.pragmaChars.contains($0) })
            scanner.read(while: \.isWhitespace)
            guard try scanner.read(string: state.end) else { throw MustacheTemplateError.Kind.invalidConfigVariableSyntax }
        } catch {
            throw MustacheTemplateError.Kind.invalidConfigVariableSyntax
        }
        guard !variable.isEmpty, !value.isEmpty else { throw MustacheTemplateError.Kind.invalidConfigVariableSyntax }
        guard variable == "CONTENT_TYPE", let type = MustacheEscapeMode(pragmaValue: value) else {
            throw MustacheTemplateError.Kind.unrecognisedConfigVariable
        }
        return type
    }

    /// True if only spaces and tabs follow on this line; then the line break is consumed.
    private mutating func hasLineFinished() -> Bool {
        if scanner.atEnd { return true }
        var probe = scanner
        probe.read(while: { $0 == " " || $0 == "\t" })
        if probe.current.isNewline {
            probe.advance()
            scanner.position = probe.position
            return true
        }
        return false
    }

    /// A tag alone on its line (only whitespace around it): the line disappears from the output.
    private mutating func isStandalone(_ state: State) -> Bool {
        state.newLine && hasLineFinished()
    }
}
