import CWArchiveCore
import CWArchiveServer
import Testing

@Suite struct BindAddressTests {
    @Test(arguments: ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "LOCALHOST"])
    func loopbackAddresses(host: String) throws {
        #expect(try BindAddress(host: host, port: 8080).isLoopback)
    }

    @Test(arguments: ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.com", "127.0.0.1.example.com", "1270.0.0.1"])
    func reachableAddresses(host: String) throws {
        #expect(try BindAddress(host: host, port: 8080).isLoopback == false)
    }

    @Test(arguments: [-1, 65_536, Int.max, Int.min])
    func badPorts(port: Int) {
        #expect(throws: UsageError.self) { try BindAddress(host: "127.0.0.1", port: port) }
    }

    @Test(arguments: ["", "   ", "a\u{0}b", "host name", "x\n"])
    func badHosts(host: String) {
        #expect(throws: UsageError.self) { try BindAddress(host: host, port: 1) }
    }

    @Test func ipv6IsBracketedInAuthority() throws {
        #expect(try BindAddress(host: "::1", port: 0).description == "[::1]:0")
        #expect(try BindAddress(host: "127.0.0.1", port: 80).description == "127.0.0.1:80")
    }
}
