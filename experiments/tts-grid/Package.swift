// swift-tools-version: 6.0
// The full analytic-vs-Monte-Carlo grid of the test-time models (issue 6), release build.
// A separate package so `swift test` at the root never builds or runs it; `make tts-grid` does.
import PackageDescription

let package = Package(
    name: "TTSGrid",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "IsoPlan", path: "../..")],
    targets: [
        .executableTarget(
            name: "tts-grid",
            dependencies: [
                .product(name: "Planner", package: "IsoPlan"),
                .product(name: "Ingest", package: "IsoPlan"),
                .product(name: "Domain", package: "IsoPlan"),
            ]
        )
    ]
)
