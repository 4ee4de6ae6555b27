// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// The `sesame` binary on Linux: the Swift runtime and Foundation linked in statically with lld,
/// relative relocations packed (RELR) and only the symbols others need exported. An idle server
/// then holds 33-37 MiB instead of 45 (the shared libraries' start-up pages, their relocations and
/// the 54,000 exported symbols every dynamic lookup walked), runtime calls skip the PLT, and the
/// binary runs where Swift is not installed: Benchmarks/README.md, "Idle memory".
/// The archives named after -static-stdlib are those Foundation's static build needs and swiftc
/// names only when SwiftPM is asked for --static-swift-stdlib.
let staticServerLinking = [
    "-use-ld=lld", "-static-stdlib",
    "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic",
    "-lFoundationEssentials", "-l_FoundationCollections", "-l_FoundationCShims", "-l_FoundationICU",
    "-lCoreFoundation", "-ldispatch", "-lBlocksRuntime", "-lswiftDispatch", "-lswiftSynchronization",
]

let package = Package(
    name: "sesame",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sesame", targets: ["SesameCLI"]),
        .library(name: "SesameModels", targets: ["SesameModels"]),
        .library(name: "SesameClient", targets: ["SesameClient"]),
        .library(name: "SesameHummingbird", targets: ["SesameHummingbird"]),
        .library(name: "SesameLDAP", targets: ["SesameLDAP"]),
        .executable(name: "sesame-hash-bench", targets: ["PasswordHashingBenchmark"]),
        .executable(name: "sesame-toolkit-bench", targets: ["ToolkitBenchmark"]),
        .executable(name: "example-dashboard", targets: ["ExampleDashboard"]),
        .executable(name: "example-library", targets: ["ExampleLibrary"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
    ],
    targets: [
        // Wire types shared by the server and by apps. Depends on nothing heavy.
        .target(name: "SesameModels", swiftSettings: swiftSettings),

        // JWK parsing and JWS signature checks, shared by the server and the app toolkit.
        .target(
            name: "SesameJOSE",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),

        // BoringSSL's allocation hooks over a small pool: a password hash's 16 MiB is reused from
        // one sign-in to the next and unmapped when sign-ins stop. Linked into the server and the
        // hash benchmark only; apps using the toolkit keep BoringSSL's own allocator.
        .target(name: "CSesameCryptoMemory"),
        // Sets the Swift runtime's global-executor hook by name, where NIO's dlsym cannot find it
        // (the statically linked server): Swift concurrency then runs on NIO's event loops.
        .target(name: "CSesameExecutorHook"),

        // Protocol and account rules: no HTTP, no SQL.
        .target(
            name: "SesameCore",
            dependencies: [
                "SesameModels",
                "SesameJOSE",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: swiftSettings
        ),

        // The storage ports, written once in the SQL both databases run, over a narrow driver protocol.
        .target(
            name: "SesameSQL",
            dependencies: [
                "SesameCore",
                "SesameModels",
                "SesameJOSE",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // The SQLite driver: the embedded default store.
        .target(
            name: "SesameSQLite",
            dependencies: [
                "SesameSQL",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),  // for the SQLite amalgamation it builds (VaporCSQLite)
                .product(name: "NIOPosix", package: "swift-nio"),  // WAL checkpoints on its thread pool
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // The PostgreSQL driver: one database shared by many instances.
        .target(
            name: "SesamePostgres",
            dependencies: [
                "SesameSQL",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // A small LDAPv3 client (BER through swift-asn1, SwiftNIO, NIOSSL for LDAPS and StartTLS),
        // usable on its own: no server code and no Sesame types in it.
        .target(
            name: "SesameLDAP",
            dependencies: [
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),  // TLSUserEvent: the end of the TLS handshake
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // The admin JSON API (OpenAPI described), mounted by the server.
        .target(
            name: "SesameAdmin",
            dependencies: [
                "SesameCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        // For apps: discovery, the OIDC code flow with PKCE, refresh, introspection, and token
        // verification against Sesame's JWKS.
        .target(
            name: "SesameClient",
            dependencies: [
                "SesameModels", "SesameJOSE",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        // For apps on Hummingbird: permissions as values, sign-in routes, a sealed session cookie,
        // bearer tokens and test sign-in.
        .target(
            name: "SesameHummingbird",
            dependencies: [
                "SesameModels", "SesameClient", "SesameJOSE",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),

        // Hummingbird routes, pages and the one place where core errors become responses.
        .target(
            name: "SesameServer",
            dependencies: [
                "SesameCore",
                "SesameSQL",  // the assembled server runs on the one SQL store (either driver)
                "SesameJOSE",
                "SesameAdmin",
                "SesameModels",
                "SesameLDAP",  // directories (LDAP, Active Directory) as primary authenticators
                "CSesameCryptoMemory",
                "CSesameExecutorHook",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),  // single log-out: one POST, no redirects
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),  // its event loops run Swift concurrency's jobs
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // The `sesame` executable: serve, user, ...
        .executableTarget(
            name: "SesameCLI",
            dependencies: [
                "SesameCore",
                "SesameModels",
                "SesameSQL",
                "SesameSQLite",
                "SesamePostgres",
                "SesameAdmin",
                "SesameServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings,
            linkerSettings: [.unsafeFlags(staticServerLinking, .when(platforms: [.linux]))]
        ),

        // Two small apps that share one sign-in through Sesame (Examples/, tested end to end).
        .executableTarget(
            name: "ExampleDashboard",
            dependencies: ["SesameHummingbird", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Examples/Dashboard",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ExampleLibrary",
            dependencies: ["SesameHummingbird", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Examples/Library",
            swiftSettings: swiftSettings
        ),

        // Benchmarks/toolkit.sh builds this in release mode: the app toolkit's costs.
        .executableTarget(
            name: "ToolkitBenchmark",
            dependencies: [
                "SesameClient", "SesameHummingbird", "SesameJOSE",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            path: "Benchmarks/Toolkit",
            swiftSettings: swiftSettings
        ),

        // Benchmarks/run.sh builds this in release mode; it is not part of the server.
        .executableTarget(
            name: "PasswordHashingBenchmark",
            dependencies: ["SesameCore", "CSesameCryptoMemory"],  // hashes as the server does
            path: "Benchmarks/PasswordHashing",
            swiftSettings: swiftSettings
        ),

        // What test targets share: running a tool without Foundation's Process (ChildProcess.swift).
        .target(name: "SesameTestSupport", path: "Tests/SesameTestSupport", swiftSettings: swiftSettings),
        .testTarget(
            name: "SesameLDAPTests",
            dependencies: [
                "SesameLDAP",
                "SesameTestSupport",
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),  // the frame decoder on an EmbeddedChannel
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            exclude: ["vectors.py", "capture.py"],  // how the wire vectors were made (see their headers)
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SesameJOSETests",
            dependencies: ["SesameJOSE"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SesameCoreTests",
            dependencies: ["SesameCore", "SesameModels", "SesameJOSE"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SesameSQLiteTests",
            dependencies: [
                "SesameSQL", "SesameSQLite", "SesameCore", "SesameJOSE",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SesameClientTests",
            dependencies: [
                "SesameClient", "SesameJOSE",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SesameHummingbirdTests",
            dependencies: [
                "SesameHummingbird", "SesameClient",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        // The one conformance suite for the storage ports, run on SQLite and on PostgreSQL.
        .testTarget(
            name: "SesameStoreTests",
            dependencies: [
                "SesameSQL", "SesameSQLite", "SesamePostgres", "SesameCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SesameServerTests",
            dependencies: [
                "SesameServer",
                "SesameTestSupport",
                "CSesameCryptoMemory",
                "SesameModels",
                "SesameSQL",
                "SesameSQLite",
                "SesameCore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
