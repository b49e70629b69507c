import Domain

/// verl (FSDP workers, `use_dynamic_bsz=False`): Hydra overrides for `verl.trainer.main_ppo`.
/// `data.train_batch_size` counts prompts (B_p), `rollout.n` completions per prompt; the mini
/// batch equals the train batch and `ppo_epochs` is 1, so each generated batch makes exactly one
/// optimizer step (on-policy).
public enum VerlExport: FrameworkExporter {
    public static let framework = Framework.verl
    static let repo = "volcengine/verl@b178a3cd5"

    public static let gpus = FrameworkRule(
        id: "verl-gpus",
        summary: "real_train_batch_size = train_batch_size·rollout.n is a multiple of n_gpus = n_gpus_per_node·nnodes",
        source: "\(repo) verl/utils/config.py:87,106-113")
    public static let miniBatch = FrameworkRule(
        id: "verl-mini-batch", summary: "train_batch_size ≥ actor.ppo_mini_batch_size",
        source: "\(repo) verl/workers/config/actor.py:202-207")
    public static let microBatch = FrameworkRule(
        id: "verl-micro-batch",
        summary: "ppo_mini_batch_size·rollout.n // (n_gpus // ulysses_sequence_parallel_size) is positive and a "
            + "multiple of ppo_micro_batch_size_per_gpu",
        source: "\(repo) verl/workers/fsdp_workers.py:241-261")
    public static let data = FrameworkRule(
        id: "verl-data", summary: "the train dataloader (train_batch_size prompts, drop_last) is not empty: B_p ≤ D",
        source: "\(repo) verl/trainer/ppo/ray_trainer.py:348-352,370")

    public static var rules: [FrameworkRule] { [gpus, miniBatch, microBatch, data] }

    /// verl's arithmetic on `data.train_batch_size = B_p`, `ppo_mini_batch_size = B_p`,
    /// `rollout.n = n`, `ppo_micro_batch_size_per_gpu = m`, `ulysses_sequence_parallel_size = 1`.
    public static func violations(of setting: BatchSetting, on shape: ClusterShape, problems: Int?)
        -> [RuleViolation]
    {
        let (trainBatch, n, mini) = (setting.problemsPerBatch, setting.rolloutsPerProblem, setting.problemsPerBatch)
        let nGPUs = shape.gpusPerNode * shape.nodes
        let sequenceParallel = 1
        var broken: [RuleViolation] = []
        let real = trainBatch * n
        if real % nGPUs != 0 {
            broken.append(RuleViolation(gpus, "B_p·n = \(real) is not a multiple of the \(nGPUs) GPUs"))
        }
        if trainBatch < mini {
            broken.append(RuleViolation(miniBatch, "train batch \(trainBatch) < mini batch \(mini)"))
        }
        let perGPU = mini * n / (nGPUs / sequenceParallel)
        if perGPU == 0 || perGPU % setting.microBatch != 0 || perGPU / setting.microBatch == 0 {
            broken.append(
                RuleViolation(
                    microBatch,
                    "B_p·n per GPU = \(perGPU) is not a positive multiple of the micro batch \(setting.microBatch)"))
        }
        if let problems, problems / trainBatch < 1 {
            broken.append(RuleViolation(data, "B_p = \(trainBatch) > D = \(problems): no full batch"))
        }
        return broken
    }

    public static func values(for draft: ExportDraft) -> FrameworkValues {
        let (s, plan, shape) = (draft.setting, draft.plan, draft.shape)
        let epochs = plan.problems.map {
            wholeBatchEpochs(steps: draft.steps, problemsPerBatch: s.problemsPerBatch, problems: $0)
        }
        let entries: [(String, SettingValue)] = [
            ("data.train_batch_size", .int(s.problemsPerBatch)),
            ("actor_rollout_ref.rollout.n", .int(s.rolloutsPerProblem)),
            ("actor_rollout_ref.actor.ppo_mini_batch_size", .int(s.problemsPerBatch)),
            ("actor_rollout_ref.actor.ppo_epochs", .int(1)),
            ("actor_rollout_ref.actor.ppo_micro_batch_size_per_gpu", .int(s.microBatch)),
            ("actor_rollout_ref.actor.use_dynamic_bsz", .bool(false)),
            ("actor_rollout_ref.rollout.log_prob_micro_batch_size_per_gpu", .int(s.microBatch)),
            ("actor_rollout_ref.ref.log_prob_micro_batch_size_per_gpu", .int(s.microBatch)),
            ("trainer.n_gpus_per_node", .int(shape.gpusPerNode)), ("trainer.nnodes", .int(shape.nodes)),
            ("trainer.total_training_steps", .int(draft.steps)),
        ]
        let epochEntry: [(String, SettingValue)] = epochs.map { [("trainer.total_epochs", .int($0))] } ?? []
        let recipe: [(String, SettingValue)] = [
            ("actor_rollout_ref.actor.optim.lr", rounded(draft.learningRate)),
            ("algorithm.adv_estimator", .string("grpo")),
            ("actor_rollout_ref.actor.use_kl_loss", .bool(plan.recipe["kl"] == "on")),
            ("actor_rollout_ref.actor.entropy_coeff", .double(plan.recipe["entropy_bonus"] == "on" ? 0.001 : 0)),
            ("actor_rollout_ref.rollout.temperature", .double(0.6)),
        ]
        let note =
            epochs.map { epochs in
                "trainer.total_epochs = ⌈M/⌊D/B_p⌋⌉ = \(epochs): verl drops the last incomplete batch, so an epoch "
                    + "of D = \(plan.problems ?? 0) prompts is ⌊D/B_p⌋ steps; total_training_steps stops it at M"
            }
            ?? ("D unknown: trainer.total_epochs is left at verl's default (30); training stops at "
                + "total_training_steps = M or after 30 epochs, whichever comes first (give --problems D to set it)")
        return FrameworkValues(
            entries: (entries + epochEntry + recipe).map { FrameworkSettings.Entry(key: $0.0, value: $0.1) },
            steps: draft.steps, epochs: epochs, notes: [note])
    }

    /// `key=value` Hydra overrides, one per line with a `\` continuation.
    public static func render(_ settings: FrameworkSettings) -> String {
        let overrides = settings.entries.map { "\($0.key)=\($0.value)" }.joined(separator: " \\\n  ")
        return ([overrides] + settings.commentLines).joined(separator: "\n")
    }
}
