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
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil) throws -> (Int32, String) {
        let p = Process()
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
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

    /// Distinct colours among every 97th pixel: a blank or single-colour image has one or two.
    static func distinctColours(_ image: RGBImage) -> Int {
        var seen = Set<Int>()
        for i in stride(from: 0, to: image.pixels.count, by: 3 * 97) {
            seen.insert(Int(image.pixels[i]) << 16 | Int(image.pixels[i + 1]) << 8 | Int(image.pixels[i + 2]))
        }
        return seen.count
    }

    /// The views the viewer draws for `head` in a 1280×720 window (its own code: `ViewerOptions.views`).
    static func views(head: Pose, stereo: Bool) -> [EyeView] {
        ViewerOptions(fontPath: "").views(head: head, width: 1280, height: 720, stereo: stereo)
    }

    /// Where `point` should appear in each view, in window pixels (origin top-left), through the views'
    /// own projections.
    static func predictedPixels(of point: Vec3, head: Pose, stereo: Bool) -> [(x: Double, y: Double)] {
        views(head: head, stereo: stereo).map { v in
            let s = v.viewProjection.project(point)!
            return v.viewport.pixel(ndc: s.ndc, windowHeight: 720)
        }
    }

    /// The pixel probe: magenta fills the 5×5 pixels at `p` (within 2 px of where the projection puts the
    /// landmark), and is absent 40 px to the left and above (so a magenta screen would not pass).
    static func expectMagenta(_ image: RGBImage, at p: (x: Double, y: Double), _ what: String) {
        let x = Int(p.x.rounded()), y = Int(p.y.rounded())
        var hits = 0
        for dy in -2...2 { for dx in -2...2 where SmokeTests.isMagenta(image[x + dx, y + dy]) { hits += 1 } }
        #expect(hits >= 20, "\(what): landmark not at (\(x), \(y)): \(image[x, y])")
        #expect(!SmokeTests.isMagenta(image[x, y - 40]) && !SmokeTests.isMagenta(image[x - 40, y]), "\(what): magenta around (\(x), \(y))")
    }

    /// Magenta of any brightness (the shaded underside of a lit magenta sphere too): red and blue alike,
    /// green well below both.
    static func hasMagentaHue(_ p: (r: UInt8, g: UInt8, b: UInt8)) -> Bool {
        let r = Int(p.r), g = Int(p.g), b = Int(p.b)
        return r >= 25 && b >= 25 && 3 * g < min(r, b) && 3 * abs(r - b) <= max(r, b)
    }

    /// Centre of the magenta pixels within `radius` px of `p`, measured in the image (nil when there are
    /// fewer than 30).
    static func magentaCentroid(_ image: RGBImage, near p: (x: Double, y: Double), radius: Int = 25) -> (x: Double, y: Double)? {
        var sx = 0.0, sy = 0.0, n = 0.0
        let cx = Int(p.x.rounded()), cy = Int(p.y.rounded())
        for y in max(cy - radius, 0)...min(cy + radius, image.height - 1) {
            for x in max(cx - radius, 0)...min(cx + radius, image.width - 1) where SmokeTests.hasMagentaHue(image[x, y]) {
                sx += Double(x) + 0.5; sy += Double(y) + 0.5; n += 1
            }
        }
        return n >= 30 ? (sx / n, sy / n) : nil
    }

    /// Runs `practicum run SCENARIO --hidden --frames 3 --screenshot` (then `options`) under Xvfb, checks
    /// the PNG is not blank and returns it.
    static func render(_ scenario: String, stereo: Bool, name: String, options: [String] = []) throws -> RGBImage {
        try renderWithOutput(scenario, stereo: stereo, name: name, options: options).image
    }

    /// `render`, with what the command printed.
    static func renderWithOutput(_ scenario: String, stereo: Bool, name: String, options: [String]) throws -> (image: RGBImage, output: String) {
        let png = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-smoke-\(name)-\(stereo ? "stereo" : "mono")-\(getpid()).png").path
        defer { try? FileManager.default.removeItem(atPath: png) }
        let args = ["-a", "-s", "-screen 0 1280x720x24", Smoke.binary!, "run", scenario, "--hidden", "--frames", "3", "--screenshot", png]
            + (stereo ? ["--stereo"] : []) + options
        let (status, output) = try Smoke.run(Smoke.xvfbRun!, args, directory: Smoke.root)
        #expect(status == 0, "\(name): \(output)")
        let image = try #require(RGBImage(path: png), "\(name): no PNG written: \(output)")
        #expect(image.width == 1280 && image.height == 720)
        let colours = SmokeTests.distinctColours(image)
        #expect(colours > 100, "\(name) stereo \(stereo): only \(colours) colours")   // not blank
        return (image, output)
    }

    @Test(.enabled(if: Smoke.canRender, "needs xvfb-run and a built .build/debug/practicum (swift build)"))
    func adaptiveMultisamplingDropsToTheWindowAndDrawsWhatASingleSampledRunDraws() throws {
        // a budget no frame keeps: after 20 warm-up and 40 measured frames the scene is drawn without
        // multisampling, straight into the window (another framebuffer and depth buffer); frame 100 is
        // inside the 60 frames measured that way, whatever that measurement then decides. The replay moves
        // the needle, so a stale multisampled image would not pass for the frame.
        let trace = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-adaptive-\(getpid()).trace").path
        defer { try? FileManager.default.removeItem(atPath: trace) }
        let (synth, synthOutput) = try Smoke.run(Smoke.binary!, ["synth", "docs/images/viewer-demo-run.yaml", "-o", trace], directory: Smoke.root)
        try #require(synth == 0, "\(synthOutput)")
        let run = ["--frames", "100", "--replay", trace, "--start", "0.4"]
        let (adaptive, output) = try SmokeTests.renderWithOutput("demo", stereo: true, name: "adaptive", options: run + ["--frame-budget", "0.001"])
        #expect(output.contains("msaa 4x, adaptive: off from frame 61"), "\(output)")
        let single = try SmokeTests.render("demo", stereo: true, name: "single", options: run + ["--msaa", "0"])
        let multi = try SmokeTests.render("demo", stereo: true, name: "multi", options: run + ["--fixed-msaa"])
        // compared as one Bool each: a failing #expect would print every byte of both images
        let sameAsSingle = adaptive.pixels == single.pixels, sameAsMulti = adaptive.pixels == multi.pixels
        #expect(sameAsSingle, "after the drop the frame is not what a single-sampled run draws")
        #expect(!sameAsMulti, "after the drop the frame is still multisampled")
        for p in SmokeTests.predictedPixels(of: DemoSimulation.landmarkPosition, head: DemoSimulation.camera.pose, stereo: true) {
            SmokeTests.expectMagenta(adaptive, at: p, "demo after the drop")
        }
    }

    @Test(.enabled(if: Smoke.canRender, "needs xvfb-run and a built .build/debug/practicum (swift build)"),
          arguments: [false, true])
    func rendersTheDemoWithTheLandmarkWhereItsProjectionSays(stereo: Bool) throws {
        let image = try SmokeTests.render("demo", stereo: stereo, name: "demo")
        for p in SmokeTests.predictedPixels(of: DemoSimulation.landmarkPosition, head: DemoSimulation.camera.pose, stereo: stereo) {
            SmokeTests.expectMagenta(image, at: p, "demo")
        }
    }

    /// Where the scenario probe puts its two magenta landmarks, in the frame of the scenario's opening head
    /// (m, the head looks down −z): one on the view axis, nearer than the stereo convergence plane; one
    /// up and to the right, clear of the HUD panels and of the shipped scenes' objects.
    static let probeOffsets = [Vec3(0, 0, -0.35), Vec3(0.10, 0.08, -0.40)]

    /// A copy of a scenario with one extra region per point: magenta, 3 mm, so the viewer draws a magenta
    /// landmark there (regions get a landmark at their centre) with its translucent sphere hidden inside.
    /// Nil when the file has no `regions:` list under `scene:` to add to.
    static func addingProbeLandmarks(to yaml: String, at points: [Vec3]) -> String? {
        var lines = yaml.components(separatedBy: "\n")
        guard let at = lines.firstIndex(of: "  regions:"),
              let first = lines[(at + 1)...].first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("- ") }),
              let dash = first.firstIndex(of: "-") else { return nil }
        let indent = String(first[..<dash])
        var added: [String] = []
        for (i, p) in points.enumerated() {
            added += [indent + "- id: viewer_probe_\(i)",
                      indent + String(format: "  position: [%.6fm, %.6fm, %.6fm]", p.x, p.y, p.z),
                      indent + "  radius: 3mm",
                      indent + "  color: \"#ff00ff\""]
        }
        lines.insert(contentsOf: added, at: at + 1)
        return lines.joined(separator: "\n")
    }

    @Test(.enabled(if: Smoke.canRender, "needs xvfb-run and a built .build/debug/practicum (swift build)"),
          arguments: SmokeTests.shippedScenarios, [false, true])
    func probeLandmarksInEveryShippedScenarioLandWhereTheProjectionSays(id: String, stereo: Bool) throws {
        // a copy of the scenario with the probe landmarks, beside a link to the shared assets
        // (a sandbox of its own: the cases run in parallel)
        let sandbox = try ScenarioSandbox("probe")
        defer { sandbox.remove() }
        // the scenario's own opening camera (its `cues.viewpoint`, or the default)
        let head = try ScenarioSimulation(path: Smoke.root + "/scenarios/\(id)/scenario.yaml").camera.pose
        let points = SmokeTests.probeOffsets.map { head.transform($0) }
        let original = try String(contentsOfFile: Smoke.root + "/scenarios/\(id)/scenario.yaml", encoding: .utf8)
        let yaml = try #require(SmokeTests.addingProbeLandmarks(to: original, at: points), "\(id): no regions list to add the probe to")
        let path = try sandbox.write(yaml, as: id)

        let image = try SmokeTests.render(path, stereo: stereo, name: id)

        // each landmark where the viewer's own camera and eye projections put it, in every eye
        let camera = head
        let predicted = points.map { SmokeTests.predictedPixels(of: $0, head: camera, stereo: stereo) }
        for (i, pixels) in predicted.enumerated() {
            for (eye, p) in pixels.enumerated() { SmokeTests.expectMagenta(image, at: p, "\(id) landmark \(i) eye \(eye)") }
        }

        // and, measured in the image without the projection code, the landmark on the head's view axis:
        // mono, at the window's centre (the camera sits at the scenario's head and looks along its axis);
        // stereo, at equal and opposite offsets from the centres of the left and right halves, level with
        // them, and displaced inwards (crossed disparity: it is nearer than the convergence plane), so a
        // mirrored eye separation or swapped eye viewports fail here even though the prediction follows them
        let centres = stereo ? [(320.0, 360.0), (960.0, 360.0)] : [(640.0, 360.0)]
        let found = try centres.map { c in try #require(SmokeTests.magentaCentroid(image, near: (c.0, c.1), radius: 35), "\(id): no landmark near \(c)") }
        if stereo {
            let left = found[0].x - 320, right = found[1].x - 960
            #expect(left > 3 && right < -3, "\(id): not crossed: \(left), \(right)")
            #expect(abs(left + right) <= 1.5 && abs(found[0].y - 360) <= 1.5 && abs(found[1].y - 360) <= 1.5, "\(id): \(found)")
        } else {
            #expect(abs(found[0].x - 640) <= 1.5 && abs(found[0].y - 360) <= 1.5, "\(id): \(found[0])")
        }
    }

    /// Shipped scenarios: every folder under scenarios/ with a scenario.yaml.
    static var shippedScenarios: [String] {
        let dir = Smoke.root + "/scenarios"
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return ids.sorted().filter { FileManager.default.fileExists(atPath: "\(dir)/\($0)/scenario.yaml") }
    }

    @Test(.enabled(if: Smoke.canRender, "needs xvfb-run and a built .build/debug/practicum (swift build)"),
          arguments: SmokeTests.shippedScenarios, [false, true])
    func rendersEveryShippedScenarioByItsID(id: String, stereo: Bool) throws {
        let image = try SmokeTests.render(id, stereo: stereo, name: id)
        if stereo {
            // the two halves show the same scene from eyes 63 mm apart: similar, never identical
            var differing = 0
            for y in stride(from: 200, to: 700, by: 7) {
                for x in stride(from: 0, to: 640, by: 7) where image[x, y] != image[x + 640, y] { differing += 1 }
            }
            #expect(differing > 0)
        }
    }

    @Test(.enabled(if: Smoke.canRender && SmokeTests.shippedScenarios.contains("iv-cannulation"), "needs xvfb-run, the binary and scenarios/iv-cannulation"))
    func aRecordedLiveRunScoresHeadlesslyToTheSameReport() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-live-\(getpid())").path
        defer { for ext in [".trace", ".json", ".report.html"] { try? FileManager.default.removeItem(atPath: base + ext) } }
        let (status, output) = try Smoke.run(Smoke.xvfbRun!, ["-a", "-s", "-screen 0 1280x720x24", Smoke.binary!, "run", "iv-cannulation",
                                                             "--hidden", "--frames", "20", "--record", base + ".trace", "--report", base + ".json"],
                                             directory: Smoke.root)
        #expect(status == 0, "\(output)")
        let (scoreStatus, headless) = try Smoke.run(Smoke.binary!, ["score", "iv-cannulation", base + ".trace"], directory: Smoke.root)
        #expect(scoreStatus == 0, "\(headless)")
        let live = try String(contentsOfFile: base + ".json", encoding: .utf8)
        // identical but for the trace hash, which the live run cannot know while it records
        func strip(_ s: String) -> [Substring] { s.split(separator: "\n").filter { !$0.contains("\"trace_hash\"") } }
        #expect(strip(live) == strip(headless))
        #expect(strip(live).count > 20)
        // a run that records writes its HTML report beside its trace, and says where
        #expect(output.contains("practicum run: report \(base).report.html"))
        let html = try String(contentsOfFile: base + ".report.html", encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("Peripheral IV cannulation"))
    }

    @Test(.enabled(if: Smoke.canRender, "needs xvfb-run and a built .build/debug/practicum"))
    func soundCuesGoToAWAVFileAtTheirSimulatedTimes() throws {
        let wav = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-cues-\(getpid()).wav").path
        defer { try? FileManager.default.removeItem(atPath: wav) }
        // 2 s of CPR compressions from the expert trace: the 110/min metronome
        let (status, output) = try Smoke.run(Smoke.xvfbRun!, ["-a", "-s", "-screen 0 1280x720x24", Smoke.binary!, "run", "cpr-adult",
                                                             "--replay", "scenarios/cpr-adult/traces/expert.trace", "--start", "20",
                                                             "--hidden", "--frames", "180", "--wav", wav], directory: Smoke.root)
        #expect(status == 0, "\(output)")
        #expect(output.contains("sound cues written to \(wav)"))
        let data = try #require(FileManager.default.contents(atPath: wav))
        #expect(data.count > 44 && String(decoding: data.prefix(4), as: UTF8.self) == "RIFF")
        // clicks were mixed in: the samples are not all silence
        let samples = data.dropFirst(44)
        #expect(samples.contains { $0 != 0 })
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
