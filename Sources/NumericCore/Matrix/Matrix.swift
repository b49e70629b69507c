/// A dense matrix of `Double` in column-major order, the layout BLAS and LAPACK use.
///
/// Element `(i, j)` lives at `storage[i + j * rows]`. The storage count always equals
/// `rows * columns`; every initializer checks it. A `Matrix` is a value: copies share storage
/// until one of them is mutated (copy-on-write through `Array`).
public struct Matrix: Equatable, Sendable {
    /// Number of rows, `m`.
    public let rows: Int
    /// Number of columns, `n`.
    public let columns: Int
    /// The elements, column by column (`rows * columns` values).
    @inlinable public var storage: [Double] { _storage }
    @usableFromInline var _storage: [Double]

    /// A matrix whose every element is `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative, got \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self._storage = Array(repeating: value, count: rows * columns)
    }

    /// A matrix over existing column-major storage; no copy is made.
    /// - Precondition: `columnMajor.count == rows * columns`.
    public init(rows: Int, columns: Int, columnMajor: [Double]) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative, got \(rows)×\(columns)")
        precondition(
            columnMajor.count == rows * columns,
            "Matrix storage has \(columnMajor.count) elements, expected \(rows)×\(columns) = \(rows * columns)")
        self.rows = rows
        self.columns = columns
        self._storage = columnMajor
    }

    /// A matrix from an array of rows, as one writes a matrix on paper.
    /// - Precondition: all rows have the same length.
    public init(rowMajor rowsOfValues: [[Double]]) {
        let m = rowsOfValues.count
        let n = rowsOfValues.first?.count ?? 0
        precondition(rowsOfValues.allSatisfy { $0.count == n }, "Matrix rows differ in length")
        var storage = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n { storage[i + j * m] = rowsOfValues[i][j] }
        }
        self.init(rows: m, columns: n, columnMajor: storage)
    }

    /// A matrix whose element `(i, j)` is `element(i, j)`, filled column by column.
    public init(rows: Int, columns: Int, element: (_ row: Int, _ column: Int) throws -> Double) rethrows {
        var storage = [Double]()
        storage.reserveCapacity(rows * columns)
        for j in 0..<columns {
            for i in 0..<rows { storage.append(try element(i, j)) }
        }
        self.init(rows: rows, columns: columns, columnMajor: storage)
    }

    /// The `n × n` identity.
    public static func identity(_ n: Int) -> Matrix {
        var result = Matrix(rows: n, columns: n)
        for i in 0..<n { result._storage[i + i * n] = 1 }
        return result
    }

    /// A square matrix with `values` on its diagonal.
    public static func diagonal(_ values: [Double]) -> Matrix {
        var result = Matrix(rows: values.count, columns: values.count)
        for (i, v) in values.enumerated() { result._storage[i + i * values.count] = v }
        return result
    }

    /// Element `(row, column)`, bounds-checked.
    @inlinable
    public subscript(row: Int, column: Int) -> Double {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            return _storage[row &+ column &* rows]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            _storage[row &+ column &* rows] = newValue
        }
    }

    /// Whether the matrix is square.
    public var isSquare: Bool { rows == columns }

    /// Column `j` as an array (a copy).
    public func column(_ j: Int) -> [Double] {
        precondition(j >= 0 && j < columns, "Column \(j) out of range 0..<\(columns)")
        return Array(storage[(j * rows)..<((j + 1) * rows)])
    }

    /// Row `i` as an array (a copy; strided read).
    public func row(_ i: Int) -> [Double] {
        precondition(i >= 0 && i < rows, "Row \(i) out of range 0..<\(rows)")
        return (0..<columns).map { storage[i + $0 * rows] }
    }

    /// The diagonal `(0,0), (1,1), …` up to `min(rows, columns)` entries.
    public var diagonalValues: [Double] {
        (0..<Swift.min(rows, columns)).map { storage[$0 + $0 * rows] }
    }

    /// The transpose `Aᵀ` (a copy). - Complexity: O(m·n).
    public func transposed() -> Matrix {
        Matrix(rows: columns, columns: rows) { i, j in storage[j + i * rows] }
    }

    /// The first `count` columns (a copy of a contiguous slice of storage).
    public func leadingColumns(_ count: Int) -> Matrix {
        precondition(count >= 0 && count <= columns, "Cannot take \(count) of \(columns) columns")
        return Matrix(rows: rows, columns: count, columnMajor: Array(storage[0..<(rows * count)]))
    }

    /// The Frobenius norm `sqrt(Σ a_ij²)`, computed by BLAS `dnrm2` (scaled, no overflow).
    public var frobeniusNorm: Double { storage.euclideanNorm }

    /// `self - other`, shape-checked.
    public static func - (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(
            lhs.rows == rhs.rows && lhs.columns == rhs.columns,
            "Shape mismatch: \(lhs.rows)×\(lhs.columns) − \(rhs.rows)×\(rhs.columns)")
        var result = lhs
        result._storage.axpy(-1, rhs.storage)
        return result
    }

    /// `self + other`, shape-checked.
    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(
            lhs.rows == rhs.rows && lhs.columns == rhs.columns,
            "Shape mismatch: \(lhs.rows)×\(lhs.columns) + \(rhs.rows)×\(rhs.columns)")
        var result = lhs
        result._storage.axpy(1, rhs.storage)
        return result
    }

    /// The largest absolute difference between elements of two same-shaped matrices.
    public func maxAbsoluteDifference(_ other: Matrix) -> Double {
        precondition(rows == other.rows && columns == other.columns, "Shape mismatch")
        return zip(storage, other.storage).reduce(0) { Swift.max($0, abs($1.0 - $1.1)) }
    }
}

extension Matrix: CustomStringConvertible {
    public var description: String {
        let lines = (0..<rows).map { i in row(i).map { String($0) }.joined(separator: "  ") }
        return "Matrix \(rows)×\(columns)\n" + lines.joined(separator: "\n")
    }
}
