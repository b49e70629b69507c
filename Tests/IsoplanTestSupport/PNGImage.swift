import CZlib
public import Foundation

/// A decoded PNG (8-bit greyscale, RGB or RGBA, not interlaced — what headless Chromium writes),
/// as RGB pixels, for checking what a browser drew.
public struct PNGImage: Sendable {
    public let width: Int
    public let height: Int
    /// Row-major RGB bytes.
    public let rgb: [UInt8]

    public enum DecodingError: Error, CustomStringConvertible {
        case notPNG
        case unsupported(String)
        case corrupt(String)

        public var description: String {
            switch self {
            case .notPNG: "not a PNG file"
            case .unsupported(let what): "unsupported PNG: \(what)"
            case .corrupt(let what): "corrupt PNG: \(what)"
            }
        }
    }

    public init(contentsOf url: URL) throws {
        try self.init(data: try Data(contentsOf: url))
    }

    public init(data: Data) throws {
        let bytes = [UInt8](data)
        guard bytes.count > 8, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else {
            throw DecodingError.notPNG
        }
        func u32(_ i: Int) -> Int {
            Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
        }
        var i = 8
        var width = 0
        var height = 0
        var channels = 0
        var compressed: [UInt8] = []
        while i + 8 <= bytes.count {
            let length = u32(i)
            let type = String(decoding: bytes[(i + 4)..<(i + 8)], as: UTF8.self)
            guard i + 12 + length <= bytes.count else { throw DecodingError.corrupt("chunk \(type) runs past the end") }
            let body = (i + 8)..<(i + 8 + length)
            switch type {
            case "IHDR":
                width = u32(body.lowerBound)
                height = u32(body.lowerBound + 4)
                let (depth, color, interlace) = (
                    bytes[body.lowerBound + 8], bytes[body.lowerBound + 9], bytes[body.lowerBound + 12]
                )
                guard depth == 8, interlace == 0 else {
                    throw DecodingError.unsupported("bit depth \(depth), interlace \(interlace)")
                }
                switch color {
                case 0: channels = 1
                case 2: channels = 3
                case 4: channels = 2
                case 6: channels = 4
                default: throw DecodingError.unsupported("colour type \(color)")
                }
            case "IDAT":
                compressed.append(contentsOf: bytes[body])
            default:
                break
            }
            i += 12 + length
        }
        guard width > 0, height > 0, channels > 0 else { throw DecodingError.corrupt("no IHDR") }
        let stride = width * channels
        var raw = [UInt8](repeating: 0, count: height * (stride + 1))
        var rawLength = uLongf(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { out in
            compressed.withUnsafeBufferPointer { input in
                uncompress(out.baseAddress, &rawLength, input.baseAddress, uLong(input.count))
            }
        }
        guard status == Z_OK, Int(rawLength) == raw.count else {
            throw DecodingError.corrupt("zlib status \(status), \(rawLength) of \(raw.count) bytes")
        }
        // Undo the per-row filters (PNG spec §9).
        var pixels = [UInt8](repeating: 0, count: height * stride)
        for y in 0..<height {
            let filter = raw[y * (stride + 1)]
            let source = y * (stride + 1) + 1
            let row = y * stride
            let previous = row - stride
            for x in 0..<stride {
                let a = x >= channels ? Int(pixels[row + x - channels]) : 0
                let b = y > 0 ? Int(pixels[previous + x]) : 0
                let c = x >= channels && y > 0 ? Int(pixels[previous + x - channels]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - c
                    let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
                    predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                default: throw DecodingError.corrupt("filter \(filter) in row \(y)")
                }
                pixels[row + x] = UInt8(truncatingIfNeeded: Int(raw[source + x]) &+ predictor)
            }
        }
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for p in 0..<(width * height) {
            let s = p * channels
            switch channels {
            case 1, 2: (rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2]) = (pixels[s], pixels[s], pixels[s])
            default: (rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2]) = (pixels[s], pixels[s + 1], pixels[s + 2])
            }
        }
        self.width = width
        self.height = height
        self.rgb = rgb
    }

    /// The fraction of pixels in the rectangle (clipped to the image) for which `test(r, g, b)`
    /// holds; 0 for an empty rectangle.
    public func fraction(x: Int, y: Int, width w: Int, height h: Int, where test: (UInt8, UInt8, UInt8) -> Bool)
        -> Double
    {
        let (x0, y0) = (max(0, x), max(0, y))
        let (x1, y1) = (min(width, x + w), min(height, y + h))
        guard x1 > x0, y1 > y0 else { return 0 }
        var count = 0
        for row in y0..<y1 {
            for column in x0..<x1 {
                let i = 3 * (row * width + column)
                if test(rgb[i], rgb[i + 1], rgb[i + 2]) { count += 1 }
            }
        }
        return Double(count) / Double((x1 - x0) * (y1 - y0))
    }
}
