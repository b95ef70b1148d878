/// Everything the simulator serves: people, tokens, contacts, requests and rooms with their full
/// history. Tests build one in code or load `samples/workspace` with
/// `ChatworkSimulator.loadWorkspace(from:)`; the JSON form uses snake_case keys.
public struct SimWorkspace: Codable, Sendable, Hashable {
    /// Every person who appears anywhere (members, senders, contacts, requesters).
    public var accounts: [SimAccount]
    /// API token → the account it authenticates as. Several tokens may share one account.
    public var tokens: [String: Int]
    public var contacts: [SimContact]
    public var incomingRequests: [SimIncomingRequest]
    public var rooms: [SimRoom]

    public init(
        accounts: [SimAccount] = [], tokens: [String: Int] = [:], contacts: [SimContact] = [],
        incomingRequests: [SimIncomingRequest] = [], rooms: [SimRoom] = []
    ) {
        self.accounts = accounts
        self.tokens = tokens
        self.contacts = contacts
        self.incomingRequests = incomingRequests
        self.rooms = rooms
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            accounts: try c.decodeIfPresent([SimAccount].self, forKey: .accounts) ?? [],
            tokens: try c.decodeIfPresent([String: Int].self, forKey: .tokens) ?? [:],
            contacts: try c.decodeIfPresent([SimContact].self, forKey: .contacts) ?? [],
            incomingRequests: try c.decodeIfPresent([SimIncomingRequest].self, forKey: .incomingRequests) ?? [],
            rooms: try c.decodeIfPresent([SimRoom].self, forKey: .rooms) ?? [])
    }

    /// The account with this id; a placeholder named "Unknown user" if the workspace lacks it
    /// (the API still answers with an account object for people who left).
    public func account(_ accountId: Int) -> SimAccount {
        accounts.first { $0.accountId == accountId } ?? SimAccount(accountId: accountId, name: "Unknown user \(accountId)")
    }

    /// Index of the room with this id in `rooms`.
    public func roomIndex(_ roomId: Int) -> Int? {
        rooms.firstIndex { $0.roomId == roomId }
    }

    /// The room with this id.
    public func room(_ roomId: Int) -> SimRoom? {
        roomIndex(roomId).map { rooms[$0] }
    }

    /// Rooms `accountId` is a member of, in workspace order.
    public func rooms(of accountId: Int) -> [SimRoom] {
        rooms.filter { $0.role(of: accountId) != nil }
    }
}
