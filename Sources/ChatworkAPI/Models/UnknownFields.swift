import Foundation

/// What a response said that the typed model does not carry: members the model does not know
/// (a field Chatwork adds later) and values the lenient decoding changed (a number sent as a
/// string, a `null` where text was expected), so that the archive keeps every byte of meaning
/// the API sent.
///
/// The form is a patch over the model's own encoding: an object lists, for each member of the
/// response, its whole value when the model has no such member or a different value, or a
/// nested patch when both are objects or arrays of the same length (array patches are objects
/// keyed by index). ``apply(_:to:)`` gives the response's JSON back from the model's encoding and
/// the patch. A member the model adds with a default (a field the response left out) is not
/// recorded.
public enum UnknownFields {
    /// The patch that turns `known` (the model, encoded) into `sent` (the response); nil when
    /// they are the same.
    public static func patch(sent: JSONValue, known: JSONValue) -> JSONValue? {
        switch (sent, known) {
        case (.object(let s), .object(let k)):
            var out: [String: JSONValue] = [:]
            for (key, value) in s {
                if let mine = k[key] {
                    if let inner = patch(sent: value, known: mine) { out[key] = inner }
                } else {
                    out[key] = value
                }
            }
            return out.isEmpty ? nil : .object(out)
        case (.array(let s), .array(let k)) where s.count == k.count:
            var out: [String: JSONValue] = [:]
            for i in s.indices {
                if let inner = patch(sent: s[i], known: k[i]) { out[String(i)] = inner }
            }
            return out.isEmpty ? nil : .object(out)
        default:
            return sent == known ? nil : sent
        }
    }

    /// The response's JSON from the model's encoding and its patch (the inverse of ``patch(sent:known:)``).
    public static func apply(_ patch: JSONValue?, to known: JSONValue) -> JSONValue {
        guard let patch else { return known }
        switch (known, patch) {
        case (.object(var k), .object(let p)):
            for (key, value) in p { k[key] = k[key].map { apply(value, to: $0) } ?? value }
            return .object(k)
        case (.array(var k), .object(let p)):
            for (key, value) in p {
                guard let i = Int(key), k.indices.contains(i) else { continue }
                k[i] = apply(value, to: k[i])
            }
            return .array(k)
        default:
            return patch
        }
    }

    /// `value` (a model or a list of models decoded from `body`) with each model's unknown
    /// fields set from its element of `body`. Anything else comes back unchanged.
    static func attach<T>(to value: T, from body: Data) -> T {
        if let model = value as? any KeepsUnknownFields {
            guard let sent = try? JSONDecoder().decode(JSONValue.self, from: body) else { return value }
            return (model.keepingUnknownFields(of: sent) as? T) ?? value
        }
        if let models = value as? [any KeepsUnknownFields], !models.isEmpty {
            guard case .array(let sent)? = try? JSONDecoder().decode(JSONValue.self, from: body), sent.count == models.count else { return value }
            let kept: [any KeepsUnknownFields] = zip(models, sent).map { $0.keepingUnknownFields(of: $1) }
            return (kept as? T) ?? value
        }
        return value
    }

    /// A value as JSON (through its `Encodable` form).
    static func json(of value: some Encodable) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }
}

/// A model that keeps what its response said beyond its typed fields (``UnknownFields``).
public protocol KeepsUnknownFields: Codable {
    /// The patch from this model's encoding to the response element it was decoded from; nil
    /// when the model holds everything. Not part of the model's own encoding.
    var unknownFields: JSONValue? { get set }
}

extension KeepsUnknownFields {
    /// This model with `unknownFields` set from the element it was decoded from.
    func keepingUnknownFields(of sent: JSONValue) -> Self {
        var copy = self
        copy.unknownFields = (try? UnknownFields.json(of: self)).flatMap { UnknownFields.patch(sent: sent, known: $0) }
        return copy
    }
}
