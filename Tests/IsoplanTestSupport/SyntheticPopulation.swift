public import Domain
import Foundation
import NumericCore

/// Synthetic tasks and graded rollouts: each task's solve rate drawn from Beta(α, β), each rollout
/// passing with that probability; trajectories short but shaped like real ones. Shared by the
/// executor's tests (AgenticTests) and the executor-versus-planner test (WorkflowsTests).
public struct SyntheticPopulation: Sendable {
    public var tasks: [AgentTask] = []
    public var rollouts: [AgentRollout] = []
    /// `"task::rollout" → passes`, as the scripted server reads them.
    public var serverLabels: [String: Bool] = [:]
    /// `[task, rollout] → passes`, as the executor reads them.
    public var labels: [[String]: Bool] = [:]

    public init(
        tasks count: Int, rollouts n: Int, alpha: Double = 0.2, beta: Double = 0.2, seed: UInt64,
        taskPrefix: String = "task"
    ) {
        var rng = Xoshiro256StarStar(seed: seed, stream: 77)
        let distribution = Beta(alpha: alpha, beta: beta)
        for t in 0..<count {
            let id = "\(taskPrefix)-\(t)"
            let p = distribution.sample(using: &rng)
            tasks.append(
                AgentTask(
                    taskID: id, statement: "Fix the failing test in module \(t).",
                    metadataJSON: "{\"solve_rate\": \(p)}"))
            for r in 0..<n {
                let passes = rng.nextUniform() < p
                let rolloutID = "r\(r)"
                rollouts.append(
                    AgentRollout(
                        taskID: id, rolloutID: rolloutID,
                        messages: [
                            TranscriptMessage(role: "user", content: "Fix the failing test in module \(t)."),
                            TranscriptMessage(
                                role: "assistant", content: "I will run the tests.\n```bash\npytest -q\n```"),
                            TranscriptMessage(
                                role: "tool",
                                content: passes
                                    ? "12 passed"
                                    : "Traceback (most recent call last):\nAssertionError: 3 != 4\n1 failed, 11 passed"),
                        ], finalPatch: "diff --git a/m\(t).py b/m\(t).py\n+fix \(r)", resolved: nil,
                        exitStatus: "Submitted", source: "synthetic"))
                serverLabels["\(id)::\(rolloutID)"] = passes
                labels[[id, rolloutID]] = passes
            }
        }
    }

    /// Per-task counts (`task_id,trials,successes`) for `isoplan plan tts`.
    public func countsCSV() -> String {
        var text = "task_id,trials,successes\n"
        for task in tasks {
            let mine = labels.filter { $0.key[0] == task.taskID }
            text += "\(task.taskID),\(mine.count),\(mine.values.filter { $0 }.count)\n"
        }
        return text
    }
}
