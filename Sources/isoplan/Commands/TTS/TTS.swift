import ArgumentParser

/// `isoplan tts …`: run test-time scaling over real coding-agent rollouts.
struct TTSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tts",
        abstract:
            "Execute test-time scaling over coding-agent rollouts: RTV selection (rtv) and Parallel-Distill-Refine (pdr).",
        discussion: """
            Both summarise every rollout with the LLM, run Recursive Tournament Voting with it as \
            the judge, and write SWE-bench predictions and a per-task decision record. Every \
            response is committed to the store (--db) under its logical call id before it is used, \
            so rerunning the same --label resumes without re-sending a committed call or re-running \
            a committed rollout. See docs/EXECUTOR.md.
            """,
        subcommands: [RTV.self, PDR.self])
}
