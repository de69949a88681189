// swift-tools-version:6.0
// The libFuzzer driver: one executable whose input function runs the `FuzzTarget` named by
// PRACTICUM_FUZZ_TARGET. Kept out of the main package so that `swift build` there never needs
// the fuzzer runtime; `tools/fuzz/run` builds it with -sanitize=fuzzer,address.
import PackageDescription

let package = Package(
    name: "PracticumFuzzDriver",
    dependencies: [.package(name: "Practicum", path: "../..")],
    targets: [
        .executableTarget(name: "practicum-fuzz", dependencies: [.product(name: "PracticumFuzzing", package: "Practicum")]),
    ],
    swiftLanguageModes: [.v6]
)
