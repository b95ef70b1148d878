import Foundation
import Hummingbird

/// The HTTP glue of the OAuth endpoints (same origin as the API in the simulator; the real
/// service has them on www.chatwork.com and oauth.chatwork.com).
extension SimResponder {
    static func isOAuth(path: String) -> Bool {
        path == SimOAuthServer.authorizePath || path == SimOAuthServer.tokenPath
    }

    func answerOAuth(_ request: Request) async throws -> Response {
        let path = request.uri.path
        let response: SimResponse
        if path == SimOAuthServer.authorizePath {
            response = request.method == .get
                ? core.oauth.authorize(query: Self.query(of: request.uri.description))
                : SimOAuthServer.page(405, "Use GET.")
        } else {
            let body = try await request.body.collect(upTo: 64 * 1024)
            response = core.oauth.token(method: request.method.rawValue, contentType: request.headers[.contentType],
                                        authorization: request.headers[.authorization], body: Data(body.readableBytesView))
        }
        return Self.httpResponse(response, late: .none)
    }
}
