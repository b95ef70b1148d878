import ChatworkAPI
import CWArchiveCore
import Foundation
import GRDB

/// Writing data files against `gzip -6`, and `reindex` against the `sqlite3` CLI.
enum StorageBenchmarks {
    static func writing(_ data: DataSet, rooms: [(Room, [Message])], messages: Int, table: inout ResultTable, work: URL) throws {
        let w = try data.write(rooms)
        // The reference: gzip -6 on exactly the same bytes (the data files, decompressed).
        let plainFile = work.appendingPathComponent("plain.jsonl")
        let store = try ArchiveStore.open(at: data.root, create: false)
        let files = try store.manifests().flatMap(\.manifest.files).map { store.root.appendingPathComponent($0.path).path }
        _ = Measure.shell("cat \(files.map { "'\($0)'" }.joined(separator: " ")) | gzip -dc > '\(plainFile.path)'")
        _ = Measure.shell("cat '\(plainFile.path)' > /dev/null") // warm the page cache for both
        let gz = Measure.shell("gzip -6 -c '\(plainFile.path)' > '\(plainFile.path).gz'")
        let gzSize = (try? FileManager.default.attributesOfItem(atPath: plainFile.path + ".gz")[.size] as? Int) ?? 0
        let ours = Double(messages) / w.seconds
        let theirs = Double(messages) / gz.seconds
        table.add("write data files (messages/s)", ours: "\(Int(ours)) msg/s (\(mb(w.plain)) → \(mb(w.compressed)))",
                  reference: "gzip -6: \(Int(theirs)) msg/s (→ \(mb(gzSize)))", ratio: fmt(ours / theirs, 2) + "×",
                  target: "≥ 0.9× gzip", met: ours / theirs >= 0.9)
        let sizeDiff = (Double(w.compressed) - Double(gzSize)) / Double(max(gzSize, 1)) * 100
        table.add("data file size", ours: mb(w.compressed), reference: "gzip -6: \(mb(gzSize))", ratio: fmt(sizeDiff, 2) + " %",
                  target: "within 2 %", met: abs(sizeDiff) <= 2)
        try? FileManager.default.removeItem(at: plainFile)
        try? FileManager.default.removeItem(atPath: plainFile.path + ".gz")
        try checkLines(files: files)
    }

    /// The data files must hold exactly what `JSONEncoder` would write (the write path encodes
    /// messages by hand): every line of a sample decoded and encoded again gives the same bytes.
    static func checkLines(files: [String]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let decoder = JSONDecoder()
        var checked = 0
        for file in files {
            try SegmentReader.forEachLine(in: URL(fileURLWithPath: file)) { line, number in
                guard number <= 2_000 || number % 50 == 0 else { return }
                let again = try encoder.encode(try decoder.decode(ArchiveRecord.self, from: line))
                guard again == line else {
                    throw ValidationFailure("\(file) line \(number) differs from JSONEncoder's output:\n\(String(decoding: line, as: UTF8.self))\n\(String(decoding: again, as: UTF8.self))")
                }
                checked += 1
            }
        }
        print("data files: \(checked) sampled lines are byte-identical to JSONEncoder's output")
    }

    static func reindex(_ data: DataSet, messages: Int, table: inout ResultTable, work: URL) throws {
        let store = try ArchiveStore.open(at: data.root, create: false)
        try? FileManager.default.removeItem(at: store.indexURL)
        let (_, seconds) = try Measure.time { try ArchiveIndex.rebuild(store: store) }
        let ours = Double(messages) / seconds

        // The reference: the sqlite3 CLI loading the same rows (messages and their FTS tokens) into the same schema.
        let sql = work.appendingPathComponent("load.sql")
        let refDB = work.appendingPathComponent("ref.sqlite")
        try? FileManager.default.removeItem(at: refDB)
        let index = try ArchiveIndex.openForReading(store: store)
        let schema = Measure.shell("sqlite3 '\(store.indexURL.path)' .schema").output
            .split(separator: "\n").filter { !$0.contains("sqlite_") && !$0.contains("message_fts_") && !$0.contains("message_chars_") && !$0.contains("grdb_migrations") }
            .joined(separator: "\n")
        FileManager.default.createFile(atPath: sql.path, contents: nil)
        let handle = try FileHandle(forWritingTo: sql)
        handle.write(Data("PRAGMA journal_mode=WAL;\nPRAGMA synchronous=NORMAL;\n\(schema)\nBEGIN;\n".utf8))
        // The reference is built from the index file through a connection of cwbench's own.
        _ = index
        var readOnly = Configuration()
        readOnly.readonly = true
        try DatabaseQueue(path: store.indexURL.path, configuration: readOnly).read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM messages ORDER BY id")
            var buffer = ""
            func q(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
            while let r = try rows.next() {
                let body: String = r["body"]
                let id: Int64 = r["id"]
                buffer += "INSERT INTO messages (id, room_id, message_id, version, account_id, account_name, body, send_time, update_time, status, observed_at) VALUES (\(id), \(r["room_id"] as Int), \(q(r["message_id"])), \(r["version"] as Int), \(r["account_id"] as Int), \(q(r["account_name"])), \(q(body)), \(r["send_time"] as Int), \(r["update_time"] as Int), 'current', \(r["observed_at"] as Int));\n"
                let withFilters = SearchText.columns(forBody: body, roomID: r["room_id"], accountID: r["account_id"])
                buffer += "INSERT INTO message_fts (rowid, terms) VALUES (\(id), \(q(withFilters.terms)));\n"
                buffer += "INSERT INTO message_chars (rowid, chars) VALUES (\(id), \(q(withFilters.chars)));\n"
                if buffer.utf8.count > 1 << 20 { handle.write(Data(buffer.utf8)); buffer = "" }
            }
            handle.write(Data((buffer + "COMMIT;\n").utf8))
        }
        try handle.close()
        let ref = Measure.shell("sqlite3 '\(refDB.path)' < '\(sql.path)'")
        if ref.status != 0 { print("sqlite3 reference failed: \(ref.output.prefix(500))") }
        let theirs = Double(messages) / ref.seconds
        table.add("reindex (messages/s)", ours: "\(Int(ours)) msg/s (\(fmt(seconds, 1)) s)", reference: "sqlite3 CLI: \(Int(theirs)) msg/s (\(fmt(ref.seconds, 1)) s)",
                  ratio: fmt(ours / theirs, 2) + "×", target: "≥ 0.8× sqlite3", met: ours / theirs >= 0.8)
        try? FileManager.default.removeItem(at: sql)
        try? FileManager.default.removeItem(at: refDB)
    }
}
