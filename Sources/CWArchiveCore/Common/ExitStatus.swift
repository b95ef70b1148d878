/// The exit codes of `cwarchive`, a contract that scripts and cron jobs rely on.
public enum ExitStatus: Int32, Sendable {
    /// Done; for `archive`, the archive is complete.
    case ok = 0
    /// Fatal: authentication, configuration or storage. For `search`: nothing found.
    case fatal = 1
    /// For `search`: an error (like grep).
    case searchError = 2
    /// `archive` finished but the archive is known to be incomplete (failed items, gaps).
    case incomplete = 3
    /// The archive is locked by another run.
    case locked = 11
    /// Wrong usage (a bad flag or value).
    case usage = 64
}
