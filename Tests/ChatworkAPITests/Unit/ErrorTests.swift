@testable import ChatworkAPI
import Foundation
import NIOHTTP1
import Testing

@Suite("Errors and helpers")
struct ErrorTests {
    @Test("the errors body is decoded and cleaned")
    func errorBody() {
        #expect(ErrorBody.messages(from: Data(#"{"errors": ["Invalid API token"]}"#.utf8)) == ["Invalid API token"])
        #expect(ErrorBody.messages(from: Data(#"{"errors": ["a\u0000b\nc", "second"]}"#.utf8)) == ["abc", "second"])
        #expect(ErrorBody.messages(from: Data("<html>oops</html>".utf8)) == [])
        #expect(ErrorBody.messages(from: Data()) == [])
        let long = String(repeating: "x", count: 1000)
        #expect((ErrorBody.messages(from: Data(#"{"errors": ["\#(long)"]}"#.utf8)).first?.count ?? 0) <= 301)
    }

    @Test("every error tells what happened and what to do")
    func descriptions() {
        let unauthorized = ChatworkAPIError.unauthorized(messages: ["Invalid API token"])
        #expect(unauthorized.description.contains("CHATWORK_API_TOKEN"))
        #expect(unauthorized.description.contains("Invalid API token"))
        #expect(unauthorized.status == 401)
        let forbidden = ChatworkAPIError.forbidden(path: "/rooms/5/link", messages: [])
        #expect(forbidden.description.contains("/rooms/5/link"))
        #expect(forbidden.description.contains("permission"))
        #expect(ChatworkAPIError.server(status: 503, path: "/rooms", messages: []).description.contains("503"))
        #expect(ChatworkAPIError.malformedResponse(path: "/me", detail: "field x missing").description.contains("field x missing"))
        #expect(ChatworkAPIError.transport(path: "/me", detail: "connection refused").description.contains("CHATWORK_API_BASE"))
    }

    @Test("only transient failures are retried")
    func retryable() {
        #expect(ChatworkAPIError.server(status: 500, path: "/", messages: []).isRetryable)
        #expect(ChatworkAPIError.server(status: 503, path: "/", messages: []).isRetryable)
        #expect(ChatworkAPIError.transport(path: "/", detail: "").isRetryable)
        #expect(ChatworkAPIError.malformedResponse(path: "/", detail: "").isRetryable)
        #expect(ChatworkAPIError.unexpectedStatus(status: 408, path: "/", messages: []).isRetryable)
        #expect(!ChatworkAPIError.badRequest(path: "/", messages: []).isRetryable)
        #expect(!ChatworkAPIError.unauthorized(messages: []).isRetryable)
        #expect(!ChatworkAPIError.forbidden(path: "/", messages: []).isRetryable)
        #expect(!ChatworkAPIError.notFound(path: "/", messages: []).isRetryable)
        #expect(!ChatworkAPIError.rateLimited(path: "/", resetAt: nil, messages: []).isRetryable)
    }

    @Test("download errors flag expired links")
    func downloadErrors() {
        #expect(DownloadError.httpStatus(status: 403, url: "https://f.example/x").isExpiredLink)
        #expect(DownloadError.httpStatus(status: 403, url: "https://f.example/x").description.contains("30 seconds"))
        #expect(!DownloadError.httpStatus(status: 500, url: "https://f.example/x").isExpiredLink)
        #expect(DownloadError.htmlPage(status: 200, url: "u").isRetryable)
        #expect(!DownloadError.cannotWrite(path: "/x", detail: "disk full").isRetryable)
    }

    @Test("URLs in logs lose their query and user info")
    func loggableURL() throws {
        let url = try #require(URL(string: "https://user:pw@files.example.com:8443/a/b%20c.pdf?X-Amz-Signature=SECRET&e=1#frag"))
        let shown = LoggableURL.describe(url)
        #expect(shown == "https://files.example.com:8443/a/b%20c.pdf")
        #expect(!shown.contains("SECRET"))
    }

    @Test("HTTP dates")
    func httpDate() {
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == Date(timeIntervalSince1970: 784_111_777))
        #expect(HTTPDate.parse("Tue, 14 Nov 2023 22:13:20 GMT") == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(HTTPDate.parse("garbage") == nil)
        #expect(HTTPDate.parse("Sun, 06 Foo 1994 08:49:37 GMT") == nil)
        #expect(HTTPDate.parse(nil) == nil)
    }

    @Test("message limitation headers")
    func limitation() {
        var headers = HTTPHeaders()
        #expect(ChatworkClient.limitation(from: headers) == nil)
        headers.add(name: "chatwork-message-limitation", value: "true")
        headers.add(name: "chatwork-message-limitation-summary", value: "過去40日より前のメッセージは閲覧できません")
        #expect(ChatworkClient.limitation(from: headers) == MessageLimitation(limited: true, summary: "過去40日より前のメッセージは閲覧できません"))
    }

    @Test("path components are escaped")
    func pathComponents() throws {
        #expect(try ChatworkClient.pathComponent("1234567890", name: "id") == "1234567890")
        #expect(try ChatworkClient.pathComponent("../x?y", name: "id") == "..%2Fx%3Fy")
        #expect(throws: ChatworkAPIError.self) { try ChatworkClient.pathComponent("", name: "id") }
    }
}
