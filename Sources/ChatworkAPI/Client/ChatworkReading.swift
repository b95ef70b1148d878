import Foundation

/// The calls of the Chatwork API that an archive run makes: the shape of the API as the
/// archiver sees it. ``ChatworkClient`` is the real one; tests give the archiver an in-process
/// fake instead, which needs no HTTP and no real time.
///
/// Every requirement behaves as the ``ChatworkClient`` method of the same name: errors are
/// ``ChatworkAPIError`` (or ``DownloadError`` for ``download(from:to:expectedSize:)``).
public protocol ChatworkReading: Sendable {
    /// `GET /me`
    func me() async throws -> Me
    /// `GET /my/status`
    func myStatus() async throws -> MyStatus
    /// `GET /my/tasks`; `nil` arguments are left out of the query.
    func myTasks(assignedBy: Int?, status: String?) async throws -> [MyTask]
    /// `GET /contacts`
    func contacts() async throws -> [Contact]
    /// `GET /incoming_requests`
    func incomingRequests() async throws -> [IncomingRequest]
    /// `GET /rooms`
    func rooms() async throws -> [Room]
    /// `GET /rooms/{room_id}`
    func room(_ roomID: Int) async throws -> Room
    /// `GET /rooms/{room_id}/members`
    func members(roomID: Int) async throws -> [Member]
    /// `GET /rooms/{room_id}/messages`, with the message-limitation headers of the answer.
    func messages(roomID: Int, force: Bool) async throws -> MessagesPage
    /// `GET /rooms/{room_id}/messages/{message_id}`
    func message(roomID: Int, messageID: String) async throws -> Message
    /// `GET /rooms/{room_id}/tasks`; `nil` arguments are left out of the query.
    func tasks(roomID: Int, accountID: Int?, assignedBy: Int?, status: String?) async throws -> [RoomTask]
    /// `GET /rooms/{room_id}/files`; `nil` arguments are left out of the query.
    func files(roomID: Int, accountID: Int?) async throws -> [ChatworkFile]
    /// `GET /rooms/{room_id}/files/{file_id}`, with a fresh `download_url` when asked.
    func file(roomID: Int, fileID: Int, createDownloadURL: Bool) async throws -> ChatworkFile
    /// `GET /rooms/{room_id}/link`
    func link(roomID: Int) async throws -> RoomLink
    /// Downloads a file from a `download_url` to `destination`, hashing it on the way.
    func download(from url: URL, to destination: URL, expectedSize: Int?) async throws -> DownloadResult
    /// Counters of the requests made so far (the run summary reports them).
    var statistics: ClientStatistics { get async }
}

extension ChatworkClient: ChatworkReading {}
