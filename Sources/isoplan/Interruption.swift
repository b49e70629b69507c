import ArgumentParser
import Foundation
import Synchronization

/// The first of SIGINT or SIGTERM received while ``cancellingOnSignals(_:)`` runs (0: none).
private final class ReceivedSignal: Sendable {
    let number = Atomic<Int32>(0)
}

/// Runs `work` so that SIGINT or SIGTERM cancels it instead of killing isoplan outright.
///
/// Agents run as the leaders of their own process groups, so a terminal's Ctrl-C (sent to
/// isoplan's foreground group) never reaches them; killing isoplan would orphan them.
/// Cancelled, the executor stops every running agent's group and leaves the store consistent;
/// then isoplan exits 128 + the signal (130 for SIGINT). A second signal exits at once.
func cancellingOnSignals<Value: Sendable>(
    _ work: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    let task = Task { try await work() }
    let received = ReceivedSignal()
    let sources = [SIGINT, SIGTERM].map { number in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            let (first, _) = received.number.compareExchange(expected: 0, desired: number, ordering: .relaxed)
            guard first else {
                printError("interrupted again: quitting now; agents still stopping may be left running")
                _exit(128 + number)
            }
            printError("interrupted: stopping the running agents and LLM calls (again to quit at once)")
            task.cancel()
        }
        source.resume()
        return source
    }
    defer {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
    do {
        return try await task.value
    } catch {
        let number = received.number.load(ordering: .relaxed)
        guard number != 0 else { throw error }
        if !(error is CancellationError) { printError("error while stopping: \(error)") }
        printError(
            "interrupted: every committed call and rollout is in the store; rerun with the same --label to resume")
        throw ExitCode(128 + number)
    }
}
