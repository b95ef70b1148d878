import Foundation

/// Finds the files of a format under the paths given, by the names those tools write (and
/// nothing else they leave beside them: byecha's `css/`, `images/`, `templates/`, `thumb/` and
/// `myid.txt`, chatwork-log-exporter's `<room_id>_load_chat.json` and `<room_id>_account_info.json`).
enum ImportDiscovery {
    /// What was found: the files to read in order, and notes on files left out on purpose.
    struct Found {
        var files: [ImportSourceFile]
        var notes: [String]
    }

    /// Every file of `format` under `path` (the file itself, or a folder walked in name order).
    /// Throws ``ImportPathError`` when the path does not exist or holds nothing of the format.
    static func files(format: ImportFormat, path: URL) throws -> Found {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isDir) else {
            throw ImportPathError(description: "PATH \(TerminalText.quoted(path.path)): no such file or folder")
        }
        var found: [ImportSourceFile] = []
        if !isDir.boolValue {
            let parent = path.deletingLastPathComponent()
            if let kind = classify(format: format, name: path.lastPathComponent, parentFolder: parent.lastPathComponent,
                                   grandparentFolder: parent.deletingLastPathComponent().lastPathComponent, givenDirectly: true) {
                found.append(ImportSourceFile(url: path, relativePath: path.lastPathComponent, kind: kind))
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
                let inside = Array(parts.dropFirst(base.count).dropLast())
                let parent = inside.last ?? ""
                let grandparent = inside.count >= 2 ? inside[inside.count - 2] : ""
                if let kind = classify(format: format, name: url.lastPathComponent, parentFolder: parent, grandparentFolder: grandparent, givenDirectly: false) {
                    found.append(ImportSourceFile(url: url, relativePath: relative, kind: kind))
                }
            }
        }
        var notes: [String] = []
        if format == .chatworkLogExporter { found = logExporterChoice(found, notes: &notes) }
        guard found.contains(where: { if case .messages = $0.kind { return true } else { return false } }) else {
            throw ImportPathError(description: "PATH \(TerminalText.quoted(path.path)): no \(format.rawValue) files found (\(expected(format)))")
        }
        // Names first, then messages, then attachments; each in path order.
        func rank(_ f: ImportSourceFile) -> Int {
            switch f.kind { case .byechaConf: 0; case .messages: 1; case .attachment: 2 }
        }
        return Found(files: found.sorted { (rank($0), $0.relativePath) < (rank($1), $1.relativePath) }, notes: notes)
    }

    static func expected(_ format: ImportFormat) -> String {
        switch format {
        case .goodbyeChatwork: "expected <room_id>_<room name>.csv"
        case .chatworkLogExporter: "expected <room_id>_messages.json or <room_id>_messages.csv"
        case .byecha: "expected conf.json and <room_id>/<room_id>_last.json or <room_id>/<room_id>_<first_id>.json"
        case .cwarchiveCSV: "expected the .csv files of `cwarchive export --format csv`"
        }
    }

    /// What a file is in `format`, from its name and its folders' names; nil for files the format
    /// does not write (or writes but holds nothing to import).
    static func classify(format: ImportFormat, name: String, parentFolder: String, grandparentFolder: String = "",
                         givenDirectly: Bool = false) -> ImportSourceFile.Kind? {
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
            // Chrome names a second download of the same name `name (1).ext`.
            let plain = withoutDownloadCounter(name)
            if plain == "init_load.json" { return .byechaConf }
            for suffix in ["_messages.json", "_messages.csv"] where plain.hasSuffix(suffix) {
                if let (roomID, rest) = leadingNumber(String(plain.dropLast(suffix.count))), rest.isEmpty {
                    return .messages(roomID: roomID, roomName: nil)
                }
            }
            if plain.hasSuffix("_load_chat.json") || plain.hasSuffix("_account_info.json") { return nil }
            // `<room_id>_<file_id>_<name>`; kept only beside that room's messages (see logExporterChoice).
            if let (roomID, rest) = leadingNumber(name), rest.hasPrefix("_"), let (fileID, tail) = leadingNumber(String(rest.dropFirst())),
               tail.hasPrefix("_"), tail.count > 1 {
                return .attachment(roomID: roomID, fileID: fileID, filename: String(tail.dropFirst()))
            }
            return nil
        case .byecha:
            if name == "conf.json" { return .byechaConf }
            if grandparentFolder == "file", let (fileID, rest) = leadingNumber(parentFolder), rest.isEmpty {
                return .attachment(roomID: nil, fileID: fileID, filename: name)
            }
            guard name.hasSuffix(".json"), let (roomID, rest) = leadingNumber(String(name.dropLast(5))), rest.hasPrefix("_") else { return nil }
            // byecha writes a room's pages into a folder named by the room id.
            guard givenDirectly || parentFolder == String(roomID) else { return nil }
            let tail = rest.dropFirst()
            guard tail == "last" || (!tail.isEmpty && tail.allSatisfy(\.isASCIIDigit)) else { return nil }
            return .messages(roomID: roomID, roomName: nil)
        case .cwarchiveCSV:
            guard name.lowercased().hasSuffix(".csv") else { return nil }
            let (roomID, rest) = leadingNumber(name) ?? (0, "")
            return .messages(roomID: roomID > 0 ? roomID : nil, roomName: rest.hasPrefix("-") ? String(rest.dropFirst().dropLast(4)) : nil)
        }
    }

    /// chatwork-log-exporter writes a room's messages as CSV always and as JSON when asked. The
    /// JSON is the web client's answer as it came; the CSV escapes line breaks as `\n` (which a
    /// body's own `\n` cannot be told from) and drops fields. So a room's CSV is read only when
    /// no JSON of that room lies beside it. Attachments are kept only beside their room's messages
    /// (the folder is often the browser's download folder, where other files look alike).
    static func logExporterChoice(_ found: [ImportSourceFile], notes: inout [String]) -> [ImportSourceFile] {
        func folder(_ f: ImportSourceFile) -> String { (f.relativePath as NSString).deletingLastPathComponent }
        var jsonRooms = Set<String>(), messageRooms = Set<String>()
        for f in found {
            guard case .messages(let roomID?, _) = f.kind else { continue }
            messageRooms.insert("\(folder(f))|\(roomID)")
            if f.url.pathExtension.lowercased() == "json" { jsonRooms.insert("\(folder(f))|\(roomID)") }
        }
        return found.filter { f in
            switch f.kind {
            case .messages(let roomID?, _) where f.url.pathExtension.lowercased() == "csv" && jsonRooms.contains("\(folder(f))|\(roomID)"):
                notes.append("\(f.relativePath): not read, the JSON of the same room beside it holds the same messages in full")
                return false
            case .attachment(let roomID?, _, _):
                return messageRooms.contains("\(folder(f))|\(roomID)")
            default:
                return true
            }
        }
    }

    /// `name (3).ext` → `name.ext`.
    static func withoutDownloadCounter(_ name: String) -> String {
        let ext = (name as NSString).pathExtension
        var stem = ext.isEmpty ? name : String(name.dropLast(ext.count + 1))
        guard stem.hasSuffix(")"), let open = stem.lastIndex(of: "("), open > stem.startIndex,
              stem[stem.index(before: open)] == " " else { return name }
        let digits = stem[stem.index(after: open)..<stem.index(before: stem.endIndex)]
        guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy(\.isASCIIDigit) else { return name }
        stem = String(stem[..<stem.index(before: open)])
        return ext.isEmpty ? stem : stem + "." + ext
    }

    /// A positive number at the start of `s` (at most 18 digits) and what follows it.
    static func leadingNumber(_ s: String) -> (Int, Substring)? {
        let digits = s.prefix(while: \.isASCIIDigit)
        guard !digits.isEmpty, digits.count <= 18, let n = Int(digits), n > 0 else { return nil }
        return (n, s[digits.endIndex...])
    }
}
