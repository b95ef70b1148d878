import Foundation

/// File names that are safe on every common file system (ext4, APFS, NTFS, FAT, SMB shares),
/// built from untrusted text such as room names and uploaded file names.
public enum SafeFileName {
    /// Characters Windows or a POSIX path cannot hold in a name.
    private static let forbidden: Set<Unicode.Scalar> = ["/", "\\", ":", "*", "?", "\"", "<", ">", "|"]
    /// Names Windows reserves whatever the extension.
    private static let reserved: Set<String> = Set(["CON", "PRN", "AUX", "NUL"] + (1...9).flatMap { ["COM\($0)", "LPT\($0)"] })

    /// Makes `name` safe: NFC, forbidden and control characters replaced by `_`, no leading dots
    /// or spaces, no trailing dots or spaces, at most `maxBytes` UTF-8 bytes (cut on a character
    /// boundary, keeping a short extension when there is one). Returns `fallback` for an empty result.
    public static func make(_ name: String, maxBytes: Int = 120, fallback: String = "file") -> String {
        // Path components: `..`, `.` and empty ones are dropped, the rest joined with `_`.
        let components = name.precomposedStringWithCanonicalMapping
            .split(omittingEmptySubsequences: true) { $0 == "/" || $0 == "\\" }
            .filter { $0 != "." && $0 != ".." }
        var scalars = String.UnicodeScalarView()
        for s in components.joined(separator: "_").unicodeScalars {
            if UnicodeRules.isUnsafeForTerminal(s) || UnicodeRules.isInvisibleFormat(s) || forbidden.contains(s) {
                scalars.append("_")
            } else {
                scalars.append(s)
            }
        }
        var result = String(scalars)
        while let first = result.first, first == "." || first == " " { result.removeFirst() }
        while let last = result.last, last == "." || last == " " { result.removeLast() }
        if result.isEmpty { return fallback }
        let stem = result.split(separator: ".", maxSplits: 1).first.map(String.init) ?? result
        if reserved.contains(stem.uppercased()) { result = "_" + result }
        return truncate(result, maxBytes: maxBytes)
    }

    /// Cuts `name` to `maxBytes` UTF-8 bytes on a character boundary, keeping an extension of up to 10 bytes.
    static func truncate(_ name: String, maxBytes: Int) -> String {
        guard name.utf8.count > maxBytes else { return name }
        var ext = ""
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            let candidate = String(name[dot...])
            if candidate.utf8.count <= 10 { ext = candidate }
        }
        var stem = ext.isEmpty ? name : String(name[..<name.index(name.endIndex, offsetBy: -ext.count)])
        let budget = max(1, maxBytes - ext.utf8.count)
        while stem.utf8.count > budget, !stem.isEmpty { stem.removeLast() }
        while let last = stem.last, last == "." || last == " " { stem.removeLast() }
        return stem + ext
    }

    /// The base name of a room's export files: the room id, then its name made safe (`12345-営業部`).
    public static func roomBaseName(roomID: Int, name: String) -> String {
        let safe = make(name, maxBytes: 100, fallback: "")
        return safe.isEmpty ? String(roomID) : "\(roomID)-\(safe)"
    }
}
