// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "rsearch",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rsearch", targets: ["rsearch"]),
        .library(name: "RSearchKit", targets: ["RSearchKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .target(
            name: "RSearchKit",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                // The C API, for the FTS5 ranking function (OnePassRanking).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .executableTarget(
            name: "rsearch",
            dependencies: [
                "RSearchKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The benchmark (BENCHMARKS.md): swift build -c release && .build/release/rsearch-bench
        .executableTarget(
            name: "rsearch-bench",
            dependencies: [
                "RSearchKit",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "RSearchKitTests",
            dependencies: ["RSearchKit", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
    ]
)
