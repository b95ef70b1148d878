import Foundation
@testable import ChatworkSimulator

/// A small workspace built in code, with one of each case the tests need.
enum Fixture {
    static let me = 101
    static let bob = 102
    static let carol = 103
    static let token = "tok-me"
    static let otherToken = "tok-me-2"   // same account, separate cursors
    static let bobToken = "tok-bob"

    static let myRoom = 1
    static let direct = 2
    static let adminGroup = 3
    static let readonlyGroup = 4
    static let foreignRoom = 5
    static let limitedRoom = 6
    static let emptyRoom = 7

    static let base = 1_700_000_000

    static func workspace(now: Int = base + 100_000) -> SimWorkspace {
        var ws = SimWorkspace(
            accounts: [
                SimAccount(accountId: me, name: "Me Myself", chatworkId: "me_cw", organizationId: 9, organizationName: "Org",
                           department: "Dev", title: "Engineer", mail: "me@example.com", loginMail: "me@example.com"),
                SimAccount(accountId: bob, name: "Bob", chatworkId: "bob_cw"),
                SimAccount(accountId: carol, name: "キャロル", chatworkId: "carol"),
            ],
            tokens: [token: me, otherToken: me, bobToken: bob],
            contacts: [SimContact(ownerAccountId: me, accountId: bob, roomId: direct)],
            incomingRequests: [SimIncomingRequest(ownerAccountId: me, requestId: 7, accountId: carol, message: "よろしく")],
            rooms: [
                SimRoom(roomId: myRoom, name: "マイチャット", type: .my, lastUpdateTime: base, members: [SimMember(accountId: me, role: .admin)]),
                SimRoom(roomId: direct, name: "Bob", type: .direct, unreadNum: 2, lastUpdateTime: base,
                        members: [SimMember(accountId: me, role: .member), SimMember(accountId: bob, role: .member)]),
                SimRoom(roomId: adminGroup, name: "Admins", type: .group, description: "group I administer", mentionNum: 1,
                        lastUpdateTime: base,
                        members: [SimMember(accountId: me, role: .admin), SimMember(accountId: bob, role: .member),
                                  SimMember(accountId: carol, role: .readonly)],
                        link: SimLink(public: true, url: "https://www.chatwork.com/g/admins", needAcceptance: true, description: "join")),
                SimRoom(roomId: readonlyGroup, name: "Announcements", type: .group, lastUpdateTime: base,
                        members: [SimMember(accountId: me, role: .readonly), SimMember(accountId: bob, role: .admin)]),
                SimRoom(roomId: foreignRoom, name: "Secret", type: .group, lastUpdateTime: base,
                        members: [SimMember(accountId: bob, role: .admin)]),
                SimRoom(roomId: limitedRoom, name: "Old times", type: .group, lastUpdateTime: base,
                        members: [SimMember(accountId: me, role: .member)],
                        messageLimitation: SimMessageLimitation(days: 40, summary: "free plan: 40 days")),
                SimRoom(roomId: emptyRoom, name: "Empty", type: .group, lastUpdateTime: base,
                        members: [SimMember(accountId: me, role: .member)]),
            ])
        // 250 messages in the admin group, the newest at `now - 1000`.
        _ = try? ws.addMessages(roomId: adminGroup, accountId: bob, count: 250, prefix: "msg", at: now - 1000)
        _ = try? ws.addMessage(roomId: direct, accountId: bob, body: "[To:101]Me Myself hello", at: now - 500)
        _ = try? ws.addTask(roomId: adminGroup, assignee: me, assignedBy: bob, body: "review", at: now - 400)
        _ = try? ws.addTask(roomId: adminGroup, assignee: bob, assignedBy: me, body: "fix", at: now - 300)
        _ = try? ws.addFile(roomId: adminGroup, accountId: bob, filename: "../../etc/passwd", size: 1000, seed: 5, at: now - 200)
        // Limited room: one message 100 days old, one 10 days old.
        _ = try? ws.addMessage(roomId: limitedRoom, accountId: me, body: "ancient", at: now - 100 * 86_400)
        _ = try? ws.addMessage(roomId: limitedRoom, accountId: me, body: "recent", at: now - 10 * 86_400)
        return ws
    }

    /// A started simulator on the fixture with a clock frozen at `base + 100_000`.
    static func start(
        rateLimit: Int = 300, downloadLifetime: TimeInterval = 30, faults: FaultConfiguration = .none,
        workspace: SimWorkspace? = nil
    ) async throws -> ChatworkSimulator {
        let clock = SimulatorClock(fixedAt: Date(timeIntervalSince1970: TimeInterval(base + 100_000)))
        let sim = ChatworkSimulator(
            workspace: workspace ?? Self.workspace(),
            configuration: SimulatorConfiguration(
                rateLimit: rateLimit, downloadURLLifetime: downloadLifetime, faults: faults, clock: clock))
        try await sim.start()
        return sim
    }

    /// Starts a simulator, runs `body` and stops the simulator (awaited, also when `body`
    /// throws), so that no test leaves a server running behind it.
    static func with(
        rateLimit: Int = 300, downloadLifetime: TimeInterval = 30, faults: FaultConfiguration = .none,
        workspace: SimWorkspace? = nil, _ body: (ChatworkSimulator) async throws -> Void
    ) async throws {
        try await running(try await start(rateLimit: rateLimit, downloadLifetime: downloadLifetime, faults: faults, workspace: workspace), body)
    }

    /// Runs `body` with a simulator that has been started, then stops it (awaited).
    static func running(_ sim: ChatworkSimulator, _ body: (ChatworkSimulator) async throws -> Void) async throws {
        do {
            try await body(sim)
        } catch {
            await sim.stop()
            throw error
        }
        await sim.stop()
    }
}

extension ChatworkSimulator {
    /// `baseURL` + a path like "/rooms/3/messages?force=1".
    func url(_ pathAndQuery: String) -> URL {
        URL(string: baseURL.absoluteString + pathAndQuery) ?? baseURL
    }
}
