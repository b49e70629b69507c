public import Foundation

/// The real single-node Ray cluster on loopback that `Tests/Ray/cluster.sh` starts around the test
/// run (`make test` does): its dashboard address, and the Pythons with and without ray.
public enum LocalRayCluster {
    /// The dashboard's address (`ISOPLAN_TEST_RAY_ADDRESS`), nil outside `Tests/Ray/cluster.sh`.
    public static var address: String? {
        ProcessInfo.processInfo.environment["ISOPLAN_TEST_RAY_ADDRESS"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The interpreter the Ray virtualenv was made from: a Python without ray.
    public static func pythonWithoutRay() throws -> String {
        let configuration = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Ray/.venv/pyvenv.cfg")
        let text = try String(contentsOf: configuration, encoding: .utf8)
        guard let home = text.split(separator: "\n").first(where: { $0.hasPrefix("home = ") })?.dropFirst(7) else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: configuration.path])
        }
        return home + "/python3"
    }

    /// Process ids whose command line starts with `prefix` (Ray names a busy worker
    /// `ray::<function>`).
    public static func processes(named prefix: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry),
                let cmdline = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
                String(decoding: cmdline, as: UTF8.self).hasPrefix(prefix)
            else { return nil }
            return pid
        }
    }
}
