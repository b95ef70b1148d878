/// An API request reduced to what the routes need.
struct APIRequest: Sendable {
    var method: String
    /// Path segments after `/v2`, e.g. ["rooms", "123", "messages"].
    var segments: [String]
    var query: [String: String]
    /// The token from `X-ChatWorkToken` or `Authorization: Bearer`, nil when neither was sent.
    var token: String?

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
