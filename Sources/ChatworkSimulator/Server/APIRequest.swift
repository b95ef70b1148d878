/// An API request reduced to what the routes need.
struct APIRequest: Sendable {
    var method: String
    /// Path segments after `/v2`, e.g. ["rooms", "123", "messages"].
    var segments: [String]
    var query: [String: String]
    /// The token from `X-ChatWorkToken` or `Authorization: Bearer`, nil when neither was sent.
    var token: String?
    /// The form-encoded parameters of a `POST`/`PUT` body (`application/x-www-form-urlencoded`).
    var form: [String: String] = [:]

    /// Parses `a=1&b=x+y%21` (the first value of a name wins; `+` is a space).
    static func formParameters(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String? { s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let name = decode(parts[0]), out[name] == nil else { continue }
            out[name] = parts.count > 1 ? (decode(parts[1]) ?? "") : ""
        }
        return out
    }

    /// An optional integer parameter; `.failure` holds the 400 answer for a malformed value.
    func intParameter(_ name: String) -> Result<Int?, ResponseError> {
        guard let text = query[name] else { return .success(nil) }
        guard let value = Int(text) else {
            return .failure(ResponseError(.errors(400, "Invalid value for '\(name)': it must be an integer.")))
        }
        return .success(value)
    }

    /// An optional 0/1 flag (default 0).
    func flagParameter(_ name: String) -> Result<Bool, ResponseError> {
        switch query[name] {
        case nil, "0": return .success(false)
        case "1": return .success(true)
        default: return .failure(ResponseError(.errors(400, "Invalid value for '\(name)': it must be 0 or 1.")))
        }
    }

    /// An optional task status filter.
    func statusParameter() -> Result<SimTaskStatus?, ResponseError> {
        guard let text = query["status"] else { return .success(nil) }
        guard let status = SimTaskStatus(rawValue: text) else {
            return .failure(ResponseError(.errors(400, "Invalid value for 'status': it must be open or done.")))
        }
        return .success(status)
    }
}

/// A finished error answer carried through `throws`.
struct ResponseError: Error, Sendable {
    var response: SimResponse
    init(_ response: SimResponse) { self.response = response }
}
