import Domain
import Foundation
import IsoplanTestSupport
import NumericCore
import RunStore
import ScalingLaws
import Testing
import Workflows

@Suite("Workflows: fits stored from files and from runs")
struct WorkflowTests {
    static func storeWithSyntheticRuns(_ dir: TemporaryDirectory) throws -> Store {
        let store = try Store(path: dir.path("runs.sqlite"))
        for n in SyntheticRuns.truth.keys.sorted() {
            let run = Run(
                name: "sim-n\(n)", source: .sim, rolloutsPerProblem: n,
                problemsPerBatch: SyntheticRuns.problemsPerBatch,
                difficulty: .easy)
            let points = SyntheticRuns.points(n: n).map {
                MetricPoint(step: $0.step, rollouts: $0.rollouts, metric: .validationReward, value: $0.value)
            }
            try store.insert(run, points: points)
        }
        try store.insert(
            Run(name: "other-hard", source: .verl, rolloutsPerProblem: 16, problemsPerBatch: 64, difficulty: .hard),
            points: [MetricPoint(step: 1, rollouts: 1024, metric: .validationReward, value: 0.1)])
        return store
    }

    @Test func frontierOfStoredRunsIsStoredWithItsInputs() throws {
        let dir = try TemporaryDirectory()
        let store = try Self.storeWithSyntheticRuns(dir)
        var request = FrontierRequest(filter: try RunFilter("source=sim difficulty=easy"))
        request.options.bootstrapResamples = 40
        let result = try FrontierWorkflow.run(request, store: store)
        #expect(result.runIDs.count == 4)
        #expect(result.difficulty == "easy")
        #expect(result.analysis.handovers.filter(\.isCrossing).map(\.toN) == [32, 128, 512])
        let stored = try #require(try store.latestFit(metric: .validationReward, difficulty: "easy"))
        #expect(stored.id == result.storedID)
        #expect(stored.runFilter == "source=sim difficulty=easy")
        #expect(stored.runIDs == result.runIDs)
        #expect(stored.family == .law)
        #expect(stored.lower95?.count == 4)
        #expect(stored.detailsJSON.contains("handovers"))
    }

    @Test func frontierFailuresWriteNothing() throws {
        let dir = try TemporaryDirectory()
        let store = try Self.storeWithSyntheticRuns(dir)
        #expect(throws: WorkflowError.self) {
            try FrontierWorkflow.run(FrontierRequest(filter: try RunFilter("source=trl")), store: store)
        }
        var wrongMetric = FrontierRequest(filter: try RunFilter("source=sim"))
        wrongMetric.metric = .trainReward
        #expect(throws: WorkflowError.self) { try FrontierWorkflow.run(wrongMetric, store: store) }
        #expect(try store.info().counts["fit"] == 0)
    }

    static func writeCSV(_ dir: TemporaryDirectory, _ name: String, _ text: String) throws -> String {
        let path = dir.path(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func curveFitOfAFileIsStored() throws {
        let dir = try TemporaryDirectory()
        let storePath = dir.path("fits.sqlite")
        let truth = [0.3, 0.72, 5.5, 1.3]
        var rng = Xoshiro256StarStar(seed: 3)
        let rows = (0..<30).map { i -> String in
            let c = pow(10, 4 + 3 * Double(i) / 29)
            return "\(c),\(ScaleRLSigmoid().value(truth, at: [c]) + 0.005 * Normal.standard(using: &rng))"
        }
        let path = try Self.writeCSV(dir, "curve.csv", "compute,reward\n" + rows.joined(separator: "\n"))
        var request = FitCurveRequest(file: path, family: .scalerl, xColumns: ["compute"], yColumn: "reward")
        request.bootstrapResamples = 100
        let result = try FitCurveWorkflow.run(request, storePath: storePath)
        let store = try Store(path: storePath)
        for j in 0..<4 {
            #expect(result.bootstrap!.lower95[j] <= truth[j] + 0.05 && truth[j] - 0.05 <= result.bootstrap!.upper95[j])
        }
        #expect(result.covarianceStandardErrors?.count == 4)
        let stored = try #require(try store.fits(kind: .curve).first)
        #expect(stored.inputFile == path)
        #expect(stored.inputHash?.isEmpty == false)
        #expect(stored.parameters == result.fit.parameters)
    }

    @Test(arguments: [
        ("c,r\n1e5,0.3\n2e5,nan\n3e5,0.4\n4e5,0.5\n5e5,0.55\n", "not finite"),
        ("c,r\n1e5,0.3\n0,0.31\n3e5,0.4\n4e5,0.5\n5e5,0.55\n", "compute must be > 0"),
        ("c,r\n1e5,0.3\n2e5,0.4\n", "only 2 points"),
        ("c,r\n1e5,0.3\n2e5,x\n", "not a number"),
        ("c,q\n1e5,0.3\n", "no column \"r\""),
    ])
    func badInputFailsWithOneLineAndWritesNothing(csv: String, message: String) throws {
        let dir = try TemporaryDirectory()
        let storePath = dir.path("fits.sqlite")
        let path = try Self.writeCSV(dir, "bad.csv", csv)
        let request = FitCurveRequest(file: path, family: .scalerl, xColumns: ["c"], yColumn: "r")
        #expect {
            try FitCurveWorkflow.run(request, storePath: storePath)
        } throws: { error in
            let text = String(describing: error)
            return text.contains(message) && !text.contains("\n")
        }
        #expect(throws: WorkflowError.self) {
            try FitCurveWorkflow.run(
                FitCurveRequest(file: path, family: .scalerl, xColumns: ["c"], yColumn: "nothing"),
                storePath: storePath)
        }
        // Not even an empty database was created.
        #expect(!FileManager.default.fileExists(atPath: storePath))
    }
}
