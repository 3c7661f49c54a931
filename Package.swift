// swift-tools-version: 6.1
import PackageDescription

// The targets are the architecture (README, "Architecture"): each library
// may import only the ones listed as its dependencies, which `.ci/run`
// enforces by building with `--explicit-target-dependency-import-check
// error`. GRDB is a dependency of RSearchStore alone.
let package = Package(
    name: "rsearch",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rsearch", targets: ["rsearch"]),
        .executable(name: "rsearch-serve", targets: ["rsearch-serve"]),
        .library(name: "RSearchEngine", targets: ["RSearchEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // Folding, the bigram scanner, the variant table: text in, text out.
        .target(name: "RSearchText"),
        // libxml2's HTML parser (Debian's libxml2-dev), for saved web pages.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // Files to reports: decoding, formats, layout, metadata, sections,
        // the corpus walk, and the values that describe reports and sections.
        .target(
            name: "RSearchDocuments",
            dependencies: ["RSearchText", "CLibXML2", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            // What libxml2 itself links (pkg-config --static): a fully static
            // rsearch takes them from their .a files.
            linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata"),
                             .linkedLibrary("z"), .linkedLibrary("lzma"), .linkedLibrary("m")]
        ),
        // The query language, its parsed form, the match plan, the
        // evaluator that confirms a section, and the values a search answers.
        .target(name: "RSearchQuery", dependencies: ["RSearchText", "RSearchDocuments"]),
        // Every SQL statement and every use of GRDB: schema, FTS5 tokenizer
        // adapter, bulk load and segment writer, character postings, stored
        // sections, ranking, the lock, publish by rename, the read API.
        .target(
            name: "RSearchStore",
            dependencies: [
                "RSearchText", "RSearchDocuments", "RSearchQuery",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The C API, for the FTS5 ranking function (OnePassRanking).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // A seeded generator shared by the tests and the benchmark.
        .target(name: "SplitMix64"),
        // The façade the command line (and the coming web server) call.
        .target(name: "RSearchEngine", dependencies: ["RSearchText", "RSearchDocuments", "RSearchQuery", "RSearchStore"]),
        // Terminal, JSON, JSON Lines, CSV, tables, outlines: from values alone.
        .target(name: "RSearchOutput", dependencies: ["RSearchText", "RSearchDocuments", "RSearchQuery", "RSearchEngine"]),
        // `rsearch serve`: the HTTP API and the page, over the same façade
        // and the same renderers as the command line.
        .target(
            name: "RSearchServer",
            dependencies: [
                "RSearchText", "RSearchDocuments", "RSearchQuery", "RSearchEngine", "RSearchOutput",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `rsearch serve` hands over to this program, beside it (ServeHandover).
        .executableTarget(
            name: "rsearch-serve",
            dependencies: [
                "RSearchEngine", "RSearchOutput", "RSearchServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "rsearch",
            dependencies: [
                "RSearchDocuments", "RSearchQuery", "RSearchEngine", "RSearchOutput",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The benchmark (BENCHMARKS.md): swift build -c release && .build/release/rsearch-bench
        .executableTarget(
            name: "rsearch-bench",
            dependencies: [
                "RSearchText", "RSearchDocuments", "RSearchQuery", "RSearchStore", "RSearchEngine", "SplitMix64",
                // For the FTS5 trigram baseline, a database of its own.
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "RSearchTests",
            dependencies: [
                "RSearchText", "RSearchDocuments", "RSearchQuery", "RSearchStore", "RSearchEngine", "RSearchOutput",
                "RSearchServer", "SplitMix64", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
    ]
)
