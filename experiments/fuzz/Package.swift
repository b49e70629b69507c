// swift-tools-version: 6.0
import PackageDescription

/// libFuzzer over every IsoPlan parser (`ParserTargets`). Build with the sanitizers on:
/// `swift build --sanitize fuzzer --sanitize address` (run_fuzz.py does), so the product build
/// of the root package is unchanged.
let package = Package(
    name: "ParserFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "IsoPlan", path: "../..")],
    targets: [
        .executableTarget(
            name: "parser-fuzz",
            dependencies: [.product(name: "ParserTargets", package: "IsoPlan")]
        )
    ]
)
