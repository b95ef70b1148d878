import ChatworkAPI
import ChatworkSimulator
import CWArchiveCore
import CWArchiveServer
import Foundation

/// A temporary folder, removed with the object.
final class ServeTempDir: @unchecked Sendable {
    let url: URL
    init(_ name: String) {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    func path(_ p: String) -> URL { url.appendingPathComponent(p) }
}

/// The simulator serving the sample workspace (with its hostile room), an archive made from it
/// by real runs of the archiver, and viewers serving that archive on 127.0.0.1, port 0.
///
/// `@unchecked Sendable`: set up once, then only read (the simulator and the servers are
/// thread-safe themselves).
final class ServeHarness: @unchecked Sendable {
    static let token = "demo-token-0000"
    static let groupRoom = 2000004
    static let busyRoom = 2000006
    static let hostileRoom = 2000007
    /// Messages the harness adds: this many mention 稟議 (more than one page of hits).
    static let ringiCount = 60

    let sim: ChatworkSimulator
    let tmp = ServeTempDir("cwarchive-serve")
    var archiveURL: URL { tmp.path("archive") }
    /// Ids of the messages the harness added and changed.
    private(set) var ringiIDs: [String] = []
    private(set) var editedID = ""
    private(set) var deletedID = ""

    init() async throws {
        guard let dir = ChatworkSimulator.sampleWorkspaceDirectory() else { throw RawHTTP.Failure(description: "no sample workspace") }
        sim = ChatworkSimulator(workspace: try ChatworkSimulator.loadWorkspace(from: dir))
        try await sim.start(port: 0)
    }

    func stop() async { await sim.stop() }

    /// Adds the 稟議 messages, archives, edits one and deletes another, archives again.
    func build() async throws {
        let past = Int(Date().timeIntervalSince1970) - 3600
        let room = Self.groupRoom
        ringiIDs = try sim.updateWorkspace { ws in
            try (0..<Self.ringiCount).map { n in
                try ws.addMessage(roomId: room, accountId: n % 2 == 0 ? 1000001 : 1000003, body: "稟議書 \(n + 1) 件目を提出しました", at: past + n)
            }
        }
        editedID = ringiIDs[Self.ringiCount - 1]
        deletedID = ringiIDs[Self.ringiCount - 2]
        try await archive()
        try sim.updateWorkspace { ws in
            try ws.editMessage(roomId: room, messageId: editedID, body: "稟議書の第二版を提出しました", at: past + 100)
            try ws.deleteMessage(roomId: room, messageId: deletedID, at: past + 101)
        }
        try await archive()
    }

    /// One archive run in this process.
    func archive() async throws {
        let store = try ArchiveStore.open(at: archiveURL, create: true)
        var config = ChatworkClientConfiguration(baseURL: sim.baseURL)
        config.backoffBase = 0.01
        config.backoffMaximum = 0.05
        let client = ChatworkClient(credential: .apiToken(Self.token), configuration: config)
        do {
            _ = try await Archiver(store: store, client: client, options: ArchiveOptions()).run()
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// A built harness shared by the read-only tests (built once per test process).
    static let shared = Task { () throws -> ServeHarness in
        let h = try await ServeHarness()
        try await h.build()
        return h
    }
}

/// A viewer listening on 127.0.0.1, port 0, until ``stop()``.
final class RunningViewer: @unchecked Sendable {
    let task: Task<Void, Error>
    let url: String
    let port: Int
    var http: RawHTTP { RawHTTP(port: port) }

    private init(task: Task<Void, Error>, url: String, port: Int) {
        self.task = task; self.url = url; self.port = port
    }

    static func start(archive: URL, token: String? = nil, tmp: ServeTempDir? = nil, templates: URL? = nil) async throws -> RunningViewer {
        var tokenFile: URL?
        if let token, let tmp {
            let f = tmp.path("token-\(UUID().uuidString)")
            try Data((token + "\n").utf8).write(to: f)
            tokenFile = f
        }
        let config = try ServeConfiguration(bind: try BindAddress(host: "127.0.0.1", port: 0), archive: archive,
                                            tokenFile: tokenFile, templates: templates)
        let server = try ViewerServer(configuration: config, timeZone: TimeZone(identifier: "Asia/Tokyo") ?? .current)
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        let task = Task {
            defer { continuation.finish() }
            try await server.run(handleSignals: false) { continuation.yield($0) }
        }
        for await url in stream {
            guard let port = Int(url.split(separator: ":").last?.filter(\.isNumber) ?? "") else { break }
            return RunningViewer(task: task, url: url, port: port)
        }
        task.cancel()
        _ = try await task.value
        throw RawHTTP.Failure(description: "the viewer did not start")
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}
