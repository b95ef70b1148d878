/// Byte scans over a string's UTF-8, for the per-byte tests of the parser and the escapers.
enum UTF8Bytes {
    /// Whether a UTF-8 byte of `s` passes `test`: a loop over its contiguous bytes (the `utf8`
    /// view's own `contains` steps through its index per byte, several times slower).
    @inline(__always)
    static func contains(_ s: String, where test: (UInt8) -> Bool) -> Bool {
        var s = s
        return s.withUTF8 { $0.contains(where: test) }
    }
}
