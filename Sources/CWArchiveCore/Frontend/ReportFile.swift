import Foundation

/// Writes a command's `--report FILE`: pretty, sorted JSON, written atomically. A report that
/// cannot be written is a warning, never the end of a run whose work is already committed.
enum ReportFile {
    static func write(_ value: some Encodable, to path: String, mode: mode_t? = nil, console: Console) {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let url = URL(fileURLWithPath: path)
            try encoder.encode(value).write(to: url, options: .atomic)
            if let mode { chmod(url.path, mode) }
        } catch {
            console.warn("cannot write the report \(path): \(error)")
        }
    }
}
