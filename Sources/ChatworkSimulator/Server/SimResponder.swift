import Foundation
import Hummingbird
import NIOCore

/// Request context that keeps the connection, so a fault can close it without answering.
struct SimRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// Thrown to make Hummingbird abandon a connection (after a drop or a truncated body).
struct ConnectionAbandoned: Error {}

/// The one responder of the simulator: `/download/...` goes to the storage side, everything else
/// to the API (unknown paths answer 404 like the real one).
struct SimResponder: HTTPResponder {
    let core: SimulatorCore

    func respond(to request: Request, context: SimRequestContext) async throws -> Response {
        let path = request.uri.path
        if Self.isOAuth(path: path) { return try await answerOAuth(request) }
        let target = request.uri.description
        let method = request.method.rawValue
        let isDownload = path.hasPrefix("/download/")
        let plan = core.plan(isDownload: isDownload)
        if plan.latency > 0 {
            try? await Task.sleep(for: .seconds(plan.latency))
        }
        var response: SimResponse
        if isDownload {
            let hasToken = request.headers[Self.chatworkToken] != nil
            let hasAuthorization = request.headers[.authorization] != nil
            if plan.early == .drop {
                core.record(download: "\(method) \(path) DROPPED", leakedCredentials: hasToken || hasAuthorization)
                return try await drop(context)
            }
            let ticket = String(path.dropFirst("/download/".count))
            response = core.answerDownload(ticketId: ticket, hasAuthorization: hasAuthorization, early: plan.early)
            let suffix = plan.late == .truncate ? " TRUNCATED" : ""
            core.record(download: "\(method) \(path) \(response.status)\(suffix)", leakedCredentials: hasToken || hasAuthorization)
        } else {
            if plan.early == .drop {
                core.record(api: "\(method) \(target) DROPPED")
                return try await drop(context)
            }
            let token = SimulatorCore.token(
                chatworkHeader: request.headers[Self.chatworkToken],
                authorization: request.headers[.authorization])
            var segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            let isV2 = segments.first == "v2"
            if isV2 { segments.removeFirst() }
            var apiRequest = APIRequest(
                method: method, segments: isV2 ? segments : ["\u{0}not-v2"], query: Self.query(of: target), token: token)
            if method == "POST" || method == "PUT" {
                // The parameters of a write are form-encoded in the body (a message is at most 65,535 characters).
                if let body = try? await request.body.collect(upTo: 1 << 20) {
                    apiRequest.form = APIRequest.formParameters(String(decoding: body.readableBytesView, as: UTF8.self))
                    response = core.answerAPI(apiRequest, early: plan.early)
                } else {
                    response = .errors(413, "The request body is larger than 1 MiB.")
                }
            } else {
                response = core.answerAPI(apiRequest, early: plan.early)
            }
            if core.configuration.futureFields { response = FutureFields.adding(to: response) }
            let suffix: String
            switch plan.late {
            case .none: suffix = ""
            case .truncate: suffix = " TRUNCATED"
            case .malformedJSON: suffix = " MALFORMED"
            case .wrongContentType: suffix = " WRONG-CONTENT-TYPE"
            }
            core.record(api: "\(method) \(target) \(response.status)\(suffix)")
        }
        return Self.httpResponse(response, late: plan.late)
    }

    private func drop(_ context: SimRequestContext) async throws -> Response {
        try? await context.channel.close()
        throw ConnectionAbandoned()
    }

    static let chatworkToken = HeaderName("X-ChatWorkToken") ?? .authorization

    static func query(of target: String) -> [String: String] {
        guard let items = URLComponents(string: target)?.queryItems else { return [:] }
        var result: [String: String] = [:]
        for item in items where result[item.name] == nil {
            result[item.name] = item.value ?? ""
        }
        return result
    }
}
