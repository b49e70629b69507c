import Domain
import Foundation
import Ingest
import IsoplanTestSupport
import RLSim
import RunStore
import Testing
import Workflows

@Suite("Workflows: request preparation (sweeps, import batches, auto difficulty)")
struct PreparationTests {
    func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func presetSweepExpandsItsGridWithDefaults() {
        var sweep = SweepRequest(preset: .q1Hard)
        sweep.seeds = 1
        let defaults = SimulationWorkflow.prepare(sweep)
        // The preset's population, D and C; Q1 hard has 27 (n, B_p) pairs with B_p·n ≤ 16,384.
        #expect(defaults.source == .difficulty(.hard) && defaults.trainSize == 5000 && defaults.validationSize == 300)
        #expect(defaults.configurations.count == 27 && defaults.dropped.isEmpty)
        #expect(defaults.configurations.allSatisfy { $0.budget == 1e7 && $0.seed == 0 })
        #expect(defaults.sweepID == "isocompute-q1-hard-hard-D5000-C1e+07" && defaults.preset == "isocompute-q1-hard")
        // B_p ∈ {512, 1024} exceed 300 problems: 3 + 2 configurations dropped, grid order kept.
        sweep.trainSize = 300
        sweep.seeds = 2
        sweep.budget = 2e5
        let small = SimulationWorkflow.prepare(sweep)
        #expect(small.configurations.count == 44 && small.dropped.count == 10)
        #expect(small.dropped.allSatisfy { $0.problemsPerBatch > 300 })
        #expect(small.configurations.prefix(2).map(\.seed) == [0, 1])
        #expect(small.sweepID == "isocompute-q1-hard-hard-D300-C200000")
        // A population given instead of the preset's: D defaults by that population.
        sweep.trainSize = nil
        sweep.population = .difficulty(.easy)
        #expect(SimulationWorkflow.prepare(sweep).trainSize == 6000)
        sweep.population = .beta(alpha: 0.5, beta: 2)
        #expect(SimulationWorkflow.prepare(sweep).trainSize == 5000)
        #expect(SimulationRequest.defaultTrainSize(for: .difficulty(.easy)) == 6000)
    }

    @Test func fixedBatchSliceKeepsOneBatch() {
        var sweep = SweepRequest(preset: .q2Easy)
        sweep.seeds = 2
        sweep.fixedBatch = 8192
        sweep.trainSize = 2000
        sweep.budget = 3e6
        sweep.scope = "demo"
        let slice = SimulationWorkflow.prepare(sweep)
        #expect(!slice.configurations.isEmpty && slice.configurations.allSatisfy { $0.fixedBatch == 8192 })
        #expect(slice.configurations.allSatisfy { $0.rolloutsPerStep == 8192 })
        #expect(slice.sweepID == "demo-isocompute-q2-easy-easy-B8192-D2000-C3e+06")
    }

    @Test func sweepIdentityIsStableAndFollowsTheRequest() {
        func request(_ change: (inout SweepRequest) -> Void = { _ in }) -> SweepRequest {
            var sweep = SweepRequest(preset: .q1Easy)
            sweep.trainSize = 500
            sweep.budget = 2e5
            change(&sweep)
            return sweep
        }
        let base = request()
        #expect(base.identity == request().identity && base.identity.id == request().identity.id)
        let prepared = SimulationWorkflow.prepare(base)
        let again = SimulationWorkflow.prepare(request())
        #expect(prepared.configurations.map(prepared.runName) == again.configurations.map(again.runName))
        let changes = [
            request { $0.budget = 4e5 }, request { $0.trainSize = 600 },
            request { $0.population = .difficulty(.hard) }, request { $0.preset = .q3Easy },
            request { $0.fixedBatch = 4096 }, request { $0.scope = "demo" },
        ]
        for changed in changes {
            #expect(changed.identity != base.identity && changed.identity.id != base.identity.id)
        }
        // Seeds are not part of the identity: more seeds grow the same sweep and reuse the runs stored.
        let moreSeeds = request { $0.seeds = 5 }
        #expect(moreSeeds.identity == base.identity)
        let grown = SimulationWorkflow.prepare(moreSeeds)
        let names = Set(prepared.configurations.map(prepared.runName))
        #expect(names.isSubset(of: grown.configurations.map(grown.runName)))
        // Settings that are not in the identity still keep runs apart, through the run names.
        let otherValidation = SimulationWorkflow.prepare(request { $0.validationSize = 100 })
        #expect(otherValidation.sweepID == prepared.sweepID)
        let first = prepared.configurations[0]
        #expect(otherValidation.runName(first) != prepared.runName(first))
    }

    @Test func countsPopulationNeedsOneSystem() throws {
        let dir = try TemporaryDirectory()
        let counts = dir.path("counts.csv")
        try write("system,task_id,trials,successes\na,t1,4,1\na,t2,4,3\nb,t1,4,0\n", to: counts)
        do {
            _ = try SimulationWorkflow.countsPopulation(file: counts, system: nil)
            Issue.record("two systems were accepted")
        } catch {
            guard case .ambiguousSystem(let file, let matching) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(file == counts && matching == 2)
        }
        let source = try SimulationWorkflow.countsPopulation(file: counts, system: "a")
        guard case .counts(let rates) = source else {
            Issue.record("\(source)")
            return
        }
        #expect(rates.system == "a" && rates.tasks.count == 2 && source.name == "counts:a")
        #expect(throws: PopulationError.self) {
            try SimulationWorkflow.countsPopulation(file: dir.path("none.csv"), system: nil)
        }
    }

    @Test func manifestErrorsNameFileAndLine() throws {
        let dir = try TemporaryDirectory()
        let manifest = dir.path("manifest.csv")
        try write("file,n,bp,name\nlogs/a.log,4,512,a\n/abs/b.log,8,64,\nc.log,x,64,c\n", to: manifest)
        let batch = ImportBatch(format: .verl, files: .manifest(manifest))
        do {
            _ = try ImportWorkflow.requests(batch)
            Issue.record("a malformed manifest row was accepted")
        } catch {
            guard case .input(let inner) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(inner == .malformed(file: manifest, line: 4, reason: "n and bp must be whole numbers ≥ 1"))
            #expect("\(error)".hasPrefix("\(manifest):4: "))
        }
        try write("file,n,bp,name\nlogs/a.log,4,512,a\n/abs/b.log,8,64,\n", to: manifest)
        var withTokens = batch
        withTokens.tokensPerRollout = 300
        let requests = try ImportWorkflow.requests(withTokens)
        #expect(requests.map(\.file) == [dir.path("logs/a.log"), "/abs/b.log"])
        #expect(requests.map(\.rolloutsPerProblem) == [4, 8] && requests.map(\.problemsPerBatch) == [512, 64])
        #expect(requests.map(\.name) == ["a", nil] && requests.allSatisfy { $0.tokensPerRollout == 300 })
        try write("file,bp\na.log,4\n", to: manifest)
        #expect(throws: ImportError.missingColumn(file: manifest, column: "n", available: ["file", "bp"])) {
            try ImportWorkflow.manifest(manifest, batch: batch)
        }
    }

    @Test func logsWithoutAnAllocationNameWhatIsMissing() throws {
        var batch = ImportBatch(format: .csv(stepColumn: "_step", metrics: nil), files: .logs(["run.csv"]))
        batch.problemsPerBatch = 64
        do {
            _ = try ImportWorkflow.requests(batch)
            Issue.record("a log without n was accepted")
        } catch {
            guard case .missingAllocation(let file, let field, let looked) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(file == "run.csv" && field == .rolloutsPerProblem && looked == "not given")
        }
        batch.rolloutsPerProblem = 8
        batch.name = "r"
        let requests = try ImportWorkflow.requests(batch)
        #expect(requests.count == 1 && requests[0].rolloutsPerProblem == 8 && requests[0].problemsPerBatch == 64)
        #expect(requests[0].name == "r")
    }

    @Test func autoDifficultyIsResolvedFromSolveRates() throws {
        let dir = try TemporaryDirectory()
        let counts = dir.path("counts.csv")
        // 9 tasks in the easy bin, one at 14/16 (outside both bins, nearer easy): easy.
        let rows = (0..<9).map { "t\($0),16,7" } + ["t9,16,14"]
        try write((["task_id,trials,successes"] + rows).joined(separator: "\n"), to: counts)
        let resolved = try TrainingPlanWorkflow.resolve(.auto(solveRatesFile: counts))
        #expect(resolved.difficulty == .easy)
        #expect(resolved.notes.first == "auto: 10 easy, 0 hard tasks → easy")
        #expect(resolved.notes.count == 2 && resolved.notes[1].contains("1 of 10 tasks lie outside"))
        #expect(try TrainingPlanWorkflow.resolve(.named(.hard)) == (difficulty: .hard, notes: []))
        let store = try Store(path: dir.path("p.sqlite"))
        let auto = TrainingPlanRequest(budget: 1e6, difficulty: .auto(solveRatesFile: counts))
        let plan = try TrainingPlanWorkflow.run(auto, store: store)
        #expect(plan.difficulty == .easy && plan.rolloutsPerProblem == 128)
        #expect(Array(plan.warnings.prefix(2)) == resolved.notes)
        let missing = TrainingPlanRequest(budget: 1e6, difficulty: .auto(solveRatesFile: dir.path("none.csv")))
        #expect(throws: WorkflowError.self) { try TrainingPlanWorkflow.run(missing, store: store) }
    }
}
