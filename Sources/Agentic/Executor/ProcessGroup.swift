import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child process started with `posix_spawn`, by default as the leader of its own process group,
/// so that everything it spawns (shells, test runners, language servers) can be stopped with it.
///
/// Signalling only the agent's pid reaches the agent but not its children, which would outlive a
/// timed-out or interrupted agent. ``stop(grace:)`` signals the whole group (SIGTERM, then SIGKILL
/// after the grace period). With `newGroup: false` the child stays in this process's group (an
/// adapter's helpers: they are stopped with the adapter's group) and only it is signalled.
/// (Foundation's `Process` cannot do the latter: on Linux it puts every child in a group of its
/// own.) The child gets no descriptor of this process beyond stdin, stdout and stderr.
struct ProcessGroup {
    /// The child's process id (with a new group, also the group id).
    let pid: pid_t
    /// Whether the child leads a group of its own.
    let newGroup: Bool
    private(set) var exitStatus: Int32?

    /// Starts `argv` (a bare program name is looked up on `PATH`) in `directory` with
    /// `environment`, stdin from `/dev/null`, stdout and stderr appended to the given files.
    init(
        argv: [String], directory: String, environment: [String: String], stdout: String, stderr: String,
        newGroup: Bool = true
    ) throws(ExecutorError) {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        // A new group, no blocked signals and every signal at its default action: the agent
        // must not inherit the dispositions of a process that runs an async runtime.
        var none = sigset_t()
        var all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        let groupFlag = newGroup ? POSIX_SPAWN_SETPGROUP : 0
        posix_spawnattr_setflags(&attributes, Int16(groupFlag | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        _ = Self.closeFrom(&actions, 3)  // where the C library offers it; else O_CLOEXEC is relied on
        guard Self.addChangeDirectory(&actions, directory) == 0 else {
            throw .agent("cannot run agents here: posix_spawn cannot set a working directory")
        }
        // A relative program path (`./agent.sh`, `scripts/a.py`) is relative to where isoplan
        // runs, not to the child's working directory, which is set before the program is found.
        var program = argv[0]
        if program.contains("/") && !program.hasPrefix("/") {
            program = FileManager.default.currentDirectoryPath + "/" + program
        }
        let arguments = ([program] + argv.dropFirst()).map { strdup($0) } + [nil]
        let variables = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in arguments { free(pointer) }
            for pointer in variables { free(pointer) }
        }
        var child = pid_t()
        let code = posix_spawnp(&child, program, &actions, &attributes, arguments, variables)
        guard code == 0 else {
            throw .agent("cannot start \(argv[0]): \(String(cString: strerror(code)))")
        }
        pid = child
        self.newGroup = newGroup
    }

    /// Whether the leader is still running; reaps it (and records its status) once it has exited.
    mutating func isRunning() -> Bool {
        if exitStatus != nil { return false }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == 0 { return true }
        exitStatus = result == pid ? Self.decode(status) : 128 + SIGKILL
        return false
    }

    /// Signals the whole group (or, without a group of its own, the child): SIGTERM, then SIGKILL
    /// to whatever is left after `grace` seconds (the leader's exit ends the wait early, but its
    /// children are killed all the same).
    mutating func stop(grace: Double) {
        let target = newGroup ? -pid : pid
        if newGroup || isRunning() { kill(target, SIGTERM) }
        let deadline = Date().addingTimeInterval(grace)
        while isRunning() && Date() < deadline { usleep(50_000) }
        if newGroup { kill(target, SIGKILL) } else if isRunning() { kill(pid, SIGKILL) }
        while isRunning() { usleep(10_000) }
    }

    /// How a wait for the child ended.
    enum Ending {
        case exited, timedOut, cancelled
    }

    /// Waits until the child exits, `timeout` seconds pass (`nil`: no limit) or the calling task
    /// is cancelled, polling every 20 ms; it does not stop the child (``stop(grace:)`` does).
    mutating func wait(timeout: Double?) async -> Ending {
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        while isRunning() {
            if let deadline, Date() > deadline { return .timedOut }
            // A cancelled sleep means the execution is stopping.
            do { try await Task.sleep(nanoseconds: 20_000_000) } catch { return .cancelled }
        }
        return .exited
    }

    /// `posix_spawn_file_actions_addchdir_np` (glibc ≥ 2.29, macOS 10.15): the child's working
    /// directory without changing the parent's. ENOSYS when the C library lacks it.
    private static func addChangeDirectory(_ actions: inout posix_spawn_file_actions_t, _ path: String) -> Int32 {
        typealias AddChangeDirectory =
            @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
        guard let function = cFunction("posix_spawn_file_actions_addchdir_np", as: AddChangeDirectory.self)
        else { return ENOSYS }
        return function(&actions, path)
    }

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc ≥ 2.34): close every descriptor from
    /// `lowest` up in the child. ENOSYS when the C library lacks it.
    private static func closeFrom(_ actions: inout posix_spawn_file_actions_t, _ lowest: Int32) -> Int32 {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let function = cFunction("posix_spawn_file_actions_addclosefrom_np", as: CloseFrom.self)
        else { return ENOSYS }
        return function(&actions, lowest)
    }

    /// A C library function looked up at run time (Swift's Glibc module does not export the
    /// `_np` extensions), or `nil` when this C library lacks it.
    private static func cFunction<Function>(_ name: String, as type: Function.Type) -> Function? {
        #if canImport(Darwin)
            let defaultHandle = UnsafeMutableRawPointer(bitPattern: -2)  // RTLD_DEFAULT
        #else
            let defaultHandle: UnsafeMutableRawPointer? = nil  // RTLD_DEFAULT
        #endif
        return dlsym(defaultHandle, name).map { unsafeBitCast($0, to: type) }
    }

    /// The shell's convention: the exit code, or 128 + n for a process ended by signal n.
    private static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
