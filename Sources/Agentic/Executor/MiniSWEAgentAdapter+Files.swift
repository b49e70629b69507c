public import Foundation
import Ingest

extension MiniSWEAgentAdapter {
    /// `{task_file}` as the executor writes it: `{task_id, problem_statement, metadata}`.
    struct TaskFile: Decodable {
        var taskID: String
        var problemStatement: String
        var metadata: RepositoryTask

        enum CodingKeys: String, CodingKey {
            case taskID = "task_id"
            case problemStatement = "problem_statement"
            case metadata
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            taskID = try container.decode(String.self, forKey: .taskID)
            problemStatement = try container.decodeIfPresent(String.self, forKey: .problemStatement) ?? ""
            metadata = try container.decodeIfPresent(RepositoryTask.self, forKey: .metadata) ?? RepositoryTask()
        }

        static func read(_ path: String) throws(ImportError) -> TaskFile { try MiniSWEAgentAdapter.decodeFile(path) }
    }

    /// The task metadata fields the adapter reads (others pass through unread).
    struct RepositoryTask: Decodable {
        /// The repository directory copied into the working copy (absolute, or relative to `--repo-root`).
        var repo: String?
        /// A directory whose files are laid over the graded copy before the test runs; the agent never sees them.
        var hiddenTests: String?
        /// The hidden test: an argv run without a shell in the graded copy; exit 0 is resolved.
        var testCommand: [String]?

        enum CodingKeys: String, CodingKey {
            case repo
            case hiddenTests = "hidden_tests"
            case testCommand = "test_command"
        }
    }

    /// `{priors_file}` as the executor writes it: `{task_id, iteration, priors: [{rollout_id, summary}]}`.
    public struct PriorsFile: Decodable, Sendable {
        public struct Prior: Decodable, Sendable {
            public var rolloutID: String
            public var summary: String

            enum CodingKeys: String, CodingKey {
                case rolloutID = "rollout_id"
                case summary
            }

            public init(rolloutID: String, summary: String) {
                self.rolloutID = rolloutID
                self.summary = summary
            }
        }

        public var iteration: Int
        public var priors: [Prior]

        public init(iteration: Int, priors: [Prior]) {
            self.iteration = iteration
            self.priors = priors
        }

        static func read(_ path: String) throws(ImportError) -> PriorsFile { try MiniSWEAgentAdapter.decodeFile(path) }
    }

    /// A JSON file decoded as `T`; a missing file is `.unreadable` (exit 66), a malformed one
    /// `.malformed` naming the field.
    static func decodeFile<T: Decodable>(_ path: String) throws(ImportError) -> T {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(file: path, reason: "cannot read")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw .malformed(file: path, line: 1, reason: "no field \(fieldPath(context.codingPath + [key]))")
        } catch let DecodingError.typeMismatch(type, context) {
            throw .malformed(file: path, line: 1, reason: "field \(fieldPath(context.codingPath)) is not a \(type)")
        } catch {
            throw .malformed(file: path, line: 1, reason: "not a JSON object of the expected form")
        }
    }

    private static func fieldPath(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    /// An absolute path, or `path` under `--repo-root` (required then: the agent runs in its
    /// output directory, which no task path is relative to).
    func resolve(_ path: String, field: String) throws -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL }
        guard let root = options.repoRoot else {
            throw ImportError.malformed(
                file: options.taskFile, line: 1,
                reason: "metadata.\(field) \"\(path)\" is relative: give --repo-root, or an absolute path")
        }
        return URL(fileURLWithPath: root).appendingPathComponent(path).standardizedFileURL
    }

    /// A directory that must exist, for `field`.
    func existingDirectory(_ path: String, field: String) throws -> URL {
        let url = try resolve(path, field: field)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ImportError.unreadable(file: url.path, reason: "metadata.\(field) is not a directory")
        }
        return url
    }

    /// The working copy: the repository copied into `{out_dir}/repo` (an empty directory without
    /// `repo`), made a git repository if it is not one, byte-code and caches excluded, and its
    /// state committed as the base the patch is taken against.
    func prepareWorkingCopy(_ task: RepositoryTask, layout: Layout) async throws {
        let files = FileManager.default
        guard !files.fileExists(atPath: layout.workingCopy.path) else {
            throw ExecutorError.invalid("\(layout.workingCopy.path) already exists: give a fresh --out-dir")
        }
        try files.createDirectory(at: layout.mini, withIntermediateDirectories: true)
        if let repo = task.repo {
            try files.copyItem(at: try existingDirectory(repo, field: "repo"), to: layout.workingCopy)
        } else {
            try files.createDirectory(at: layout.workingCopy, withIntermediateDirectories: true)
        }
        if !files.fileExists(atPath: layout.workingCopy.appendingPathComponent(".git").path) {
            try await git(["init", "-q"], layout)
        }
        let exclude = layout.workingCopy.appendingPathComponent(".git/info/exclude")
        try files.createDirectory(at: exclude.deletingLastPathComponent(), withIntermediateDirectories: true)
        let existing = (try? String(contentsOf: exclude, encoding: .utf8)) ?? ""
        try (existing + "\n__pycache__/\n*.pyc\n.pytest_cache/\n").write(to: exclude, atomically: true, encoding: .utf8)
        try await git(["add", "-A"], layout)
        try await git(["commit", "-q", "--no-verify", "--allow-empty", "-m", "isoplan: task base"], layout)
    }

    /// Runs `git arguments…` in the working copy (no user configuration or hooks needed), its
    /// output appended to `output`, else to `{out_dir}/mini/git.log`; a non-zero status throws.
    @discardableResult
    func git(_ arguments: [String], _ layout: Layout, output: URL? = nil) async throws -> Int32 {
        let argv =
            [
                "git", "-c", "user.name=isoplan", "-c", "user.email=isoplan@localhost", "-c", "commit.gpgsign=false",
                "-c", "core.hooksPath=/dev/null",
            ] + arguments
        let log = layout.mini.appendingPathComponent("git.log")
        let status = try await ChildProcess.run(
            argv, in: layout.workingCopy, environment: options.keylessEnvironment, stdout: output ?? log, stderr: log)
        guard status == 0 else {
            throw ExecutorError.agent("git \(arguments.joined(separator: " ")) failed with status \(status)")
        }
        return status
    }

    /// The working copy's changes against the base, new files included (`git add -A`, then the
    /// staged diff).
    func workingCopyDiff(_ layout: Layout) async throws -> String {
        let file = layout.out.appendingPathComponent("patch.diff")
        try? FileManager.default.removeItem(at: file)
        try await git(["add", "-A"], layout)
        try await git(["diff", "--cached", "--no-color", "--no-ext-diff"], layout, output: file)
        return (try? String(contentsOf: file, encoding: .utf8)) ?? ""
    }
}
