import ArgumentParser
import CWArchiveCore
import Foundation

extension CWArchive {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show per room what is archived, against the server's counts, with gaps and limitations.")

        @OptionGroup var archiveOption: ArchiveOption

        func validate() throws { try archiveOption.check(forWriting: false) }

        @Option(name: .long, help: "Output format: text or json.")
        var format: OutputFormat = .text

        enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

        func run() async throws {
            let console = Console(quiet: false)
            do {
                let store = try openArchive(archiveOption)
                let report = try StatusReport.load(store: store)
                switch format {
                case .text: console.out(report.text)
                case .json: console.out(try jsonString(report))
                }
            } catch {
                console.warn("\(error)")
                throw ExitCode(ExitStatus.fatal.rawValue)
            }
        }
    }
}

/// Opens an existing archive named by the shared options.
func openArchive(_ option: ArchiveOption) throws -> ArchiveStore {
    let env = ProcessInfo.processInfo.environment
    let config = try ConfigFile.load(path: ConfigFile.locate(flag: option.config, environment: env))
    let root = try ArchiveLocation.resolve(flag: option.archive, environment: env, config: config)
    return try ArchiveStore.open(at: root, create: false)
}

func jsonString(_ value: some Encodable, pretty: Bool = true) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
