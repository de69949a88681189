import ArgumentParser
import Foundation
import PracticumCore
import PracticumViewer

/// `practicum run`: opens a scenario in the desktop viewer.
///
/// Until the session is wired in, the only scenario it can open is the built-in `demo`
/// (`DemoSimulation`), which exercises every part of the viewer end to end.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open a scenario in the desktop viewer (mono, or side-by-side stereo as a headset stand-in).",
        discussion: """
        Keys: F1 shows the key map (also in docs/viewer.md). Needs an X display; on a machine without one run \
        it under Xvfb: xvfb-run -a -s "-screen 0 1280x720x24" practicum run SCENARIO --hidden --frames 3 --screenshot out.png
        """)

    @Argument(help: "Scenario id or file. Only `demo` (the built-in viewer demo) until the session is wired in.")
    var scenario: String

    @Flag(help: "Side-by-side stereo with per-eye off-axis projection (IPD 63 mm).")
    var stereo = false

    @Option(help: ArgumentHelp("Save the input frames fed to the simulation (JSON) when the run ends.", valueName: "path"))
    var record: String?

    @Option(help: ArgumentHelp("Replay recorded input frames instead of live input.", valueName: "trace"))
    var replay: String?

    @Option(help: "Simulated seconds per real second (replay speed).")
    var speed: Double = 1

    @Option(help: "Render exactly N frames at a fixed 1/90 s each, print timings, then exit.")
    var frames: Int?

    @Option(help: ArgumentHelp("Write the last frame as a PNG.", valueName: "path"))
    var screenshot: String?

    @Flag(help: "Do not show the window (tests, CI).")
    var hidden = false

    @Option(help: "Window size in pixels, WIDTHxHEIGHT.")
    var size = "1280x720"

    @Option(help: "Multisample anti-aliasing samples per pixel (0 turns it off).")
    var msaa = 4

    @Option(help: ArgumentHelp("Start with an overlay open: `help` (F1) or `times` (F3); repeatable.", valueName: "overlay"))
    var overlay: [String] = []

    func validate() throws {
        guard speed > 0, speed.isFinite else { throw ValidationError("--speed must be a positive number") }
        if let frames, frames < 1 { throw ValidationError("--frames must be at least 1") }
        guard (0...16).contains(msaa) else { throw ValidationError("--msaa must be 0...16") }
        for o in overlay where o != "help" && o != "times" { throw ValidationError("--overlay is `help` or `times`, not `\(o)`") }
        guard windowSize != nil else { throw ValidationError("--size must look like 1280x720") }
    }

    var windowSize: (Int, Int)? {
        let parts = size.split(separator: "x").compactMap { Int($0) }
        return parts.count == 2 && parts[0] >= 64 && parts[1] >= 64 ? (parts[0], parts[1]) : nil
    }

    func run() throws {
        guard scenario == "demo" else {
            printError("practicum run: the viewer is not wired to scenario files yet; `practicum run demo` opens the built-in viewer demo")
            throw ExitCode(2)
        }
        var trace: [InputFrame]?
        if let replay {
            guard let data = FileManager.default.contents(atPath: replay),
                  let frames = try? JSONDecoder().decode([InputFrame].self, from: data) else {
                printError("practicum run: cannot read input trace \(replay)")
                throw ExitCode(2)
            }
            trace = frames
        }
        guard ViewerApp.hasDisplay else {
            printError("""
            practicum run: no display (DISPLAY is not set). The viewer needs an X server; without a screen run it under Xvfb:
              xvfb-run -a -s "-screen 0 1280x720x24" practicum run \(scenario) --hidden --frames 3 --screenshot out.png
            To score a session without any display use the headless commands instead.
            """)
            throw ExitCode(2)
        }
        guard let font = Run.findAsset("fonts/DejaVuSans.ttf") ?? Run.systemFont else {
            printError("practicum run: cannot find assets/fonts/DejaVuSans.ttf (set PRACTICUM_ASSETS to the assets folder)")
            throw ExitCode(2)
        }
        var options = ViewerOptions(fontPath: font)
        options.title = "Practicum — \(scenario)"
        options.stereo = stereo
        options.hidden = hidden
        options.frames = frames
        options.screenshot = screenshot
        options.speed = speed
        options.samples = msaa
        options.showHelp = overlay.contains("help")
        options.showFrameTimes = overlay.contains("times")
        (options.width, options.height) = windowSize!
        options.camera = DemoSimulation.camera
        var driver = ViewerDriver(makeSimulation: { DemoSimulation() }, replay: trace, now: monotonicSeconds)
        let stats: RunStats
        do {
            stats = try ViewerApp.run(&driver, options: options)
        } catch {
            printError("practicum run: \(error)")
            throw ExitCode(2)
        }
        if let record {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(driver.recorded).write(to: URL(fileURLWithPath: record))
        }
        if frames != nil {
            print(String(format: "frames %d  cpu median %.3f ms  frame median %.3f ms  ticks %d  renderer %@",
                         stats.frames, RunStats.median(stats.cpuMilliseconds), RunStats.median(stats.frameMilliseconds),
                         driver.simulation.tick, stats.renderer))
        }
    }

    static let systemFont: String? = {
        let path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }()

    /// Finds `assets/<relative>`: under $PRACTICUM_ASSETS, the working directory, or a folder above the executable
    /// (so `.build/debug/practicum` finds the repository's assets).
    static func findAsset(_ relative: String) -> String? {
        var roots: [String] = []
        if let env = ProcessInfo.processInfo.environment["PRACTICUM_ASSETS"] { roots.append(env) }
        roots.append(FileManager.default.currentDirectoryPath + "/assets")
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            roots.append(dir.appendingPathComponent("assets").path)
            dir = dir.deletingLastPathComponent()
        }
        return roots.map { $0 + "/" + relative }.first { FileManager.default.fileExists(atPath: $0) }
    }
}


