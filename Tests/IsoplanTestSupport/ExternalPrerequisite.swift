import Foundation

/// Programs outside the package that some tests need: the llama.cpp server of `Tests/LLMServer`
/// (`LocalLLMServer`) and Chromium (`HeadlessChromium`).
///
/// Under a plain `swift test` a test whose prerequisite is missing is skipped, and Swift Testing
/// prints the reason given to `.enabled(if:_:)`. `make test` (and so CI) sets
/// `ISOPLAN_REQUIRE_EXTERNAL=1`: the test then always runs, and a missing prerequisite fails it.
public enum ExternalPrerequisite {
    /// The environment variable that makes missing prerequisites failures.
    public static let requiredVariable = "ISOPLAN_REQUIRE_EXTERNAL"

    /// Whether missing prerequisites are failures (`ISOPLAN_REQUIRE_EXTERNAL=1`).
    public static var isRequired: Bool { ProcessInfo.processInfo.environment[requiredVariable] == "1" }

    /// Whether a test needing a prerequisite should run: when the prerequisite is `available`, or
    /// when it is required (the test then records its absence as a failure).
    public static func shouldRun(available: Bool) -> Bool { available || isRequired }
}
