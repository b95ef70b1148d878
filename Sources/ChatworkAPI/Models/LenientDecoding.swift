import Foundation

/// Decoding that survives an API that is not exactly as documented.
///
/// An archiver must not lose a whole room because one field is missing, `null`, or a number
/// written as a string. Identifiers are required (without them nothing can be stored), and
/// accept a number or a numeric string; every other field falls back to a neutral value.
/// Encoding is unchanged (the models' synthesized `encode(to:)`).
extension KeyedDecodingContainer {
    func lenientInt(_ key: Key) -> Int? {
        if let v = (try? decodeIfPresent(Int.self, forKey: key)) ?? nil { return v }
        if let s = (try? decodeIfPresent(String.self, forKey: key)) ?? nil { return Int(s.trimmingCharacters(in: .whitespaces)) }
        if let d = (try? decodeIfPresent(Double.self, forKey: key)) ?? nil, d.isFinite, abs(d) < 9e18 { return Int(d) }
        if let b = (try? decodeIfPresent(Bool.self, forKey: key)) ?? nil { return b ? 1 : 0 }
        return nil
    }

    func lenientString(_ key: Key) -> String? {
        if let s = (try? decodeIfPresent(String.self, forKey: key)) ?? nil { return s }
        if let i = (try? decodeIfPresent(Int.self, forKey: key)) ?? nil { return String(i) }
        if let d = (try? decodeIfPresent(Double.self, forKey: key)) ?? nil { return String(d) }
        if let b = (try? decodeIfPresent(Bool.self, forKey: key)) ?? nil { return String(b) }
        return nil
    }

    func lenientBool(_ key: Key) -> Bool? {
        if let b = (try? decodeIfPresent(Bool.self, forKey: key)) ?? nil { return b }
        if let i = (try? decodeIfPresent(Int.self, forKey: key)) ?? nil { return i != 0 }
        if let s = (try? decodeIfPresent(String.self, forKey: key)) ?? nil { return ["1", "true", "yes"].contains(s.lowercased()) }
        return nil
    }

    /// An identifier: a number or a numeric string; anything else is a decoding error.
    func requiredID(_ key: Key) throws -> Int {
        guard let v = lenientInt(key) else {
            if contains(key) {
                throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(key.stringValue) is not a number")
            }
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "\(key.stringValue) is missing"))
        }
        return v
    }

    /// A message id: a string (as documented), or a number written without quotes.
    func requiredMessageID(_ key: Key) throws -> String {
        if let s = (try? decodeIfPresent(String.self, forKey: key)) ?? nil, !s.isEmpty { return s }
        if let i = (try? decodeIfPresent(Int64.self, forKey: key)) ?? nil { return String(i) }
        if let u = (try? decodeIfPresent(UInt64.self, forKey: key)) ?? nil { return String(u) }
        if contains(key) {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(key.stringValue) is neither a string nor an integer")
        }
        throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "\(key.stringValue) is missing"))
    }

    func lenientAccount(_ key: Key) -> Account? { (try? decodeIfPresent(Account.self, forKey: key)) ?? nil }

    func open<T: OpenStringValue>(_ type: T.Type, _ key: Key) -> T { T(rawValue: lenientString(key) ?? "") }
}

extension Account {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(accountID: try c.requiredID(.accountID), name: c.lenientString(.name) ?? "",
                  avatarImageURL: c.lenientString(.avatarImageURL) ?? "")
    }
}

extension Message {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(messageID: try c.requiredMessageID(.messageID),
                  account: c.lenientAccount(.account) ?? Account(accountID: 0, name: "", avatarImageURL: ""),
                  body: c.lenientString(.body) ?? "", sendTime: c.lenientInt(.sendTime) ?? 0, updateTime: c.lenientInt(.updateTime) ?? 0)
    }
}

extension Room {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(roomID: try c.requiredID(.roomID), name: c.lenientString(.name) ?? "", type: c.open(RoomType.self, .type),
                  role: c.open(RoomRole.self, .role), sticky: c.lenientBool(.sticky) ?? false, unreadNum: c.lenientInt(.unreadNum) ?? 0,
                  mentionNum: c.lenientInt(.mentionNum) ?? 0, mytaskNum: c.lenientInt(.mytaskNum) ?? 0,
                  messageNum: c.lenientInt(.messageNum) ?? 0, fileNum: c.lenientInt(.fileNum) ?? 0, taskNum: c.lenientInt(.taskNum) ?? 0,
                  iconPath: c.lenientString(.iconPath) ?? "", lastUpdateTime: c.lenientInt(.lastUpdateTime) ?? 0,
                  description: c.lenientString(.description))
    }
}

extension RoomLink {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(isPublic: c.lenientBool(.isPublic) ?? false, url: c.lenientString(.url),
                  needAcceptance: c.lenientBool(.needAcceptance), description: c.lenientString(.description))
    }
}

extension Member {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(accountID: try c.requiredID(.accountID), role: c.open(RoomRole.self, .role), name: c.lenientString(.name) ?? "",
                  chatworkID: c.lenientString(.chatworkID), organizationID: c.lenientInt(.organizationID),
                  organizationName: c.lenientString(.organizationName), department: c.lenientString(.department),
                  avatarImageURL: c.lenientString(.avatarImageURL))
    }
}

extension RoomTask {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let nobody = Account(accountID: 0, name: "", avatarImageURL: "")
        self.init(taskID: try c.requiredID(.taskID), account: c.lenientAccount(.account) ?? nobody,
                  assignedByAccount: c.lenientAccount(.assignedByAccount) ?? nobody,
                  messageID: c.lenientString(.messageID) ?? "", body: c.lenientString(.body) ?? "",
                  limitTime: c.lenientInt(.limitTime) ?? 0, status: c.open(TaskStatus.self, .status),
                  limitType: c.open(TaskLimitType.self, .limitType))
    }
}

extension ChatworkFile {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(fileID: try c.requiredID(.fileID),
                  account: c.lenientAccount(.account) ?? Account(accountID: 0, name: "", avatarImageURL: ""),
                  messageID: c.lenientString(.messageID) ?? "", filename: c.lenientString(.filename) ?? "",
                  filesize: c.lenientInt(.filesize) ?? 0, uploadTime: c.lenientInt(.uploadTime) ?? 0,
                  downloadURL: c.lenientString(.downloadURL))
    }
}

extension MyStatus {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(unreadRoomNum: c.lenientInt(.unreadRoomNum) ?? 0, mentionRoomNum: c.lenientInt(.mentionRoomNum) ?? 0,
                  mytaskRoomNum: c.lenientInt(.mytaskRoomNum) ?? 0, unreadNum: c.lenientInt(.unreadNum) ?? 0,
                  mentionNum: c.lenientInt(.mentionNum) ?? 0, mytaskNum: c.lenientInt(.mytaskNum) ?? 0)
    }
}

extension MyTask {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(taskID: try c.requiredID(.taskID),
                  room: (try? c.decodeIfPresent(RoomSummary.self, forKey: .room)) ?? nil ?? RoomSummary(roomID: 0, name: ""),
                  assignedByAccount: c.lenientAccount(.assignedByAccount) ?? Account(accountID: 0, name: "", avatarImageURL: ""),
                  messageID: c.lenientString(.messageID) ?? "", body: c.lenientString(.body) ?? "",
                  limitTime: c.lenientInt(.limitTime) ?? 0, status: c.open(TaskStatus.self, .status),
                  limitType: c.open(TaskLimitType.self, .limitType))
    }
}

extension MyTask.RoomSummary {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(roomID: try c.requiredID(.roomID), name: c.lenientString(.name) ?? "", iconPath: c.lenientString(.iconPath))
    }
}

extension Me {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(accountID: try c.requiredID(.accountID), roomID: c.lenientInt(.roomID) ?? 0, name: c.lenientString(.name) ?? "",
                  chatworkID: c.lenientString(.chatworkID), organizationID: c.lenientInt(.organizationID),
                  organizationName: c.lenientString(.organizationName), department: c.lenientString(.department),
                  title: c.lenientString(.title), url: c.lenientString(.url), introduction: c.lenientString(.introduction),
                  mail: c.lenientString(.mail), telOrganization: c.lenientString(.telOrganization),
                  telExtension: c.lenientString(.telExtension), telMobile: c.lenientString(.telMobile),
                  skype: c.lenientString(.skype), facebook: c.lenientString(.facebook), twitter: c.lenientString(.twitter),
                  avatarImageURL: c.lenientString(.avatarImageURL), loginMail: c.lenientString(.loginMail))
    }
}

extension Contact {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(accountID: try c.requiredID(.accountID), roomID: c.lenientInt(.roomID) ?? 0, name: c.lenientString(.name) ?? "",
                  chatworkID: c.lenientString(.chatworkID), organizationID: c.lenientInt(.organizationID),
                  organizationName: c.lenientString(.organizationName), department: c.lenientString(.department),
                  avatarImageURL: c.lenientString(.avatarImageURL))
    }
}

extension IncomingRequest {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(requestID: try c.requiredID(.requestID), accountID: try c.requiredID(.accountID), message: c.lenientString(.message),
                  name: c.lenientString(.name) ?? "", chatworkID: c.lenientString(.chatworkID),
                  organizationID: c.lenientInt(.organizationID), organizationName: c.lenientString(.organizationName),
                  department: c.lenientString(.department), avatarImageURL: c.lenientString(.avatarImageURL))
    }
}
