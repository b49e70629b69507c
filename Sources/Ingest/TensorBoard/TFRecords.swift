/// The records of a TFRecord file (TensorBoard event files are TFRecord files), each framed as
/// `uint64 length, uint32 masked CRC-32C of the length, data, uint32 masked CRC-32C of the data`,
/// little-endian (`tensorflow/core/lib/io/record_writer.cc`).
struct TFRecords {
    /// One complete record: where it starts in the file and where its data lies.
    struct Record {
        var offset: Int
        var data: Range<Int>
    }

    /// The complete records, in file order.
    var records: [Record]
    /// Where an incomplete last record starts (its header or data is shorter than declared, as
    /// while a writer is still writing), or nil when the file ends on a record boundary.
    var incompleteOffset: Int?

    /// Frames every record of `bytes`, checking both CRCs.
    /// - Throws: ``ImportError/corrupt(file:offset:reason:)`` naming the first record whose length
    ///   or data CRC does not match.
    init(_ bytes: [UInt8], file: String) throws(ImportError) {
        var records: [Record] = []
        var offset = 0
        incompleteOffset = nil
        while offset < bytes.count {
            guard bytes.count - offset >= 12 else {
                incompleteOffset = offset
                break
            }
            let length = Self.uint64(bytes, at: offset)
            let lengthCRC = CRC32C.masked(CRC32C.checksum(of: bytes[offset..<offset + 8]))
            let storedLengthCRC = Self.uint32(bytes, at: offset + 8)
            guard lengthCRC == storedLengthCRC else {
                throw .corrupt(file: file, offset: offset, reason: Self.mismatch("length", storedLengthCRC, lengthCRC))
            }
            let available = bytes.count - offset - 16  // after the header and the data's CRC
            guard available >= 0, length <= UInt64(available) else {
                incompleteOffset = offset
                break
            }
            let start = offset + 12
            let end = start + Int(length)
            let dataCRC = CRC32C.masked(CRC32C.checksum(of: bytes[start..<end]))
            let storedDataCRC = Self.uint32(bytes, at: end)
            guard dataCRC == storedDataCRC else {
                throw .corrupt(file: file, offset: offset, reason: Self.mismatch("data", storedDataCRC, dataCRC))
            }
            records.append(Record(offset: offset, data: start..<end))
            offset = end + 4
        }
        self.records = records
    }

    static func uint64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        (0..<8).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }

    static func uint32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    static func mismatch(_ part: String, _ stored: UInt32, _ computed: UInt32) -> String {
        "\(part) CRC mismatch (stored 0x\(String(stored, radix: 16)), computed 0x\(String(computed, radix: 16)))"
    }
}
