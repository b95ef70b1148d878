import Foundation

/// The `--from` formats: the outputs of the tools people already use to export Chatwork, as
/// those tools write them (read from their source; the details are on each reader).
public enum ImportFormat: String, Sendable, CaseIterable, Codable {
    /// swdyh/goodbye_chatwork (Ruby): `chatwork_logs/<room_id>_<room name>.csv`, no header,
    /// (time, sender, body); attachments (`-x`) in `<room_id>_files_<room name>/<file_id>_<filename>`.
    case goodbyeChatwork = "goodbye-chatwork"
    /// HMasataka/chatwork-log-exporter (a Chrome extension): `<room_id>_messages.csv` always,
    /// `<room_id>_messages.json` (with `init_load.json`) when asked; attachments `<room_id>_<file_id>_<name>` beside them.
    case chatworkLogExporter = "chatwork-log-exporter"
    /// nothink/byecha (Python): `conf.json` and a folder per room of `<room_id>_last.json`,
    /// `<room_id>_<first_id>.json`; attachments in `file/<file_id>/<filename>`.
    case byecha
    /// The CSV of `cwarchive export --format csv`.
    case cwarchiveCSV = "cwarchive-csv"

    /// The accepted names, for usage errors.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// One file an import reads.
struct ImportSourceFile: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// Messages of one room (the room id from the file name, when the format puts it there).
        case messages(roomID: Int?, roomName: String?)
        /// An attachment, linked to `fileID` when the layout names it. The room is nil when the
        /// layout does not say (byecha's `file/<file_id>/`): the messages' `[download:<file_id>]` tell it.
        case attachment(roomID: Int?, fileID: Int?, filename: String)
        /// Contact and room names: byecha's `conf.json`, chatwork-log-exporter's `init_load.json`.
        case byechaConf
    }
    var url: URL
    /// The path relative to the `PATH` given (its own name when `PATH` is the file).
    var relativePath: String
    var kind: Kind
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

/// A `PATH` that cannot be imported (exit 64).
public struct ImportPathError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
