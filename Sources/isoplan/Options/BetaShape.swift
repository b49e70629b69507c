import ArgumentParser
import Foundation

/// `--beta α,β`: the shape of a Beta population, two positive numbers up to 10^6 (beyond, the
/// Beta-binomial terms lose their precision).
struct BetaShape: ExpressibleByArgument, Hashable {
    var alpha: Double
    var beta: Double

    init?(argument: String) {
        let parts = argument.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let alpha = parts[0], let beta = parts[1], alpha > 0, beta > 0, alpha <= 1e6,
            beta <= 1e6
        else { return nil }
        (self.alpha, self.beta) = (alpha, beta)
    }

    var defaultValueDescription: String { "\(alpha),\(beta)" }
}
