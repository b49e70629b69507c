import Domain
public import NumericCore

extension PopulationSource {
    /// The distribution of a problem's base success rate that ``Population`` samples from, in
    /// closed form: every source is a mixture of Beta posteriors (the same bins, priors and
    /// weights as the sampler), so expectations over it need no Monte Carlo.
    public var betaMixture: BetaMixture {
        typealias Prior = (alpha: Double, beta: Double)
        func posterior(_ prior: Prior, k: Int, of m: Int, weight: Double) -> BetaMixture.Component {
            BetaMixture.Component(weight: weight, alpha: prior.alpha + Double(k), beta: prior.beta + Double(m - k))
        }
        func histogram(_ bins: [(k: Int, weight: Double)], prior: Prior, weight: Double) -> [BetaMixture.Component] {
            let total = bins.reduce(0) { $0 + $1.weight }
            return bins.map { posterior(prior, k: $0.k, of: 16, weight: weight * $0.weight / total) }
        }
        func avg128(_ bin: (low: Double, high: Double), weight: Double) -> [BetaMixture.Component] {
            let counts = Population.counts128(bin)
            return counts.map { posterior(Population.easyPrior, k: $0, of: 128, weight: weight / Double(counts.count)) }
        }
        let unsolved = posterior(Population.hardPrior, k: 0, of: 128, weight: 0.5)
        switch self {
        case .difficulty(.easy):
            return BetaMixture(histogram(Population.easyHistogram, prior: Population.easyPrior, weight: 1))
        case .difficulty(.hard):
            return BetaMixture(histogram(Population.hardHistogram, prior: Population.hardPrior, weight: 1))
        case .difficulty(.extremelyHard):
            return BetaMixture([posterior(Population.hardPrior, k: 0, of: 128, weight: 1)])
        case .difficulty(.heteroDual): return BetaMixture([unsolved] + avg128(Population.moderateBin, weight: 0.5))
        case .difficulty(.heteroTri):
            return BetaMixture(
                [unsolved] + avg128(Population.moderateBin, weight: 0.25) + avg128(Population.highBin, weight: 0.25))
        case .beta(let alpha, let beta): return .beta(alpha: alpha, beta: beta)
        case .counts(let rates):
            return BetaMixture(
                rates.tasks.map { posterior(Population.jeffreysPrior, k: $0.successes, of: $0.trials, weight: 1) })
        }
    }
}

extension PopulationSource {
    /// `count` base success rates drawn exactly as ``Population`` draws its problems' (seeded):
    /// the Monte Carlo counterpart of ``betaMixture``.
    public func sampleBaseRates(count: Int, seed: UInt64) -> [Double] {
        var rng = Xoshiro256StarStar(seed: seed, stream: 0x706F_7075)
        return (0..<count).map { _ in Population.baseRate(self, using: &rng) }
    }
}
