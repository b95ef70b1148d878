import ChatworkAPI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Attachments beside an import (goodbye-chatwork's `<room_id>_files_<room name>/<file_id>_<filename>`):
/// stored as content-addressed blobs, linked to the file id when the name gives it. The source
/// file's name is kept as metadata only; it never becomes a path.
extension ImportRun {
    mutating func storeAttachment(_ file: ImportSourceFile, roomID: Int, fileID: Int?, filename: String, sha: String, size: Int) throws {
        report.attachments.found += 1
        let known = try fileID.flatMap { try index.importFileState(roomID: roomID, fileID: $0) }
        if known?.status == FileRecord.Status.stored.rawValue {
            report.attachments.alreadyStored += 1
            return
        }
        if FileManager.default.fileExists(atPath: store.blobURL(sha256: sha).path) && fileID == nil {
            report.attachments.alreadyStored += 1
            return
        }
        report.attachments.stored += 1
        report.attachments.bytes += size
        if fileID != nil { report.attachments.linked += 1 }
        guard let batcher else { return }
        // Copied (the source stays as it is), hashed again as copied, then moved into the blob store.
        let tmp = store.newTemporaryFile(prefix: "import")
        do {
            try FileManager.default.copyItem(at: file.url, to: tmp)
        } catch {
            unlink(tmp.path)
            throw StorageError(path: tmp.path, operation: "copy the attachment \(TerminalText.sanitize(file.relativePath)) into the archive", errno: errno)
        }
        let copied = try Hashing.sha256(fileAt: tmp)
        guard copied.hash == sha else {
            unlink(tmp.path)
            report.attachments.stored -= 1
            report.attachments.bytes -= size
            if fileID != nil { report.attachments.linked -= 1 }
            report.messages.badRows += 1
            let location = "\(file.relativePath):0"
            report.errors.append(ImportReport.BadRow(location: location, file: file.relativePath, line: 0, error: "this attachment changed while it was read"))
            badRow("\(location): this attachment changed while it was read")
            return
        }
        let entry = try store.storeBlob(from: tmp, sha256: sha, size: copied.size)
        batcher.addBlob(entry)
        wroteAnything = true
        guard let fileID else { return }
        let meta = ChatworkFile(fileID: fileID, account: Account(accountID: known?.accountID ?? 0, name: "", avatarImageURL: ""),
                                messageID: known?.messageID ?? "", filename: known?.filename ?? filename,
                                filesize: copied.size, uploadTime: known?.uploadTime ?? 0)
        try batcher.append(ArchiveRecord(run: runID, at: Int(clock.now().timeIntervalSince1970), roomID: roomID,
                                         payload: .file(FileRecord(file: meta, status: .stored, sha256: sha))))
    }
}
