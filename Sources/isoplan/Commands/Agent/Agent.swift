import ArgumentParser

/// `isoplan agent …`: coding agents packaged as PDR agent commands.
struct AgentGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run a coding agent for one PDR rollout (the agent command of `isoplan tts pdr`).",
        discussion: """
            Each subcommand takes the files `tts pdr` hands an agent command ({task_file}, \
            {priors_file}, {out_dir}) and leaves a rollout the executor reads back. See \
            docs/EXECUTOR.md, "The reference agent: mini-SWE-agent".
            """,
        subcommands: [MiniSWEAgent.self])
}
