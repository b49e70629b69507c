import ArgumentParser
import Domain
import Ingest
import RunStore
import ScalingLaws
import Workflows

/// Exit statuses beyond ArgumentParser's 0 (success), 1 (failure) and 64 (usage), from sysexits.
/// Listed in docs/CLI.md.
enum ExitCodes {
    /// Malformed input data: a bad file, a foreign or newer database (`EX_DATAERR`).
    static let dataError = ExitCode(65)
    /// An input file does not exist (`EX_NOINPUT`).
    static let noInput = ExitCode(66)
    /// A transient failure; rerun to resume (`EX_TEMPFAIL`).
    static let temporaryFailure = ExitCode(75)
}

/// Prints a one-line diagnostic on stderr and returns the exit code that fits the error.
func reportFailure(_ error: any Error) -> ExitCode {
    if let storeError = error as? StoreError {
        printError("error: \(storeError)")
        return exitCode(for: storeError)
    }
    if let workflowError = error as? WorkflowError {
        printError("error: \(workflowError)")
        switch workflowError {
        case let .store(storeError): return exitCode(for: storeError)
        case let .input(importError): return importError.isMissingFile ? ExitCodes.noInput : ExitCodes.dataError
        case .fit, .domain, .empty: return ExitCodes.dataError
        }
    }
    printError("error: \(error)")
    return .failure
}

private func exitCode(for error: StoreError) -> ExitCode {
    if case .missingDatabase = error { return ExitCodes.noInput }
    return error.isBadInput ? ExitCodes.dataError : .failure
}
