import Foundation

/// Reads the resident memory of this process from /proc/self/status (Linux).
enum MemoryProbe {
    /// Resets the peak-RSS counter (VmHWM) to the current RSS. Returns false where unsupported.
    static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data("5".utf8))
            return true
        } catch {
            return false
        }
    }

    /// A field of /proc/self/status in bytes (`VmRSS`, `VmHWM`), nil where unavailable.
    static func field(_ name: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let digits = line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first
            return digits.flatMap { Int($0) }.map { $0 * 1024 }
        }
        return nil
    }
}
