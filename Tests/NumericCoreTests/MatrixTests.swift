import IsoplanTestSupport
import NumericCore
import Testing

@Suite("Matrix and BLAS")
struct MatrixTests {
    /// The textbook triple loop, the reference for dgemm.
    static func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
        Matrix(rows: a.rows, columns: b.columns) { i, j in
            var sum = 0.0
            for k in 0..<a.columns { sum += a[i, k] * b[k, j] }
            return sum
        }
    }

    static func random(_ m: Int, _ n: Int, seed: UInt64) -> Matrix {
        Matrix(rows: m, columns: n, columnMajor: TestMatrices.randomVector(m * n, seed: seed))
    }

    @Test func storageIsColumnMajor() {
        let a = Matrix(rowMajor: [[1, 2, 3], [4, 5, 6]])
        #expect(a.rows == 2 && a.columns == 3)
        #expect(a.storage == [1, 4, 2, 5, 3, 6])
        #expect(a[1, 2] == 6)
        #expect(a.column(1) == [2, 5])
        #expect(a.row(0) == [1, 2, 3])
        #expect(a.transposed().storage == [1, 2, 3, 4, 5, 6])
        #expect(Matrix.identity(3).diagonalValues == [1, 1, 1])
    }

    @Test(arguments: [(1, 1, 1), (7, 5, 3), (33, 17, 64), (128, 96, 80)])
    func gemmMatchesTripleLoop(m: Int, k: Int, n: Int) {
        let a = Self.random(m, k, seed: 1)
        let b = Self.random(k, n, seed: 2)
        let expected = Self.naiveProduct(a, b)
        // Rounding of a length-k dot product of O(1) terms grows like k·ulp; 4·k^1.5·ulp leaves room
        // for blocked summation orders.
        let tolerance = 4 * Double(k) * Double.ulpOfOne * Double(k).squareRoot()
        #expect((a * b).maxAbsoluteDifference(expected) <= tolerance)
        let viaTransposes = a.transposed().multiplied(.transposed, by: b.transposed(), .transposed)
        #expect(viaTransposes.maxAbsoluteDifference(expected) <= tolerance)
    }

    @Test func gemmAccumulatesWithAlphaAndBeta() {
        let a = Self.random(6, 4, seed: 3)
        let b = Self.random(4, 5, seed: 4)
        var c = Self.random(6, 5, seed: 5)
        let c0 = c
        Matrix.gemm(alpha: 2, a, b, beta: -0.5, into: &c)
        let ab = Self.naiveProduct(a, b)
        let expected = Matrix(rows: 6, columns: 5) { i, j in 2 * ab[i, j] - 0.5 * c0[i, j] }
        #expect(c.maxAbsoluteDifference(expected) <= 1e-13)
    }

    @Test func gemvMatchesGemm() {
        let a = Self.random(9, 7, seed: 6)
        let x = TestMatrices.randomVector(7, seed: 7)
        let z = TestMatrices.randomVector(9, seed: 8)
        expectClose(a.multiplied(by: x), (a * TestMatrices.columnMatrix(x)).storage, absolute: 1e-13)
        expectClose(
            a.multiplied(.transposed, by: z),
            a.multiplied(.transposed, by: TestMatrices.columnMatrix(z)).storage, absolute: 1e-13)
    }

    @Test func gramIsSymmetricAndMatchesGemm() {
        let a = Self.random(40, 12, seed: 9)
        let g = a.gram(.transposed)
        #expect(g.rows == 12 && g.columns == 12)
        #expect(g.maxAbsoluteDifference(a.multiplied(.transposed, by: a)) <= 1e-12)
        #expect(g.maxAbsoluteDifference(g.transposed()) == 0)
        let outer = a.gram(.none)
        #expect(outer.rows == 40)
        #expect(outer.maxAbsoluteDifference(a.multiplied(by: a, .transposed)) <= 1e-12)
    }

    @Test func levelOneOperations() {
        let x: [Double] = [3, 4, 12]
        let y: [Double] = [1, -2, 0.5]
        expectClose(x.dot(y), 3 - 8 + 6, absolute: 1e-15)
        expectClose(x.euclideanNorm, 13, relative: 1e-15)
        var z = y
        z.axpy(2, x)
        expectClose(z, [7, 6, 24.5], absolute: 1e-15)
        // dnrm2 scales: no overflow where the naive sum of squares would overflow.
        expectClose([1e200, 1e200].euclideanNorm, 1e200 * 2.0.squareRoot(), relative: 1e-15)
    }

    @Test func shapeMismatchTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Matrix(rows: 2, columns: 3) * Matrix(rows: 2, columns: 3)
        }
        await #expect(processExitsWith: .failure) {
            _ = Matrix(rows: 2, columns: 2, columnMajor: [1, 2, 3])
        }
    }
}
