import Domain

/// TRL: `GRPOConfig(...)` fields, launched with one process per GPU. TRL counts completions:
/// the generation batch `per_device_train_batch_size × processes × steps_per_generation` holds
/// B_p·n completions of B_p prompts, and with `steps_per_generation = gradient_accumulation_steps`
/// and `num_iterations = 1` each generation batch makes exactly one optimizer step (on-policy).
public enum TRLExport: FrameworkExporter {
    public static let framework = Framework.trl
    static let repo = "huggingface/trl@f2cd57710"

    public static let generations = FrameworkRule(
        id: "trl-generations", summary: "num_generations ≥ 2", source: "\(repo) trl/trainer/grpo_config.py:1116-1120")
    public static let globalBatch = FrameworkRule(
        id: "trl-global-batch",
        summary: "generation_batch_size = per_device_train_batch_size·num_processes·steps_per_generation: "
            + "B_p·n is a whole number of global batches",
        source: "\(repo) trl/trainer/grpo_config.py:1075-1089")
    public static let groups = FrameworkRule(
        id: "trl-groups", summary: "generation_batch_size is a multiple of num_generations (whole prompt groups)",
        source: "\(repo) trl/trainer/grpo_config.py:1108-1114")
    public static let data = FrameworkRule(
        id: "trl-data",
        summary: "the sampler keeps only whole chunks of generation_batch_size/num_generations prompts: B_p ≤ D",
        source: "\(repo) trl/trainer/utils.py:775-779")

    public static var rules: [FrameworkRule] { [generations, globalBatch, groups, data] }

    /// TRL's arithmetic on `num_generations = n`, `per_device_train_batch_size = m`, G processes
    /// and `steps_per_generation = gradient_accumulation_steps = B_p·n / (m·G)`.
    public static func violations(of setting: BatchSetting, on shape: ClusterShape, problems: Int?)
        -> [RuleViolation]
    {
        let (n, wanted) = (setting.rolloutsPerProblem, setting.batch)
        let global = setting.microBatch * shape.gpus
        var broken: [RuleViolation] = []
        if n < 2 { broken.append(RuleViolation(generations, "num_generations = \(n)")) }
        let stepsPerGeneration = wanted / global
        let generationBatch = global * stepsPerGeneration
        if stepsPerGeneration == 0 || generationBatch != wanted {
            broken.append(
                RuleViolation(
                    globalBatch,
                    "B_p·n = \(wanted) is not a multiple of per_device_train_batch_size × processes = "
                        + "\(setting.microBatch) × \(shape.gpus)"))
        }
        if n >= 1, generationBatch % n != 0 {
            broken.append(RuleViolation(groups, "generation batch \(generationBatch) % num_generations \(n) ≠ 0"))
        }
        if let problems, problems < setting.problemsPerBatch {
            broken.append(RuleViolation(data, "B_p = \(setting.problemsPerBatch) > D = \(problems): no whole chunk"))
        }
        return broken
    }

    public static func values(for draft: ExportDraft) -> FrameworkValues {
        let (s, plan, shape) = (draft.setting, draft.plan, draft.shape)
        let accumulation = s.batch / (s.microBatch * shape.gpus)
        let entries: [(String, SettingValue)] = [
            ("num_generations", .int(s.rolloutsPerProblem)), ("per_device_train_batch_size", .int(s.microBatch)),
            ("gradient_accumulation_steps", .int(accumulation)), ("steps_per_generation", .int(accumulation)),
            ("num_iterations", .int(1)), ("max_steps", .int(draft.steps)),
            ("learning_rate", rounded(draft.learningRate)), ("beta", .double(plan.recipe["kl"] == "on" ? 0.001 : 0)),
            ("temperature", .double(0.6)),
        ]
        let epochs = plan.problems.map {
            wholeBatchEpochs(steps: draft.steps, problemsPerBatch: s.problemsPerBatch, problems: $0)
        }
        var notes = [
            "launch \(shape.gpus) processes on \(shape.nodes) node(s), e.g. accelerate launch "
                + "--num_processes \(shape.gpus) --num_machines \(shape.nodes)"
        ]
        if let epochs {
            notes.append(
                "TRL derives its epochs from max_steps: ⌈M/⌊D/B_p⌋⌉ = \(epochs) passes over the D = "
                    + "\(plan.problems ?? 0) prompts (its sampler keeps whole batches of B_p prompts)")
        }
        return FrameworkValues(
            entries: entries.map { FrameworkSettings.Entry(key: $0.0, value: $0.1) }, steps: draft.steps,
            epochs: epochs, notes: notes)
    }

    /// `GRPOConfig(key=value, …)` in Python, one field per line.
    public static func render(_ settings: FrameworkSettings) -> String {
        let fields = settings.entries.map { entry in
            let literal = if case .string(let text) = entry.value { "\"\(text)\"" } else { entry.value.description }
            return "    \(entry.key)=\(literal),"
        }
        return (["GRPOConfig("] + fields + [")"] + settings.commentLines).joined(separator: "\n")
    }
}
