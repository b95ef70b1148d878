#if canImport(Glibc)
    import Glibc
#endif

/// Starts writing a file's dirty pages to disk while it is still being written (Linux's
/// `sync_file_range(SYNC_FILE_RANGE_WRITE)`, which does not wait), so the `fsync` at the end
/// finds little left to do instead of the whole file. Elsewhere, or where the call is missing,
/// it does nothing and the final `fsync` does all the work, as before.
struct WriteBehind {
    /// Bytes written since the last range was handed to the kernel.
    private var pending = 0
    private var offset: Int64 = 0
    /// How much to gather before starting its writeback.
    let step: Int

    init(step: Int = 8 << 20) {
        self.step = step
    }

    /// Notes `count` more bytes written to `fd`, and starts the writeback of each full step.
    mutating func wrote(_ count: Int, fd: Int32) {
        pending += count
        guard pending >= step else { return }
        #if os(Linux)
            if let start = Self.syncFileRange {
                _ = start(fd, offset, Int64(pending), Self.writeFlag)
            }
        #endif
        offset += Int64(pending)
        pending = 0
    }

    #if os(Linux)
        private typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32
        /// `SYNC_FILE_RANGE_WRITE`: start writeback of the range's dirty pages, without waiting.
        private static let writeFlag: UInt32 = 2
        /// Looked up at run time: Swift's Glibc module does not import the function.
        private static let syncFileRange: SyncFileRange? = {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sync_file_range") else { return nil }
            return unsafeBitCast(symbol, to: SyncFileRange.self)
        }()
    #endif
}
