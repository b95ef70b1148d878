import CWTestSupport
import Testing

/// `serve` and `listen` are tested through the binary; a missing or stale one fails here.
@Suite("The cwarchive binary (server suites)")
struct ServerBinaryTests {
    @Test func theBinaryOfThisBuildIsThere() {
        let problem = BuiltBinary.problem()
        #expect(problem == nil, "\(problem ?? "")")
    }
}
