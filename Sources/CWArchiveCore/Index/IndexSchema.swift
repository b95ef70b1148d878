import GRDB

/// The SQLite index's schema, as GRDB migrations. The index is derived data: when its schema
/// changes, `cwarchive reindex` (or the next run, automatically) rebuilds it from the data files.
enum IndexSchema {
    /// The version of the index's format: bumped whenever the derived content changes in a way
    /// that needs a rebuild (the tokenizer, ``SearchText``; the tables). An index whose `meta`
    /// row `derivation` differs is rebuilt from the data files by the first command that holds
    /// the archive's lock (``ArchiveIndex/open(store:notice:)``, ``ArchiveIndex/openForReading(store:notice:)``).
    ///
    /// 4: every character but white space and controls is searchable (emoji, symbols, punctuation,
    /// Thai…), numbers apart from words, n-gram runs end with their last character, and the
    /// full-text table splits tokens on spaces only (``ftsTokenizer``); imported messages carry
    /// their `source` and move a room's horizon back.
    /// 5: markup tags are the parser's (``SearchText/stripTags(_:)``): `[draft]` and the inside of
    /// `[code]` are text to search, as the exports show them.
    /// 6: row ids with 3 bits per second instead of 21 (``MessageRowID``), the unigrams in a table
    /// of their own without positions (`message_chars`, `detail=none`), no `messages_account`
    /// index (nothing read it): the index is a third smaller and a rebuild faster.
    static let derivationVersion = 6

    /// FTS5's `ascii` tokenizer with every ASCII punctuation character as a token character: it
    /// splits only on spaces (and ASCII controls), so the tokens ``SearchText`` writes reach the
    /// index as they are (`++`, `:)`, `🍣`: non-ASCII is always a token character), and it
    /// changes nothing else (the text is already lower case). Written for a SQL string literal.
    static let ftsTokenizer = ##"ascii tokenchars ''!"#$%&''''()*+,-./:;<=>?@[\]^_`{|}~''"##

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE manifests (
                sequence INTEGER PRIMARY KEY, run_id TEXT NOT NULL, hash TEXT NOT NULL,
                created_at INTEGER NOT NULL, run_complete INTEGER NOT NULL);
            CREATE TABLE runs (
                run_id TEXT PRIMARY KEY, started_at INTEGER, finished_at INTEGER,
                exit_code INTEGER, summary_json TEXT);
            CREATE TABLE snapshots (kind TEXT PRIMARY KEY, json TEXT NOT NULL, observed_at INTEGER NOT NULL);
            CREATE TABLE accounts (
                account_id INTEGER PRIMARY KEY, name TEXT NOT NULL, avatar_image_url TEXT,
                chatwork_id TEXT, organization_name TEXT, department TEXT, seen_at INTEGER NOT NULL);
            CREATE TABLE rooms (
                room_id INTEGER PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, role TEXT NOT NULL,
                icon_path TEXT, description TEXT, message_num INTEGER NOT NULL DEFAULT 0,
                file_num INTEGER NOT NULL DEFAULT 0, task_num INTEGER NOT NULL DEFAULT 0,
                last_update_time INTEGER NOT NULL DEFAULT 0, room_json TEXT NOT NULL,
                synced_update_time INTEGER, synced_at INTEGER,
                limited INTEGER NOT NULL DEFAULT 0, limitation_summary TEXT, limitation_at INTEGER,
                gone_at INTEGER, gone_reason TEXT,
                horizon_message_id TEXT, horizon_time INTEGER,
                link_json TEXT, link_status TEXT);
            CREATE TABLE members (
                room_id INTEGER NOT NULL, account_id INTEGER NOT NULL, role TEXT NOT NULL, name TEXT NOT NULL,
                member_json TEXT NOT NULL, PRIMARY KEY (room_id, account_id)) WITHOUT ROWID;
            -- One row per version of a message. id orders rows by send time (MessageRowID:
            -- send_time << 3 | n), so the full-text index can answer newest-first without sorting.
            CREATE TABLE messages (
                id INTEGER PRIMARY KEY,
                room_id INTEGER NOT NULL, message_id TEXT NOT NULL, version INTEGER NOT NULL,
                account_id INTEGER NOT NULL, account_name TEXT NOT NULL,
                body TEXT NOT NULL, send_time INTEGER NOT NULL, update_time INTEGER NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('current','edited','deleted')),
                observed_at INTEGER NOT NULL, deleted_at INTEGER,
                UNIQUE (room_id, message_id, version));
            CREATE INDEX messages_room_time ON messages (room_id, send_time);
            CREATE TABLE tasks (
                room_id INTEGER NOT NULL, task_id INTEGER NOT NULL, account_id INTEGER, assigned_by_account_id INTEGER,
                message_id TEXT, body TEXT NOT NULL, limit_time INTEGER, status TEXT NOT NULL, limit_type TEXT,
                task_json TEXT NOT NULL, observed_at INTEGER NOT NULL, PRIMARY KEY (room_id, task_id)) WITHOUT ROWID;
            CREATE TABLE files (
                room_id INTEGER NOT NULL, file_id INTEGER NOT NULL, account_id INTEGER, message_id TEXT,
                filename TEXT NOT NULL, filesize INTEGER NOT NULL, upload_time INTEGER NOT NULL,
                status TEXT NOT NULL, sha256 TEXT, error TEXT, observed_at INTEGER NOT NULL,
                PRIMARY KEY (room_id, file_id)) WITHOUT ROWID;
            CREATE INDEX files_sha ON files (sha256);
            CREATE TABLE gaps (
                id INTEGER PRIMARY KEY, room_id INTEGER NOT NULL, run_id TEXT NOT NULL, found_at INTEGER NOT NULL,
                after_message_id TEXT, after_time INTEGER, before_message_id TEXT NOT NULL, before_time INTEGER NOT NULL,
                estimated_missing INTEGER);
            CREATE INDEX gaps_room ON gaps (room_id);
            """)
            // Full-text index, filled by SearchText: `message_fts` holds words, numbers and the
            // bigrams and tails of everything else, with positions (phrases); `message_chars` the
            // n-gram characters one by one, without positions (one-character searches). Both end
            // each row with the room and author tokens. An index of another derivation is rebuilt
            // into a new file, which this migration makes, so the definitions here always follow
            // `derivationVersion`.
            try db.execute(sql: """
            CREATE VIRTUAL TABLE message_fts USING fts5(
                terms, content='', columnsize=0, detail=full, tokenize='\(IndexSchema.ftsTokenizer)');
            CREATE VIRTUAL TABLE message_chars USING fts5(
                chars, content='', columnsize=0, detail=none, tokenize='\(IndexSchema.ftsTokenizer)');
            """)
        }
        registerPlannerTables(in: &m)
        m.registerMigration("v2-import-source") { db in try IndexSchema.addImportSource(db) }
        // `cwarchive listen`: when the listener was up for a room (a gap inside such a period is
        // covered by live capture). Filled from `listener_uptime` records.
        m.registerMigration("v2-listener-uptime") { db in
            try db.execute(sql: """
            CREATE TABLE listener_uptime (
                room_id INTEGER NOT NULL, listener_id TEXT NOT NULL, from_time INTEGER NOT NULL, to_time INTEGER NOT NULL,
                PRIMARY KEY (room_id, listener_id)) WITHOUT ROWID;
            CREATE TABLE webhook_bodies (sha256 TEXT PRIMARY KEY) WITHOUT ROWID;
            CREATE TABLE webhook_mentions (
                room_id INTEGER NOT NULL, message_id TEXT NOT NULL, received_at INTEGER NOT NULL,
                PRIMARY KEY (room_id, message_id)) WITHOUT ROWID;
            """)
        }
        return m
    }
}
