/// `GET /rooms/{room_id}/files[/{file_id}]`: a file uploaded to a chat.
///
/// `filename` is whatever the uploader typed (it may contain `/`, `..` or control characters):
/// never use it as a path as it is. `download_url` is present only when asked for with
/// `create_download_url=1` and is valid for about 30 seconds.
public struct ChatworkFile: Codable, Sendable, Equatable, KeepsUnknownFields {
    /// What the response said beyond these fields (``UnknownFields``); not part of the encoding.
    public var unknownFields: JSONValue?
    public var fileID: Int
    public var account: Account
    public var messageID: String
    public var filename: String
    /// Size in bytes.
    public var filesize: Int
    /// Unix seconds.
    public var uploadTime: Int
    public var downloadURL: String?

    public init(
        fileID: Int, account: Account, messageID: String, filename: String, filesize: Int, uploadTime: Int,
        downloadURL: String? = nil
    ) {
        self.fileID = fileID
        self.account = account
        self.messageID = messageID
        self.filename = filename
        self.filesize = filesize
        self.uploadTime = uploadTime
        self.downloadURL = downloadURL
    }

    enum CodingKeys: String, CodingKey {
        case fileID = "file_id"
        case account
        case messageID = "message_id"
        case filename
        case filesize
        case uploadTime = "upload_time"
        case downloadURL = "download_url"
    }
}
