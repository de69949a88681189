// Runs the built `practicum` binary: under Xvfb for pixels, without a display for the exit code.
import Foundation
import Testing
import PracticumCore
import PracticumTestSupport
import PracticumViewer

enum Smoke {
    static let root = repositoryRoot()
    static var binary: String? {
        ["/.build/debug/practicum", "/.build/release/practicum"].map { root + $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
    static var xvfbRun: String? {
        ["/usr/bin/xvfb-run", "/usr/local/bin/xvfb-run"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }
    static var canRender: Bool { binary != nil && xvfbRun != nil }

    /// Runs a command and returns its exit status and combined output.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        if let environment { p.environment = environment }
        let pipe = Pipe()
        p.standardOutput = pipe; p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

@Suite(.serialized) struct SmokeTests {
    /// A colour is "landmark magenta" when red and blue both clearly dominate green.
    static func isMagenta(_ p: (r: UInt8, g: UInt8, b: UInt8)) -> Bool {
        Int(p.r) > 140 && Int(p.b) > 140 && Int(p.g) + 80 < Int(p.r) && Int(p.g) + 80 < Int(p.b)
    }

    /// Where the demo's landmark should appear, per view, in window pixels (origin top-left).
    static func predictedLandmarkPixels(stereo: Bool) -> [(x: Double, y: Double)] {
        let head = DemoSimulation.camera.pose
        let views = stereo ? StereoRig().eyes(head: head, width: 1280, height: 720) : [Lens().monoView(head: head, width: 1280, height: 720)]
        return views.map { v in
            let s = v.viewProjection.project(DemoSimulation.landmarkPosition)!
            return v.viewport.pixel(ndc: s.ndc, windowHeight: 720)
        }
    }

    @Test(.enabled(if: Smoke.canRender, "needs xvfb-run and a built .build/debug/practicum (swift build)"),
          arguments: [false, true])
    func rendersTheDemoWithTheLandmarkWhereItsProjectionSays(stereo: Bool) throws {
        let png = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-smoke-\(stereo ? "stereo" : "mono")-\(getpid()).png").path
        defer { try? FileManager.default.removeItem(atPath: png) }
        let args = ["-a", "-s", "-screen 0 1280x720x24", Smoke.binary!, "run", "demo", "--hidden", "--frames", "3", "--screenshot", png]
            + (stereo ? ["--stereo"] : [])
        let (status, output) = try Smoke.run(Smoke.xvfbRun!, args)
        #expect(status == 0, "\(output)")
        let image = try #require(RGBImage(path: png), "no PNG written: \(output)")
        #expect(image.width == 1280 && image.height == 720)

        // not blank: many distinct colours
        var seen = Set<Int>()
        for i in stride(from: 0, to: image.pixels.count, by: 3 * 97) {
            seen.insert(Int(image.pixels[i]) << 16 | Int(image.pixels[i + 1]) << 8 | Int(image.pixels[i + 2]))
        }
        #expect(seen.count > 100)

        // pixel probe: the magenta landmark is at (within 2 px of) each eye's projection of it, and
        // magenta is not everywhere (the probe would pass on a magenta screen otherwise)
        for p in SmokeTests.predictedLandmarkPixels(stereo: stereo) {
            let x = Int(p.x.rounded()), y = Int(p.y.rounded())
            var hits = 0
            for dy in -2...2 { for dx in -2...2 where SmokeTests.isMagenta(image[x + dx, y + dy]) { hits += 1 } }
            #expect(hits >= 20, "landmark not at (\(x), \(y)): \(image[x, y])")
            #expect(!SmokeTests.isMagenta(image[x, y - 40]) && !SmokeTests.isMagenta(image[x - 40, y]))
        }
    }

    @Test(.enabled(if: Smoke.binary != nil, "needs a built .build/debug/practicum"))
    func withoutADisplayItExitsTwoAndSaysHowToUseXvfb() throws {
        var env = ProcessInfo.processInfo.environment
        env["DISPLAY"] = nil; env["WAYLAND_DISPLAY"] = nil
        let (status, output) = try Smoke.run(Smoke.binary!, ["run", "demo", "--frames", "1"], environment: env)
        #expect(status == 2)
        #expect(output.contains("xvfb-run -a"))
    }

    @Test(.enabled(if: Smoke.binary != nil, "needs a built .build/debug/practicum"))
    func unknownScenarioIsAUsageError() throws {
        let (status, output) = try Smoke.run(Smoke.binary!, ["run", "no-such-scenario"])
        #expect(status == 2)
        #expect(output.contains("practicum run demo"))
    }
}
