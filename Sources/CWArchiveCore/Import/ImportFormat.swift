import Foundation

/// The `--from` formats: the outputs of the tools people already use to export Chatwork.
public enum ImportFormat: String, Sendable, CaseIterable, Codable {
    /// swdyh/goodbye_chatwork: `<room_id>_<room name>.csv`, no header, (time, sender, body);
    /// attachments in `<room_id>_files_<room name>/<file_id>_<filename>`.
    case goodbyeChatwork = "goodbye-chatwork"
    /// HMasataka/chatwork-log-exporter: `<room_id>_messages.json` or `<room_id>_messages.csv`.
    case chatworkLogExporter = "chatwork-log-exporter"
    /// nothink/byecha: `conf.json` and a folder per room of `<room_id>_last.json`, `<room_id>_<first_id>.json`.
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
        /// An attachment: goodbye-chatwork's `<file_id>_<filename>` in a room's files folder.
        case attachment(roomID: Int, fileID: Int?, filename: String)
        /// byecha's `conf.json` (contact and room names).
        case byechaConf
    }
    var url: URL
    /// The path relative to the `PATH` given (its own name when `PATH` is the file).
    var relativePath: String
    var kind: Kind
}

/// Finds the files of a format under the paths given.
enum ImportDiscovery {
    /// Every file of `format` under `path` (the file itself, or a folder walked in name order).
    /// Throws ``ImportPathError`` when the path does not exist or holds nothing of the format.
    static func files(format: ImportFormat, path: URL) throws -> [ImportSourceFile] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isDir) else {
            throw ImportPathError(description: "PATH \(TerminalText.quoted(path.path)): no such file or folder")
        }
        var found: [ImportSourceFile] = []
        if !isDir.boolValue {
            let name = path.lastPathComponent
            let parent = path.deletingLastPathComponent().lastPathComponent
            if let kind = classify(format: format, name: name, parentFolder: parent) {
                found.append(ImportSourceFile(url: path, relativePath: name, kind: kind))
            }
        } else {
            let base = path.standardizedFileURL.pathComponents
            let keys: [URLResourceKey] = [.isRegularFileKey, .isSymbolicLinkKey]
            guard let walker = FileManager.default.enumerator(at: path, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles]) else {
                throw ImportPathError(description: "PATH \(TerminalText.quoted(path.path)): the folder cannot be read")
            }
            while let url = walker.nextObject() as? URL {
                let values = try? url.resourceValues(forKeys: Set(keys))
                // Links are not followed: a link can point outside the folder or make a loop.
                guard values?.isSymbolicLink != true, values?.isRegularFile == true else { continue }
                let parts = url.standardizedFileURL.pathComponents
                let relative = parts.count > base.count ? parts[base.count...].joined(separator: "/") : url.lastPathComponent
                let parent = url.deletingLastPathComponent().lastPathComponent
                if let kind = classify(format: format, name: url.lastPathComponent, parentFolder: parent) {
                    found.append(ImportSourceFile(url: url, relativePath: relative, kind: kind))
                }
            }
        }
        guard found.contains(where: { if case .attachment = $0.kind { return false } else { return true } }) else {
            throw ImportPathError(description: "PATH \(TerminalText.quoted(path.path)): no \(format.rawValue) files found (\(expected(format)))")
        }
        // byecha's names first, then messages, then attachments; each in path order.
        func rank(_ f: ImportSourceFile) -> Int {
            switch f.kind { case .byechaConf: 0; case .messages: 1; case .attachment: 2 }
        }
        return found.sorted { (rank($0), $0.relativePath) < (rank($1), $1.relativePath) }
    }

    static func expected(_ format: ImportFormat) -> String {
        switch format {
        case .goodbyeChatwork: "expected <room_id>_<room name>.csv"
        case .chatworkLogExporter: "expected <room_id>_messages.json or <room_id>_messages.csv"
        case .byecha: "expected conf.json and <room_id>_last.json or <room_id>_<first_id>.json"
        case .cwarchiveCSV: "expected the .csv files of `cwarchive export --format csv`"
        }
    }

    /// What a file is in `format`, from its name and its folder's name; nil for files the format does not write.
    static func classify(format: ImportFormat, name: String, parentFolder: String) -> ImportSourceFile.Kind? {
        switch format {
        case .goodbyeChatwork:
            if let (roomID, rest) = leadingNumber(parentFolder), rest.hasPrefix("_files_") {
                if let (fileID, rest) = leadingNumber(name), rest.hasPrefix("_"), rest.count > 1 {
                    return .attachment(roomID: roomID, fileID: fileID, filename: String(rest.dropFirst()))
                }
                return .attachment(roomID: roomID, fileID: nil, filename: name)
            }
            guard name.lowercased().hasSuffix(".csv"), let (roomID, rest) = leadingNumber(String(name.dropLast(4))), rest.hasPrefix("_") else { return nil }
            return .messages(roomID: roomID, roomName: String(rest.dropFirst()))
        case .chatworkLogExporter:
            for suffix in ["_messages.json", "_messages.csv"] where name.hasSuffix(suffix) {
                if let (roomID, rest) = leadingNumber(String(name.dropLast(suffix.count))), rest.isEmpty {
                    return .messages(roomID: roomID, roomName: nil)
                }
            }
            return nil
        case .byecha:
            if name == "conf.json" { return .byechaConf }
            guard name.hasSuffix(".json"), let (roomID, rest) = leadingNumber(String(name.dropLast(5))), rest.hasPrefix("_") else { return nil }
            let tail = rest.dropFirst()
            guard tail == "last" || (!tail.isEmpty && tail.allSatisfy(\.isASCIIDigit)) else { return nil }
            return .messages(roomID: roomID, roomName: nil)
        case .cwarchiveCSV:
            guard name.lowercased().hasSuffix(".csv") else { return nil }
            let (roomID, rest) = leadingNumber(name) ?? (0, "")
            return .messages(roomID: roomID > 0 ? roomID : nil, roomName: rest.hasPrefix("-") ? String(rest.dropFirst().dropLast(4)) : nil)
        }
    }

    /// A positive number at the start of `s` (at most 18 digits) and what follows it.
    static func leadingNumber(_ s: String) -> (Int, Substring)? {
        let digits = s.prefix(while: \.isASCIIDigit)
        guard !digits.isEmpty, digits.count <= 18, let n = Int(digits), n > 0 else { return nil }
        return (n, s[digits.endIndex...])
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

/// A `PATH` that cannot be imported (exit 64).
public struct ImportPathError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
