import ArgumentParser
import ChatworkSimulator
import CWArchiveCore
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

        func validate() throws {
            try usageCheck {
                try UsageChecks.number(port, flag: "--port", in: 0...65_535)
                if let workspace { try UsageChecks.existingDirectory(workspace, flag: "--workspace") }
                try UsageChecks.number(rateLimit, flag: "--rate-limit", in: 1...1_000_000)
                try UsageChecks.seconds(rateWindow, flag: "--rate-window", in: 0.001...86_400)
                try UsageChecks.seconds(downloadUrlLifetime, flag: "--download-url-lifetime", in: 0.001...86_400)
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
            try await sim.start(port: port)
            console.out("Chatwork simulator serving \(dir.path) at \(sim.baseURL.absoluteString)")
            console.out("Tokens: see \(dir.appendingPathComponent("README.md").path). Stop with Ctrl-C.")
            while !Task.isCancelled { try await Task.sleep(nanoseconds: 3_600_000_000_000) }
        }
    }
}
