import CWArchiveCore
import Foundation
import Hummingbird

/// The viewer's one responder: checks the method, decodes the target strictly, keeps other
/// sites out (the Host check without a token, the token or cookie with one), then routes to
/// the ``ArchiveViewer``. Every answer, errors included, carries ``ViewerHeaders``.
struct ViewerResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let viewer: ArchiveViewer
    let auth: ViewerAuth?
    /// Where problems the user should see go (stderr); never given a token.
    let warn: @Sendable (String) -> Void

    func respond(to request: Request, context: Context) async throws -> Response {
        let rawPath = request.uri.path
        let api = rawPath.hasPrefix("/api/")
        do {
            guard request.method == .get else {
                return error(.methodNotAllowed, "only GET is supported: the viewer is read-only", api: api, extra: [(.allow, "GET")])
            }
            let target = try RequestTarget(path: rawPath, query: request.uri.query)
            if auth == nil, !Self.isLoopbackAuthority(request.head.authority) {
                // A page of another site that resolves its own name to 127.0.0.1 (DNS rebinding)
                // must not read the archive: without a token only loopback names are served.
                return error(.forbidden, "this viewer answers only requests for 127.0.0.1, localhost or [::1]; to share it, start it with --auth-token-file", api: api)
            }
            switch target.segments {
            case ["login"]: return login(target)
            case ["favicon.ico"]: return ViewerHeaders.response(.noContent, type: "image/x-icon", body: [UInt8]())
            default: break
            }
            if let auth, !auth.allows(authorization: request.headers[values: .authorization], cookies: request.headers[values: .cookie]) {
                return error(.unauthorized, "this viewer needs its access token: open /login?token=TOKEN once, or send Authorization: Bearer TOKEN",
                             api: api, extra: [(ViewerHeaders.wwwAuthenticate, "Bearer realm=\"cwarchive\"")])
            }
            return try await route(target, request: request, context: context)
        } catch let e as ViewerError {
            return error(HTTPResponse.Status(code: e.status), e.description, api: api)
        } catch {
            warn("serve: \(TerminalText.sanitize("\(error)"))")
            return self.error(.internalServerError, "the archive could not be read: \(error)", api: api)
        }
    }

    private func route(_ t: RequestTarget, request: Request, context: Context) async throws -> Response {
        let viewer = self.viewer
        switch t.segments {
        case []:
            return ViewerHeaders.html(try await Self.offload { try viewer.roomListPage() })
        case let s where s.count == 2 && s[0] == "rooms":
            guard let roomID = RequestTarget.positiveID(s[1]) else { throw ViewerError.notFound("no such room") }
            let anchor = try Self.anchor(t)
            let history = try t.flag("history")
            return ViewerHeaders.html(try await Self.offload { try viewer.roomPage(roomID: roomID, anchor: anchor, history: history) })
        case let s where s.count == 4 && s[0] == "rooms" && s[2] == "messages":
            guard let roomID = RequestTarget.positiveID(s[1]), let messageID = RequestTarget.messageID(s[3]) else {
                throw ViewerError.notFound("no such message")
            }
            return ViewerHeaders.html(try await Self.offload { try viewer.messagePage(roomID: roomID, messageID: messageID) })
        case ["search"]:
            let p = try Self.searchParameters(t)
            do {
                return ViewerHeaders.html(try await Self.offload { try viewer.searchPage(p) })
            } catch let e as ViewerError {
                let page = try await Self.offload { viewer.searchErrorPage(p, message: e.description) }
                return ViewerHeaders.html(HTTPResponse.Status(code: e.status), page)
            }
        case ["api", "rooms"]:
            return ViewerHeaders.json(try await Self.offload { try viewer.roomsJSON() })
        case ["api", "search"]:
            let p = try Self.searchParameters(t)
            return ViewerHeaders.json(try await Self.offload { try viewer.searchJSON(p) })
        case let s where s.count == 2 && s[0] == "files":
            // Only a hash found in the index reaches the store; anything else is 404 at once.
            let sha = s[1]
            let file = try await Self.offload { try viewer.file(sha256: sha) }
            return try await FileDelivery.respond(file, etag: "\"\(sha.lowercased())\"", ifNoneMatch: request.headers[.ifNoneMatch], context: context)
        case ["assets", "style.css"]:
            return ViewerHeaders.response(.ok, type: "text/css; charset=utf-8", body: viewer.stylesheet.utf8,
                                          extra: [(.cacheControl, "no-cache")])
        case ["assets", "viewer.js"]:
            return ViewerHeaders.response(.ok, type: "text/javascript; charset=utf-8", body: ViewerAssets.script.utf8,
                                          extra: [(.cacheControl, "no-cache")])
        default:
            throw ViewerError.notFound("there is no page at this address")
        }
    }

    /// `GET /login?token=TOKEN`: a good token sets the session cookie and goes to `/`.
    private func login(_ t: RequestTarget) -> Response {
        guard let auth else { return ViewerHeaders.redirect(to: "/") }
        guard let token = try? t.value("token"), auth.isToken(token) else {
            return error(.unauthorized, "that is not this viewer's access token", api: false,
                         extra: [(ViewerHeaders.wwwAuthenticate, "Bearer realm=\"cwarchive\"")])
        }
        return ViewerHeaders.redirect(to: "/", extra: [(.setCookie, auth.setCookie)])
    }

    private func error(_ status: HTTPResponse.Status, _ message: String, api: Bool, extra: [(HeaderName, String)] = []) -> Response {
        api ? ViewerHeaders.jsonError(status, message, extra: extra)
            : ViewerHeaders.html(status, viewer.errorPage(status: status.code, message: message), extra: extra)
    }

    // MARK: - Parameters

    static func anchor(_ t: RequestTarget) throws(ViewerError) -> ViewerAnchor {
        let before = try t.value("before"), after = try t.value("after")
        let oldest = try t.flag("oldest")
        if [before != nil, after != nil, oldest].filter({ $0 }).count > 1 {
            throw .badRequest("give at most one of before, after and oldest")
        }
        if let before {
            guard let id = RequestTarget.messageID(before) else { throw .badRequest("before must be a message id") }
            return .before(id)
        }
        if let after {
            guard let id = RequestTarget.messageID(after) else { throw .badRequest("after must be a message id") }
            return .after(id)
        }
        return oldest ? .oldest : .newest
    }

    static func searchParameters(_ t: RequestTarget) throws(ViewerError) -> ViewerSearchParameters {
        let since = try t.value("since").flatMap { $0.isEmpty ? nil : $0 }
        let until = try t.value("until").flatMap { $0.isEmpty ? nil : $0 }
        var cursor = try t.value("cursor")
        if cursor == nil { cursor = try t.value("next") }
        return ViewerSearchParameters(query: try t.value("q") ?? "", roomIDs: try t.ids("room"), accountIDs: try t.ids("account"),
                                      since: since, until: until, history: try t.flag("history"),
                                      cursor: cursor.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// Whether a Host header names this machine: 127.0.0.0/8, localhost or [::1], with any port.
    static func isLoopbackAuthority(_ authority: String?) -> Bool {
        guard let a = authority?.lowercased(), !a.isEmpty else { return false }
        var host = a
        if a.hasPrefix("[") {
            guard let close = a.firstIndex(of: "]") else { return false }
            host = String(a[a.index(after: a.startIndex)..<close])
        } else if let colon = a.lastIndex(of: ":") {
            host = String(a[..<colon])
        }
        return (try? BindAddress(host: host, port: 0))?.isLoopback ?? false
    }

    /// Runs index reads and rendering off the event loop.
    static func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}
