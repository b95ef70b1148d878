// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "cwarchive",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "cwarchive", targets: ["cwarchive"]),
        .executable(name: "cwbench", targets: ["cwbench"]),
        .library(name: "CWArchiveCore", targets: ["CWArchiveCore"]),
        .library(name: "ChatworkSimulator", targets: ["ChatworkSimulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // zlib from the system (zlib1g-dev), used for the gzip data files.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),

        // The Chatwork API v2 client: transport, rate limiter, retries, typed models, downloads.
        .target(
            name: "ChatworkAPI",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        // Chatwork message markup: parser to a tree, and inline renderers.
        .target(name: "ChatworkMarkup", swiftSettings: strict),

        // The archive: store, index, archiver, search, export.
        .target(
            name: "CWArchiveCore",
            dependencies: [
                "ChatworkAPI", "ChatworkMarkup", "CZlib",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        // A faithful fake Chatwork API over real HTTP, for `demo` and the tests.
        .target(
            name: "ChatworkSimulator",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                // PKCE checks of the OAuth server (OAuth/) and the webhook sender's signatures (Webhooks/).
                .product(name: "Crypto", package: "swift-crypto"),
                // The webhook sender posts deliveries like Chatwork.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict),

        // The HTTP servers over the archive: `serve` (the read-only web viewer) and `listen`
        // (Chatwork webhooks into the store). Hummingbird, with TLS over swift-nio-ssl.
        .target(
            name: "CWArchiveServer",
            dependencies: [
                "CWArchiveCore", "ChatworkMarkup",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        // The thin command-line front end.
        .executableTarget(
            name: "cwarchive",
            dependencies: [
                "CWArchiveCore", "CWArchiveServer", "ChatworkSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),

        // The benchmark harness: `swift run -c release cwbench [--quick]`.
        .executableTarget(
            name: "cwbench",
            dependencies: [
                "CWArchiveCore", "ChatworkAPI", "ChatworkSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict),

        // What more than one test target needs: the built binary of the same build, awaited teardown.
        .target(name: "CWTestSupport", path: "Tests/CWTestSupport", swiftSettings: strict),
        .testTarget(name: "ChatworkAPITests", dependencies: ["ChatworkAPI", "ChatworkSimulator"], swiftSettings: strict),
        // Golden files and fixtures are read from the source tree (#filePath), not bundled.
        .testTarget(name: "ChatworkMarkupTests", dependencies: ["ChatworkMarkup"], exclude: ["Golden"], swiftSettings: strict),
        .testTarget(name: "ChatworkSimulatorTests", dependencies: ["ChatworkSimulator"], swiftSettings: strict),
        .testTarget(
            name: "CWArchiveCoreTests",
            dependencies: ["CWArchiveCore", "ChatworkAPI", "ChatworkSimulator", "ChatworkMarkup", "CWTestSupport"],
            exclude: ["Golden", "Fixtures"],
            swiftSettings: strict),
        .testTarget(
            name: "CWArchiveServerTests",
            dependencies: [
                "CWArchiveServer", "CWArchiveCore", "ChatworkSimulator", "ChatworkAPI", "CWTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict),
    ]
)
