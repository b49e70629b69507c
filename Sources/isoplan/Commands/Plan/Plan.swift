import ArgumentParser

/// `isoplan plan …`: allocations for a budget.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan allocations for a budget: test-time rollout populations (tts).",
        subcommands: [TestTimeScaling.self])
}
