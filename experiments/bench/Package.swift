// swift-tools-version: 6.0
// Benchmarks of IsoPlan's numeric core, built in release and run side by side with numpy by
// run_bench.py. A separate package so `swift test` at the root never builds or times them.
import PackageDescription

let package = Package(
    name: "IsoPlanBench",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "IsoPlan", path: "../..")],
    targets: [
        .executableTarget(
            name: "isoplan-bench",
            dependencies: [
                .product(name: "NumericCore", package: "IsoPlan"),
                .product(name: "ScalingLaws", package: "IsoPlan"),
                .product(name: "RLSim", package: "IsoPlan"),
                .product(name: "Domain", package: "IsoPlan"),
            ]
        )
    ]
)
