import CZlib
import Foundation

/// A zip archive of deflated entries, the format Ray's runtime-environment packages take
/// (`gcs://_ray_pkg_<hash>.zip`). Ray unpacks with Python's `zipfile` and keeps each entry's Unix
/// mode, so an executable stays executable on the worker.
///
/// Deflated because the dashboard refuses request bodies over 100 MiB, and a debug build of the
/// binary is larger. No Zip64: a plain archive holds 4 GiB.
struct ZipArchive {
    /// One file: its path inside the archive (`/`-separated, relative), bytes and Unix mode.
    struct Entry {
        var path: String
        var bytes: Data
        var mode: UInt16 = 0o644
    }

    private(set) var data = Data()
    private var centralDirectory = Data()
    private var count = 0

    init(_ entries: [Entry]) {
        for entry in entries { append(entry) }
        finish()
    }

    private mutating func append(_ entry: Entry) {
        let name = Data(entry.path.utf8)
        let crc = Deflate.crc32(entry.bytes)
        let size = UInt32(entry.bytes.count)
        // Deflated unless that fails or does not shrink the file (then stored, method 0).
        let deflated = Deflate.compress(entry.bytes).flatMap { $0.count < entry.bytes.count ? $0 : nil }
        let method = UInt16(deflated == nil ? 0 : 8)
        let payload = deflated ?? entry.bytes
        let compressedSize = UInt32(payload.count)
        let offset = UInt32(data.count)
        // Local file header: version 2.0, no flags, the method, a fixed DOS time (1980-01-01) so
        // the same files always make the same archive and the same package name.
        data.appendLittleEndian(UInt32(0x0403_4b50))
        data.appendLittleEndian(UInt16(20), UInt16(0), method, UInt16(0), UInt16(0x21))
        data.appendLittleEndian(crc, compressedSize, size)
        data.appendLittleEndian(UInt16(name.count), UInt16(0))
        data.append(name)
        data.append(payload)
        // Central directory record: made by Unix (3) so the mode in the external attributes counts.
        centralDirectory.appendLittleEndian(UInt32(0x0201_4b50))
        centralDirectory.appendLittleEndian(UInt16(0x0314), UInt16(20), UInt16(0), method, UInt16(0), UInt16(0x21))
        centralDirectory.appendLittleEndian(crc, compressedSize, size)
        centralDirectory.appendLittleEndian(UInt16(name.count), UInt16(0), UInt16(0), UInt16(0), UInt16(0))
        centralDirectory.appendLittleEndian(UInt32(0o100000 | UInt32(entry.mode)) << 16, offset)
        centralDirectory.append(name)
        count += 1
    }

    private mutating func finish() {
        let offset = UInt32(data.count)
        data.append(centralDirectory)
        data.appendLittleEndian(UInt32(0x0605_4b50), UInt16(0), UInt16(0), UInt16(count), UInt16(count))
        data.appendLittleEndian(UInt32(centralDirectory.count), offset)
        data.appendLittleEndian(UInt16(0))
    }
}

/// Raw deflate (zip's method 8), zlib inflate (the driver's outputs) and CRC-32, from zlib.
enum Deflate {
    /// `bytes` deflated at level 1 (fast: the payload is a compiled binary), or nil on failure.
    static func compress(_ bytes: Data) -> Data? {
        var stream = z_stream()
        guard
            deflateInit2_(
                &stream, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
                == Z_OK
        else { return nil }
        defer { deflateEnd(&stream) }
        var output = Data(count: Int(deflateBound(&stream, uLong(bytes.count))))
        let status = bytes.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(out.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { return nil }
        output.count = Int(stream.total_out)
        return output
    }

    /// A zlib stream (Python's `zlib.compress`) inflated, or nil when it is not one.
    static func inflate(_ compressed: Data) -> Data? {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var status = Z_OK
        compressed.withUnsafeBytes { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            while status == Z_OK {
                chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
            }
        }
        return status == Z_STREAM_END ? output : nil
    }

    static func crc32(_ bytes: Data) -> UInt32 {
        bytes.withUnsafeBytes { raw in
            UInt32(CZlib.crc32(0, raw.bindMemory(to: Bytef.self).baseAddress, uInt(raw.count)))
        }
    }
}

extension Data {
    fileprivate mutating func appendLittleEndian<each T: FixedWidthInteger>(_ values: repeat each T) {
        for value in repeat each values {
            Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
        }
    }
}
