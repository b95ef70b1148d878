/// A value typed on the command line (or in a config file) that cannot be used: the message
/// names the flag, shows the value (``TerminalText/quoted(_:limit:)``) and says what is accepted.
/// The front end turns it into exit 64 (`search`: 2).
public struct UsageError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
