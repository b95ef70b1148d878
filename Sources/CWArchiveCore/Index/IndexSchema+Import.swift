import GRDB

extension IndexSchema {
    /// `cwarchive import`: each message version knows where it came from. `source` is NULL for
    /// what the API gave and `import:FORMAT` for a version an import added.
    static func addImportSource(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE messages ADD COLUMN source TEXT")
    }
}
