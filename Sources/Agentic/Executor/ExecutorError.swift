/// Why an execution stopped.
public enum ExecutorError: Error, CustomStringConvertible, Sendable {
    /// A stored call's request differs from the one this run would send (changed prompts,
    /// model or options under the same label).
    case changedRequest(callID: String)
    /// The configuration of the label differs from the stored one.
    case changedConfiguration(label: String, detail: String)
    /// Bad input (tasks, rollouts, an option).
    case invalid(String)
    /// The agent command could not be started.
    case agent(String)

    public var description: String {
        switch self {
        case .changedRequest(let callID):
            "the stored call \(callID) was made with a different request (model, prompt or options changed): use a new --label to start over"
        case .changedConfiguration(let label, let detail):
            "execution \"\(label)\" was started with other settings (\(detail)): use a new --label"
        case .invalid(let detail): detail
        case .agent(let detail): "agent command: \(detail)"
        }
    }
}
