import Foundation

/// Members a later version of the API might add (``SimulatorConfiguration/futureFields``).
enum FutureFields {
    /// The value of `x_future_field`: every kind of JSON value, nested.
    static var field: [String: Any] { ["since": "v3", "values": [1, 2.5, NSNull(), true, "二"] as [Any], "nested": ["deep": ["x": 1]]] }

    static func adding(to response: SimResponse) -> SimResponse {
        guard response.status == 200, case .bytes(let data) = response.body,
              response.header("Content-Type")?.hasPrefix("application/json") ?? false,
              let json = try? JSONSerialization.jsonObject(with: data) else { return response }
        let changed: Any
        if let list = json as? [Any] {
            changed = list.map { ($0 as? [String: Any]).map(extend) ?? $0 }
        } else if let object = json as? [String: Any] {
            changed = extend(object)
        } else {
            return response
        }
        guard let out = try? JSONSerialization.data(withJSONObject: changed, options: [.sortedKeys]) else { return response }
        var copy = response
        copy.body = .bytes(out)
        return copy
    }

    private static func extend(_ object: [String: Any]) -> [String: Any] {
        var out = object
        out["x_future_field"] = field
        for (key, value) in object {
            if key == "account" || key.hasSuffix("_account"), var account = value as? [String: Any] {
                account["x_future_flag"] = true
                out[key] = account
            }
        }
        return out
    }
}
