// swift-tools-version: 6.0
// The simulator's findings checks and ablations (issue 4), release build; `make rlsim-checks`.
import PackageDescription

let package = Package(
    name: "RLSimChecks",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "IsoPlan", path: "../..")],
    targets: [
        .executableTarget(
            name: "rlsim-checks",
            dependencies: [
                .product(name: "RLSim", package: "IsoPlan"),
                .product(name: "ScalingLaws", package: "IsoPlan"),
                .product(name: "Domain", package: "IsoPlan"),
                .product(name: "NumericCore", package: "IsoPlan"),
            ]
        )
    ]
)
