@testable import ChatworkAPI
import Foundation
import Testing

@Suite("Credentials")
struct CredentialTests {
    let secret = "0123456789abcdefSECRETTOKEN"

    @Test("description, debugDescription, dump and interpolation never show the token")
    func redaction() {
        for credential in [ChatworkCredential.apiToken(secret), .oauthAccessToken(secret)] {
            var dumped = ""
            dump(credential, to: &dumped)
            let renderings = [
                credential.description, credential.debugDescription, "\(credential)", String(reflecting: credential),
                String(describing: [credential]), dumped, "\(Optional(credential) as Any)",
            ]
            for text in renderings {
                #expect(!text.contains(secret), "leaked in: \(text)")
                #expect(!text.contains("SECRET"))
            }
            #expect(credential.description.contains("redacted"))
        }
    }

    @Test("the header depends on the kind of token")
    func headers() {
        #expect(ChatworkCredential.apiToken("abc").header.name == "X-ChatWorkToken")
        #expect(ChatworkCredential.apiToken("abc").header.value == "abc")
        #expect(ChatworkCredential.oauthAccessToken("xyz").header.name == "Authorization")
        #expect(ChatworkCredential.oauthAccessToken("xyz").header.value == "Bearer xyz")
    }

    @Test("tokens that cannot go into a header are refused")
    func validation() {
        #expect(ChatworkCredential.apiToken("abc\r\nX-Evil: 1").validationProblem != nil)
        #expect(ChatworkCredential.apiToken("a b").validationProblem != nil)
        #expect(ChatworkCredential.apiToken("トークン").validationProblem != nil)
        #expect(ChatworkCredential.apiToken("").validationProblem != nil)
        #expect(ChatworkCredential.apiToken("0f1e2d3c4b5a").validationProblem == nil)
    }

    @Test func environment() {
        #expect(ChatworkCredential.fromEnvironment([:]) == nil)
        #expect(ChatworkCredential.fromEnvironment(["CHATWORK_API_TOKEN": "  \n"]) == nil)
        #expect(ChatworkCredential.fromEnvironment(["CHATWORK_API_TOKEN": " abc123\n"]) == .apiToken("abc123"))
        #expect(ChatworkCredential.fromEnvironment(["OTHER": "abc"]) == nil)
    }

    @Test("a token file: first line, trimmed; refused when others can read it")
    func tokenFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cw-cred-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("token")

        try Data("  \(secret)  \nsecond line\n".utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        #expect(try ChatworkCredential.fromFile(file) == .apiToken(secret))

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        let error = #expect(throws: CredentialError.self) { try ChatworkCredential.fromFile(file) }
        #expect(error == .insecurePermissions(path: file.path, mode: 0o644))
        #expect(error?.description.contains("chmod 600") == true)
        #expect(error?.description.contains(secret) == false)
        #expect(try ChatworkCredential.fromFile(file, allowInsecurePermissions: true) == .apiToken(secret))

        try Data("\n".utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        #expect(throws: CredentialError.emptyFile(path: file.path)) { try ChatworkCredential.fromFile(file) }

        try Data("has space inside\n".utf8).write(to: file)
        #expect(throws: CredentialError.self) { try ChatworkCredential.fromFile(file) }

        #expect(throws: CredentialError.self) { try ChatworkCredential.fromFile(folder.appendingPathComponent("missing")) }
    }
}

@Suite("Configuration")
struct ConfigurationTests {
    @Test func resolveBaseURL() throws {
        #expect(try ChatworkClientConfiguration.resolveBaseURL(flag: nil, environment: [:]).absoluteString == "https://api.chatwork.com/v2")
        #expect(try ChatworkClientConfiguration.resolveBaseURL(flag: nil, environment: ["CHATWORK_API_BASE": "https://proxy.example.com/cw/v2/"]).absoluteString
            == "https://proxy.example.com/cw/v2")
        #expect(try ChatworkClientConfiguration.resolveBaseURL(flag: "http://127.0.0.1:8080/v2", environment: ["CHATWORK_API_BASE": "https://x.example"]).absoluteString
            == "http://127.0.0.1:8080/v2")
        #expect(try ChatworkClientConfiguration.resolveBaseURL(flag: "http://localhost:9/v2", environment: [:]).host == "localhost")
        #expect(throws: ConfigurationError.self) { try ChatworkClientConfiguration.resolveBaseURL(flag: "http://api.example.com/v2", environment: [:]) }
        #expect(throws: ConfigurationError.self) { try ChatworkClientConfiguration.resolveBaseURL(flag: "api.chatwork.com", environment: [:]) }
        #expect(throws: ConfigurationError.self) { try ChatworkClientConfiguration.resolveBaseURL(flag: "ftp://a.example/v2", environment: [:]) }
        #expect(throws: ConfigurationError.self) { try ChatworkClientConfiguration.resolveBaseURL(flag: "https://a.example/v2?x=1", environment: [:]) }
    }
}
