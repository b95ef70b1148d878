import Foundation

/// Writes the results into BENCHMARKS.md between markers, keeping everything else in the file
/// (notes, profiles, before/after figures): a quick run and a full run each have their own block.
enum Report {
    /// `nproc`, memory and CPU model.
    static func machine() -> String {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let memory = Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown"
        return "\(cores) cores (nproc), \(String(format: "%.1f", memory)) GiB memory, \(model)"
    }

    static func block(title: String, command: String, table: ResultTable, notes: [String], seconds: Double) -> String {
        let date = ISO8601DateFormatter().string(from: Date())
        var lines = ["### \(title)", "",
                     "- Machine: \(machine())",
                     "- Command: `\(command)`",
                     "- Date: \(date); the whole run took \(String(format: "%.0f", seconds)) s", ""]
        lines += notes.map { "- \($0)" }
        if !notes.isEmpty { lines.append("") }
        lines.append(table.markdown)
        return lines.joined(separator: "\n")
    }

    /// Replaces the block named `key` in `path` (or appends it).
    static func write(_ block: String, key: String, to path: String) throws {
        let begin = "<!-- cwbench:\(key):begin -->"
        let end = "<!-- cwbench:\(key):end -->"
        var text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "# Benchmarks\n\nMade by `swift run -c release cwbench`; every figure beside a reference measured in the same run on the same data.\n"
        let wrapped = "\(begin)\n\(block)\n\(end)"
        if let b = text.range(of: begin), let e = text.range(of: end), b.lowerBound < e.lowerBound {
            text.replaceSubrange(b.lowerBound..<e.upperBound, with: wrapped)
        } else {
            text += "\n" + wrapped + "\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
