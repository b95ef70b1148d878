import Foundation
import Testing
import CWTestSupport

/// The command-line suites are `.enabled(if: CLIRunner.isAvailable)`: without the binary they
/// are skipped, and a skip is easy to miss. This test turns a missing binary into a failure; the binary is
/// the one of the same build as the tests (``BuiltBinary``), never another build's.
@Suite("The cwarchive binary")
struct CLIBinaryTests {
    @Test("the built cwarchive binary is there for the command-line suites, from the same build as the tests")
    func binaryIsBuiltFromTheseSources() {
        let problem = BuiltBinary.problem()
        #expect(problem == nil, "\(problem ?? "")")
    }
}
