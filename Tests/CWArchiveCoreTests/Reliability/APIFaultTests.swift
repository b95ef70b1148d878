import ChatworkSimulator
import Foundation
import Testing
@testable import CWArchiveCore
import CWTestSupport

/// Faults of the API and of the download host, injected by the simulator: a run completes or
/// exits 3 naming exactly the failed items in the report, and the next clean run completes
/// everything.
@Suite("Reliability: API and download faults", .serialized, .enabled(if: CLIRunner.isAvailable))
struct ReliabilityAPIFaultTests {
    enum Fault: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case storm429, serverErrors20, droppedConnections, longLatency, truncatedBodies, malformedJSON,
             wrongContentType, expiredDownloadURLs, htmlDownloadPage, everythingAtOnce
        var testDescription: String { rawValue }

        func configuration(seed: UInt64) -> FaultConfiguration {
            switch self {
            case .storm429: return FaultConfiguration(storm429Count: Reliability.long ? 10 : 4, seed: seed)
            case .serverErrors20: return FaultConfiguration(errorRate: 0.2, scope: .all, seed: seed)
            case .droppedConnections: return FaultConfiguration(dropRate: 0.1, scope: .all, seed: seed)
            case .longLatency: return FaultConfiguration(latency: Reliability.long ? 0.3 : 0.08, scope: .all, seed: seed)
            case .truncatedBodies: return FaultConfiguration(truncateRate: 0.15, scope: .all, seed: seed)
            case .malformedJSON: return FaultConfiguration(malformedJSONRate: 0.15, seed: seed)
            case .wrongContentType: return FaultConfiguration(wrongContentTypeRate: 0.15, seed: seed)
            case .expiredDownloadURLs: return FaultConfiguration(expireDownloadURLs: true, seed: seed)
            case .htmlDownloadPage: return FaultConfiguration(downloadHTMLErrorPage: true, seed: seed)
            case .everythingAtOnce:
                return FaultConfiguration(errorRate: 0.1, latency: 0.01, dropRate: 0.05, truncateRate: 0.05, malformedJSONRate: 0.05,
                                          wrongContentTypeRate: 0.05, storm429Count: 3, scope: .all, seed: seed)
            }
        }
    }

    @Test(arguments: Fault.allCases)
    func aFaultyRunNamesWhatItMissedAndACleanRunCompletes(fault: Fault) async throws {
        var faultyExits: [Int32: Int] = [:]
        var failuresNamed = 0
        for n in 0..<Reliability.faultSeeds {
            let seed = Reliability.seed &+ UInt64(n) &* 7919
            // A short rate window: a 429 storm waits seconds, not minutes.
            let h = try await SimulatorHarness(configuration: SimulatorConfiguration(rateWindow: 2, faults: fault.configuration(seed: seed)))
            try await withTeardown({ await h.stop() }) {
                let report = h.tmp.path("report.json")
                let faulty = try await ReliabilityCLI.run(ReliabilityCLI.archiveArgs(h, report: report), env: ReliabilityCLI.tokenEnv)
                faultyExits[faulty.status, default: 0] += 1
                // A storm longer than the client's 10 waits on /me (the first request, fatal by design)
                // ends the run with exit 1 and a message about the rate limit.
                let stormOnMe = fault == .storm429 && faulty.status == 1 && faulty.stderr.contains("rate limit")
                // One Bool, not `a || b || c` inside #expect: inside this closure the macro's
                // expansion of the chain judged `status == 3` false for a status of 3 (Swift 6.3).
                let exitIsExpected = faulty.status == 0 || faulty.status == 3 || stormOnMe
                #expect(exitIsExpected, "\(fault) seed \(seed): exit \(faulty.status): \(faulty.stderr)")
                let audit = try ArchiveAudit.check(h)
                #expect(audit.wrongFiles.isEmpty, "\(fault): a file was stored with the wrong bytes: \(audit.wrongFiles)")
                #expect(audit.duplicateMessages == 0, "\(fault): \(audit)")
                if faulty.status == 0 || faulty.status == 3 {
                    let summary = try JSONDecoder().decode(RunSummary.self, from: Data(contentsOf: report))
                    #expect(Int32(summary.exitCode) == faulty.status)
                    failuresNamed += summary.failures.count
                    if faulty.status == 0 {
                        #expect(audit.isComplete, "\(fault): exit 0 but \(audit)")
                    } else {
                        #expect(!summary.failures.isEmpty || !summary.gaps.isEmpty, "\(fault): exit 3 with nothing named")
                    }
                    // Every room that lacks something is named; every file named as failed is indeed not stored.
                    let named = Set(summary.failures.compactMap(\.roomID))
                    let accountLevel = summary.failures.contains { $0.roomID == nil }
                    for room in audit.incompleteRooms {
                        #expect(named.contains(room) || accountLevel, "\(fault): room \(room) is incomplete but not named: \(audit)")
                    }
                    for f in summary.failures {
                        if f.item.hasPrefix("file "), let id = Int(f.item.dropFirst(5)), let room = f.roomID {
                            let status = try h.count("SELECT COUNT(*) FROM files WHERE room_id = ? AND file_id = ? AND status = 'stored'", [room, id])
                            #expect(status == 0, "\(fault): file \(id) is named as failed but stored")
                        }
                        #expect(!f.error.isEmpty)
                    }
                    // The paragraph on stderr names each failure too.
                    for f in summary.failures { #expect(faulty.stderr.contains(f.item), "\(fault): stderr does not name \(f.item)") }
                }
                if fault == .expiredDownloadURLs || fault == .htmlDownloadPage {
                    #expect(faulty.status == 3, "\(fault): every download must fail")
                }

                // The next clean run completes everything.
                h.sim.setFaults(.none)
                let clean = try await ReliabilityCLI.run(ReliabilityCLI.archiveArgs(h, report: report), env: ReliabilityCLI.tokenEnv)
                #expect(clean.status == 0, "\(fault): clean run: \(clean.stderr)")
                let after = try ArchiveAudit.check(h)
                #expect(after.isComplete, "\(fault): after the clean run: \(after)")
                #expect(try await ReliabilityCLI.run(["verify", "--archive", h.archiveURL.path]).status == 0)
                let security = SecurityAudit.problems(archive: h.archiveURL, files: [report],
                                                      texts: ["stdout": faulty.stdout + clean.stdout, "stderr": faulty.stderr + clean.stderr],
                                                      cmdlines: faulty.cmdlines + clean.cmdlines)
                #expect(security.isEmpty, "\(fault): \(security)")
                #expect(h.sim.credentialLeakCount == 0)
            }
        }
        ReliabilityFigures.record("api_fault_\(fault.rawValue)", ["runs": Reliability.faultSeeds, "exit_0": faultyExits[0] ?? 0,
                                                                 "exit_3": faultyExits[3] ?? 0, "failures_named": failuresNamed])
    }
}
