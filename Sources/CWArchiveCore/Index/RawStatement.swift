import GRDB
import GRDBSQLite

/// A statement prepared once by GRDB and then driven through SQLite's C API: values are bound
/// directly (no boxed `StatementArguments` per execution) and columns read by position (no
/// `Row` and no look-up by name per row). Used for the hot loops: the per-message statements of
/// ingestion (a `reindex`) and the per-room queries of an export, whose messages it steps through.
struct RawStatement {
    private let statement: Statement
    private let db: Database
    private var handle: SQLiteStatement { statement.sqliteStatement }

    init(_ db: Database, sql: String) throws {
        self.db = db
        statement = try db.makeStatement(sql: sql)
    }

    /// The connection's cached statement for `sql` (prepared once per connection, however many
    /// times it is asked for), reset and without bound values.
    init(cached db: Database, sql: String) throws {
        self.db = db
        statement = try db.cachedStatement(sql: sql)
        sqlite3_reset(statement.sqliteStatement)
        sqlite3_clear_bindings(statement.sqliteStatement)
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

    /// Steps a query: true when a row is ready (read it with ``int(_:)``, ``text(_:)``…), false
    /// after the last row, when the statement is reset for the next values.
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE:
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            return false
        default:
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            throw failure(code)
        }
    }

    /// Column `column` of the current row as an integer (0 for NULL).
    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    /// Column `column` of the current row as an integer, nil for NULL.
    func optionalInt(_ column: Int32) -> Int? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : int(column)
    }

    /// Column `column` of the current row as text, every byte of it (a NUL character does not
    /// end it, see ``WholeText``; invalid UTF-8 is repaired); "" for NULL.
    func text(_ column: Int32) -> String {
        // The bytes, then their count (SQLite's order); a TEXT value's bytes come as they are.
        guard let bytes = sqlite3_column_blob(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// Column `column` of the current row as text, nil for NULL.
    func optionalText(_ column: Int32) -> String? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : text(column)
    }

    private func failure(_ code: Int32) -> IndexError {
        let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
        return IndexError(description: "SQLite error \(code) (\(message)) in: \(statement.sql)")
    }
}
