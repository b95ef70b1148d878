import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import CWArchiveCore

/// Checks made after every scenario: the token is in no file, output or argument list; archive
/// files are 0600 and folders 0700.
enum SecurityAudit {
    /// Problems found, empty when all is well.
    static func problems(archive: URL, token: String = SimulatorHarness.token, files: [URL] = [],
                         texts: [String: String] = [:], cmdlines: [String] = []) -> [String] {
        var out: [String] = []
        out += permissionProblems(archive)
        out += tokenInFiles(under: archive, token: token).map { "token in archive file \($0)" }
        for f in files where FileManager.default.fileExists(atPath: f.path) {
            if let data = FileManager.default.contents(atPath: f.path), data.range(of: Data(token.utf8)) != nil {
                out.append("token in \(f.lastPathComponent)")
            }
        }
        for (name, text) in texts where text.contains(token) { out.append("token in \(name)") }
        for c in cmdlines where c.contains(token) { out.append("token in the argument list: \(c)") }
        return out
    }

    /// Files not 0600 and folders not 0700 under `root` (the root included).
    static func permissionProblems(_ root: URL) -> [String] {
        var out: [String] = []
        func check(_ path: String, _ rel: String) {
            var st = stat()
            guard lstat(path, &st) == 0 else { return }
            let mode = st.st_mode & 0o777
            let isDir = (st.st_mode & S_IFMT) == S_IFDIR
            let wanted: mode_t = isDir ? 0o700 : 0o600
            if mode != wanted { out.append("\(rel.isEmpty ? "." : rel) has mode \(String(mode, radix: 8)), not \(String(wanted, radix: 8))") }
        }
        check(root.path, "")
        guard let e = FileManager.default.enumerator(atPath: root.path) else { return out }
        while let rel = e.nextObject() as? String { check(root.appendingPathComponent(rel).path, rel) }
        return out
    }

    /// Archive-relative paths whose bytes (decompressed for data files) contain `token`.
    static func tokenInFiles(under root: URL, token: String) -> [String] {
        var hits: [String] = []
        guard let e = FileManager.default.enumerator(atPath: root.path) else { return [] }
        let needle = Data(token.utf8)
        while let rel = e.nextObject() as? String {
            let path = root.appendingPathComponent(rel).path
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else { continue }
            if let data = FileManager.default.contents(atPath: path), data.range(of: needle) != nil { hits.append(rel) }
            if rel.hasSuffix(".gz") {
                var plain = Data()
                try? SegmentReader.forEachLine(in: URL(fileURLWithPath: path)) { line, _ in plain.append(line) }
                if plain.range(of: needle) != nil { hits.append(rel + " (decompressed)") }
            }
        }
        return hits
    }
}
