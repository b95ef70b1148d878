import ChatworkAPI
import ChatworkSimulator
import Foundation
import Logging
import Testing

/// A simulator on loopback and a client pointed at it, torn down after the body.
enum SimulatorHarness {
    static let aliceToken = "alice-token-0123456789abcdef"
    static let bobToken = "bob-token-fedcba9876543210"

    static let alice = 1001
    static let bob = 1002
    static let carol = 1003

    static let myRoom = 10
    static let directRoom = 11
    static let groupRoom = 12
    static let readonlyRoom = 13
    static let foreignRoom = 14
    static let emptyRoom = 15
    static let limitedRoom = 16

    static let smallFileID = 501
    static let smallFileSize = 70_000
    static let smallFileSeed: UInt64 = 77
    static let bigFileID = 502
    static let bigFileSize = 20 * 1024 * 1024
    static let bigFileSeed: UInt64 = 4242

    static let now = Int(Date().timeIntervalSince1970)

    /// A rate limit so high that pacing adds almost nothing: for tests not about the rate limit.
    /// (With the real 300 per 5 minutes the client paces at about one request per second.)
    static let generousLimit = 100_000

    /// The simulator configuration of tests not about the rate limit.
    static func fast(faults: FaultConfiguration = .none, clock: SimulatorClock = SimulatorClock()) -> SimulatorConfiguration {
        SimulatorConfiguration(rateLimit: generousLimit, rateWindow: 300, downloadURLLifetime: 30, faults: faults, clock: clock)
    }

    /// A small workspace that reaches every endpoint and every answer.
    static func workspace() -> SimWorkspace {
        let accounts = [
            SimAccount(accountId: alice, name: "Alice", chatworkId: "alice", organizationId: 7, organizationName: "ACME",
                department: "Dev", title: "Engineer", mail: "alice@example.com", loginMail: "alice@example.com"),
            SimAccount(accountId: bob, name: "Bob"),
            SimAccount(accountId: carol, name: "山田 花子"),
        ]
        let group = SimRoom(
            roomId: groupRoom, name: "開発チーム", type: .group, description: "The team room",
            lastUpdateTime: now - 100,
            members: [.init(accountId: alice, role: .admin), .init(accountId: bob, role: .member), .init(accountId: carol, role: .readonly)],
            messages: [
                SimMessage(messageId: "1600000000000000001", accountId: bob, body: "[To:1001]Alice\nこんにちは", sendTime: now - 300),
                SimMessage(messageId: "1600000000000000002", accountId: alice, body: "[info][title]Notice[/title]Hello[/info]", sendTime: now - 200, updateTime: now - 150),
                SimMessage(messageId: "1600000000000000003", accountId: carol, body: "[download:501]data.bin (70 KB)[/download]", sendTime: now - 100),
            ],
            tasks: [
                SimTask(taskId: 301, accountId: alice, assignedByAccountId: bob, messageId: "1600000000000000001", body: "Review",
                    limitTime: now + 86_400, status: .open, limitType: .date),
                SimTask(taskId: 302, accountId: bob, assignedByAccountId: alice, messageId: "1600000000000000002", body: "Deploy", status: .done),
            ],
            files: [
                SimFile(fileId: smallFileID, accountId: carol, messageId: "1600000000000000003", filename: "data.bin",
                    filesize: smallFileSize, uploadTime: now - 100, content: .generated(seed: smallFileSeed)),
                SimFile(fileId: bigFileID, accountId: alice, messageId: "1600000000000000003", filename: "../../big video.mp4",
                    filesize: bigFileSize, uploadTime: now - 90, content: .generated(seed: bigFileSeed)),
            ],
            link: SimLink(public: true, url: "https://www.chatwork.com/g/abc", needAcceptance: true, description: "Join us"))
        let rooms = [
            SimRoom(roomId: myRoom, name: "マイチャット", type: .my, members: [.init(accountId: alice, role: .admin)]),
            SimRoom(roomId: directRoom, name: "Bob", type: .direct,
                members: [.init(accountId: alice, role: .admin), .init(accountId: bob, role: .admin)]),
            group,
            SimRoom(roomId: readonlyRoom, name: "Announcements", type: .group,
                members: [.init(accountId: alice, role: .readonly), .init(accountId: bob, role: .admin)]),
            SimRoom(roomId: foreignRoom, name: "Secret", type: .group, members: [.init(accountId: bob, role: .admin)]),
            SimRoom(roomId: emptyRoom, name: "Empty", type: .group, members: [.init(accountId: alice, role: .member)]),
            SimRoom(roomId: limitedRoom, name: "Old room", type: .group, members: [.init(accountId: alice, role: .member)],
                messages: [
                    SimMessage(messageId: "1500000000000000001", accountId: bob, body: "very old", sendTime: now - 100 * 86_400),
                    SimMessage(messageId: "1500000000000000002", accountId: bob, body: "recent", sendTime: now - 86_400),
                ],
                messageLimitation: SimMessageLimitation(days: 40, summary: "Free plan: 40 days")),
        ]
        return SimWorkspace(
            accounts: accounts,
            tokens: [aliceToken: alice, bobToken: bob],
            contacts: [SimContact(ownerAccountId: alice, accountId: bob, roomId: directRoom)],
            incomingRequests: [SimIncomingRequest(ownerAccountId: alice, requestId: 900, accountId: carol, message: "よろしく")],
            rooms: rooms)
    }

    /// A configuration for tests: quick backoff, the simulator's base URL.
    static func clientConfiguration(_ sim: ChatworkSimulator) -> ChatworkClientConfiguration {
        var configuration = ChatworkClientConfiguration(baseURL: sim.baseURL, userAgent: "ChatworkAPITests")
        configuration.backoffBase = 0.01
        configuration.backoffMaximum = 0.05
        configuration.requestTimeout = 10
        configuration.connectTimeout = 2
        return configuration
    }

    /// Starts a simulator, makes a client, runs `body`, and stops both whatever happens.
    static func run(
        simulator configuration: SimulatorConfiguration = fast(),
        credential: ChatworkCredential = .apiToken(aliceToken),
        clock: any RateLimitClock = SystemRateLimitClock(),
        maxRetries: Int? = nil,
        maxRateLimitWaits: Int? = nil,
        _ body: (ChatworkSimulator, ChatworkClient) async throws -> Void
    ) async throws {
        let sim = ChatworkSimulator(workspace: workspace(), configuration: configuration)
        try await sim.start(port: 0)
        var clientConfiguration = clientConfiguration(sim)
        if let maxRetries { clientConfiguration.maxRetries = maxRetries }
        if let maxRateLimitWaits { clientConfiguration.maxRateLimitWaits = maxRateLimitWaits }
        var logger = Logger(label: "ChatworkAPITests")
        logger.logLevel = .critical
        let client = ChatworkClient(credential: credential, configuration: clientConfiguration, clock: clock, logger: logger)
        do {
            try await body(sim, client)
            try await client.shutdown()
            await sim.stop()
        } catch {
            try? await client.shutdown()
            await sim.stop()
            throw error
        }
    }

    /// A fresh temporary folder, removed by the caller.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cw-api-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Log lines of the simulator ("GET /v2/me 200 [FAULT]") with this status.
    static func count(status: Int, in log: [String]) -> Int {
        log.filter { line in
            let parts = line.split(separator: " ")
            return parts.count >= 3 && parts[2] == Substring(String(status))
        }.count
    }
}
