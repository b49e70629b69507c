internal import CVectorMath

/// Array kernels on the widest instruction set the CPU has (`CVectorMath`): element-wise `exp`,
/// `log` and the logistic through glibc's vector math library (libmvec: at most 4 ULP from the
/// correctly rounded value), or libm one element at a time; and a vector's dot products with
/// gathered matrix rows and weighted sums of them, which give the same bits on every path.
///
/// An element's result depends only on its value and the instruction set, never on its position
/// or the buffer's length; `exp(0)` is exactly 1 on every path.
public enum VectorMath {
    /// The instruction sets the functions can run on.
    public enum InstructionSet: String, Sendable, CaseIterable {
        /// One libm call per element: any CPU, and the only path off glibc on x86-64.
        case scalar
        /// libmvec's two-lane entry points (any x86-64).
        case sse2
        /// libmvec's four-lane entry points (AVX2 and FMA).
        case avx2

        /// Whether this CPU and build can run it (asked of the CPU once per process).
        public var isSupported: Bool { VectorMath.supported.contains(self) }

        var isa: IsoplanVectorMathISA {
            switch self {
            case .scalar: IsoplanVectorMathScalar
            case .sse2: IsoplanVectorMathSSE2
            case .avx2: IsoplanVectorMathAVX2
            }
        }
    }

    private static let supported = Set(InstructionSet.allCases.filter { isoplan_vector_math_supports($0.isa) != 0 })

    /// The widest instruction set this CPU supports (decided once per process).
    public static let best: InstructionSet = [.avx2, .sse2].first(where: \.isSupported) ?? .scalar

    /// Replaces every element `x` by `exp(x)`.
    public static func exp(_ values: UnsafeMutableBufferPointer<Double>, using set: InstructionSet = best) {
        apply(isoplan_vector_exp, to: values, using: set)
    }

    /// Replaces every element `x` by `log(x)`.
    public static func log(_ values: UnsafeMutableBufferPointer<Double>, using set: InstructionSet = best) {
        apply(isoplan_vector_log, to: values, using: set)
    }

    /// `out[j] = σ(z[j]) = 1/(1 + e^(−z[j]))` in one pass: `e = exp(−|z|)` on `set`, then
    /// `1/(1 + e)` for `z ≥ 0` and `e/(1 + e)` otherwise (so neither tail overflows). `out` may not
    /// alias `z`.
    /// - Precondition: `out.count ≥ z.count`.
    public static func logistic(
        _ z: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>, using set: InstructionSet = best
    ) {
        precondition(out.count >= z.count, "logistic: the output is shorter than the input")
        precondition(set.isSupported, "VectorMath: \(set) is not supported on this CPU")
        guard let input = z.baseAddress, let output = out.baseAddress else { return }
        isoplan_vector_logistic(set.isa, input, output, z.count)
    }

    /// `out[j] = shortDotProduct(row rows[j] of matrix, vector, count: rowLength)` for every `j`,
    /// bit for bit on every instruction set: a vector's dot products with rows of a row-major
    /// matrix gathered in any order (the simulator's batch), with a prefetch hint for the row a
    /// few ahead. AVX2 halves the instructions of the two-lane form and keeps its order of
    /// additions (no fused multiply-add).
    /// - Precondition: `out.count ≥ rows.count`; every row index within the matrix.
    public static func dotProducts(
        rows: UnsafeBufferPointer<Int>, of matrix: UnsafePointer<Double>, rowLength: Int,
        with vector: UnsafePointer<Double>, into out: UnsafeMutableBufferPointer<Double>,
        using set: InstructionSet = best
    ) {
        precondition(out.count >= rows.count, "VectorMath.dotProducts: the output is shorter than the rows")
        precondition(set.isSupported, "VectorMath: \(set) is not supported on this CPU")
        guard let indices = rows.baseAddress, let results = out.baseAddress else { return }
        isoplan_gathered_dot_products(set.isa, matrix, indices, rows.count, rowLength, vector, results)
    }

    /// `accumulator[k] += weights[j]·(row rows[j] of matrix)[k]` for every `j` in order: a weighted
    /// sum of gathered rows added into a vector (the simulator's gradient), each element's products
    /// and sums as a plain loop does them, so every instruction set gives the same bits.
    /// - Precondition: `weights.count ≥ rows.count`, `accumulator.count ≥ rowLength`; every row
    ///   index within the matrix.
    public static func accumulate(
        rows: UnsafeBufferPointer<Int>, weights: UnsafeBufferPointer<Double>, of matrix: UnsafePointer<Double>,
        rowLength: Int, into accumulator: UnsafeMutableBufferPointer<Double>, using set: InstructionSet = best
    ) {
        precondition(weights.count >= rows.count, "VectorMath.accumulate: fewer weights than rows")
        precondition(accumulator.count >= rowLength, "VectorMath.accumulate: the accumulator is shorter than a row")
        precondition(set.isSupported, "VectorMath: \(set) is not supported on this CPU")
        guard let indices = rows.baseAddress, let factors = weights.baseAddress, let sums = accumulator.baseAddress
        else { return }
        isoplan_accumulate_rows(set.isa, matrix, indices, factors, rows.count, rowLength, sums)
    }

    private static func apply(
        _ function: (IsoplanVectorMathISA, UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, Int) -> Void,
        to values: UnsafeMutableBufferPointer<Double>, using set: InstructionSet
    ) {
        guard let base = values.baseAddress else { return }
        precondition(set.isSupported, "VectorMath: \(set) is not supported on this CPU")
        function(set.isa, base, base, values.count)
    }
}
