import ChatworkAPI
import CWArchiveCore
import Foundation

/// The remaining benchmark parts (search, export, memory, simulator runs), filled in as those parts land.
enum Extra {
    static func run(parts: Set<String>, data: DataSet, generated: [(Room, [Message])], messages: Int, table: inout ResultTable, work: URL, quick: Bool) async throws {
    }
}
