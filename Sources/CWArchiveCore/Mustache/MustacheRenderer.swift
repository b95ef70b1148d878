/// Renders compiled templates with ``MustacheValue`` contexts into a UTF-8 buffer, with
/// swift-mustache's semantics:
///
/// - a name is searched from the innermost context outwards; `a.b` finds `a` so, then `b` in it
///   only; `.` and `.a` use the innermost context only;
/// - a section over a list renders once per item; over `true` renders once in the same context;
///   over a string, number or object renders once with that value pushed; an inverted section
///   renders only for a missing name, `false` or an empty list;
/// - a partial starts with HTML escaping again (a `CONTENT_TYPE` pragma reaches only to the end
///   of its template or section); a standalone partial's indentation is added before every
///   non-empty piece that begins a line, counting lines within each template or section
///   rendering (as swift-mustache does, so its output is reproduced exactly).
struct MustacheRenderer: Sendable {
    let templates: [String: MustacheCompiledTemplate]

    /// Renders the template `name` (nothing if there is none) with `context` at the bottom of the stack.
    func render(_ name: String, _ context: MustacheObject, into out: inout [UInt8]) {
        guard let template = templates[name] else { return }
        var stack: [MustacheValue] = [.object(context)]
        render(template.nodes, stack: &stack, type: .html, indentation: nil, into: &out)
    }

    private func render(_ nodes: [MustacheNode], stack: inout [MustacheValue], type initial: MustacheEscapeMode,
                        indentation: [UInt8]?, into out: inout [UInt8]) {
        var type = initial
        guard let indentation, !indentation.isEmpty else {
            for node in nodes { render(node, stack: &stack, type: &type, indentation: indentation, into: &out) }
            return
        }
        let start = out.count
        var piece: [UInt8] = []
        for node in nodes {
            piece.removeAll(keepingCapacity: true)
            render(node, stack: &stack, type: &type, indentation: indentation, into: &piece)
            guard !piece.isEmpty else { continue }
            if Self.endsWithLineFeed(out, from: start) { out.append(contentsOf: indentation) }
            out.append(contentsOf: piece)
        }
    }

    /// Whether `out[start...]` ends with a `"\n"` character (a `"\r\n"` is one other character).
    private static func endsWithLineFeed(_ out: [UInt8], from start: Int) -> Bool {
        let n = out.count - start
        guard n > 0, out[out.count - 1] == 0x0A else { return false }
        return n == 1 || out[out.count - 2] != 0x0D
    }

    private func render(_ node: MustacheNode, stack: inout [MustacheValue], type: inout MustacheEscapeMode,
                        indentation: [UInt8]?, into out: inout [UInt8]) {
        switch node {
        case .text(let bytes):
            out.append(contentsOf: bytes)
        case .variable(let path, let escaped):
            guard let value = Self.lookup(path, in: stack) else { return }
            switch value {
            case .string(let s):
                if escaped { MustacheEscaper.append(s, as: type, to: &out) } else { out.append(contentsOf: s.utf8) }
            default:
                if escaped { MustacheEscaper.append(value.text, as: type, to: &out) } else { out.append(contentsOf: value.text.utf8) }
            }
        case .section(let path, let inverted, let body):
            let value = Self.lookup(path, in: stack)
            if inverted {
                switch value {
                case nil: render(body, stack: &stack, type: type, indentation: indentation, into: &out)
                case .bool(let b)?: if !b { render(body, stack: &stack, type: type, indentation: indentation, into: &out) }
                case .list(let items)? where items.isEmpty: renderPushed(value!, body, &stack, type, indentation, &out)
                default: return
                }
                return
            }
            switch value {
            case nil: return
            case .bool(let b)?: if b { render(body, stack: &stack, type: type, indentation: indentation, into: &out) }
            case .list(let items)?:
                for item in items { renderPushed(item, body, &stack, type, indentation, &out) }
            case let v?: renderPushed(v, body, &stack, type, indentation, &out)
            }
        case .partial(let name, let indented):
            guard let template = templates[name] else { return }
            var inner = indentation
            if let indented { inner = (indentation ?? []) + indented }
            render(template.nodes, stack: &stack, type: .html, indentation: inner, into: &out)
        case .contentType(let t):
            type = t
        }
    }

    private func renderPushed(_ value: MustacheValue, _ body: [MustacheNode], _ stack: inout [MustacheValue],
                              _ type: MustacheEscapeMode, _ indentation: [UInt8]?, _ out: inout [UInt8]) {
        stack.append(value)
        render(body, stack: &stack, type: type, indentation: indentation, into: &out)
        stack.removeLast()
    }

    /// The value a name refers to, or nil.
    static func lookup(_ path: MustachePath, in stack: [MustacheValue]) -> MustacheValue? {
        guard let top = stack.last else { return nil }
        let parts = path.parts
        guard let first = parts.first else { return top }
        var value: MustacheValue
        if path.currentOnly {
            guard let v = top.child(first) else { return nil }
            value = v
        } else {
            var found: MustacheValue?
            for context in stack.reversed() {
                if let v = context.child(first) { found = v; break }
            }
            guard let found else { return nil }
            value = found
        }
        for part in parts.dropFirst() {
            guard let v = value.child(part) else { return nil }
            value = v
        }
        return value
    }
}
