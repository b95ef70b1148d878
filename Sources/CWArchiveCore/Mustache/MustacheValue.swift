/// A value a Mustache template can see: the typed replacement for the `[String: Any]` contexts
/// swift-mustache reads through `Any` casts and `Mirror`.
///
/// Truthiness follows swift-mustache: `bool(false)`, an empty list and a missing name are false;
/// every string (even empty) and every integer (even 0) is true and is pushed as the context of
/// its section.
enum MustacheValue: Sendable {
    case string(String)
    case int(Int)
    case bool(Bool)
    /// A list: a section renders once per item, with the item as its context.
    case list([MustacheValue])
    /// Named values: a section pushes it as the context, names are looked up in it.
    case object(MustacheObject)

    /// The text `{{name}}` writes before escaping (swift-mustache's `String(describing:)`).
    var text: String {
        switch self {
        case .string(let s): return s
        case .int(let n): return String(n)
        case .bool(let b): return b ? "true" : "false"
        case .list(let items): return "[" + items.map(\.debugText).joined(separator: ", ") + "]"
        case .object(let o): return "[" + o.entries.map { "\"\($0.key)\": \($0.value.debugText)" }.joined(separator: ", ") + "]"
        }
    }

    /// The text of a value nested in a list or object (strings quoted, as Swift prints them).
    private var debugText: String {
        if case .string(let s) = self { return String(reflecting: s) }
        return text
    }

    /// The child `name` of this value, if it is an object that has one.
    @inline(__always)
    func child(_ name: String) -> MustacheValue? {
        if case .object(let o) = self { return o[name] }
        return nil
    }
}

/// An ordered set of named values (a message view, a page, a file). Small, so a linear scan
/// over short keys is faster than hashing; setting a name again replaces its value.
struct MustacheObject: Sendable, ExpressibleByDictionaryLiteral {
    private(set) var entries: [(key: String, value: MustacheValue)]

    init() { entries = [] }

    init(dictionaryLiteral elements: (String, MustacheValue)...) {
        entries = []
        entries.reserveCapacity(elements.count)
        for (k, v) in elements { self[k] = v }
    }

    init(capacity: Int) {
        entries = []
        entries.reserveCapacity(capacity)
    }

    subscript(name: String) -> MustacheValue? {
        get {
            // The length first: most keys differ in it, and it is known without a call.
            let length = name.utf8.count
            for e in entries where e.key.utf8.count == length && e.key == name { return e.value }
            return nil
        }
        set {
            if let i = entries.firstIndex(where: { $0.key == name }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append((name, newValue))
            }
        }
    }

    /// Adds a name known not to be set yet (building a view; no search).
    mutating func append(_ name: String, _ value: MustacheValue) {
        entries.append((name, value))
    }
}

extension MustacheValue {
    /// The value as swift-mustache expects it (`String`, `Int`, `Bool`, `[Any]`, `[String: Any]`),
    /// for template sets that fall back to it.
    var anyValue: Any {
        switch self {
        case .string(let s): return s
        case .int(let n): return n
        case .bool(let b): return b
        case .list(let items): return items.map(\.anyValue)
        case .object(let o): return o.anyDictionary
        }
    }
}

extension MustacheObject {
    /// The object as a `[String: Any]` for swift-mustache.
    var anyDictionary: [String: Any] {
        var d: [String: Any] = [:]
        for e in entries { d[e.key] = e.value.anyValue }
        return d
    }
}
