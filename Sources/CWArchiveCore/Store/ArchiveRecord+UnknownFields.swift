import ChatworkAPI

/// A record keeps what the API sent beyond the typed fields of the elements it holds, in the
/// line's `unknown_fields` member: the element's ``UnknownFields`` patch, or for a list an object
/// of patches keyed by index. Lines without it are the usual, fully typed case.
extension ArchiveRecord.Payload {
    /// The unknown fields of the API elements this payload holds; nil when there are none.
    var unknownFields: JSONValue? {
        switch self {
        case .me(let v): v.unknownFields
        case .myStatus(let v): v.unknownFields
        case .myTasks(let v): Self.listPatch(v)
        case .contacts(let v): Self.listPatch(v)
        case .incomingRequests(let v): Self.listPatch(v)
        case .room(let v): v.unknownFields
        case .members(let v): Self.listPatch(v)
        case .message(let v): v.unknownFields
        case .importedMessage(let v): v.message.unknownFields
        case .tasks(let v): Self.listPatch(v)
        case .file(let v): v.file.unknownFields
        case .link(let v): v.link?.unknownFields
        case .messageDeleted, .limitation, .gap, .horizon, .roomSynced, .roomGone, .roomAttempt, .runFinished, .webhookEvent, .listenerUptime: nil
        }
    }

    /// The payload with the unknown fields read from a line put back on its elements.
    func keeping(_ unknown: JSONValue) -> Self {
        switch self {
        case .me(var v): v.unknownFields = unknown; return .me(v)
        case .myStatus(var v): v.unknownFields = unknown; return .myStatus(v)
        case .myTasks(let v): return .myTasks(Self.applying(unknown, to: v))
        case .contacts(let v): return .contacts(Self.applying(unknown, to: v))
        case .incomingRequests(let v): return .incomingRequests(Self.applying(unknown, to: v))
        case .room(var v): v.unknownFields = unknown; return .room(v)
        case .members(let v): return .members(Self.applying(unknown, to: v))
        case .message(var v): v.unknownFields = unknown; return .message(v)
        case .importedMessage(var v): v.message.unknownFields = unknown; return .importedMessage(v)
        case .tasks(let v): return .tasks(Self.applying(unknown, to: v))
        case .file(var v): v.file.unknownFields = unknown; return .file(v)
        case .link(var v): v.link?.unknownFields = unknown; return .link(v)
        case .messageDeleted, .limitation, .gap, .horizon, .roomSynced, .roomGone, .roomAttempt, .runFinished, .webhookEvent, .listenerUptime: return self
        }
    }

    private static func listPatch<T: KeepsUnknownFields>(_ items: [T]) -> JSONValue? {
        var patches: [String: JSONValue] = [:]
        for (i, item) in items.enumerated() {
            if let p = item.unknownFields { patches[String(i)] = p }
        }
        return patches.isEmpty ? nil : .object(patches)
    }

    private static func applying<T: KeepsUnknownFields>(_ unknown: JSONValue, to items: [T]) -> [T] {
        guard case .object(let patches) = unknown else { return items }
        var out = items
        for (key, patch) in patches {
            guard let i = Int(key), out.indices.contains(i) else { continue }
            out[i].unknownFields = patch
        }
        return out
    }
}
