import Foundation
import Testing

/// The command-line suites are `.enabled(if: CLIRunner.isAvailable)`: without the binary they
/// are skipped, and a skip is easy to miss. This test turns a missing binary, or one older than the
/// sources (the suites would test old code), into a failure.
@Suite("The cwarchive binary")
struct CLIBinaryTests {
    @Test("the built cwarchive binary is there for the command-line suites, and not older than the sources")
    func binaryIsBuiltFromTheseSources() {
        let problem = BuiltBinary.problem()
        #expect(problem == nil, "\(problem ?? "")")
    }
}
