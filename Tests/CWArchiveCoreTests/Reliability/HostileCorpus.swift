import ChatworkSimulator
import Foundation

/// The hostile-input corpus (`Fixtures/hostile/corpus.json`) plus generated extremes, and how
/// it is put into a simulator workspace.
struct HostileCorpus: Decodable {
    var bodies: [String]
    var filenames: [String]
    var roomNames: [String]
    var accountNames: [String]

    enum CodingKeys: String, CodingKey { case bodies, filenames, roomNames = "room_names", accountNames = "account_names" }

    static var folder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/hostile")
    }

    /// A marker every hostile file and room name carries, to look for files written where they must not be.
    static let marker = "evilmark"

    static func load() throws -> HostileCorpus {
        var corpus = try JSONDecoder().decode(HostileCorpus.self, from: Data(contentsOf: folder.appendingPathComponent("corpus.json")))
        corpus.bodies += generatedBodies()
        return corpus
    }

    /// Bodies too big to keep in a file: 65,535 characters, deeply nested tags.
    static func generatedBodies() -> [String] {
        [
            String(repeating: "a", count: 65_535),
            String(repeating: "会", count: 65_535),
            String(repeating: "<script>", count: 65_535 / 8),
            String(repeating: "[info]", count: 5000) + "deep" + String(repeating: "[/info]", count: 5000),
            String(repeating: "[qt][qtmeta aid=1000002 time=1]", count: 3000) + "deep" + String(repeating: "[/qt]", count: 3000),
            String(repeating: "[code]", count: 5000) + "<script>alert(1)</script>",
            String(repeating: "[info][title]", count: 4000),
            String(repeating: "[To:1000002]", count: 5000),
            String(repeating: "[rp aid=1000002 to=2000004-1]", count: 2000),
            String(repeating: "\u{202E}", count: 10_000) + "bidi",
            String(repeating: "\u{0301}", count: 20_000),
        ]
    }

    /// Every input tried, for the figures.
    var count: Int { bodies.count + filenames.count + roomNames.count + accountNames.count }

    static let firstRoom = 2_100_000
    static let filesRoom = 2_100_099
    static let poster = 1_000_090

    /// Adds accounts with hostile names, a room per hostile room name, every body as a message (in one room,
    /// fewer than 100) and every file name as a small file (in another), all visible to account 1000001.
    func install(into ws: inout SimWorkspace) throws {
        let past = Int(Date().timeIntervalSince1970) - 3600
        for (i, name) in accountNames.enumerated() {
            ws.accounts.append(SimAccount(accountId: Self.poster + i, name: name))
        }
        let members = [SimMember(accountId: 1000001, role: .admin)] + accountNames.indices.map { SimMember(accountId: Self.poster + $0, role: .member) }
        var rooms: [SimRoom] = [SimRoom(roomId: Self.firstRoom, name: "hostile corpus", type: .group, description: bodies.first ?? "", members: members),
                                SimRoom(roomId: Self.filesRoom, name: "hostile file names", type: .group, members: members)]
        for (i, name) in roomNames.enumerated() {
            rooms.append(SimRoom(roomId: Self.firstRoom + 1 + i, name: name, type: .group, description: name, members: members))
        }
        for room in rooms { try ws.addRoom(room) }
        var t = past
        for (i, body) in bodies.enumerated() {
            t += 1
            _ = try ws.addMessage(roomId: Self.firstRoom, accountId: Self.poster + i % max(1, accountNames.count), body: body, at: t)
        }
        for (i, name) in filenames.enumerated() {
            t += 1
            _ = try ws.addFile(roomId: Self.filesRoom, accountId: Self.poster, filename: name, size: 100 + i, at: t)
        }
        for (i, _) in roomNames.enumerated() {
            t += 1
            _ = try ws.addMessage(roomId: Self.firstRoom + 1 + i, accountId: Self.poster, body: bodies[i % bodies.count], at: t)
            _ = try ws.addFile(roomId: Self.firstRoom + 1 + i, accountId: Self.poster, filename: filenames[i % filenames.count], size: 50 + i, at: t)
        }
    }
}
