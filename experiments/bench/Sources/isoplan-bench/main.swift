// isoplan-bench: times NumericCore kernels and prints one JSON line per benchmark.
//
//   isoplan-bench blas                                 (the OpenBLAS build and the core it picked)
//   isoplan-bench gemm <size> <repeats>
//   isoplan-bench binomial <trials> <p-file (float64 little-endian)> <repeats> <seed>
//   isoplan-bench chinchilla <datadir> <workers> <repeats> [scalar|sse2|avx2|best] [keep:steps|off]
//   isoplan-bench chinchilla-basins <datadir> <objective-tolerance> [max-iterations]   (a CSV row per start)
//   isoplan-bench chinchilla-screening <datadir> <resamples> [loss] [screening]   (a CSV row per resample: screened vs not)
//   isoplan-bench scalerl-bootstrap <datadir> <workers> <repeats>
//   isoplan-bench rlsim-sweep <difficulty> <D> <V> <budget> <seeds> <grid n:bp,…>
//
// The fitting benchmarks read the files `peers/fit_peers.py prepare <datadir>` writes.
//
// Thread count comes from OPENBLAS_NUM_THREADS, set by the driver (run_bench.py).
import Domain
import Foundation
import NumericCore
import RLSim
import ScalingLaws

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2])
}

func emit(_ fields: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

/// Rows of a numeric CSV file (skipping a header line unless `header` is false).
func readCSV(_ path: String, header: Bool = true) -> [[Double]] {
    let text = try! String(contentsOfFile: path, encoding: .utf8)
    return text.split(whereSeparator: \.isNewline).dropFirst(header ? 1 : 0)
        .map { $0.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces))! } }
}

/// `(N, D, loss)` rows as Chinchilla fit data (inputs N and D, target the loss).
func chinchillaData(_ points: [[Double]]) -> FitData {
    let inputs = Matrix(rows: points.count, columns: 2) { i, j in points[i][j] }
    return try! FitData(inputs: inputs, targets: points.map { $0[2] })
}

let args = CommandLine.arguments
guard args.count >= 2 else {
    FileHandle.standardError.write(
        Data("usage: isoplan-bench gemm SIZE REPEATS | binomial TRIALS PFILE REPEATS SEED\n".utf8))
    exit(64)
}

switch args[1] {
case "blas":
    emit([
        "bench": "blas", "openblas": BLASConfiguration.configuration, "core": BLASConfiguration.coreName,
        "threads": BLASConfiguration.threadCount,
    ])

case "rlsim-sweep":
    // One whole sweep (every configuration × seed, C_max each), both cores, runs in memory.
    let difficulty = Difficulty(rawValue: args[2])!
    let problems = Int(args[3])!
    let validation = Int(args[4])!
    let budget = Double(args[5])!
    let seeds = Int(args[6])!
    let configs = args[7].split(separator: ",").flatMap { item -> [SimulationConfiguration] in
        let parts = item.split(separator: ":").map { Int($0)! }
        return (0..<seeds).map {
            SimulationConfiguration(
                rolloutsPerProblem: parts[0], problemsPerBatch: parts[1], budget: budget, seed: UInt64($0))
        }
    }
    let simulator = Simulator(source: .difficulty(difficulty), trainSize: problems, validationSize: validation)
    var runs: [SimulatedRun] = []
    let elapsed = seconds {
        runs = try! simulator.run(configs) {
            Run(
                name: $0.runName(prefix: "b"), source: .sim, rolloutsPerProblem: $0.rolloutsPerProblem,
                problemsPerBatch: $0.problemsPerBatch)
        }
    }
    let best = runs.map { $0.points.filter { $0.metric == .validationReward }.map(\.value).max()! }
    emit([
        "bench": "rlsim", "side": "isoplan", "median_s": elapsed, "runs": runs.count, "workers": simulator.workers,
        "mean_best_val": best.reduce(0, +) / Double(best.count),
    ])

case "gemm":
    let n = Int(args[2])!
    let repeats = Int(args[3])!
    var rng = Xoshiro256StarStar(seed: 1)
    let a = Matrix(rows: n, columns: n) { _, _ in rng.nextUniform() - 0.5 }
    let b = Matrix(rows: n, columns: n) { _, _ in rng.nextUniform() - 0.5 }
    var c = Matrix(rows: n, columns: n)
    Matrix.gemm(a, b, into: &c)  // warm-up: thread pool start, page faults
    let times = (0..<repeats).map { _ in seconds { Matrix.gemm(a, b, into: &c) } }
    let flops = 2 * Double(n) * Double(n) * Double(n)
    emit([
        "bench": "gemm", "side": "isoplan", "size": n, "median_s": median(times), "gflops": flops / median(times) / 1e9,
        "threads": BLASConfiguration.threadCount, "openblas": BLASConfiguration.configuration,
        "core": BLASConfiguration.coreName, "checksum": c.storage.reduce(0, +),
    ])

case "binomial":
    let trials = Int(args[2])!
    let path = args[3]
    let repeats = Int(args[4])!
    let seed = UInt64(args[5])!
    let data = try! Data(contentsOf: URL(fileURLWithPath: path))
    let probabilities: [Double] = data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
    var out = [Int](repeating: 0, count: probabilities.count)
    var rng = Xoshiro256StarStar(seed: seed)
    func drawAll() {
        probabilities.withUnsafeBufferPointer { ps in
            out.withUnsafeMutableBufferPointer { os in
                Binomial.sample(trials: trials, probabilities: ps, into: os, using: &rng)
            }
        }
    }
    drawAll()  // warm-up
    let times = (0..<repeats).map { _ in seconds(drawAll) }
    let meanDraw = out.reduce(0.0) { $0 + Double($1) } / Double(out.count)
    let meanExpected = probabilities.reduce(0, +) * Double(trials) / Double(probabilities.count)
    emit([
        "bench": "binomial", "side": "isoplan", "draws": probabilities.count, "median_s": median(times),
        "draws_per_s": Double(probabilities.count) / median(times), "mean_draw": meanDraw,
        "mean_expected": meanExpected,
    ])

case "chinchilla":
    let dir = args[2]
    let workers = Int(args[3])!
    let repeats = Int(args[4])!
    let family = ChinchillaLoss(
        instructionSet: args.count > 5 && args[5] != "best"
            ? VectorMath.InstructionSet(rawValue: args[5])! : VectorMath.best)
    var options = FitOptions(loss: .huber(delta: 1e-3))
    options.screening = args.count > 6 ? StartScreening(parsing: args[6])! : .standard
    let data = chinchillaData(readCSV("\(dir)/chinchilla_points.csv"))
    let starts = readCSV("\(dir)/chinchilla_starts.csv")
    var fit: CurveFit?
    let times = (0...repeats).map { _ in
        seconds {
            fit = try! CurveFitter.fit(family, to: data, options: options, starts: starts, workers: workers)
        }
    }.dropFirst()  // the first run warms up
    let p = fit!.parameters
    emit([
        "bench": "chinchilla", "side": "isoplan-lm", "starts": starts.count, "workers": workers,
        "vector_math": family.instructionSet.rawValue, "screening": options.screening.description,
        "median_s": median(Array(times)),
        "best": [
            "A": exp(p[0]), "B": exp(p[1]), "E": exp(p[2]), "alpha": p[3], "beta": p[4], "objective": fit!.objective,
        ],
    ])

case "chinchilla-basins":
    // Every start's exploration descent alone: iterations, status and end point, for the
    // analysis of how many starts share a basin (docs/PERFORMANCE.md).
    let dir = args[2]
    let tolerance = Double(args[3])!
    let maxIterations = args.count > 4 ? Int(args[4])! : 1000
    let data = chinchillaData(readCSV("\(dir)/chinchilla_points.csv"))
    let starts = readCSV("\(dir)/chinchilla_starts.csv")
    var options = FitOptions(loss: .huber(delta: 1e-3), gradientTolerance: 1e-8)
    options.objectiveTolerance = tolerance
    options.secondOrder = false
    options.maxIterations = maxIterations
    let fits = parallelMap(count: starts.count, workers: 2) { [options] i in
        try! CurveFitter.fit(ChinchillaLoss(), to: data, options: options, starts: [starts[i]], workers: 1)
    }
    for (i, fit) in fits.enumerated() {
        let row = [Double(i), Double(fit.iterations), fit.objective] + fit.parameters
        print(row.map { "\($0)" }.joined(separator: ","))
    }

case "chinchilla-screening":
    // Whether start screening finds the optimum the full search finds, on bootstrap resamples
    // of Epoch's points (docs/SCALING_LAWS.md, "Start screening").
    let dir = args[2]
    let resamples = Int(args[3])!
    let loss = args.count > 4 ? RobustLoss(parsing: args[4])! : .huber(delta: 1e-3)
    let screened = args.count > 5 ? StartScreening(parsing: args[5])! : .standard
    let points = readCSV("\(dir)/chinchilla_points.csv")
    let starts = readCSV("\(dir)/chinchilla_starts.csv")
    var rng = Xoshiro256StarStar(seed: 20_261_206)
    print(
        "resample,objective_full,objective_screened,relative_difference,largest_parameter_difference,seconds_full,seconds_screened,at_optimum_full,at_optimum_screened"
    )
    for r in 0..<resamples {
        let rows =
            r == 0 ? Array(points.indices) : points.indices.map { _ in Int(rng.nextUniform() * Double(points.count)) }
        let data = chinchillaData(rows.map { points[$0] })
        var fits: [CurveFit] = []
        var times: [Double] = []
        for screening in [StartScreening.off, screened] {
            var options = FitOptions(loss: loss)
            options.screening = screening
            times.append(
                seconds {
                    fits.append(
                        try! CurveFitter.fit(ChinchillaLoss(), to: data, options: options, starts: starts, workers: 2))
                })
        }
        let difference = zip(fits[0].parameters, fits[1].parameters).map { abs($0 - $1) }.max()!
        let relative = (fits[1].objective - fits[0].objective) / fits[0].objective
        print(
            [
                Double(r), fits[0].objective, fits[1].objective, relative, difference, times[0], times[1],
                Double(fits[0].candidatesAtOptimum ?? 0), Double(fits[1].candidatesAtOptimum ?? 0),
            ].map { "\($0)" }
                .joined(separator: ","))
    }

case "scalerl-bootstrap":
    let dir = args[2]
    let workers = Int(args[3])!
    let repeats = Int(args[4])!
    let points = readCSV("\(dir)/scalerl_points.csv")
    let indices = readCSV("\(dir)/scalerl_indices.csv", header: false).map { $0.map { Int($0) } }
    let boundsJSON =
        try! JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/scalerl_bounds.json")))
        as! [String: [Double]]
    let data = try! FitData(x: points.map { $0[0] }, y: points.map { $0[1] })
    let options = FitOptions(lowerBounds: boundsJSON["lower"]!, upperBounds: boundsJSON["upper"]!)
    var full: CurveFit?
    var summary: BootstrapSummary?
    let times = (0...repeats).map { _ in
        seconds {
            full = try! CurveFitter.fit(ScaleRLSigmoid(), to: data, options: options, starts: [[0.3, 0.7, 5.0, 1.0]])
            summary = try! CurveFitter.bootstrap(
                ScaleRLSigmoid(), data: data, fit: full!, options: options,
                resamples: indices.count, indices: indices, workers: workers)
        }
    }.dropFirst()
    emit([
        "bench": "scalerl-bootstrap", "side": "isoplan-lm", "resamples": indices.count, "workers": workers,
        "median_s": median(Array(times)), "full": full!.parameters, "medians": summary!.medians,
        "not_converged": summary!.notConverged,
    ])

default:
    FileHandle.standardError.write(Data("unknown benchmark \(args[1])\n".utf8))
    exit(64)
}
