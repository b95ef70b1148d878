import Foundation
import Logging

/// Access tokens of one OAuth grant, renewed as a long run needs them.
///
/// - Before a request, a token within its refresh margin (60 s or a fifth of its lifetime,
///   whichever is smaller) is renewed; after a 401 the token is renewed once.
/// - Every renewal happens under the store's exclusive lock: the stored tokens are read again
///   first (another process may already have rotated them: then its tokens are used and no
///   refresh token is spent twice), the new refresh token is written durably before the new
///   access token is used, and only then is the lock released.
/// - Concurrent requests of one process share one renewal.
/// - A refused refresh (`invalid_grant`, revoked or deleted client) leaves the store as it was
///   and is thrown as ``OAuthError/refreshRefused(error:description:spentByInterruptedRun:)`` to
///   every later call as well.
public actor RefreshingTokenProvider: BearerTokenProvider {
    let store: any OAuthTokenStore
    let tokenClient: OAuthTokenClient
    let clock: any RateLimitClock
    let logger: Logger
    private var current: OAuthTokenSet?
    private var renewal: Task<OAuthTokenSet, any Error>?
    private var refusal: OAuthError?
    /// Refreshes this provider made (tokens adopted from another process not counted).
    public private(set) var refreshCount = 0
    /// How many times a failing token endpoint (unreachable, 5xx) is tried again within one renewal.
    public var transientRetries = 3

    public init(store: any OAuthTokenStore, tokenClient: OAuthTokenClient, clock: any RateLimitClock = SystemClock(),
                logger: Logger = Logger(label: "cwarchive.oauth")) {
        self.store = store
        self.tokenClient = tokenClient
        self.clock = clock
        self.logger = logger
    }

    public func accessToken() async throws -> String {
        if let refusal { throw refusal }
        if let current, !current.needsRefresh(at: clock.now()) { return current.accessToken }
        return try await renew(rejected: nil).accessToken
    }

    public func accessToken(replacingRejected rejected: String) async throws -> String {
        if let refusal { throw refusal }
        if let current, current.accessToken != rejected, !current.needsRefresh(at: clock.now()) { return current.accessToken }
        return try await renew(rejected: rejected).accessToken
    }

    /// One renewal at a time; callers that arrive meanwhile wait for it.
    private func renew(rejected: String?) async throws -> OAuthTokenSet {
        if let renewal { return try await renewal.value }
        let task = Task { try await self.renewUnderLock(rejected: rejected) }
        renewal = task
        defer { renewal = nil }
        do {
            let tokens = try await task.value
            current = tokens
            return tokens
        } catch let error as OAuthError where error.needsNewLogin {
            refusal = error
            throw error
        }
    }

    private func renewUnderLock(rejected: String?) async throws -> OAuthTokenSet {
        let lease = try await store.lock()
        defer { lease.release() }
        let stored = try lease.read()
        let now = clock.now()
        // Another holder (a process sharing the file, or the login) may have renewed already.
        let bad = rejected ?? current?.accessToken
        if stored.tokens.accessToken != bad, !stored.tokens.needsRefresh(at: now) {
            if current != nil { logger.info("using the OAuth access token another run renewed") }
            return stored.tokens
        }
        guard let refreshToken = stored.tokens.refreshToken else {
            throw OAuthError.refreshRefused(error: "no_refresh_token", description: "the credentials hold no refresh token", spentByInterruptedRun: nil)
        }
        let interruptedEarlier = stored.pendingRefreshSince
        var marked = stored
        marked.pendingRefreshSince = now
        try lease.write(marked)
        var attempt = 0
        while true {
            do {
                var fresh = try await tokenClient.refresh(refreshToken: refreshToken)
                if fresh.scope.isEmpty { fresh.scope = stored.tokens.scope }
                try lease.write(OAuthStoredTokens(tokens: fresh, lastRefreshedAt: fresh.obtainedAt, pendingRefreshSince: nil))
                refreshCount += 1
                logger.info("renewed the OAuth access token; it expires in \(Int(fresh.lifetime)) s")
                return fresh
            } catch let error as OAuthError {
                switch error {
                case .refused(_, let code, let description) where error.needsNewLogin:
                    // Leave the file as it was before this refresh.
                    try? lease.write(stored)
                    throw OAuthError.refreshRefused(error: code, description: description, spentByInterruptedRun: interruptedEarlier)
                case .unavailable where attempt < transientRetries:
                    attempt += 1
                    logger.warning("the OAuth token endpoint failed (\(error.description)); trying again (\(attempt) of \(transientRetries))")
                    try await clock.sleep(seconds: Double(attempt))
                default:
                    // The refresh token may or may not be spent: the pending mark stays, so that a
                    // later refusal is explained.
                    throw error
                }
            }
        }
    }
}
