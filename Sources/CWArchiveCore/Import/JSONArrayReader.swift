import ChatworkAPI
import Foundation

/// Streams the elements of a JSON file whose top level is an array (`[{…}, {…}]`), one element
/// at a time, so memory stays flat whatever the file's size. A UTF-8 byte order mark is skipped.
///
/// Never fails on content: an element that is not valid JSON, larger than ``maxElementBytes``
/// or cut off by the end of the file comes back as ``Element/bad(number:line:reason:)``; a file
/// that is not an array at all gives one bad element and ends.
struct JSONArrayReader {
    enum Element: Equatable {
        /// The element, its 1-based number in the array and the line it starts on.
        case value(JSONValue, number: Int, line: Int)
        case bad(number: Int, line: Int, reason: String)
    }

    static let maxElementBytes = 8 << 20
    private var source: ByteSource
    private var line = 1
    private var number = 0
    private var state = State.start
    private enum State { case start, inArray, done }

    init(source: ByteSource) { self.source = source }

    var bytesRead: Int { source.bytesRead }

    private mutating func skipSpace() throws {
        while let b = try source.peek(), b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D {
            _ = try source.next()
            if b == 0x0A { line += 1 }
        }
    }

    mutating func next() throws -> Element? {
        switch state {
        case .done: return nil
        case .start:
            if try source.peek() == 0xEF {
                _ = try source.next()
                if try source.peek() == 0xBB { _ = try source.next(); if try source.peek() == 0xBF { _ = try source.next() } }
            }
            try skipSpace()
            guard try source.next() == 0x5B else {
                state = .done
                return .bad(number: 0, line: line, reason: "is not a JSON array (the file must start with `[`)")
            }
            state = .inArray
            try skipSpace()
            if try source.peek() == 0x5D { _ = try source.next(); state = .done; return nil }
        case .inArray: break
        }
        try skipSpace()
        number += 1
        let startLine = line
        var bytes: [UInt8] = []
        var depth = 0, inString = false, escaped = false, tooLong = false
        while true {
            guard let b = try source.next() else {
                state = .done
                return .bad(number: number, line: startLine, reason: "is cut off by the end of the file (the file is truncated)")
            }
            if b == 0x0A { line += 1 }
            if inString {
                if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
            } else {
                switch b {
                case 0x22: inString = true
                case 0x7B, 0x5B: depth += 1
                case 0x7D, 0x5D:
                    if depth == 0 {
                        // `]` closes the array.
                        state = .done
                        return finish(bytes, startLine: startLine, tooLong: tooLong, last: true)
                    }
                    depth -= 1
                case 0x2C where depth == 0:
                    return finish(bytes, startLine: startLine, tooLong: tooLong, last: false)
                default: break
                }
            }
            if bytes.count < Self.maxElementBytes { bytes.append(b) } else { tooLong = true }
        }
    }

    private func finish(_ bytes: [UInt8], startLine: Int, tooLong: Bool, last: Bool) -> Element? {
        if tooLong { return .bad(number: number, line: startLine, reason: "is larger than \(Self.maxElementBytes >> 20) MiB") }
        var trimmed = bytes[...]
        while let l = trimmed.last, l == 0x20 || l == 0x09 || l == 0x0A || l == 0x0D { trimmed = trimmed.dropLast() }
        if trimmed.isEmpty {
            // `[1,]` or `[]` after a comma: nothing to read.
            return last ? nil : .bad(number: number, line: startLine, reason: "is empty")
        }
        if trimmed.contains(0) { return .bad(number: number, line: startLine, reason: "contains a NUL byte") }
        guard String(validating: trimmed, as: UTF8.self) != nil else {
            return .bad(number: number, line: startLine, reason: "is not valid UTF-8")
        }
        do {
            let value = try JSONDecoder().decode(JSONValue.self, from: Data(trimmed))
            return .value(value, number: number, line: startLine)
        } catch {
            return .bad(number: number, line: startLine, reason: "is not valid JSON")
        }
    }
}

extension JSONValue {
    /// The member `key` of an object.
    subscript(member key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// A string, or a number written as text (ids come either way).
    var importString: String? {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d) where d.rounded() == d && abs(d) < 1e15: return String(Int64(d))
        default: return nil
        }
    }

    /// An integer, or a string of digits.
    var importInt: Int? {
        switch self {
        case .int(let i): return Int(exactly: i)
        case .double(let d) where d.rounded() == d && abs(d) < 1e15: return Int(d)
        case .string(let s): return Int(s.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }
}
