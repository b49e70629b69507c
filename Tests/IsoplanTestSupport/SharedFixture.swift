import Foundation

/// Fixtures read by test targets other than their owner, copied into this target's `Fixtures/`
/// resources (provenance in `Fixtures/README.md`), so no test reaches into another target's
/// folder through `#filePath`.
public enum SharedFixture {
    /// The path of the shared fixture `name` (a file name in `Fixtures/`).
    public static func path(_ name: String) -> String {
        (Bundle.module.resourceURL ?? Bundle.module.bundleURL)
            .appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }
}
