import ArgumentParser
import ChatworkSimulator
import CWArchiveCore
import Foundation

extension CWArchive {
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo",
            abstract: "Try everything on the built-in simulator: archive the sample workspace, export it, search it.",
            discussion: "Starts the simulator on a free loopback port with the sample workspace, archives it twice into the folder given by --out (the second run shows that unchanged rooms cost no request), shows what the archive holds, verifies it, exports it as HTML into OUT-export and searches it.")

        @Option(name: .long, help: ArgumentHelp("Where to put the demo archive.", valueName: "DIR"))
        var out: String = "cwarchive-demo"

        func validate() throws {
            try usageCheck {
                try UsageChecks.writableDirectory(out, flag: "--out")
                try UsageChecks.writableDirectory(out + "-export", flag: "--out")
            }
        }

        func run() async throws {
            let console = Console(quiet: false)
            guard let dir = ChatworkSimulator.sampleWorkspaceDirectory() else {
                console.warn("the sample workspace (samples/workspace) was not found next to this build; run the demo from a source checkout.")
                throw ExitCode(ExitStatus.fatal.rawValue)
            }
            let workspace = try ChatworkSimulator.loadWorkspace(from: dir)
            guard let token = workspace.tokens.keys.sorted().first else {
                console.warn("the sample workspace has no token")
                throw ExitCode(ExitStatus.fatal.rawValue)
            }
            let sim = ChatworkSimulator(workspace: workspace)
            try await sim.start(port: 0)
            defer { Task { await sim.stop() } }
            console.out("Simulator: \(sim.baseURL.absoluteString) serving \(workspace.rooms.count) rooms from \(dir.path)")

            let root = URL(fileURLWithPath: out, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
            var job = ArchiveJob()
            job.archiveFlag = root.path
            job.apiBaseFlag = sim.baseURL.absoluteString
            job.environment = ["CHATWORK_API_TOKEN": token]   // the token goes through the environment, never argv
            job.reportPath = root.path + "-report.json"
            console.out("\n== 1. First run: archive everything into \(root.path)")
            let first = await job.run(console: console)
            console.out("\n== 2. Second run: nothing changed, so only /rooms and the account endpoints are asked")
            sim.resetRequestLog()
            let second = await job.run(console: console)
            console.out("   requests made: \(sim.requestCount) (\(sim.requestLog().map { $0.split(separator: " ").prefix(2).joined(separator: " ") }.joined(separator: ", ")))")

            console.out("\n== 3. Status")
            let store = try ArchiveStore.open(at: root, create: false)
            console.out(try StatusReport.load(store: store).text)

            console.out("\n== 4. Verify")
            let verification = try ArchiveVerifier(store: store).verify()
            console.out(verification.isIntact ? "OK: \(verification.filesChecked) files and \(verification.manifests) manifests intact; head \(verification.headHash ?? "")" : "FAILED: \(verification)")

            let exportDir = URL(fileURLWithPath: root.path + "-export")
            console.out("\n== 5. Export to HTML")
            let export = try ExportJob(options: ExportOptions(archive: root, format: .html, output: exportDir, history: true)).run()
            console.out("\(export.rooms) rooms, \(export.messages) messages, \(export.attachmentsCopied) attachments → \(exportDir.path)")

            for query in ["資料", "slides", "打ち合わせ"] {
                console.out("\n== 6. Search: cwarchive search \(query) --archive \(root.path) --limit 3")
                let request = SearchRequest(query: query, roomIDs: [], accountIDs: [], since: nil, until: nil, limit: 3,
                                            includeHistory: false, sort: .newest, format: .text, countOnly: false)
                _ = SearchCommand.run(request, openStore: { store }, out: { console.outRaw($0) }, err: { console.warn($0) })
            }

            console.out("\nOpen the export: file://\(exportDir.path)/index.html")
            console.out("Try more: cwarchive status --archive \(root.path) · cwarchive search QUERY --archive \(root.path) · cwarchive export --archive \(root.path) --format csv --out DIR")
            await sim.stop()
            if first == .locked || second == .locked { throw ExitCode(ExitStatus.locked.rawValue) }
            if first == .fatal || second == .fatal { throw ExitCode(ExitStatus.fatal.rawValue) }
        }
    }
}
