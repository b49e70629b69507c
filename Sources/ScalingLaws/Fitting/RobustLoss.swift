/// The per-residual loss ρ(r) a fit minimises, summed with point weights: `Σ wᵢ·ρ(rᵢ)`.
///
/// All three agree with `r²/2` for small residuals:
/// - `l2`: `ρ(r) = r²/2` (least squares);
/// - `huber(δ)`: `r²/2` for `|r| ≤ δ`, else `δ·(|r| − δ/2)` — scipy.special.huber, the loss of
///   Chinchilla Approach 3 and of Epoch AI's replication (δ = 1e-3 on log loss);
/// - `softL1(c)`: `c²·(sqrt(1 + (r/c)²) − 1)` — scipy.optimize.least_squares' `soft_l1` with
///   `f_scale = c`, a smooth Huber.
public enum RobustLoss: Sendable, Equatable, Hashable, Codable {
    case l2
    case huber(delta: Double)
    case softL1(scale: Double)

    /// ρ(r).
    @inline(__always)
    public func value(_ r: Double) -> Double {
        switch self {
        case .l2: return 0.5 * r * r
        case .huber(let delta):
            let a = abs(r)
            return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta)
        case .softL1(let c):
            let z = r / c
            return c * c * ((1 + z * z).squareRoot() - 1)
        }
    }

    /// `ρ(new) − ρ(old)`, computed without the cancellation of subtracting two values: near an
    /// optimum the objective changes by far less than its last bit, yet the change must still be
    /// resolved for the fit to converge to a tight gradient tolerance.
    @inline(__always)
    public func difference(_ new: Double, _ old: Double) -> Double {
        switch self {
        case .l2:
            return 0.5 * (new - old) * (new + old)
        case .huber(let delta):
            let (a, b) = (abs(new), abs(old))
            if a <= delta && b <= delta { return 0.5 * (new - old) * (new + old) }
            if a > delta && b > delta { return delta * (a - b) }
            return value(new) - value(old)
        case .softL1(let c):
            let (za, zb) = (new / c, old / c)
            let (sa, sb) = ((1 + za * za).squareRoot(), (1 + zb * zb).squareRoot())
            return (new - old) * (new + old) / (sa + sb)
        }
    }

    /// ψ(r) = ρ′(r), the residual's pull on the gradient.
    @inline(__always)
    public func derivative(_ r: Double) -> Double {
        switch self {
        case .l2: return r
        case .huber(let delta): return abs(r) <= delta ? r : (r > 0 ? delta : -delta)
        case .softL1(let c):
            let z = r / c
            return r / (1 + z * z).squareRoot()
        }
    }

    /// ρ″(r), the curvature the Gauss–Newton model gives the point (0 in Huber's linear part).
    @inline(__always)
    public func curvature(_ r: Double) -> Double {
        switch self {
        case .l2: return 1
        case .huber(let delta): return abs(r) <= delta ? 1 : 0
        case .softL1(let c):
            let z = r / c
            let s = 1 + z * z
            return 1 / (s * s.squareRoot())
        }
    }

    /// Parses `l2`, `huber:δ` or `soft_l1:c` (e.g. `huber:1e-3`).
    public init?(parsing text: String) {
        let parts = text.lowercased().split(separator: ":", maxSplits: 1).map(String.init)
        switch parts.first {
        case "l2", "linear", "mse": self = .l2
        case "huber":
            guard parts.count == 2, let d = Double(parts[1]), d > 0, d.isFinite else { return nil }
            self = .huber(delta: d)
        case "soft_l1", "softl1":
            guard parts.count == 2, let c = Double(parts[1]), c > 0, c.isFinite else { return nil }
            self = .softL1(scale: c)
        default: return nil
        }
    }
}

extension RobustLoss: CustomStringConvertible {
    public var description: String {
        switch self {
        case .l2: "l2"
        case .huber(let delta): "huber:\(delta)"
        case .softL1(let scale): "soft_l1:\(scale)"
        }
    }
}
