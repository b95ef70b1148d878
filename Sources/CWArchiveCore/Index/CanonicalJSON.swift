import Foundation

/// The one JSON form the index stores for rooms, members, tasks and snapshots, and that a run
/// compares API answers against to write only what changed. Both sides must use this, or every
/// run would see a change where there is none.
enum CanonicalJSON {
    static func string(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
