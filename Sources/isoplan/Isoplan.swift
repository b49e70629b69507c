import ArgumentParser

/// The `isoplan` command: plan the compute of RL post-training and of test-time scaling.
@main
struct Isoplan: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "isoplan",
        abstract: "Plan the compute of LLM RL post-training and coding-agent test-time scaling.",
        discussion: """
            Fits IsoCompute scaling laws from logged runs, simulates on-policy RL budgets, plans \
            (n, B_p, M) allocations and sizes test-time rollout populations. Everything is kept in \
            one SQLite file (--db, default ./isoplan.sqlite, or ISOPLAN_DB).

            Global options (--db, --json) may come before or after the subcommand:
              isoplan --db runs.sqlite db info --json
            """,
        version: Isoplan.version,
        groupedSubcommands: [
            CommandGroup(name: "Data", subcommands: [DB.self, ImportCommand.self]),
            CommandGroup(name: "Science", subcommands: [SimulateCommand.self, FitCommand.self, PlanCommand.self]),
            CommandGroup(name: "Execution", subcommands: [TTSCommand.self, AgentGroup.self]),
            CommandGroup(name: "Output", subcommands: [ReportCommand.self, ExportCommand.self]),
            CommandGroup(name: "About", subcommands: [DemoCommand.self, VersionCommand.self]),
        ]
    )

    @OptionGroup var global: GlobalOptions
}
