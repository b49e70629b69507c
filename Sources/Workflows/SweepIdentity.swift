import Foundation

/// The identity of a simulated sweep: the `sweep` of every run it stores, and the prefix of their names.
///
/// `id` is `[<scope>-]<preset>-<population>[-B<B>]-D<D>-C<C>`, C printed with `%g`
/// (`isocompute-q1-easy-easy-D6000-C1e+07`): the scope (nil for `simulate sweep`, `demo` for the
/// demo), the preset's name, the population's name, the fixed batch B when the sweep is one
/// fixed-batch slice of its preset, the train problems D and the budget C in rollouts.
///
/// A run is stored as `<id>-<settings tag>-n<n>-bp<B_p>-s<seed>[-B<B>]`
/// (`SimulationRequest.runName(_:)`), so the same request finds its runs stored and resumes.
/// Seeds are not part of the identity: rerunning with more seeds grows the same sweep and reuses
/// the seeds already stored. What else shapes a run (parameter file, validation size, measured
/// counts) is in each run's settings tag, not here.
public struct SweepIdentity: Codable, Hashable, Sendable, CustomStringConvertible {
    /// Who runs the sweep, when not `simulate sweep` (`demo`): keeps such sweeps apart from a
    /// user's sweep of the same request.
    public var scope: String?
    /// The preset's (or grid's) name, recorded as the runs' `preset`.
    public var preset: String
    /// `PopulationSource.name`.
    public var population: String
    /// The fixed batch B of a one-slice sweep.
    public var fixedBatch: Int?
    /// Train problems D and the budget C in rollouts.
    public var trainSize: Int
    public var budget: Double

    public init(
        scope: String? = nil, preset: String, population: String, fixedBatch: Int? = nil, trainSize: Int,
        budget: Double
    ) {
        self.scope = scope
        self.preset = preset
        self.population = population
        self.fixedBatch = fixedBatch
        self.trainSize = trainSize
        self.budget = budget
    }

    /// `[<scope>-]<preset>-<population>[-B<B>]-D<D>-C<C>`.
    public var id: String {
        let parts = [
            scope, preset, population, fixedBatch.map { "B\($0)" }, "D\(trainSize)",
            "C" + String(format: "%g", budget),
        ]
        return parts.compactMap { $0 }.joined(separator: "-")
    }

    public var description: String { id }
}
