import GRDB
import GRDBSQLite

/// A statement prepared once by GRDB and then driven through SQLite's C API: values are bound
/// directly (no boxed `StatementArguments` per execution). Used only for the per-message
/// statements of ingestion, the hot loop of a `reindex`.
struct RawStatement {
    private let statement: Statement
    private let db: Database
    private var handle: SQLiteStatement { statement.sqliteStatement }

    init(_ db: Database, sql: String) throws {
        self.db = db
        statement = try db.makeStatement(sql: sql)
    }

    /// SQLite copies the bound bytes (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ index: Int32, _ value: Int) {
        sqlite3_bind_int64(handle, index, Int64(value))
    }

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ value: String) {
        var text = value
        _ = text.withUTF8 { bytes in
            // An empty buffer may have no address, and a NULL pointer would bind SQL NULL.
            if bytes.isEmpty {
                sqlite3_bind_text(handle, index, "", 0, Self.transient)
            } else {
                sqlite3_bind_text(handle, index, bytes.baseAddress, Int32(bytes.count), Self.transient)
            }
        }
    }

    /// Runs a statement that returns no rows, then resets it for the next values.
    func execute() throws {
        let code = sqlite3_step(handle)
        defer { sqlite3_reset(handle); sqlite3_clear_bindings(handle) }
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw failure(code) }
    }

    /// Runs a query and reads its first row (nil when there is none), then resets the statement.
    func firstRow<T>(_ read: (SQLiteStatement) -> T) throws -> T? {
        let code = sqlite3_step(handle)
        defer { sqlite3_reset(handle); sqlite3_clear_bindings(handle) }
        switch code {
        case SQLITE_ROW: return read(handle)
        case SQLITE_DONE: return nil
        default: throw failure(code)
        }
    }

    private func failure(_ code: Int32) -> IndexError {
        let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
        return IndexError(description: "SQLite error \(code) (\(message)) in: \(statement.sql)")
    }
}
