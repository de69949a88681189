// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "Practicum",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "practicum", targets: ["practicum"]),
        .library(name: "PracticumCore", targets: ["PracticumCore"]),
        .library(name: "PracticumPhysics", targets: ["PracticumPhysics"]),
        .library(name: "PracticumScenario", targets: ["PracticumScenario"]),
        .library(name: "PracticumScoring", targets: ["PracticumScoring"]),
        .library(name: "PracticumSession", targets: ["PracticumSession"]),
        .library(name: "PracticumViewer", targets: ["PracticumViewer"]),
        .library(name: "PracticumFuzzing", targets: ["PracticumFuzzing"]),
        .library(name: "PracticumAudio", targets: ["PracticumAudio"]),
        .library(name: "PracticumProgress", targets: ["PracticumProgress"]),
        .library(name: "PracticumServer", targets: ["PracticumServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // property-based tests (tests only)
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        // the progress store's SQLite (WAL, migrations)
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // the progress store on a PostgreSQL server (postgres://…)
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // practicum serve: live sessions over WebSocket (see docs/architecture.md, "Live server")
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        // already in Hummingbird's graph; named for graceful shutdown (SIGTERM) and the server's logger
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.14.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
    ],
    targets: [
        // Vectors, quaternions, poses, units, seeded RNG, state hash, observations. No I/O.
        .target(name: "PracticumCore"),
        // PhysicsModel + PhysicsState, World.step, shapes, collision, XPBD, tissue, needle.
        .target(name: "PracticumPhysics", dependencies: ["PracticumCore"]),
        // YAML -> ScenarioSpec -> Scenario; expression language; procedure runner.
        // Metric library, rubric model and evaluation, proficiency, Report (JSON), debrief (HTML).
        // Below the scenario layer so the compiler can check metric names and parameters at load.
        .target(name: "PracticumScoring", dependencies: ["PracticumCore"]),
        .target(name: "PracticumScenario", dependencies: ["PracticumCore", "PracticumScoring", "CStb", .product(name: "Yams", package: "Yams")]),
        // Session tick loop, input sources, trace record/replay, batch scoring.
        .target(name: "PracticumSession", dependencies: ["PracticumCore", "PracticumPhysics", "PracticumScenario", "PracticumScoring", .product(name: "Yams", package: "Yams")]),
        // System-library shims for the viewer (see shared/notes/glfw-on-linux.md).
        .systemLibrary(name: "CGLFW", pkgConfig: "glfw3", providers: [.apt(["libglfw3-dev"])]),
        .systemLibrary(name: "CGL", pkgConfig: "gl", providers: [.apt(["libgl-dev"])]),
        .target(name: "CStb"),
        // Scene -> draw list (no GL) + OpenGL 3.3 renderer, HUD, camera, stereo, input mapping.
        .target(name: "PracticumViewer", dependencies: ["PracticumCore", "PracticumScenario", "PracticumScoring", "PracticumSession", "PracticumAudio",
                                                  "CGLFW", "CGL", "CStb"]),
        // Sound cues (metronome, event tones): synthesis, OpenAL Soft, WAV and null outputs.
        .systemLibrary(name: "COpenAL", pkgConfig: "openal", providers: [.apt(["libopenal-dev"]), .brew(["openal-soft"])]),
        .target(name: "PracticumAudio", dependencies: ["COpenAL"]),
        // Each parser of user input as a function of bytes, for libFuzzer (tools/fuzz) and the corpus replay test.
        .target(name: "PracticumFuzzing", dependencies: ["PracticumCore", "PracticumScenario", "PracticumScoring", "PracticumSession"]),
        // Progress store: trainees, attempts, proficiency-based progression (SQLite through GRDB; a protocol for others).
        .target(name: "PracticumProgress", dependencies: ["PracticumCore", "PracticumScoring", .product(name: "GRDB", package: "GRDB.swift"),
                                                          .product(name: "PostgresNIO", package: "postgres-nio"),
                                                          .product(name: "Yams", package: "Yams")]),
        // Live sessions over WebSocket: fixed-tick session hosts, the binary/JSON protocol, the observer page.
        .target(name: "PracticumServer", dependencies: ["PracticumCore", "PracticumScenario", "PracticumScoring", "PracticumSession",
                                                        .product(name: "Hummingbird", package: "hummingbird"),
                                                        .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                                                        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                                                        .product(name: "Logging", package: "swift-log"),
                                                        .product(name: "NIOCore", package: "swift-nio")]),
        // Shared test helpers (tolerances, fixtures paths).
        .target(name: "PracticumTestSupport", dependencies: ["PracticumCore", "PracticumScoring"], path: "Sources/PracticumTestSupport"),
        .executableTarget(name: "practicum", dependencies: [
            "PracticumCore", "PracticumPhysics", "PracticumScenario", "PracticumScoring", "PracticumSession", "PracticumViewer", "PracticumAudio",
            "PracticumProgress", "PracticumServer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "PracticumCoreTests", dependencies: ["PracticumCore", "PracticumTestSupport", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "PracticumPhysicsTests", dependencies: ["PracticumPhysics", "PracticumTestSupport"]),
        .testTarget(name: "PracticumScenarioTests", dependencies: ["PracticumScenario", "PracticumTestSupport", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "PracticumScoringTests", dependencies: ["PracticumScoring", "PracticumTestSupport"]),
        .testTarget(name: "PracticumSessionTests", dependencies: ["PracticumSession", "PracticumTestSupport"]),
        .testTarget(name: "PracticumViewerTests", dependencies: ["PracticumViewer", "PracticumAudio", "PracticumTestSupport"]),
        .testTarget(name: "PracticumCLITests", dependencies: ["PracticumCore", "PracticumScoring", "PracticumTestSupport"]),
        .testTarget(name: "PracticumAudioTests", dependencies: ["PracticumAudio", "PracticumTestSupport"]),
        .testTarget(name: "PracticumProgressTests", dependencies: ["PracticumProgress", "PracticumScoring", "PracticumTestSupport"]),
        .testTarget(name: "PracticumServerTests", dependencies: ["PracticumServer", "PracticumSession", "PracticumCore", "PracticumScoring", "PracticumTestSupport"]),
        .testTarget(name: "PracticumFuzzingTests", dependencies: ["PracticumFuzzing", "PracticumCore", "PracticumTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
