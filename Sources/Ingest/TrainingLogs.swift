public import Domain
import Foundation

/// One logged step: every numeric metric under its raw (framework) name.
public struct LoggedStep: Sendable, Equatable {
    public var step: Int
    public var values: [String: Double]
    /// When each metric was logged (seconds since the Unix epoch), for logs that record it
    /// (TensorBoard's per-event `wall_time`).
    public var wallTimes: [String: Double]

    public init(step: Int, values: [String: Double], wallTimes: [String: Double] = [:]) {
        self.step = step
        self.values = values
        self.wallTimes = wallTimes
    }
}

/// A training log read from a file: steps ascending, records of the same step merged (later
/// values win), non-numeric values (strings, nulls, NaN) left out.
public struct TrainingLog: Sendable {
    public var file: String
    public var format: String
    public var steps: [LoggedStep]
    /// What the reader wants the user to know about a log it read anyway (an incomplete last record).
    public var warnings: [String] = []

    init(file: String, format: String, records: [LoggedStep]) {
        self.file = file
        self.format = format
        var merged: [Int: LoggedStep] = [:]
        for record in records {
            if var existing = merged[record.step] {
                existing.values.merge(record.values) { _, new in new }
                existing.wallTimes.merge(record.wallTimes) { _, new in new }
                merged[record.step] = existing
            } else {
                merged[record.step] = record
            }
        }
        steps = merged.values.sorted { $0.step < $1.step }
    }
}

/// Parses a logged value: a number, or a NumPy scalar repr such as `np.float64(0.25)`; nil for
/// strings, `None`/`null`, NaN and infinities (they are not measurements).
func loggedNumber(_ text: Substring) -> Double? {
    var t = text.trimmingCharacters(in: .whitespaces)[...]
    if t.hasPrefix("np.") || t.hasPrefix("numpy."), let open = t.firstIndex(of: "("), t.hasSuffix(")") {
        t = t[t.index(after: open)..<t.index(before: t.endIndex)]
    }
    guard let value = Double(t), value.isFinite else { return nil }
    return value
}

/// A finite JSON number (booleans, strings and nulls are not measurements).
func jsonNumber(_ value: Any) -> Double? {
    guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else { return nil }
    return number.doubleValue.isFinite ? number.doubleValue : nil
}

/// A step number from JSON: a whole number in 0…10^15 (larger or fractional values are not steps).
func jsonStep(_ value: Any?) -> Int? {
    guard let value, let number = jsonNumber(value), number >= 0, number <= 1e15, number == number.rounded() else {
        return nil
    }
    return Int(number)
}

/// verl's two log formats: the `file` logger's JSONL (`{"step": N, "data": {...}}`) and console
/// lines (`step:N - key:value - …`, with Ray's ANSI colour codes and `(TaskRunner pid=…)`
/// prefixes; resumed runs start mid-way; early logs use `test_score/<source>`).
public enum VerlLog {
    public static func read(_ path: String) throws(ImportError) -> TrainingLog {
        let text = try contents(path)
        let firstLine = text.split(separator: "\n", maxSplits: 1).first ?? ""
        return firstLine.trimmingCharacters(in: .whitespaces).hasPrefix("{")
            ? try readJSONL(path, text: text) : try readConsole(path, text: text)
    }

    static func contents(_ path: String) throws(ImportError) -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            throw .unreadable(file: path, reason: "no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(file: path, reason: "cannot read")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func readJSONL(_ path: String, text: String) throws(ImportError) -> TrainingLog {
        var records: [LoggedStep] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                throw .malformed(file: path, line: index + 1, reason: "not a JSON object")
            }
            guard let step = jsonStep(object["step"]) else {
                throw .malformed(file: path, line: index + 1, reason: "no whole-number \"step\" in 0…10^15")
            }
            guard let data = object["data"] as? [String: Any] else {
                throw .malformed(file: path, line: index + 1, reason: "no \"data\" object")
            }
            var values: [String: Double] = [:]
            for (key, value) in data {
                if let number = jsonNumber(value) {
                    values[key] = number
                } else if let string = value as? String, let number = loggedNumber(string[...]) {
                    values[key] = number
                }
            }
            records.append(LoggedStep(step: step, values: values))
        }
        guard !records.isEmpty else { throw .malformed(file: path, line: 1, reason: "no steps") }
        return TrainingLog(file: path, format: "verl-jsonl", records: records)
    }

    static func readConsole(_ path: String, text: String) throws(ImportError) -> TrainingLog {
        var records: [LoggedStep] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = stripANSI(rawLine)
            guard let range = line.range(of: "step:"), isStepLine(line, at: range) else { continue }
            var body = line[range.upperBound...]
            if let repeated = body.range(of: " [repeated") { body = body[..<repeated.lowerBound] }
            let segments = body.components(separatedBy: " - ")
            guard let step = Int(segments[0].trimmingCharacters(in: .whitespaces)), step >= 0,
                step <= 1_000_000_000_000_000
            else {
                throw .malformed(file: path, line: index + 1, reason: "step:\(segments[0]) is not a step number")
            }
            var values: [String: Double] = [:]
            for segment in segments.dropFirst() {
                guard let colon = segment.firstIndex(of: ":") else {
                    throw .malformed(file: path, line: index + 1, reason: "\"\(segment)\" is not key:value")
                }
                if let number = loggedNumber(segment[segment.index(after: colon)...]) {
                    values[segment[..<colon].trimmingCharacters(in: .whitespaces)] = number
                }
            }
            records.append(LoggedStep(step: step, values: values))
        }
        guard !records.isEmpty else { throw .malformed(file: path, line: 1, reason: "no `step:N - key:value` lines") }
        return TrainingLog(file: path, format: "verl-console", records: records)
    }

    /// `step:` starts the line's metric part (after an optional `(Name pid=…)` prefix) and is
    /// followed by digits and ` - ` or the line's end.
    static func isStepLine(_ line: String, at range: Range<String.Index>) -> Bool {
        let before = line[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
        guard before.isEmpty || before.hasSuffix(")") else { return false }
        let after = line[range.upperBound...]
        let digits = after.prefix { $0.isNumber }
        guard !digits.isEmpty else { return false }
        let rest = after.dropFirst(digits.count)
        return rest.isEmpty || rest.hasPrefix(" - ")
    }

    /// Removes ANSI escape sequences (`ESC [ … letter`).
    static func stripANSI(_ line: Substring) -> String {
        var out = ""
        var iterator = line.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            if scalar == "\u{1B}" {
                guard let next = iterator.next() else { break }
                if next == "[" { while let c = iterator.next(), !(("@"..."~").contains(c)) {} }
                continue
            }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}

/// TRL's `trainer_state.json`: `log_history` entries (each already averaged over
/// `logging_steps` by the trainer) keyed by `step`; evaluation entries merge into their step.
public enum TRLTrainerState {
    public static func read(_ path: String) throws(ImportError) -> TrainingLog {
        let object = try SolveRateSources.json(path)
        guard let history = object["log_history"] as? [[String: Any]] else {
            throw .malformed(file: path, line: 1, reason: "no log_history list (is this a trainer_state.json?)")
        }
        var records: [LoggedStep] = []
        for (index, entry) in history.enumerated() {
            guard let step = jsonStep(entry["step"]) else {
                throw .malformed(file: path, line: 1, reason: "log_history[\(index)] has no step")
            }
            var values: [String: Double] = [:]
            for (key, value) in entry where key != "step" {
                if let number = jsonNumber(value) { values[key] = number }
            }
            records.append(LoggedStep(step: step, values: values))
        }
        guard !records.isEmpty else { throw .malformed(file: path, line: 1, reason: "log_history is empty") }
        return TrainingLog(file: path, format: "trl", records: records)
    }
}

/// A metrics CSV (a W&B history export or any table): a step column and named metric columns;
/// empty cells are missing values.
public enum MetricCSV {
    public static func read(_ path: String, stepColumn: String = "_step", metrics: [(name: String, column: String)]?)
        throws(ImportError) -> TrainingLog
    {
        let table = try CSVTable(contentsOf: path)
        let stepIndex = try table.columnIndex(stepColumn)
        var columns: [(String, Int)] = []
        if let metrics {
            for metric in metrics { columns.append((metric.name, try table.columnIndex(metric.column))) }
        } else {
            columns = table.header.enumerated().filter { $0.offset != stepIndex }.map { ($0.element, $0.offset) }
        }
        var records: [LoggedStep] = []
        for row in table.rows {
            let stepText = row.fields[stepIndex].trimmingCharacters(in: .whitespaces)
            guard let stepValue = Double(stepText), stepValue >= 0, stepValue <= 1e15, stepValue == stepValue.rounded()
            else {
                throw .malformed(file: path, line: row.line, reason: "step \"\(stepText)\" is not a whole number ≥ 0")
            }
            var values: [String: Double] = [:]
            for (name, index) in columns {
                if let number = loggedNumber(row.fields[index][...]) { values[name] = number }
            }
            records.append(LoggedStep(step: Int(stepValue), values: values))
        }
        guard !records.isEmpty else { throw .malformed(file: path, line: 2, reason: "no rows") }
        return TrainingLog(file: path, format: "csv", records: records)
    }
}

/// Framework metric names → IsoPlan's canonical names.
public enum MetricAliases {
    /// The canonical name of a raw metric, or nil when it has none (it is then kept under its raw name).
    ///
    /// verl: `val-core/<source>/<var>/mean@N` → `val_reward`, `…/best@N/mean` → `val_best@N`,
    /// `val-aux/…/worst@N/mean` → `val_worst@N`, the older `test_score/<source>` and
    /// `val/test_score/<source>` → `val_reward`, `critic/score/mean` → `train_reward`,
    /// `response_length/mean` → `response_length`. TRL: `reward` → `train_reward`,
    /// `frac_reward_zero_std` → `frac_zero_std`, `completions/mean_length` and
    /// `completion_length` → `response_length`, `eval_reward` → `val_reward`. OpenRLHF's TensorBoard
    /// tags (see ``openRLHF(_:)``).
    public static func canonical(_ raw: String) -> MetricName? {
        switch raw {
        case "critic/score/mean", "reward": return .trainReward
        case "frac_reward_zero_std": return .fractionZeroStd
        case "response_length/mean", "completions/mean_length", "completion_length": return .responseLength
        case "eval_reward", "val_reward": return .validationReward
        default: break
        }
        if let name = openRLHF(raw) { return name }
        let parts = raw.split(separator: "/")
        if raw.hasPrefix("test_score/") || raw.hasPrefix("val/test_score/") { return .validationReward }
        guard raw.hasPrefix("val-core/") || raw.hasPrefix("val-aux/"), parts.count >= 4 else { return nil }
        let last = parts[parts.count - 1]
        let previous = parts[parts.count - 2]
        if raw.hasPrefix("val-core/"), last.hasPrefix("mean@"), Int(last.dropFirst(5)) != nil {
            return .validationReward
        }
        if last == "mean", previous.hasPrefix("best@"), let k = Int(previous.dropFirst(5)) {
            return .validationBest(at: k)
        }
        if last == "mean", previous.hasPrefix("worst@"), let k = Int(previous.dropFirst(6)) {
            return .validationWorst(at: k)
        }
        return nil
    }
}

extension MetricAliases {
    /// OpenRLHF's TensorBoard tags (`openrlhf/utils/logging_utils.py`, `TensorboardLogger`: the
    /// trainer's status under `train/`, evaluation under `eval/`). `train/reward` (the mean reward
    /// of the step's samples, `openrlhf/trainer/ray/ppo_actor.py`) and `train/rollout/reward_mean`
    /// (`openrlhf/trainer/ppo_trainer.py`, `_compute_rollout_stats`) → `train_reward`;
    /// `train/response_length` and `train/rollout/response_length_mean` → `response_length`;
    /// `eval/eval_<source>_pass1` (the mean over each prompt's samples) → `val_reward` and
    /// `eval/eval_<source>_pass<N>`, N ≥ 2 (the best of N) → `val_best@N`
    /// (`compute_eval_metrics`).
    static func openRLHF(_ raw: String) -> MetricName? {
        switch raw {
        case "train/reward", "train/rollout/reward_mean": return .trainReward
        case "train/response_length", "train/rollout/response_length_mean": return .responseLength
        default: break
        }
        guard raw.hasPrefix("eval/eval_"), let marker = raw.range(of: "_pass", options: .backwards),
            let k = Int(raw[marker.upperBound...]), k >= 1, raw[marker.upperBound...].allSatisfy(\.isNumber)
        else { return nil }
        return k == 1 ? .validationReward : .validationBest(at: k)
    }
}

/// The allocation (n, B_p) a training configuration states, where it can be read.
public struct ConfiguredAllocation: Sendable, Equatable {
    public var rolloutsPerProblem: Int?
    public var problemsPerBatch: Int?
    /// Where each came from, for the user.
    public var source: String

    public init(rolloutsPerProblem: Int?, problemsPerBatch: Int?, source: String) {
        self.rolloutsPerProblem = rolloutsPerProblem
        self.problemsPerBatch = problemsPerBatch
        self.source = source
    }
}

extension VerlLog {
    /// n and B_p from a verl log's own configuration: the Hydra overrides on its command line
    /// (`actor_rollout_ref.rollout.n=…`, `data.train_batch_size=…`) or the printed config
    /// (`'train_batch_size': …`, and `'n': …` inside the `'rollout'` section).
    public static func configuredAllocation(_ path: String) throws(ImportError) -> ConfiguredAllocation {
        let text = try contents(path)
        func firstInt(after marker: String, in body: Substring) -> Int? {
            guard let range = body.range(of: marker) else { return nil }
            return Int(body[range.upperBound...].prefix { $0.isNumber })
        }
        let all = text[...]
        var n = firstInt(after: "actor_rollout_ref.rollout.n=", in: all)
        var bp = firstInt(after: "data.train_batch_size=", in: all)
        if bp == nil { bp = firstInt(after: "'train_batch_size': ", in: all) }
        if n == nil, let rollout = all.range(of: "'rollout': {") {
            n = firstInt(after: "'n': ", in: all[rollout.upperBound...])
        }
        return ConfiguredAllocation(rolloutsPerProblem: n, problemsPerBatch: bp, source: "the log's verl configuration")
    }
}

extension TRLTrainerState {
    /// n and B_p from a TRL `GRPOConfig` saved as JSON (`training_args.to_json_string()`):
    /// n = `num_generations`; the generation batch `per_device_train_batch_size ×
    /// gradient_accumulation_steps × processes` (`--processes`, else `world_size` in the file,
    /// else 1) holds B_p·n completions.
    public static func configuredAllocation(configPath: String, processes: Int? = nil) throws(ImportError)
        -> ConfiguredAllocation
    {
        let object = try SolveRateSources.json(configPath)
        func count(_ key: String) -> Int? {
            jsonStep(object[key]).flatMap { $0 >= 1 && $0 <= Limits.maxRolloutsPerProblem ? $0 : nil }
        }
        guard let n = count("num_generations") else {
            throw .malformed(
                file: configPath, line: 1, reason: "no num_generations in 1…2^20 (is this a GRPOConfig JSON?)")
        }
        let perDevice = count("per_device_train_batch_size") ?? 8
        let accumulation = count("gradient_accumulation_steps") ?? 1
        let world = processes ?? count("world_size") ?? 1
        let completions = perDevice * accumulation * world
        guard completions % n == 0 else {
            throw .malformed(
                file: configPath, line: 1,
                reason: "\(completions) completions per step are not a multiple of num_generations = \(n)")
        }
        return ConfiguredAllocation(rolloutsPerProblem: n, problemsPerBatch: completions / n, source: configPath)
    }
}
