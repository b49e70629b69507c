import Domain
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive advisory lock on one execution label of a store, held while the value lives.
///
/// Two processes running the same label would both send the calls neither has committed yet and
/// race to commit them; the second one is therefore refused. The lock is `flock(2)` on a file
/// `<store>-locks/<label hash>.lock` beside the database (SQLite offers no lock that outlives a
/// transaction), so the kernel releases it when its holder exits, even by SIGKILL: a crashed run
/// never leaves a stale lock behind. The file holds the holder's pid, for the refusal's message.
public final class ExecutionLock: Sendable {
    private let descriptor: Int32

    fileprivate init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }  // closing the only descriptor releases the flock
}

extension Store {
    /// Takes the lock on `label`, or throws ``StoreError/executionInUse(path:label:holder:)``
    /// when another process (or another run in this one) holds it.
    public func lockExecution(label: String) throws(StoreError) -> ExecutionLock {
        let folder = path + "-locks"
        let file = folder + "/" + StableHash.hex(label) + ".lock"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .cannotOpen(path: folder, reason: "cannot create the execution lock folder")
        }
        let descriptor = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .cannotOpen(path: file, reason: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = pread(descriptor, &buffer, buffer.count, 0)
            close(descriptor)
            let holder = Int32(String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self))
            throw .executionInUse(path: path, label: label, holder: holder)
        }
        let pid = Array(String(getpid()).utf8)
        _ = pwrite(descriptor, pid, pid.count, 0)  // then cut: a refused reader never sees it empty
        _ = ftruncate(descriptor, off_t(pid.count))
        return ExecutionLock(descriptor: descriptor)
    }
}
