import CWArchiveCore
import Foundation
import Hummingbird

/// How `/files/SHA256` answers: the blob's bytes, typed from their own first bytes (never from
/// the uploaded name). PNG, JPEG, GIF and WebP are shown inline; everything else (SVG and
/// HTML included) is a download (`Content-Disposition: attachment`) of type
/// `application/octet-stream`. The name is encoded per RFC 6266 / 8187 (an ASCII fallback and
/// the UTF-8 name), so no quote, line break or control character reaches the header.
enum FileDelivery {
    enum Kind: Equatable { case png, jpeg, gif, webp, other }

    /// The kind of a file from its first bytes.
    static func sniff(_ head: [UInt8]) -> Kind {
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.starts(with: Array("GIF87a".utf8)) || head.starts(with: Array("GIF89a".utf8)) { return .gif }
        if head.count >= 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) { return .webp }
        return .other
    }

    static func contentType(_ kind: Kind) -> String {
        switch kind {
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .gif: "image/gif"
        case .webp: "image/webp"
        case .other: "application/octet-stream"
        }
    }

    /// `inline` or `attachment`, with the name safely encoded.
    static func disposition(filename: String, inline: Bool) -> String {
        let clean = String(String.UnicodeScalarView(filename.unicodeScalars.filter {
            !UnicodeRules.isControl($0) && !UnicodeRules.isBidiControl($0) && $0 != "\t" && $0 != "\n" && $0 != "\r"
        }))
        let base = clean.split(separator: "/").last.map(String.init) ?? ""
        let name = base.isEmpty || base == "." || base == ".." ? "file" : base
        let ascii = String(name.unicodeScalars.map { u -> Character in
            (u.value >= 0x20 && u.value < 0x7F && u != "\"" && u != "\\" && u != "%" && u != ";") ? Character(u) : "_"
        })
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!#$&+^`|")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? ascii
        return "\(inline ? "inline" : "attachment"); filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }

    /// The response for a found file (404 if the blob itself is missing from the store).
    static func respond(_ file: ArchiveViewer.File, etag: String, ifNoneMatch: String?,
                        context: some RequestContext) async throws -> Response {
        let path = file.url.path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return ViewerHeaders.html(.notFound, "")
        }
        let first = (try? handle.read(upToCount: 16)).map { Array($0) } ?? []
        try? handle.close()
        let kind = sniff(first)
        var fields = HTTPFields()
        fields[.contentType] = contentType(kind)
        fields[ViewerHeaders.contentDisposition] = disposition(filename: file.filename, inline: kind != .other)
        fields[.eTag] = etag
        // Content-addressed: the bytes behind a hash never change.
        fields[.cacheControl] = "private, max-age=31536000, immutable"
        ViewerHeaders.secure(&fields, policy: ViewerHeaders.filePolicy)
        if let ifNoneMatch, ifNoneMatch.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag }) {
            return Response(status: .notModified, headers: fields)
        }
        let body = try await FileIO().loadFile(path: path, context: context)
        return Response(status: .ok, headers: fields, body: body)
    }
}
