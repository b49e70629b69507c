/// A LAPACK routine could not produce its result for the matrix it was given.
///
/// A positive LAPACK `info` becomes one of these cases, carrying the routine and LAPACK's
/// 1-based index so the message can be traced to the routine's documentation. A negative
/// `info` (an illegal argument) is a programming error and traps instead.
public enum LinearAlgebraError: Error, Equatable, Sendable {
    /// `U(pivot, pivot)` is exactly zero in the LU factorisation: the matrix is singular.
    case singular(routine: String, pivot: Int)
    /// The leading minor of order `minor` is not positive definite.
    case notPositiveDefinite(routine: String, minor: Int)
    /// A full-rank least-squares routine met a zero diagonal element of the triangular factor
    /// at `index`: the matrix is rank-deficient (use the minimum-norm solver instead).
    case rankDeficient(routine: String, index: Int)
    /// An iterative routine did not converge; `count` off-diagonal elements did not reach zero.
    case noConvergence(routine: String, count: Int)
    /// The input holds NaN or an infinity.
    case nonFiniteInput(routine: String)
}

extension LinearAlgebraError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .singular(let routine, let pivot):
            return "\(routine): matrix is singular (U(\(pivot),\(pivot)) = 0)"
        case .notPositiveDefinite(let routine, let minor):
            return "\(routine): matrix is not positive definite (leading minor of order \(minor))"
        case .rankDeficient(let routine, let index):
            return
                "\(routine): matrix is rank-deficient (zero diagonal of the triangular factor at \(index)); use the minimum-norm solver"
        case .noConvergence(let routine, let count):
            return "\(routine): did not converge (\(count) off-diagonal elements did not reach zero)"
        case .nonFiniteInput(let routine):
            return "\(routine): input contains NaN or infinity"
        }
    }
}
