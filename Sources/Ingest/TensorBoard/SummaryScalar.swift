import Foundation

extension Tensorboard_Summary.Value {
    /// The value's number when it is a scalar: a `simple_value` (float32), or a tensor of one element
    /// (shape `[]` or all dimensions 1) of type DT_FLOAT, DT_DOUBLE, DT_HALF, DT_BFLOAT16, DT_INT32
    /// or DT_INT64, read from its typed field or its little-endian `tensor_content`, when the
    /// summary belongs to the scalars plugin or to none. Nil for everything else: histograms,
    /// images, audio, text, tensors of several elements or of other types.
    var scalar: Double? {
        switch value {
        case .simpleValue(let number): return Double(number)
        case .tensor(let tensor):
            let plugin = metadata.pluginData.pluginName
            guard plugin.isEmpty || plugin == "scalars", tensor.isSingleElement else { return nil }
            return tensor.singleNumber
        default: return nil
        }
    }
}

extension Tensorboard_TensorProto {
    /// A known shape of one element.
    var isSingleElement: Bool {
        !tensorShape.unknownRank && tensorShape.dim.allSatisfy { $0.size == 1 }
    }

    /// The number a one-element tensor holds, as TensorFlow's `MakeNdarray` reads it:
    /// `tensor_content` when present, else the typed field (empty: zero).
    var singleNumber: Double? {
        if !tensorContent.isEmpty { return contentNumber }
        switch dtype {
        case .dtFloat: return Double(floatVal.first ?? 0)
        case .dtDouble: return doubleVal.first ?? 0
        case .dtInt32: return Double(intVal.first ?? 0)
        case .dtInt64: return Double(int64Val.first ?? 0)
        case .dtHalf: return Double(Self.half(UInt16(truncatingIfNeeded: halfVal.first ?? 0)))
        case .dtBfloat16: return Double(Float(bitPattern: UInt32(UInt16(truncatingIfNeeded: halfVal.first ?? 0)) << 16))
        default: return nil
        }
    }

    /// The number in `tensor_content` (little-endian bytes of one element of `dtype`).
    private var contentNumber: Double? {
        let bytes = [UInt8](tensorContent)
        func bits(_ count: Int) -> UInt64? {
            guard bytes.count == count else { return nil }
            return (0..<count).reduce(0) { $0 | UInt64(bytes[$1]) << (8 * $1) }
        }
        switch dtype {
        case .dtFloat: return bits(4).map { Double(Float(bitPattern: UInt32($0))) }
        case .dtDouble: return bits(8).map { Double(bitPattern: $0) }
        case .dtInt32: return bits(4).map { Double(Int32(truncatingIfNeeded: $0)) }
        case .dtInt64: return bits(8).map { Double(Int64(bitPattern: $0)) }
        case .dtHalf: return bits(2).map { Double(Self.half(UInt16($0))) }
        case .dtBfloat16: return bits(2).map { Double(Float(bitPattern: UInt32($0) << 16)) }
        default: return nil
        }
    }

    /// An IEEE 754 binary16 bit pattern as a Float (written out: `Float16` is not available on
    /// every platform the package builds for).
    static func half(_ bits: UInt16) -> Float {
        let sign: Float = bits & 0x8000 == 0 ? 1 : -1
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = Float(bits & 0x03FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24  // zero and subnormals
        case 0x1F: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
