import ArgumentParser
import ChatworkSimulator
import CWArchiveCore
import CWArchiveServer
import Foundation

extension CWArchive {
    struct Simulate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "simulate",
            abstract: "Serve a workspace as a fake Chatwork API on loopback (for trying cwarchive without a real account).",
            discussion: "Point cwarchive at it with --api-base http://127.0.0.1:PORT/v2 and the workspace's token in CHATWORK_API_TOKEN (samples/workspace/README.md names it).")

        @Option(name: .long, help: "Port to listen on (0: any free port).")
        var port: Int = 8080

        @Option(name: .long, help: ArgumentHelp("Workspace folder (default: the sample workspace).", valueName: "DIR"))
        var workspace: String?

        @Option(name: .long, help: "Requests allowed per rate-limit window.")
        var rateLimit: Int = 300

        @Option(name: .long, help: "Rate-limit window in seconds.")
        var rateWindow: Double = 300

        @Option(name: .long, help: "Seconds a download URL stays valid.")
        var downloadUrlLifetime: Double = 30

        @Option(name: .long, help: ArgumentHelp("Faults to inject, e.g. error=0.2,latency=0.5,storm=5 (keys: \(FaultConfiguration.specHelp.replacingOccurrences(of: "\n", with: " ")))", valueName: "SPEC"))
        var faults: String?

        @Flag(name: .long, help: "Add members the real API does not have yet to every JSON answer (x_future_field, x_future_flag), to see that an archive keeps them.")
        var futureFields = false

        @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("A room event webhook setting, as on Chatwork's settings page: every message posted or edited in the room is delivered, signed with the token in the file, to --webhook-url (repeatable; at most 5).", valueName: "ROOM_ID=TOKEN_FILE"))
        var webhook: [String] = []

        @Option(name: .long, help: ArgumentHelp("Where webhook deliveries are posted (default http://127.0.0.1:8080/chatwork/webhook, cwarchive listen's default).", valueName: "URL"))
        var webhookUrl: String = "http://127.0.0.1:8080/chatwork/webhook"

        @Option(name: .long, help: ArgumentHelp("How every delivery is made: normal, twice (Chatwork may duplicate one) or never (a delivery lost on the way).", valueName: "MODE"))
        var webhookDelivery: String = "normal"

        static let deliveryModes: [String: SimDeliveryMode] = ["normal": .normal, "twice": .twice, "never": .never]

        func validate() throws {
            try usageCheck {
                try UsageChecks.number(port, flag: "--port", in: 0...65_535)
                if let workspace { try UsageChecks.existingDirectory(workspace, flag: "--workspace") }
                try UsageChecks.number(rateLimit, flag: "--rate-limit", in: 1...1_000_000)
                try UsageChecks.seconds(rateWindow, flag: "--rate-window", in: 0.001...86_400)
                try UsageChecks.seconds(downloadUrlLifetime, flag: "--download-url-lifetime", in: 0.001...86_400)
                try UsageChecks.httpURL(webhookUrl, flag: "--webhook-url")
                guard Self.deliveryModes[webhookDelivery] != nil else {
                    throw UsageError("--webhook-delivery \(TerminalText.quoted(webhookDelivery, limit: 40)): give normal, twice or never")
                }
                guard webhook.count <= SimWebhookSender.maxSettings else {
                    throw UsageError("--webhook: Chatwork allows at most \(SimWebhookSender.maxSettings) webhook settings per account")
                }
                var rooms = Set<Int>()
                for value in webhook {
                    let (room, file) = try ListenConfiguration.parseWebhook(value)
                    guard rooms.insert(room).inserted else { throw UsageError("--webhook: room \(room) is given twice (one token file per room)") }
                    try UsageChecks.tokenFile(file, flag: "--webhook")
                }
            }
            do { _ = try FaultConfiguration(spec: faults ?? "") } catch {
                throw ValidationError("--faults \(TerminalText.quoted(faults ?? "")): cannot read \(TerminalText.quoted(error.item)): \(error.reason) (`cwarchive simulate --help` lists the faults)")
            }
        }

        func run() async throws {
            let console = Console(quiet: false)
            guard let dir = workspace.map({ URL(fileURLWithPath: $0) }) ?? ChatworkSimulator.sampleWorkspaceDirectory() else {
                console.warn("no workspace: pass --workspace DIR (the sample workspace is in samples/workspace of the source checkout).")
                throw ExitCode(ExitStatus.fatal.rawValue)
            }
            let ws: SimWorkspace
            do { ws = try ChatworkSimulator.loadWorkspace(from: dir) } catch {
                console.warn("cannot load the workspace \(dir.path): \(error)")
                throw ExitCode(ExitStatus.fatal.rawValue)
            }
            let faultConfiguration: FaultConfiguration
            do { faultConfiguration = try FaultConfiguration(spec: faults ?? "") } catch {
                console.warn("\(error)")
                throw ExitCode(ExitStatus.usage.rawValue)
            }
            var configuration = SimulatorConfiguration(
                rateLimit: rateLimit, rateWindow: rateWindow, downloadURLLifetime: downloadUrlLifetime, faults: faultConfiguration)
            configuration.futureFields = futureFields
            let sim = ChatworkSimulator(workspace: ws, configuration: configuration)
            do {
                guard let url = URL(string: webhookUrl) else { throw UsageError("--webhook-url: not a URL") }
                for value in webhook {
                    let (room, file) = try ListenConfiguration.parseWebhook(value)
                    let token = try WebhookToken.read(path: file, flag: "--webhook")
                    try sim.addRoomWebhook(roomId: room, url: url, token: Data(token.key).base64EncodedString(),
                                           delivery: Self.deliveryModes[webhookDelivery] ?? .normal)
                }
            } catch {
                console.warn("\(error)")
                throw ExitCode(ExitStatus.fatal.rawValue)
            }
            try await sim.start(port: port)
            console.out("Chatwork simulator serving \(dir.path) at \(sim.baseURL.absoluteString)")
            console.out("Tokens: see \(dir.appendingPathComponent("README.md").path). Stop with Ctrl-C.")
            for setting in sim.webhookSettings {
                if case .room(let room) = setting.scope {
                    console.out("Webhook \(setting.id): messages posted or edited in room \(room) are delivered to \(webhookUrl) (\(webhookDelivery))")
                }
            }
            while !Task.isCancelled { try await Task.sleep(nanoseconds: 3_600_000_000_000) }
        }
    }
}
