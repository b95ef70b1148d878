import Foundation

/// How a message view links an archived file: the export copies it beside the pages
/// (``AttachmentCopier``), the viewer links it by hash (`/files/SHA256`).
protocol AttachmentLinking {
    /// The link to the file and its path under the export (nil for a viewer), or nil when it is
    /// not archived; does what makes the link work first (a copy).
    func link(_ file: ExportFile) throws -> (href: String, path: String?)?
}

/// Copies archived attachments beside the export as `files/<first 16 hex of sha256>/<safe name>`
/// (the uploaded name is never used as a path as it is), once per file.
final class AttachmentCopier: AttachmentLinking {
    private let store: ArchiveStore
    private let output: URL
    private var done: Set<String> = []
    private(set) var copied = 0
    /// Written paths, relative to the output folder.
    private(set) var written: [String] = []

    init(store: ArchiveStore, output: URL) {
        self.store = store
        self.output = output
    }

    /// The relative path of an archived file in the export (nil when not archived).
    static func relativePath(_ file: ExportFile) -> String? {
        guard file.isArchived, let sha = file.sha256, sha.count >= 16, sha.allSatisfy(\.isHexDigit) else { return nil }
        return "files/\(sha.prefix(16).lowercased())/\(SafeFileName.make(file.filename, maxBytes: 150, fallback: "file-\(file.fileID)"))"
    }

    /// Copies the file (if archived and not yet copied) and returns its relative path.
    @discardableResult
    func copy(_ file: ExportFile) throws -> String? {
        guard let rel = Self.relativePath(file), let sha = file.sha256 else { return nil }
        if done.contains(rel) { return rel }
        let source = store.blobURL(sha256: sha.lowercased())
        guard FileManager.default.fileExists(atPath: source.path) else {
            throw ExportError("the archived file \(file.filename.debugDescription) (blob \(sha)) is missing from the archive: run `cwarchive verify`")
        }
        let dest = output.appendingPathComponent(rel)
        let fm = FileManager.default
        try fm.createDirectory(at: dest.deletingLastPathComponent(), withIntermediateDirectories: true)
        if fm.fileExists(atPath: dest.path) { try fm.removeItem(at: dest) }
        do { try fm.copyItem(at: source, to: dest) } catch {
            throw ExportError("cannot copy \(source.path) to \(dest.path): \(error.localizedDescription)")
        }
        done.insert(rel)
        written.append(rel)
        copied += 1
        return rel
    }

    func link(_ file: ExportFile) throws -> (href: String, path: String?)? {
        try copy(file).map { (Self.href($0), $0) }
    }

    /// A relative path as a link: each segment percent-encoded (spaces, `#`, `?`, non-ASCII). The
    /// one rule for every link an export writes (room pages, page navigation, attachments).
    static func href(_ relativePath: String) -> String {
        relativePath.split(separator: "/").map {
            $0.addingPercentEncoding(withAllowedCharacters: hrefAllowed) ?? "file"
        }.joined(separator: "/")
    }

    private static let hrefAllowed: CharacterSet = {
        var set = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        set.insert(charactersIn: "!$&'()*+,;=@")
        return set
    }()

    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "gif", "webp", "bmp", "heic", "avif"]

    static func isImage(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: ".") else { return false }
        return imageExtensions.contains(name[name.index(after: dot)...].lowercased())
    }
}

/// Formats a byte count for people (`1.2 MB`).
enum ExportSize {
    static func format(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        let units = ["KB", "MB", "GB", "TB"]
        var v = Double(bytes) / 1024
        var i = 0
        while v >= 1024, i < units.count - 1 { v /= 1024; i += 1 }
        return "\(String(format: "%.1f", v)) \(units[i])"
    }
}
