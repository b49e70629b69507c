import ArgumentParser

/// `isoplan plan …`: allocations for a budget.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan allocations for a budget: RL training (train) and test-time rollout populations (tts).",
        subcommands: [Train.self, TestTimeScaling.self])
}
