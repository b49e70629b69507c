import IsoplanTestSupport
import NumericCore
import Testing

@Suite("LAPACK wrappers")
struct LAPACKTests {
    static let seeds: [UInt64] = [0, 1, 2, 3, 4]
    static let conditions: [Double] = [1e1, 1e2, 1e4]

    static func relativeError(_ x: [Double], _ truth: [Double]) -> Double {
        var d = x
        d.axpy(-1, truth)
        return d.euclideanNorm / truth.euclideanNorm
    }

    // Solutions: forward error ≲ cond·u·(small constant); 1e-10 leaves two orders of margin at cond 1e4.

    @Test(arguments: seeds, conditions)
    func luSolveIsAccurate(seed: UInt64, cond: Double) throws {
        let n = 48
        let a = TestMatrices.withCondition(rows: n, columns: n, cond: cond, seed: seed).a
        let truth = TestMatrices.randomVector(n, seed: seed + 100)
        let b = a * TestMatrices.columnMatrix(truth)
        #expect(Self.relativeError(try a.solve(b).storage, truth) <= 1e-10)
    }

    @Test(arguments: seeds, conditions)
    func choleskySolveIsAccurate(seed: UInt64, cond: Double) throws {
        let n = 40
        let a = TestMatrices.symmetricPositiveDefinite(n, cond: cond, seed: seed)
        let truth = TestMatrices.randomVector(n, seed: seed + 200)
        let b = a * TestMatrices.columnMatrix(truth)
        #expect(Self.relativeError(try a.choleskySolve(b).storage, truth) <= 1e-10)
        let l = try a.choleskyFactor()
        #expect(l[0, 1] == 0)
        #expect((l.multiplied(by: l, .transposed) - a).frobeniusNorm / a.frobeniusNorm <= 1e-14 * Double(n))
    }

    @Test(arguments: seeds, conditions)
    func leastSquaresRecoversConsistentSystem(seed: UInt64, cond: Double) throws {
        let (m, n) = (60, 25)
        let a = TestMatrices.withCondition(rows: m, columns: n, cond: cond, seed: seed).a
        let truth = TestMatrices.randomVector(n, seed: seed + 300)
        let b = a * TestMatrices.columnMatrix(truth)
        #expect(Self.relativeError(try a.leastSquares(b).storage, truth) <= 1e-10)
        let (x, rank, s) = try a.minimumNormLeastSquares(b)
        #expect(rank == n)
        #expect(Self.relativeError(x.storage, truth) <= 1e-10)
        expectClose(s[0], 1, relative: 1e-12)
    }

    @Test func leastSquaresMinimisesResidualOfInconsistentSystem() throws {
        let (m, n) = (30, 6)
        let a = TestMatrices.withCondition(rows: m, columns: n, cond: 100, seed: 11).a
        let b = TestMatrices.columnMatrix(TestMatrices.randomVector(m, seed: 12))
        let x = try a.leastSquares(b)
        // Normal equations: Aᵀ(Ax − b) = 0 at the minimiser.
        let gradient = a.multiplied(.transposed, by: a * x - b)
        #expect(gradient.frobeniusNorm <= 1e-12 * b.frobeniusNorm)
    }

    @Test(arguments: seeds)
    func minimumNormSolutionOfRankDeficientMatrix(seed: UInt64) throws {
        // A = U_r·S_r·V_rᵀ of rank r < n; the minimum-norm solution is V_r·S_r⁻¹·U_rᵀ·b.
        let (m, n, r) = (20, 12, 7)
        var rng = Xoshiro256StarStar(seed: seed)
        let u = TestMatrices.orthogonal(m, using: &rng).leadingColumns(r)
        let v = TestMatrices.orthogonal(n, using: &rng).leadingColumns(r)
        let s = TestMatrices.geometric(from: 3, to: 0.3, count: r)
        let a = TestMatrices.scaledProduct(u, s, v)
        let b = TestMatrices.columnMatrix(TestMatrices.randomVector(m, seed: seed + 400))
        var projected = u.multiplied(.transposed, by: b)  // r × 1
        for i in 0..<r { projected[i, 0] /= s[i] }
        let expected = v * projected
        let (x, rank, singular) = try a.minimumNormLeastSquares(b, rcond: 1e-10)
        #expect(rank == r)
        #expect(singular[r - 1] > 0.29 && singular[r] < 1e-13)
        #expect(Self.relativeError(x.storage, expected.storage) <= 1e-12)
        // Why dgelsd: dgels assumes full rank, and on this matrix it either throws or returns a
        // solution far from the minimum-norm one.
        if let other = try? a.leastSquares(b) {
            #expect(Self.relativeError(other.storage, expected.storage) > 1e-6)
        }
    }

    @Test(arguments: [(40, 40), (50, 20), (20, 50)], conditions)
    func svdReconstructsMatrix(shape: (Int, Int), cond: Double) throws {
        let (m, n) = shape
        let a = TestMatrices.withCondition(rows: m, columns: n, cond: cond, seed: 7).a
        let (u, s, vt) = try a.singularValueDecomposition()
        let k = min(m, n)
        #expect(u.rows == m && u.columns == k && vt.rows == k && vt.columns == n)
        var us = u
        for j in 0..<k { for i in 0..<m { us[i, j] *= s[j] } }
        let residual = (a - us * vt).frobeniusNorm / a.frobeniusNorm
        #expect(residual <= 1e-13 * Double(max(m, n)))
        #expect((u.gram() - .identity(k)).frobeniusNorm <= 1e-13 * Double(k))
        #expect((vt.gram(.none) - .identity(k)).frobeniusNorm <= 1e-13 * Double(k))
        expectClose(try a.singularValues(), s, absolute: 1e-14)
        #expect(zip(s, s.dropFirst()).allSatisfy { $0 >= $1 })
    }

    struct SymmetricCase: Decodable {
        let n: Int
        let cond: Double
        let a: [Double]
        let eigenvalues: [Double]
    }
    struct GeneralCase: Decodable {
        let rows: Int
        let columns: Int
        let cond: Double
        let a: [Double]
        let singularValues: [Double]
    }
    struct LAPACKGolden: Decodable {
        let symmetric: [SymmetricCase]
        let general: [GeneralCase]
    }

    @Test func eigenvaluesMatchNumpy() throws {
        let golden = try GoldenData.load("lapack", as: LAPACKGolden.self)
        #expect(golden.symmetric.count == 9)
        for c in golden.symmetric {
            let a = Matrix(rows: c.n, columns: c.n, columnMajor: c.a)
            let (values, vectors) = try a.symmetricEigen()
            // Within 1e-12·cond of numpy's (‖A‖₂ = 1 by construction).
            expectClose(values, c.eigenvalues, absolute: 1e-12 * c.cond, "n=\(c.n) cond=\(c.cond)")
            // A·V = V·Λ.
            var vl = vectors
            for j in 0..<c.n { for i in 0..<c.n { vl[i, j] *= values[j] } }
            #expect((a * vectors - vl).frobeniusNorm <= 1e-13 * Double(c.n))
        }
    }

    @Test func singularValuesMatchNumpy() throws {
        let golden = try GoldenData.load("lapack", as: LAPACKGolden.self)
        #expect(golden.general.count == 15)
        for c in golden.general {
            let a = Matrix(rows: c.rows, columns: c.columns, columnMajor: c.a)
            expectClose(
                try a.singularValues(), c.singularValues, absolute: 1e-12 * c.cond,
                "\(c.rows)×\(c.columns) cond=\(c.cond)")
            expectClose(
                try a.singularValueDecomposition().singularValues, c.singularValues,
                absolute: 1e-12 * c.cond)
        }
    }

    @Test func qrFactorsIntoOrthonormalTimesTriangular() throws {
        let a = MatrixTests.random(30, 8, seed: 21)
        let (q, r) = try a.qrDecomposition()
        #expect((q * r - a).frobeniusNorm <= 1e-13 * a.frobeniusNorm)
        #expect((q.gram() - .identity(8)).frobeniusNorm <= 1e-13 * 8)
        #expect(r[5, 2] == 0)
    }

    @Test func failuresAreTyped() {
        let singular = Matrix(rowMajor: [[1, 2], [2, 4]])
        #expect(throws: LinearAlgebraError.singular(routine: "dgesv", pivot: 2)) {
            try singular.solve(.identity(2))
        }
        let indefinite = Matrix(rowMajor: [[1, 0], [0, -1]])
        #expect(throws: LinearAlgebraError.notPositiveDefinite(routine: "dpotrf", minor: 2)) {
            try indefinite.choleskyFactor()
        }
        #expect(throws: LinearAlgebraError.notPositiveDefinite(routine: "dposv", minor: 2)) {
            try indefinite.choleskySolve(.identity(2))
        }
        let zeroColumn = Matrix(rowMajor: [[1, 0], [2, 0], [3, 0]])
        #expect(throws: LinearAlgebraError.rankDeficient(routine: "dgels", index: 2)) {
            try zeroColumn.leastSquares(Matrix(rows: 3, columns: 1, repeating: 1))
        }
        let withNaN = Matrix(rowMajor: [[1, .nan], [0, 1]])
        #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "dgesvd")) { try withNaN.singularValues() }
        #expect(String(describing: LinearAlgebraError.singular(routine: "dgesv", pivot: 2)).contains("dgesv"))
    }
}
