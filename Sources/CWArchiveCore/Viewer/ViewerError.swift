/// A viewer request that cannot be answered as asked: a bad parameter (HTTP 400) or something
/// the archive does not hold (HTTP 404). The message is one line for the person at the browser;
/// it never quotes more of the request than ``TerminalText/quoted(_:limit:)`` allows.
public enum ViewerError: Error, CustomStringConvertible, Sendable, Equatable {
    case badRequest(String)
    case notFound(String)

    /// The HTTP status code.
    public var status: Int {
        switch self {
        case .badRequest: 400
        case .notFound: 404
        }
    }

    public var description: String {
        switch self {
        case .badRequest(let s), .notFound(let s): s
        }
    }
}
