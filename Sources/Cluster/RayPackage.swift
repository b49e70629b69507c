import Domain
import Foundation

/// A zip package for a Ray runtime environment, named by its content (`_ray_pkg_<hash>.zip`) so
/// the same files are uploaded once.
struct RayPackage {
    /// `job.json`: what the driver reads (field names are the driver's).
    struct Manifest: Encodable {
        var command: [String]
        var shards: [String]
        var binary: [String: String]
        var cpusPerTask: Double
        var resources: [String: Double]
        var maxRetries: Int

        enum CodingKeys: String, CodingKey {
            case command, shards, binary, resources
            case cpusPerTask = "num_cpus"
            case maxRetries = "max_retries"
        }
    }

    /// The Python module the uploaded binary lives in, and the driver's file name.
    static let binaryModule = "isoplan_binary"
    static let driverName = "isoplan_ray_driver.py"

    let name: String
    let bytes: Data

    init(_ entries: [ZipArchive.Entry]) throws(ClusterError) {
        // A plain zip holds 65,535 entries of 4 GiB; Ray takes packages under 512 MiB anyway.
        guard entries.count < Int(UInt16.max), entries.reduce(0, { $0 + $1.bytes.count }) < Int(UInt32.max) else {
            throw .packaging("\(entries.count) files are too many or too large for one package; split the request")
        }
        bytes = ZipArchive(entries).data
        name = "_ray_pkg_" + StableHash.contentHash(bytes).replacingOccurrences(of: "-", with: "") + ".zip"
    }

    /// Uploads the package unless the cluster has it; returns its `gcs://` URI.
    func ensureUploaded(to client: RayJobsClient) throws(ClusterError) -> String {
        if try !client.hasPackage(named: name) { try client.uploadPackage(named: name, bytes: bytes) }
        return "gcs://" + name
    }

    /// The job's working directory: the driver, `job.json` and `shards/<id>.json`.
    static func job(_ manifest: Manifest, shards: [Shard]) throws(ClusterError) -> RayPackage {
        guard let driverURL = Bundle.module.url(forResource: "isoplan_ray_driver", withExtension: "py"),
            let driver = try? Data(contentsOf: driverURL)
        else { throw .packaging("the Ray driver \(driverName) is missing beside the isoplan binary") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let manifestBytes = try? encoder.encode(manifest) else { throw .packaging("job.json") }
        return try RayPackage(
            [.init(path: driverName, bytes: driver), .init(path: "job.json", bytes: manifestBytes)]
                + shards.map { .init(path: "shards/\($0.id).json", bytes: $0.spec) })
    }

    /// The binary as the module `isoplan_binary` (`isoplan_binary/isoplan`), with the product's
    /// resource bundles beside it (`*.resources`, test bundles left out), where it looks for them.
    static func binary(at path: String) throws(ClusterError) -> RayPackage {
        let binaryURL = URL(fileURLWithPath: path)
        guard let binary = try? Data(contentsOf: binaryURL) else { throw .packaging("cannot read \(oneLine(path))") }
        var entries: [ZipArchive.Entry] = [
            .init(path: "\(binaryModule)/__init__.py", bytes: Data()),
            .init(path: "\(binaryModule)/isoplan", bytes: binary, mode: 0o755),
        ]
        let folder = binaryURL.deletingLastPathComponent()
        let fileManager = FileManager.default
        let bundles = ((try? fileManager.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".resources") && !$0.contains("Test") }.sorted()
        for bundle in bundles {
            let root = folder.appendingPathComponent(bundle)
            let files = (fileManager.subpaths(atPath: root.path) ?? []).sorted()
            for file in files {
                let url = root.appendingPathComponent(file)
                var isDirectory: ObjCBool = false
                guard fileManager.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                    let bytes = try? Data(contentsOf: url)
                else { continue }
                entries.append(.init(path: "\(binaryModule)/\(bundle)/\(file)", bytes: bytes))
            }
        }
        return try RayPackage(entries)
    }
}
