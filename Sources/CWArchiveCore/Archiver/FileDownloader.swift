import ChatworkAPI
import Foundation

/// Downloads one attachment into the blob store: asks for a fresh 30-second URL right before
/// the download, asks again when it has expired or the transfer failed, checks size and hash.
struct FileDownloader: Sendable {
    let client: any ChatworkReading
    /// Sleeps between attempts.
    let clock: any RateLimitClock
    let store: ArchiveStore
    let maxFileSize: Int?
    /// Attempts, each with a new download URL.
    var attempts = 3

    enum Outcome: Sendable {
        case stored(FileRecord, ManifestEntry, bytes: Int)
        case skipped(FileRecord)
        case failed(FileRecord?, String)
        /// The server does not have it (404): recorded, not a failure of the archive.
        case missing(FileRecord)
        /// The archive cannot be written (disk full, read-only, permissions): the run must stop.
        case fatal(ArchiveWriteError)
    }

    func download(roomID: Int, fileID: Int, known: ChatworkFile?) async -> Outcome {
        var lastError = "no attempt made"
        var lastMeta = known
        for attempt in 1...attempts {
            let meta: ChatworkFile
            do {
                meta = try await client.file(roomID: roomID, fileID: fileID, createDownloadURL: true)
            } catch let error as ChatworkAPIError {
                if case .unauthorized = error { return .failed(nil, error.description) }
                if case .notFound = error {
                    let placeholder = known ?? ChatworkFile(fileID: fileID, account: Account(accountID: 0, name: "", avatarImageURL: ""),
                                                            messageID: "", filename: "file \(fileID)", filesize: 0, uploadTime: 0)
                    return .missing(FileRecord(file: placeholder, status: .missing, error: error.description))
                }
                lastError = error.description
                if !error.isRetryable { break }
                continue
            } catch {
                lastError = "\(error)"
                continue
            }
            lastMeta = meta
            if let limit = maxFileSize, meta.filesize > limit {
                return .skipped(FileRecord(file: meta, status: .skippedSize,
                                           error: "larger than the size limit (\(ByteCount.format(meta.filesize)) > \(ByteCount.format(limit)))"))
            }
            guard let urlString = meta.downloadURL, let url = URL(string: urlString) else {
                lastError = "the API gave no download_url for file \(fileID)"
                continue
            }
            let tmp = store.newTemporaryFile()
            do {
                let result = try await client.download(from: url, to: tmp, expectedSize: meta.filesize)
                let entry = try store.storeBlob(from: tmp, sha256: result.sha256Hex, size: result.size)
                return .stored(FileRecord(file: meta, status: .stored, sha256: result.sha256Hex), entry, bytes: result.size)
            } catch let error as DownloadError {
                unlink(tmp.path)
                if case .cannotWrite = error { return .fatal(ArchiveWriteError(description: error.description)) }
                lastError = error.description
                if !error.isRetryable { break }
                if attempt < attempts { try? await clock.sleep(seconds: Double(attempt) * 0.2) }
            } catch let error as StorageError {
                unlink(tmp.path)
                return .fatal(ArchiveWriteError(description: error.description))
            } catch {
                unlink(tmp.path)
                lastError = "\(error)"
            }
        }
        let record = lastMeta.map { FileRecord(file: $0, status: .failed, error: lastError) }
        return .failed(record, lastError)
    }
}

/// Writing a download into the archive failed: every further file would fail the same way, so
/// the run stops (exit 1) and leaves the archive consistent for the next run.
struct ArchiveWriteError: Error, CustomStringConvertible, Sendable {
    let description: String
}
