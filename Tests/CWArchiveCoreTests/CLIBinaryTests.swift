import Foundation
import Testing

/// The command-line suites are `.enabled(if: CLIRunner.isAvailable)`: without the binary they
/// are skipped, and a skip is easy to miss. This test turns a missing binary into a failure.
@Suite("The cwarchive binary")
struct CLIBinaryTests {
    @Test("the built cwarchive binary is there for the command-line suites")
    func binaryIsBuilt() {
        #expect(CLIRunner.isAvailable,
                "no executable at \(CLIRunner.binary.path): the CLI, search, export and reliability suites were skipped; run `swift build` first")
    }
}
