// swift-tools-version: 6.0
// The training planner's closed loop (issue 5), release build; `make closed-loop`.
import PackageDescription

let package = Package(
    name: "ClosedLoop",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "IsoPlan", path: "../..")],
    targets: [
        .executableTarget(
            name: "closed-loop",
            dependencies: [
                .product(name: "Workflows", package: "IsoPlan"), .product(name: "RunStore", package: "IsoPlan"),
                .product(name: "RLSim", package: "IsoPlan"), .product(name: "Domain", package: "IsoPlan"),
            ]
        )
    ]
)
