import Foundation

/// What a run archives and how.
public struct ArchiveOptions: Sendable {
    /// Only these rooms (empty: every room the token can see).
    public var rooms: Set<Int> = []
    /// Never these rooms.
    public var excludedRooms: Set<Int> = []
    /// Download attachments (`--no-files` turns it off).
    public var downloadFiles = true
    /// Skip files larger than this many bytes (nil: no limit).
    public var maxFileSize: Int?
    /// Downloads at once (they do not count against the API limit; asking for their URLs does).
    public var downloadConcurrency = 4
    /// At most this many messages fetched one by one per run because replies point at them.
    public var maxReferenceFetches = 200
    /// Commit (data file + manifest) after this many rooms or records, whichever comes first.
    public var commitEveryRooms = 20
    public var commitEveryRecords = 5000
    /// zlib level of the data files.
    public var compressionLevel: Int32 = 6

    /// A changed room's details, members, tasks, files and invite link are fetched again at least
    /// this often even when nothing says they changed (`--refresh-days`; 0: every run).
    public var refreshDays = 7
    /// Start no new room when the run's requests would pass this (`--max-requests`; nil: no limit).
    public var maxRequests: Int?
    /// Start no new room when the run would last longer than this many seconds (`--max-duration`).
    public var maxDuration: Double?

    public init() {}
}
