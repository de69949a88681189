import ArgumentParser
import Foundation
import PracticumAudio
import PracticumCore
import PracticumSession
import PracticumViewer

/// `practicum run`: opens a scenario in the desktop viewer.
///
/// Scenarios run in a `Session` (`ScenarioSimulation`); `demo` is a built-in stand-in
/// (`DemoSimulation`) that exercises the viewer without any scenario.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open a scenario in the desktop viewer (mono, or side-by-side stereo as a headset stand-in).",
        discussion: """
        Keys: F1 shows the key map (also in docs/viewer.md). Needs an X display; on a machine without one run \
        it under Xvfb: xvfb-run -a -s "-screen 0 1280x720x24" practicum run SCENARIO --hidden --frames 3 --screenshot out.png
        """)

    @Argument(help: "A scenario file, the id of a shipped scenario (e.g. iv-cannulation), or `demo` (the built-in viewer demo).")
    var scenario: String

    @Flag(help: "Side-by-side stereo with per-eye off-axis projection (IPD 63 mm).")
    var stereo = false

    @Option(help: ArgumentHelp("Record the live input as a trace (`practicum score` replays it headlessly to the same report). Each restart (Home) starts the next file, PATH-2.trace, PATH-3.trace, ...", valueName: "path"))
    var record: String?

    @Option(help: ArgumentHelp("With --record: the trainee's id, written into the trace (with the wall-clock start).", valueName: "id"))
    var trainee: String?

    @Option(help: ArgumentHelp("With --record: the attempt's id (a number counts on at each restart).", valueName: "id"))
    var attempt: String?

    @Option(help: ArgumentHelp("Seed of the scenario's variation (starting values drawn at random, complications armed by chance): the same seed gives the same case. Default: a new seed for every attempt, written into its trace (a replay uses the trace's).", valueName: "n"))
    var seed: UInt64?

    @Option(help: ArgumentHelp("When the viewer closes, end the run as it stands and write its report (JSON) here.", valueName: "path"))
    var report: String?

    @Option(help: ArgumentHelp("Replay a recorded trace instead of live input (P pause, [ ] speed, , . seek).", valueName: "trace"))
    var replay: String?

    @Option(help: ArgumentHelp("With --replay, seek this many seconds into the trace before the first frame.", valueName: "seconds"))
    var start: Double = 0

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

    @Option(help: "Multisample anti-aliasing of the 3-D scene, samples per pixel (0 turns it off; clamped to what the GL driver offers).")
    var msaa = 4

    @Option(help: ArgumentHelp("""
        The frame time to keep to, in ms (a 90 Hz headset frame). While multisampling is what makes frames \
        miss it, the scene is drawn without it and tried again later (printed with --frames, shown in F3).
        """, valueName: "ms"))
    var frameBudget = 11.1

    @Flag(help: "Keep --msaa whatever the frame time (to measure or capture one setting).")
    var fixedMsaa = false

    @Option(help: ArgumentHelp("Write the run's sound cues (metronome, tones) to this WAV file instead of the sound device.", valueName: "path"))
    var wav: String?

    @Flag(help: "Start with the scenario's assist gauges shown (G toggles them).")
    var assists = false

    @Flag(help: "No sound cues.")
    var mute = false

    @Option(help: ArgumentHelp("Start with an overlay open: `help` (F1) or `times` (F3); repeatable.", valueName: "overlay"))
    var overlay: [String] = []

    func validate() throws {
        guard speed > 0, speed.isFinite else { throw ValidationError("--speed must be a positive number") }
        if let frames, frames < 1 { throw ValidationError("--frames must be at least 1") }
        if wav != nil && mute { throw ValidationError("--wav writes the sound cues; it cannot be combined with --mute") }
        if record != nil && replay != nil { throw ValidationError("--record records live input; it cannot be combined with --replay") }
        if (trainee != nil || attempt != nil) && record == nil { throw ValidationError("--trainee and --attempt go into a recording; they need --record") }
        if start != 0 && replay == nil { throw ValidationError("--start seeks in a replay; it needs --replay") }
        if start < 0 || !start.isFinite { throw ValidationError("--start must be a non-negative number of seconds") }
        if screenshot != nil && frames == nil { throw ValidationError("--screenshot needs --frames N (the frame to capture)") }
        guard (0...16).contains(msaa) else { throw ValidationError("--msaa must be 0...16") }
        guard frameBudget > 0, frameBudget.isFinite else { throw ValidationError("--frame-budget must be a positive number of ms") }
        for o in overlay where o != "help" && o != "times" { throw ValidationError("--overlay is `help` or `times`, not `\(o)`") }
        guard windowSize != nil else { throw ValidationError("--size must look like 1280x720") }
    }

    var windowSize: (Int, Int)? {
        let parts = size.split(separator: "x").compactMap { Int($0) }
        return parts.count == 2 && parts[0] >= 64 && parts[1] >= 64 ? (parts[0], parts[1]) : nil
    }

    func run() throws {
        // what to run: the built-in demo, or a scenario file / shipped id in a Session
        let path = resolveScenarioPath(scenario)
        let isDemo = scenario == "demo" && !FileManager.default.fileExists(atPath: path)
        var scenarioSim: ScenarioSimulation?
        if !isDemo {
            guard FileManager.default.fileExists(atPath: path) else {
                printError("practicum run: no scenario file or shipped scenario `\(scenario)` (`practicum run demo` opens the built-in viewer demo)")
                throw ExitCode(2)
            }
            do { scenarioSim = try ScenarioSimulation(path: path, hands: Run.handModel) } catch {
                printError("\(path): \(error)")
                throw ExitCode(1)
            }
        }
        var trace: Trace?
        if let replay {
            do { trace = try TraceReader.read(contentsOf: replay, mode: .strict) } catch {
                printError("practicum run: \(replay): \(error)")
                throw ExitCode(2)
            }
            if let scenarioSim {
                if trace!.header.seed == nil {
                    printError("practicum run: \(replay): \(SessionError.seed(trace!.header.metadata[TraceHeader.seedKey] ?? ""))")
                    throw ExitCode(2)
                }
                do { try trace!.header.check(scenario: scenarioSim.session.scenario) } catch {
                    printError("practicum run: \(replay): \(error)")
                    throw ExitCode(1)
                }
            }
        }
        guard ViewerApp.hasDisplay else {
            printError("""
            practicum run: no display (DISPLAY is not set). The viewer needs an X server; without a screen run it under Xvfb:
              xvfb-run -a -s "-screen 0 1280x720x24" practicum run \(scenario) --hidden --frames 3 --screenshot out.png
            To score a recorded session without any display: practicum score.
            """)
            throw ExitCode(2)
        }
        guard let font = Run.findAsset("fonts/DejaVuSans.ttf") ?? Run.systemFont else {
            printError("practicum run: cannot find assets/fonts/DejaVuSans.ttf (set PRACTICUM_ASSETS to the assets folder)")
            throw ExitCode(2)
        }
        var options = ViewerOptions(fontPath: font)
        options.stereo = stereo
        options.hidden = hidden
        options.frames = frames
        options.screenshot = screenshot
        options.speed = speed
        options.samples = msaa
        options.adaptiveSamples = !fixedMsaa
        options.frameBudget = frameBudget / 1000
        options.showHelp = overlay.contains("help")
        options.assists = assists
        options.showFrameTimes = overlay.contains("times")
        (options.width, options.height) = windowSize!
        if !mute {
            do {
                let choice = try AudioOutputChoice.make(wavPath: wav)
                if let note = choice.note { printError("practicum run: \(note)") }
                choice.output.prepare(scenarioSim?.soundKinds ?? [])
                options.audio = choice.output
            } catch {
                printError("practicum run: \(error)")
                throw ExitCode(2)
            }
        }
        defer {
            do { try options.audio?.finish() } catch { printError("practicum run: sound: \(error)") }
            if let wav, options.audio != nil { print("practicum run: sound cues written to \(wav)") }
        }
        if let sim = scenarioSim {
            options.title = "Practicum — \(sim.session.scenario.title)"
            options.camera = sim.camera
            // live input is recorded once per tick, so the trace's sample rate is the tick rate
            var header = TraceHeader(scenario: sim.session.scenario, sampleRate: 1 / sim.dt)
            // variation: a fixed --seed, or a new case per attempt; the trace records it, a replay reads it
            let varies = sim.session.scenario.hasVariation
            let fixedSeed = seed
            let fresh: @Sendable () -> UInt64 = { fixedSeed ?? (varies ? UInt64.random(in: 0...UInt64.max) : 0) }
            if varies { header.metadata[TraceHeader.seedKey] = String(fresh()) }
            let replaySeed: UInt64? = trace.flatMap { $0.header.seed }
            // restart and seek rebuild from the file as it is now; a file broken since keeps the first load
            var reseed: (() -> UInt64)?
            if varies && fixedSeed == nil { reseed = fresh }
            try view(options: options, trace: trace, header: header, reseed: reseed) { recording in
                let runSeed: UInt64
                if let r = replaySeed { runSeed = r } else if let r = recording?.recorder.header.seed { runSeed = r } else { runSeed = fresh() }
                var next = (try? ScenarioSimulation(path: path, seed: runSeed, hands: Run.handModel)) ?? sim
                // every recorded attempt gets its HTML report when it ends, beside its trace, saying who and when
                next.htmlReportPath = recording?.reportPath
                next.htmlReportAttempt = recording?.recorder.header.attemptInfo
                return next
            }
        } else {
            options.title = "Practicum — viewer demo"
            options.camera = DemoSimulation.camera
            try view(options: options, trace: trace, header: TraceHeader(scenarioID: "demo")) { _ in DemoSimulation() }
        }
    }

    /// Runs the viewer on simulations from `make`, recording live input to `--record` as a Session trace.
    func view<S: ViewerSimulation>(options: ViewerOptions, trace: Trace?, header: TraceHeader, reseed: (() -> UInt64)? = nil,
                                   make: @escaping (AttemptRecording?) -> S) throws {
        let recording: AttemptRecording?
        if let record, trace == nil {
            let stamped = header.stamped(trainee: trainee, attempt: attempt, started: Date())
            do { recording = AttemptRecording(try TraceRecorder(path: record, header: stamped), reseed: reseed) } catch {
                printError("practicum run: cannot record to \(record): \(error)")
                throw ExitCode(2)
            }
        } else {
            recording = nil
        }
        var driver = ViewerDriver(makeSimulation: { make(recording) }, replay: trace?.frames, now: threadCPUSeconds)
        if start > 0 { driver.seek(seconds: start) }
        if let recording {
            driver.recordHook = { recording.record($0) }
            driver.restartHook = {
                do { try recording.nextAttempt() } catch {
                    printError("practicum run: recording attempt \(recording.attempt): \(error)")
                }
                printError("practicum run: restarted; attempt \(recording.attempt) is recorded to \(recording.recorder.path)")
            }
        }
        let stats: RunStats
        do {
            stats = try ViewerApp.run(&driver, options: options)
        } catch {
            printError("practicum run: \(error)")
            throw ExitCode(2)
        }
        var sim = driver.simulation as? ScenarioSimulation
        if report != nil && sim == nil {
            printError("practicum run: --report needs a scenario (the demo has no report)")
            throw ExitCode(2)
        }
        // a run closed before it ended ends as it stands, as headless scoring does when the input runs out
        if report != nil || recording != nil, sim?.isFinished == false { sim!.finishNow() }
        if let report, let sim {
            // who and when, as the trace records them (the headless report of the trace says the same)
            var live = sim.session.report()
            if let recording { live.attempt = recording.recorder.header.attemptInfo }
            do { try OutputFile.write(live.json(), to: report) } catch {
                printError("practicum run: \(error.description)")
                throw ExitCode(1)
            }
        }
        if recording != nil, let sim {
            if let path = sim.writtenReportPath { print("practicum run: report \(path)") }
            if let error = sim.htmlReportError { printError("practicum run: the HTML report could not be written: \(error)") }
        }
        if let recording {
            let recorder = recording.recorder
            do { try recording.finish() } catch {
                printError("practicum run: recording \(recorder.path) failed: \(error)")
                throw ExitCode(1)
            }
            if recorder.droppedFrames > 0 { printError("practicum run: \(recorder.droppedFrames) input samples were not recorded") }
            if recording.attempt > 1 {
                print("practicum run: \(recording.attempt) attempts recorded; the last is \(recorder.path)\(report != nil ? ", which the report covers" : "")")
            }
        }
        if frames != nil {
            let viewerOnly = zip(stats.cpuMilliseconds, stats.tickMilliseconds).map { $0 - $1 }
            print(String(format: "frames %d  cpu median %.3f ms (viewer %.3f + simulation %.3f)  frame median %.3f ms  ticks %d  msaa %@  renderer %@",
                         stats.frames, RunStats.median(stats.cpuMilliseconds), RunStats.median(viewerOnly),
                         RunStats.median(stats.tickMilliseconds), RunStats.median(stats.frameMilliseconds),
                         driver.simulation.tick, stats.multisampleSummary, stats.renderer))
        }
    }

    static let systemFont: String? = {
        let path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }()

    /// The viewer's own hands (assets/meshes/hand-open.glb and hand-closed.glb), drawn unless a
    /// scenario brings its own (`cues.hands`); nil (the gizmo) if they cannot be found or read.
    static var handModel: HandModel? {
        guard let open = findAsset("meshes/hand-open.glb"), let closed = findAsset("meshes/hand-closed.glb") else { return nil }
        return try? HandModel.load(open: open, closed: closed)
    }

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
