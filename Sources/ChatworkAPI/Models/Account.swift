/// The short account summary embedded in messages, tasks and files (`account`, `assigned_by_account`).
public struct Account: Codable, Sendable, Equatable, Hashable {
    public var accountID: Int
    public var name: String
    public var avatarImageURL: String

    public init(accountID: Int, name: String, avatarImageURL: String) {
        self.accountID = accountID
        self.name = name
        self.avatarImageURL = avatarImageURL
    }

    enum CodingKeys: String, CodingKey {
        case accountID = "account_id"
        case name
        case avatarImageURL = "avatar_image_url"
    }
}
