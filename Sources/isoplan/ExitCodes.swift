import Agentic
import ArgumentParser
import Cluster
import Domain
import Ingest
import RunStore
import ScalingLaws
import Workflows

/// Exit statuses beyond ArgumentParser's 0 (success), 1 (failure) and 64 (usage), from sysexits,
/// and the one mapping from an error to its status. Listed in docs/CLI.md.
enum ExitCodes {
    /// Malformed input data: a bad file, a foreign or newer database (`EX_DATAERR`).
    static let dataError = ExitCode(65)
    /// An input file does not exist (`EX_NOINPUT`).
    static let noInput = ExitCode(66)
    /// A service the command needs is not there: the cluster lacks a requirement, or the binary
    /// cannot run on it (`EX_UNAVAILABLE`).
    static let unavailable = ExitCode(69)
    /// A transient failure; rerun to resume (`EX_TEMPFAIL`).
    static let temporaryFailure = ExitCode(75)

    /// The status an error ends the program with: 65 for bad input data, 66 for a missing input
    /// file, 75 for a reached spend cap, an unreachable endpoint or a label another process is
    /// executing (rerun to resume), 1 for
    /// anything else — an unexpected error is a failure, never "bad data".
    static func code(for error: any Error) -> ExitCode {
        switch error {
        case let error as WorkflowError: code(for: error)
        case let error as StoreError: code(for: error)
        case let error as ImportError: error.isMissingFile ? noInput : dataError
        case is FitError, is DomainError, is ExecutorError: dataError
        case let error as LLMError: code(for: error)
        case let error as ClusterError: code(for: error)
        default: .failure
        }
    }

    private static func code(for error: WorkflowError) -> ExitCode {
        switch error {
        case .store(let error): code(for: error)
        case .input(let error): code(for: error)
        case .fit, .domain, .empty: dataError
        case .cluster(let error): code(for: error)
        case .unexpected(let error): code(for: error)
        }
    }

    private static func code(for error: ClusterError) -> ExitCode {
        switch error {
        case .unreachable: temporaryFailure
        case .missingRequirement, .binaryCannotRun: unavailable
        case .invalidAddress: ExitCode.validationFailure
        case .rejected, .shardFailed, .jobFailed, .packaging: .failure
        }
    }

    private static func code(for error: StoreError) -> ExitCode {
        switch error {
        case .missingDatabase, .missingFolder: return noInput
        case .executionInUse: return temporaryFailure
        default: break
        }
        return error.isBadInput ? dataError : .failure
    }

    private static func code(for error: LLMError) -> ExitCode {
        switch error {
        case .budgetExhausted, .unavailable: temporaryFailure
        case .rejected, .missingKey, .invalidProxy: dataError
        }
    }
}

/// Runs a command's body. ArgumentParser's own errors (a `ValidationError`, an `ExitCode`, a
/// clean exit) pass through; any other error prints one line, `error: <description>`, on stderr
/// and ends the program with the status ``ExitCodes/code(for:)`` gives.
func reportingFailures<Result>(_ body: () throws -> Result) throws -> Result {
    do {
        return try body()
    } catch {
        throw translatedForExit(error)
    }
}

/// ``reportingFailures(_:)`` for an async body.
func reportingFailures<Result>(_ body: () async throws -> Result) async throws -> Result {
    do {
        return try await body()
    } catch {
        throw translatedForExit(error)
    }
}

private func translatedForExit(_ error: any Error) -> any Error {
    if error is ValidationError || error is ExitCode || error is CleanExit { return error }
    printError("error: \(error)")
    return ExitCodes.code(for: error)
}
