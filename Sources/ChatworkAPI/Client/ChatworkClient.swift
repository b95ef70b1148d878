import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// A read-only client of the Chatwork API v2.
///
/// One client holds one HTTP connection pool, one rate limiter and the statistics of a run.
/// Requests are paced to stay within the server's rate limit, a 429 is waited out, and GETs that
/// fail for a transient reason (5xx, timeout, dropped connection, unreadable body) are retried with
/// jittered exponential backoff. Call ``shutdown()`` when done.
///
/// The token is sent only to the API base URL, never to a download host, and never logged.
public actor ChatworkClient {
    let credential: ChatworkCredential
    /// Where OAuth access tokens come from when they are renewed during the run (nil: `credential`).
    let tokenProvider: (any BearerTokenProvider)?
    public nonisolated let configuration: ChatworkClientConfiguration
    let clock: any RateLimitClock
    let logger: Logger
    let http: HTTPClient
    private let httpConfiguration: HTTPClient.Configuration
    /// Downloads run on an event loop of their own: each part is hashed and written to disk on
    /// the loop where it is read (``DownloadReceiver``), and a slow disk must not hold up API
    /// requests or anything else of the process that shares the default loops. Made by the
    /// first download.
    private var downloadPool: (client: HTTPClient, loop: MultiThreadedEventLoopGroup)?
    let backoff: Backoff
    var limiter: RateLimiter
    var stats = ClientStatistics()
    var isShutDown = false

    public init(
        credential: ChatworkCredential,
        configuration: ChatworkClientConfiguration = .init(),
        clock: any RateLimitClock = SystemClock(),
        logger: Logger = Logger(label: "cwarchive.chatwork-api")
    ) {
        self.init(credential: credential, tokenProvider: nil, configuration: configuration, clock: clock, logger: logger)
    }

    init(
        credential: ChatworkCredential,
        tokenProvider: (any BearerTokenProvider)?,
        configuration: ChatworkClientConfiguration,
        clock: any RateLimitClock,
        logger: Logger
    ) {
        self.credential = credential
        self.tokenProvider = tokenProvider
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        self.backoff = Backoff(base: configuration.backoffBase, maximum: configuration.backoffMaximum)
        self.limiter = RateLimiter(settings: configuration.rateLimit)
        var httpConfiguration = HTTPClient.Configuration(
            // Never follow a redirect with the token header; downloads follow them by hand without it.
            redirectConfiguration: .disallow,
            timeout: .init(connect: Self.timeAmount(configuration.connectTimeout), read: Self.timeAmount(configuration.downloadIdleTimeout))
        )
        httpConfiguration.decompression = .disabled
        self.httpConfiguration = httpConfiguration
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
    }

    /// A client that sends `Authorization: Bearer` with the access token `tokenProvider` gives
    /// before each request (renewed before it expires), and on a 401 asks it for a fresh token
    /// once and sends the request again.
    public init(
        tokenProvider: any BearerTokenProvider,
        configuration: ChatworkClientConfiguration = .init(),
        clock: any RateLimitClock = SystemClock(),
        logger: Logger = Logger(label: "cwarchive.chatwork-api")
    ) {
        self.init(credential: .oauthAccessToken(""), tokenProvider: tokenProvider, configuration: configuration, clock: clock, logger: logger)
    }

    /// The HTTP client for downloads, on its own event loop (made on first use).
    var downloads: HTTPClient {
        if let pool = downloadPool { return pool.client }
        let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let client = HTTPClient(eventLoopGroupProvider: .shared(loop), configuration: httpConfiguration)
        downloadPool = (client, loop)
        return client
    }

    deinit {
        if !isShutDown {
            // A forgotten shutdown() must not crash or leak the pools.
            http.shutdown { _ in }
            if let pool = downloadPool {
                pool.client.shutdown { _ in pool.loop.shutdownGracefully { _ in } }
            }
        }
    }

    /// Closes the connections. The client cannot be used afterwards.
    public func shutdown() async throws {
        guard !isShutDown else { return }
        isShutDown = true
        try await http.shutdown()
        if let pool = downloadPool {
            try await pool.client.shutdown()
            try await pool.loop.shutdownGracefully()
        }
    }

    /// Counters of this client's requests, waits and downloads.
    public var statistics: ClientStatistics { stats }

    static func timeAmount(_ seconds: TimeInterval) -> TimeAmount {
        guard seconds.isFinite, seconds > 0 else { return .hours(24) }
        return .milliseconds(Int64(min(seconds, 86_400) * 1_000))
    }
}

// MARK: - Endpoints

extension ChatworkClient {
    /// `GET /me`
    public func me() async throws -> Me {
        try await get(Me.self, path: "/me")
    }

    /// `GET /my/status`
    public func myStatus() async throws -> MyStatus {
        try await get(MyStatus.self, path: "/my/status")
    }

    /// `GET /my/tasks`; `status` is `open` or `done` (the server's default is `open`).
    public func myTasks(assignedBy: Int? = nil, status: String? = nil) async throws -> [MyTask] {
        var query: [URLQueryItem] = []
        if let assignedBy { query.append(.init(name: "assigned_by_account_id", value: String(assignedBy))) }
        if let status { query.append(.init(name: "status", value: status)) }
        return try await getList(MyTask.self, path: "/my/tasks", query: query)
    }

    /// `GET /contacts`
    public func contacts() async throws -> [Contact] {
        try await getList(Contact.self, path: "/contacts")
    }

    /// `GET /incoming_requests`
    public func incomingRequests() async throws -> [IncomingRequest] {
        try await getList(IncomingRequest.self, path: "/incoming_requests")
    }

    /// `GET /rooms`: every chat of the token's owner.
    public func rooms() async throws -> [Room] {
        try await getList(Room.self, path: "/rooms")
    }

    /// `GET /rooms/{room_id}`: one chat, with its description.
    public func room(_ roomID: Int) async throws -> Room {
        try await get(Room.self, path: "/rooms/\(roomID)")
    }

    /// `GET /rooms/{room_id}/members`
    public func members(roomID: Int) async throws -> [Member] {
        try await getList(Member.self, path: "/rooms/\(roomID)/members")
    }

    /// `GET /rooms/{room_id}/messages`: at most the newest 100 messages. With `force: true` the
    /// newest 100 whatever was fetched before; with `false` only those this token has not fetched
    /// yet (a cursor the server keeps per token). An empty page may be caused by the free-plan
    /// viewing limit: check `limitation`.
    public func messages(roomID: Int, force: Bool) async throws -> MessagesPage {
        let (messages, headers) = try await fetch(
            [Message].self, path: "/rooms/\(roomID)/messages",
            query: [.init(name: "force", value: force ? "1" : "0")], noContent: [])
        return MessagesPage(messages: messages, limitation: Self.limitation(from: headers))
    }

    /// `GET /rooms/{room_id}/messages/{message_id}`: one message, also an old one.
    public func message(roomID: Int, messageID: String) async throws -> Message {
        try await get(Message.self, path: "/rooms/\(roomID)/messages/\(try Self.pathComponent(messageID, name: "message id"))")
    }

    /// `GET /rooms/{room_id}/tasks`
    public func tasks(roomID: Int, accountID: Int? = nil, assignedBy: Int? = nil, status: String? = nil) async throws -> [RoomTask] {
        var query: [URLQueryItem] = []
        if let accountID { query.append(.init(name: "account_id", value: String(accountID))) }
        if let assignedBy { query.append(.init(name: "assigned_by_account_id", value: String(assignedBy))) }
        if let status { query.append(.init(name: "status", value: status)) }
        return try await getList(RoomTask.self, path: "/rooms/\(roomID)/tasks", query: query)
    }

    /// `GET /rooms/{room_id}/tasks/{task_id}`
    public func task(roomID: Int, taskID: Int) async throws -> RoomTask {
        try await get(RoomTask.self, path: "/rooms/\(roomID)/tasks/\(taskID)")
    }

    /// `GET /rooms/{room_id}/files`: at most 100 files.
    public func files(roomID: Int, accountID: Int? = nil) async throws -> [ChatworkFile] {
        var query: [URLQueryItem] = []
        if let accountID { query.append(.init(name: "account_id", value: String(accountID))) }
        return try await getList(ChatworkFile.self, path: "/rooms/\(roomID)/files", query: query)
    }

    /// `GET /rooms/{room_id}/files/{file_id}`. With `createDownloadURL` the answer carries a
    /// `download_url` valid for about 30 seconds: ask right before downloading, never store it.
    public func file(roomID: Int, fileID: Int, createDownloadURL: Bool) async throws -> ChatworkFile {
        let query: [URLQueryItem] = createDownloadURL ? [.init(name: "create_download_url", value: "1")] : []
        return try await get(ChatworkFile.self, path: "/rooms/\(roomID)/files/\(fileID)", query: query)
    }

    /// `GET /rooms/{room_id}/link`: the invitation link (403 for non-admins is normal).
    public func link(roomID: Int) async throws -> RoomLink {
        try await get(RoomLink.self, path: "/rooms/\(roomID)/link")
    }

    // MARK: Helpers

    func get<T: Decodable & Sendable>(_ type: T.Type, path: String, query: [URLQueryItem] = []) async throws -> T {
        try await fetch(type, path: path, query: query, noContent: nil).value
    }

    /// A list endpoint: 204 (nothing) is an empty list.
    func getList<T: Decodable & Sendable>(_ type: T.Type, path: String, query: [URLQueryItem] = []) async throws -> [T] {
        try await fetch([T].self, path: path, query: query, noContent: []).value
    }

    static func limitation(from headers: HTTPHeaders) -> MessageLimitation? {
        let flag = headers.first(name: "chatwork-message-limitation")?.trimmingCharacters(in: .whitespaces).lowercased()
        let summary = headers.first(name: "chatwork-message-limitation-summary")
        guard flag != nil || summary != nil else { return nil }
        let limited = flag.map { $0 == "true" || $0 == "1" } ?? true
        return MessageLimitation(limited: limited, summary: summary)
    }

    static func pathComponent(_ value: String, name: String) throws -> String {
        guard !value.isEmpty else { throw ChatworkAPIError.invalidArgument("the \(name) is empty") }
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
        guard let encoded = value.addingPercentEncoding(withAllowedCharacters: allowed) else {
            throw ChatworkAPIError.invalidArgument("the \(name) \"\(value)\" cannot be put in a URL")
        }
        return encoded
    }
}
