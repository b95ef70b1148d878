import Foundation

/// The storage host behind `download_url`: no API token, S3-like XML errors, short-lived URLs.
extension SimulatorCore {
    func answerDownload(ticketId: String, hasAuthorization: Bool, early: FaultPlan.Early) -> SimResponse {
        state.withLock { st in
            let faults = st.faults.configuration
            if case .status(let code) = early {
                return Self.s3Error(code, code == 503 ? "SlowDown" : "InternalError", "We encountered an internal error. Please try again.")
            }
            guard let ticket = st.downloads[ticketId] else {
                return Self.s3Error(403, "AccessDenied", "Access Denied")
            }
            if hasAuthorization {
                return Self.s3Error(400, "InvalidArgument", "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified")
            }
            if faults.expireDownloadURLs || now >= ticket.expires {
                return Self.s3Error(403, "AccessDenied", "Request has expired")
            }
            if faults.downloadHTMLErrorPage {
                let page = "<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body><h1>503 Service Unavailable</h1><p>The server is temporarily unable to service your request.</p></body></html>"
                return SimResponse(status: 200, headers: [("Content-Type", "text/html; charset=utf-8")], body: .bytes(Data(page.utf8)))
            }
            guard let file = st.workspace.room(ticket.roomId)?.files.first(where: { $0.fileId == ticket.fileId }) else {
                return Self.s3Error(404, "NoSuchKey", "The specified key does not exist.")
            }
            let source: FileSource
            let size: Int
            switch file.content {
            case .generated(let seed):
                source = .generated(seed: seed)
                size = max(0, file.filesize)
            case .stored(let path):
                let url = URL(fileURLWithPath: path)
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
                      let bytes = (attributes[.size] as? NSNumber)?.intValue else {
                    return Self.s3Error(404, "NoSuchKey", "The specified key does not exist.")
                }
                source = .stored(url)
                size = bytes
            }
            return SimResponse(
                status: 200,
                headers: [
                    ("Content-Type", Self.mediaType(of: file.filename)),
                    ("Content-Disposition", Self.contentDisposition(file.filename)),
                ],
                body: .file(source, size: size))
        }
    }

    /// An S3-style XML error document.
    static func s3Error(_ status: Int, _ code: String, _ message: String) -> SimResponse {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>\(code)</Code><Message>\(message)</Message><RequestId>SIMULATOR</RequestId></Error>
            """
        return SimResponse(status: status, headers: [("Content-Type", "application/xml")], body: .bytes(Data(xml.utf8)))
    }

    /// `attachment` with an RFC 5987 UTF-8 file name (any name is safe to put there).
    static func contentDisposition(_ filename: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~")
        let encoded = filename.addingPercentEncoding(withAllowedCharacters: allowed) ?? "file"
        return "attachment; filename*=UTF-8''\(encoded)"
    }

    static func mediaType(of filename: String) -> String {
        let ext = filename.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch ext {
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "pdf": return "application/pdf"
        case "txt", "md": return "text/plain"
        case "csv": return "text/csv"
        case "json": return "application/json"
        case "zip": return "application/zip"
        case "html", "htm": return "text/html"
        default: return "application/octet-stream"
        }
    }
}
