// swift-tools-version: 6.0
import PackageDescription

/// Settings every Swift target gets: the compiler holds module boundaries
/// (`internal` imports unless a module re-exports a type on purpose).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("ExistentialAny"),
]

/// Settings of the modules that compute (numerics, fits, simulation, planning, the executor): optimised
/// in debug builds too, because the tests and the CLI tests' subprocesses run their Monte Carlo checks,
/// fits, sweeps and executor calls 10–50× slower at `-Onone` (docs/ARCHITECTURE.md, "Code shape and
/// size"). Preconditions still trap at `-O`; only `assert` is compiled out.
let computeSettings: [SwiftSetting] = strictSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "IsoPlan",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "isoplan", targets: ["isoplan"]),
        .library(name: "NumericCore", targets: ["NumericCore"]),
        .library(name: "Domain", targets: ["Domain"]),
        .library(name: "RunStore", targets: ["RunStore"]),
        .library(name: "ScalingLaws", targets: ["ScalingLaws"]),
        .library(name: "Planner", targets: ["Planner"]),
        .library(name: "Ingest", targets: ["Ingest"]),
        .library(name: "RLSim", targets: ["RLSim"]),
        .library(name: "Report", targets: ["Report"]),
        .library(name: "Agentic", targets: ["Agentic"]),
        .library(name: "Cluster", targets: ["Cluster"]),
        .library(name: "Workflows", targets: ["Workflows"]),
        // Not part of the tool: every parser as a fuzz target, for experiments/fuzz.
        .library(name: "ParserTargets", targets: ["ParserTargets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        // The LLM client's HTTP: Foundation's URLSession on Linux keeps 100–200 bytes per request
        // (docs/RELIABILITY.md, "The executor under load").
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
    ],
    targets: [
        // Floor 0 — OpenBLAS (CBLAS) and LAPACKE; imported by NumericCore only.
        .systemLibrary(
            name: "CLapack",
            path: "Sources/CLapack",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),

        // Floor 0 — array kernels dispatched on the CPU at run time: exp, log and the logistic
        // through glibc's vector math library (libmvec, part of libc6), and the simulator's batch
        // kernels; imported by NumericCore only. Linking needs a libmvec: glibc on x86-64 (any
        // version we support) or on aarch64 from 2.38.
        .target(
            name: "CVectorMath",
            // No fused multiply-add anywhere: the kernels promise the same bits on every path.
            cSettings: [.unsafeFlags(["-ffp-contract=off"]), .unsafeFlags(["-O2"], .when(configuration: .debug))],
            linkerSettings: [.linkedLibrary("mvec", .when(platforms: [.linux]))]
        ),

        // Floor 1 — numerics and the shared value types.
        .target(name: "NumericCore", dependencies: ["CLapack", "CVectorMath"], swiftSettings: computeSettings),
        .target(name: "Domain", swiftSettings: strictSettings),

        // Floor 2 — scaling-law fitting (curves and points, not where they came from).
        .target(name: "ScalingLaws", dependencies: ["NumericCore", "Domain"], swiftSettings: computeSettings),

        // Floor 2 — file parsers (they do not write the store). TensorBoard event files decode with
        // swift-protobuf through committed generated code (no build plugin).
        .target(
            name: "Ingest",
            dependencies: ["Domain", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["TensorBoard/Proto"],
            swiftSettings: strictSettings
        ),

        // Floor 2 — the SQLite store (the only module that writes SQL).
        .target(
            name: "RunStore",
            dependencies: ["Domain", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),

        // Floor 2 — the on-policy RL simulator (one committed parameter file as a resource).
        .target(
            name: "RLSim", dependencies: ["Domain", "NumericCore"],
            resources: [.copy("Resources/parameters.json")],
            swiftSettings: computeSettings),

        // Floor 0 — zlib's deflate; imported by Cluster (its packages) and the tests (PNG decoding).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),

        // Floor 2 — shard commands on an existing engine: the Ray Jobs API client, job packages and
        // re-attach; the Python driver Ray runs is its resource. Knows nothing of what a shard computes.
        .target(
            name: "Cluster",
            dependencies: [
                "CZlib", "Domain",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            resources: [.copy("Resources/isoplan_ray_driver.py")],
            swiftSettings: computeSettings),

        // Floor 3 — planning: training allocation (evaluating ScalingLaws' laws) and test-time sizing.
        .target(
            name: "Planner", dependencies: ["Domain", "NumericCore", "ScalingLaws"], swiftSettings: computeSettings),

        // Floor 3 — SVG charts and self-contained HTML / Markdown reports.
        .target(name: "Report", dependencies: ["NumericCore", "ScalingLaws"], swiftSettings: strictSettings),

        // Floor 3 — the test-time executor: LLM client, summaries, RTV, PDR, agent runner.
        .target(
            name: "Agentic",
            dependencies: [
                "Domain", "NumericCore", "RunStore", "Ingest",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: computeSettings),

        // Floor 4 — pipelines that span modules.
        .target(
            name: "Workflows",
            dependencies: [
                "Domain", "NumericCore", "ScalingLaws", "RunStore", "Ingest", "Planner", "RLSim", "Report", "Agentic",
                "Cluster",
            ],
            exclude: ["Resources/README.md"],
            resources: [.copy("Resources/tbench_core011_task_success.csv")],
            swiftSettings: strictSettings
        ),

        // Floor 5 — the command-line program.
        .executableTarget(
            name: "isoplan",
            dependencies: [
                "NumericCore", "Domain", "RunStore", "ScalingLaws", "Ingest", "Planner", "RLSim", "Agentic",
                "Cluster", "Workflows",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),

        // Tests — one target per module, plus shared support.
        .target(
            name: "IsoplanTestSupport",
            dependencies: ["CZlib", "Domain", "NumericCore"],
            path: "Tests/IsoplanTestSupport",
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        // Every parser as a target: fuzzed by experiments/fuzz, its corpora replayed by ParserCorpusTests.
        .target(
            name: "ParserTargets",
            dependencies: ["Agentic", "Domain", "Ingest", "RLSim", "Workflows"],
            path: "Tests/ParserTargets",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ParserCorpusTests",
            dependencies: ["ParserTargets"],
            resources: [.copy("Corpus")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "NumericCoreTests",
            dependencies: ["NumericCore", "IsoplanTestSupport"],
            resources: [.copy("Golden")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ScalingLawsTests",
            dependencies: ["ScalingLaws", "NumericCore", "Domain", "IsoplanTestSupport"],
            resources: [.copy("Golden")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PlannerTests",
            dependencies: ["Planner", "Ingest", "Domain", "IsoplanTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "IngestTests",
            dependencies: ["Ingest", "Domain", "IsoplanTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RLSimTests",
            dependencies: ["RLSim", "Domain", "NumericCore", "ScalingLaws", "IsoplanTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AgenticTests",
            dependencies: ["Agentic", "Ingest", "RunStore", "Domain", "NumericCore", "IsoplanTestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReportTests",
            dependencies: ["Report", "ScalingLaws", "IsoplanTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WorkflowsTests",
            dependencies: [
                "Workflows", "Agentic", "Planner", "Ingest", "RLSim", "ScalingLaws", "RunStore", "Domain",
                "NumericCore",
                "IsoplanTestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ClusterTests",
            dependencies: ["Cluster", "IsoplanTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DomainTests",
            dependencies: ["Domain", "IsoplanTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RunStoreTests",
            dependencies: ["RunStore", "Domain", "IsoplanTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "isoplanTests",
            dependencies: ["isoplan", "Domain", "RunStore", "Ingest", "IsoplanTestSupport"],
            swiftSettings: strictSettings
        ),
    ]
)
