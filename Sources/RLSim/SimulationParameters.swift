public import Domain
import Foundation

/// Every constant of the simulated policy, from one committed file (`Resources/parameters.json`,
/// tabulated in `docs/SIMULATOR.md`). No parameter names a configuration: n, B_p and D enter the
/// dynamics only as the sizes of what a GRPO step sees (a group of n outcomes, a batch of B_p
/// groups, an epoch over D problems) and through the learning-rate rule η ∝ √(B_p·n).
public struct SimulationParameters: Codable, Hashable, Sendable {
    /// d, the dimension of the shared parameters θ.
    public var featureDimension: Int
    /// s: every problem's feature vector has this shared component along e₀ (transfer).
    public var sharedStrength: Double
    /// σ_r: random signed per-problem feature components, N(0, σ_r²/d) each (interference).
    public var interference: Double
    /// κ: curvature, −κ‖θ‖² on every logit (capability damage; a finite transfer ceiling).
    public var curvature: Double
    /// c_τ²: coherent memorisation, a problem's own logit moves by (η/B_p)·c_τ²·g per visit.
    public var coherentMemorisation: Double
    /// σ_mem: exposure memorisation, (η/B_p)·σ_mem·g/√(group size) per visit — the
    /// rollout-specific part of the update, averaged over the group's rollouts.
    public var exposureMemorisation: Double
    /// σ_th: policy-gradient noise on θ, (σ_th/B_p)·√(informative groups/group size)·ξ.
    public var gradientNoise: Double
    /// η₀: the learning rate at `referenceBatch` rollouts per step; η = η₀·(B_p·n/referenceBatch)^e
    /// with e = `learningRateExponent` (½: the paper's square-root rule; 0: a constant rate).
    public var baseLearningRate: Double
    public var referenceBatch: Double
    public var learningRateExponent: Double
    /// GRPO advantages divided by the group's standard deviation (signal √(μ(1−μ)) per group);
    /// false: mean-centred only (signal μ(1−μ)).
    public var standardiseAdvantages: Bool
    /// Average the update over informative (non-zero-variance) groups instead of all B_p.
    public var filterZeroVariance: Bool
    /// τ_e, λ_e: a problem whose own-logit step in one visit exceeds τ_e damages every logit by
    /// λ_e·(step − τ_e)² (entropy collapse from over-large per-prompt steps).
    public var stepThreshold: Double
    public var stepDamage: Double
    /// Tokens per rollout (for the tokens axis).
    public var tokensPerRollout: Double

    /// The committed parameter file.
    public static let standard: SimulationParameters = {
        guard let url = Bundle.module.url(forResource: "parameters", withExtension: "json"),
            let data = try? Data(contentsOf: url),
            let parameters = try? JSONDecoder().decode(SimulationParameters.self, from: data)
        else {
            fatalError("RLSim's bundled parameters.json is missing or malformed")
        }
        return parameters
    }()

    /// Reads a parameter file (every field required) and checks it.
    /// - Throws: ``ParameterFileError`` naming the file and what is wrong, on one line.
    public static func load(_ path: String) throws(ParameterFileError) -> SimulationParameters {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ParameterFileError(file: path, reason: "cannot read")
        }
        let parameters: SimulationParameters
        do {
            parameters = try JSONDecoder().decode(SimulationParameters.self, from: data)
        } catch {
            throw ParameterFileError(file: path, reason: ParameterFileError.reason(error))
        }
        do { try parameters.validate() } catch { throw ParameterFileError(file: path, reason: "\(error)") }
        return parameters
    }

    /// d in 1…4096, every constant finite and non-negative, positive η₀ and reference batch.
    public func validate() throws(DomainError) {
        guard (1...4096).contains(featureDimension) else {
            throw .invalid(field: "featureDimension", value: String(featureDimension), reason: "must lie in 1…4096")
        }
        let values: [(String, Double)] = [
            ("sharedStrength", sharedStrength), ("interference", interference), ("curvature", curvature),
            ("coherentMemorisation", coherentMemorisation), ("exposureMemorisation", exposureMemorisation),
            ("gradientNoise", gradientNoise), ("learningRateExponent", learningRateExponent),
            ("stepThreshold", stepThreshold), ("stepDamage", stepDamage), ("tokensPerRollout", tokensPerRollout),
        ]
        for (name, value) in values where !(value.isFinite && value >= 0) {
            throw .invalid(field: name, value: String(value), reason: "must be finite and ≥ 0")
        }
        guard baseLearningRate > 0, baseLearningRate.isFinite, referenceBatch > 0, referenceBatch.isFinite else {
            throw .invalid(
                field: "baseLearningRate/referenceBatch", value: "\(baseLearningRate)/\(referenceBatch)",
                reason: "must be positive")
        }
    }
}

/// A simulator parameter file that cannot be used: `file: reason`, on one line.
public struct ParameterFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var reason: String

    public var description: String { "\(file): \(reason)".escapingControlCharacters }

    /// What a decoding failure means for a parameter file, without the decoder's internals.
    static func reason(_ error: any Error) -> String {
        func field(_ path: [any CodingKey], _ key: (any CodingKey)? = nil) -> String {
            ((path + (key.map { [$0] } ?? [])).map(\.stringValue)).joined(separator: ".")
        }
        switch error as? DecodingError {
        case .keyNotFound(let key, let context)?: return "no \"\(field(context.codingPath, key))\" field"
        case .valueNotFound(_, let context)?: return "\"\(field(context.codingPath))\" is null"
        case .typeMismatch(_, let context)?: return "\"\(field(context.codingPath))\" has the wrong type"
        case .dataCorrupted(let context)?:
            return context.codingPath.isEmpty ? "not valid JSON" : "\"\(field(context.codingPath))\" is not valid"
        default: return "cannot decode: \(error)"
        }
    }
}
