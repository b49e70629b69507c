import Domain

/// OpenRLHF (≥ 0.10.2, dotted flags): `openrlhf.cli.train_ppo_ray` flags. `rollout.batch_size`
/// counts prompts (B_p), `rollout.n_samples_per_prompt` samples per prompt; with
/// `train.batch_size = B_p·n` and `train.max_epochs = 1` each rollout batch makes exactly one
/// optimizer step (on-policy). Rollout and train micro batches are both the shape's micro batch.
public enum OpenRLHFExport: FrameworkExporter {
    public static let framework = Framework.openrlhf
    static let repo = "OpenRLHF/OpenRLHF@3c3be6234"

    public static let groups = FrameworkRule(
        id: "openrlhf-groups", summary: "group_norm needs n_samples_per_prompt > 1",
        source: "\(repo) openrlhf/cli/train_ppo_ray.py:612-615")
    public static let actors = FrameworkRule(
        id: "openrlhf-actors",
        summary: "n_samples_per_prompt·rollout.batch_size // rollout.micro_batch_size ≥ actor.num_nodes·"
            + "actor.num_gpus_per_node (ring attention and tensor parallel 1)",
        source: "\(repo) openrlhf/cli/train_ppo_ray.py:711-717")
    public static let evenSplit = FrameworkRule(
        id: "openrlhf-even-split",
        summary:
            "the rollout splits into micro batches of rollout.micro_batch_size that share out evenly over the actors",
        source: "\(repo) openrlhf/trainer/ppo_utils/experience_maker.py:71-74, openrlhf/trainer/ray/launcher.py:346-371"
    )
    public static let deepSpeed = FrameworkRule(
        id: "openrlhf-deepspeed",
        summary: "train.batch_size = train.micro_batch_size × gradient accumulation × world size (DeepSpeed's check)",
        source: "\(repo) openrlhf/utils/deepspeed/deepspeed.py:110-116,454-456; deepspeedai/DeepSpeed@edaa72212 "
            + "deepspeed/runtime/config.py:937-940,955-958")
    public static let oneStep = FrameworkRule(
        id: "openrlhf-one-step",
        summary: "each actor's B_p·n/G samples are whole train micro batches (drop_last): one optimizer step",
        source: "\(repo) openrlhf/trainer/ray/ppo_actor.py:165-172")
    public static let data = FrameworkRule(
        id: "openrlhf-data", summary: "a short batch is trained as it is: B_p ≤ D",
        source: "\(repo) openrlhf/trainer/ppo_utils/samples_generator.py:26-37,131-138")

    public static var rules: [FrameworkRule] { [groups, actors, evenSplit, deepSpeed, oneStep, data] }

    /// OpenRLHF's arithmetic on `rollout.batch_size = B_p`, `n_samples_per_prompt = n`,
    /// `train.batch_size = B_p·n`, both micro batches m, G actors.
    public static func violations(of setting: BatchSetting, on shape: ClusterShape, problems: Int?)
        -> [RuleViolation]
    {
        let (n, samples, micro) = (setting.rolloutsPerProblem, setting.batch, setting.microBatch)
        let world = shape.nodes * shape.gpusPerNode
        var broken: [RuleViolation] = []
        if n <= 1 { broken.append(RuleViolation(groups, "n_samples_per_prompt = \(n)")) }
        if samples / micro < world {
            broken.append(RuleViolation(actors, "\(samples / micro) micro rollout batches for \(world) actors"))
        }
        let microBatches = (samples + micro - 1) / micro
        if samples % micro != 0 || microBatches % world != 0 {
            broken.append(
                RuleViolation(
                    evenSplit, "B_p·n = \(samples) is not a whole number of micro batches \(micro) per actor × \(world)"
                ))
        }
        let accumulation = samples / micro / world
        if accumulation == 0 || samples != micro * accumulation * world {
            broken.append(
                RuleViolation(deepSpeed, "\(samples) ≠ \(micro) × \(accumulation) × \(world)"))
        }
        if samples % world != 0 || (samples / world) % micro != 0 {
            broken.append(RuleViolation(oneStep, "B_p·n/G = \(samples)/\(world) is not a multiple of \(micro)"))
        }
        if let problems, problems < setting.problemsPerBatch {
            broken.append(RuleViolation(data, "B_p = \(setting.problemsPerBatch) > D = \(problems)"))
        }
        return broken
    }

    /// Episodes of s steps over `max_samples` = s·B_p prompts (whole batches, ≤ D): the fewest
    /// episodes that fit D, ⌈M·B_p/D⌉, give s = ⌊M/⌈M·B_p/D⌉⌋, and E = ⌊M/s⌋ such episodes fit in M
    /// (E·s ≤ M, short by M mod s); with D unknown, one episode of M steps.
    static func episodes(steps: Int, problemsPerBatch: Int, problems: Int?) -> (episodes: Int, perEpisode: Int) {
        guard let problems else { return (1, steps) }
        let fewest = max((steps * problemsPerBatch + problems - 1) / problems, 1)
        let perEpisode = max(steps / fewest, 1)
        return (steps / perEpisode, perEpisode)
    }

    public static func values(for draft: ExportDraft) -> FrameworkValues {
        let (s, plan, shape) = (draft.setting, draft.plan, draft.shape)
        let (episodes, perEpisode) = episodes(
            steps: draft.steps, problemsPerBatch: s.problemsPerBatch, problems: plan.problems)
        let maxSamples = perEpisode * s.problemsPerBatch
        let entries: [(String, SettingValue)] = [
            ("rollout.batch_size", .int(s.problemsPerBatch)),
            ("rollout.n_samples_per_prompt", .int(s.rolloutsPerProblem)),
            ("train.batch_size", .int(s.batch)), ("train.max_epochs", .int(1)),
            ("train.micro_batch_size", .int(s.microBatch)), ("rollout.micro_batch_size", .int(s.microBatch)),
            ("actor.num_nodes", .int(shape.nodes)), ("actor.num_gpus_per_node", .int(shape.gpusPerNode)),
            ("ref.num_nodes", .int(shape.nodes)), ("ref.num_gpus_per_node", .int(shape.gpusPerNode)),
            ("train.num_episodes", .int(episodes)), ("data.max_samples", .int(maxSamples)),
            ("actor.adam.lr", rounded(draft.learningRate)), ("algo.advantage.estimator", .string("group_norm")),
            ("algo.kl.init_coef", .double(plan.recipe["kl"] == "on" ? 0.001 : 0)),
            ("rollout.temperature", .double(0.6)),
        ]
        let note =
            plan.problems == nil
            ? "D unknown: one episode over the first data.max_samples = M·B_p = \(maxSamples) prompts; a smaller "
                + "prompt set runs ⌈D/B_p⌉ steps, the last one short (give --problems D)"
            : "data.max_samples = s·B_p = \(maxSamples) of the D = \(plan.problems ?? 0) prompts, s = "
                + "⌊M/⌈M·B_p/D⌉⌋ = \(perEpisode) steps per episode; train.num_episodes = ⌊M/s⌋ = \(episodes)"
        let steps = episodes * perEpisode
        return FrameworkValues(
            entries: entries.map { FrameworkSettings.Entry(key: $0.0, value: $0.1) }, steps: steps,
            epochs: plan.problems == nil ? nil : episodes, notes: [note],
            stepsReason: steps == draft.steps
                ? nil : "OpenRLHF runs whole episodes (\(episodes) × \(perEpisode) steps of B_p prompts)")
    }

    /// `--key value` flags, one per line with a `\` continuation (a true flag alone, a false one left out).
    public static func render(_ settings: FrameworkSettings) -> String {
        let flags = settings.entries.compactMap { entry -> String? in
            if case .bool(let on) = entry.value { return on ? "--\(entry.key)" : nil }
            return "--\(entry.key) \(entry.value)"
        }
        return ([flags.joined(separator: " \\\n  ")] + settings.commentLines).joined(separator: "\n")
    }
}
