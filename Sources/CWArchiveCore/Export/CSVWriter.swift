/// Writes RFC 4180 CSV rows, each cell by the one rule (``CSVCell``): CRLF line ends, optionally
/// a UTF-8 byte order mark first so that Excel (notably in Japan) reads the file as UTF-8.
struct CSVWriter {
    private let out: BufferedWriter
    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    init(out: BufferedWriter, bom: Bool) throws {
        self.out = out
        if bom { try out.write(bytes: Self.bom) }
    }

    /// Writes one row: the cells straight into the writer's buffer.
    func writeRow(_ fields: [String]) throws {
        try out.write { bytes in
            for (i, field) in fields.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                CSVCell.append(field, to: &bytes)
            }
            bytes.append(contentsOf: [0x0D, 0x0A])
        }
    }
}
