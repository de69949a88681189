// The decoupled loop: the simulation advances in fixed ticks, drawing interpolates.
//
// Real time goes into an accumulator that pays out whole ticks ("Fix your timestep!",
// Glenn Fiedler, 2004). The simulation only ever sees fixed dt and input frames, so how
// fast or unevenly frames are drawn changes what is shown, never what is computed.
import PracticumAudio
import PracticumCore
import PracticumSession
#if canImport(Glibc)
import Glibc
#endif

/// What the viewer needs from a running simulation (the session, or the built-in demo).
///
/// The viewer reads state through `viewScene()` and writes nothing but input frames.
public protocol ViewerSimulation {
    /// The fixed tick in s (e.g. 1/500).
    var dt: Double { get }
    /// Ticks completed so far; simulated time is `tick × dt`.
    var tick: Int { get }
    /// Where the hands and head start (the scenario's initial placement).
    var initialInput: InputFrame { get }
    /// True once the run has ended; the viewer stops ticking but keeps drawing.
    var isFinished: Bool { get }
    /// Advances one tick with this input.
    mutating func step(input: InputFrame)
    /// What to draw for the current state.
    func viewScene() -> ViewScene
    /// The input ran out (the end of a replayed trace): end the run as it stands, as headless scoring
    /// does (`Replay.run` calls `Session.finish()`). The default does nothing.
    mutating func finishNow()
    /// Called once per drawn frame, never inside a tick: a simulation backed by a scenario file checks
    /// it here (see `FileWatcher`) and, when it changed and is valid, restarts on the new version.
    /// The default does nothing.
    mutating func reloadIfChanged() -> ReloadOutcome
    /// The scenario's named buttons by the key that presses them (`cues.keys`). The default has none.
    var buttonKeys: [ViewerKey: String] { get }
    /// Sound cues that came due in the ticks since the last call, in simulated time. The default has none.
    mutating func takeSounds() -> [SoundEvent]
}

extension ViewerSimulation {
    public mutating func reloadIfChanged() -> ReloadOutcome { .unchanged }
    public mutating func finishNow() {}
    public var buttonKeys: [ViewerKey: String] { [:] }
    public mutating func takeSounds() -> [SoundEvent] { [] }
}

/// The result of a hot-reload check.
public enum ReloadOutcome: Sendable, Equatable {
    case unchanged
    /// The new file was valid; the simulation restarted from tick 0 on it.
    case reloaded
    /// The new file is invalid; the old scenario keeps running. The text is shown in the HUD.
    case failed(String)
}

/// Notices when a file changes on disk (modification time or size), for hot reload.
public struct FileWatcher: Sendable, Equatable {
    public let path: String
    var stamp: [Int]

    public init(path: String) { self.path = path; stamp = FileWatcher.stamp(path) }

    /// True once after each change (including the file appearing or disappearing).
    public mutating func changed() -> Bool {
        let now = FileWatcher.stamp(path)
        defer { stamp = now }
        return now != stamp
    }

    static func stamp(_ path: String) -> [Int] {
        var st = stat()
        guard stat(path, &st) == 0 else { return [] }
        return [Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec), Int(st.st_size)]
    }
}

/// Converts real elapsed time into a whole number of fixed ticks.
public struct FixedStepClock: Sendable, Equatable {
    /// Tick length in simulated s.
    public var dt: Double
    /// Simulated seconds per real second (replay speed).
    public var speed: Double = 1
    public var paused = false
    /// Real frames that need more ticks than this drop the rest (the run slows instead of spiralling).
    public var maxTicksPerFrame: Int
    /// Simulated time owed, s; always in 0..<dt after `advance`.
    public private(set) var accumulator: Double = 0

    public init(dt: Double, maxTicksPerFrame: Int = 64) { self.dt = dt; self.maxTicksPerFrame = maxTicksPerFrame }

    /// Adds `realSeconds` of wall time and returns how many ticks to run now.
    public mutating func advance(realSeconds: Double) -> Int {
        guard !paused, realSeconds > 0 else { return 0 }
        accumulator += realSeconds * speed
        var ticks = Int((accumulator / dt).rounded(.down))
        accumulator -= Double(ticks) * dt
        if ticks > maxTicksPerFrame { ticks = maxTicksPerFrame; accumulator = 0 }
        return ticks
    }

    /// How far between the previous and the current tick the frame should be drawn, 0...1.
    public var alpha: Double { min(max(accumulator / dt, 0), 1) }
}

/// The run-control keys' effect on the clock. P pauses and resumes; the help overlay (F1) pauses
/// too, since reading the key map must not cost the trainee simulated time, and closing it restores
/// whatever pause state P last chose.
public struct RunControl: Sendable, Equatable {
    public private(set) var help: Bool
    /// The pause state P chose; the clock is paused when this is set or the help is open.
    public private(set) var pausedByUser = false

    public init(help: Bool = false) { self.help = help }

    public var paused: Bool { pausedByUser || help }

    public mutating func toggleHelp(_ clock: inout FixedStepClock) { help.toggle(); clock.paused = paused }
    public mutating func togglePause(_ clock: inout FixedStepClock) { pausedByUser.toggle(); clock.paused = paused }

    /// The status line while the clock is stopped, or nil while it runs.
    public var status: String? { help ? "PAUSED (help open, F1 to close)" : pausedByUser ? "PAUSED (P)" : nil }
}

/// Runs a simulation for the viewer: feeds live or replayed input, records, seeks, interpolates.
public struct ViewerDriver<Sim: ViewerSimulation> {
    public private(set) var simulation: Sim
    let makeSimulation: () -> Sim
    public var clock: FixedStepClock
    public var mapper: InputMapper
    /// The input samples to replay (any rate; resampled at tick times exactly as headless scoring does);
    /// nil when a person is driving.
    public let replay: [InputFrame]?
    var resampler: Resampler
    /// Called with each live input frame before the simulation sees it; the simulation gets the frame it
    /// returns (a trace recorder's stored, possibly quantised frame), or the previous input when it returns nil.
    public var recordHook: ((InputFrame) -> InputFrame?)?
    /// Called when the trainee restarts (Home), before the new attempt's first tick: a recording
    /// closes the abandoned attempt's trace here and starts another, so that every trace, and the
    /// report of the run, covers exactly one attempt.
    public var restartHook: (() -> Void)?
    var lastInput: InputFrame?
    var finishedInput = false
    /// Sound cues due from the ticks run so far and not yet played (`takeSounds()` empties it).
    public private(set) var sounds: [SoundEvent] = []
    /// Every input frame fed to the simulation so far, one per tick (what `--record` saves).
    public private(set) var recorded: [InputFrame] = []
    /// The last hot-reload error, shown in the HUD until a reload succeeds.
    public private(set) var reloadError: String?
    /// Seconds (of the `now` clock) the last `step` took, and all steps so far (for the frame-time overlay and stats).
    public private(set) var lastTickSeconds: Double = 0
    public private(set) var totalTickSeconds: Double = 0
    var previous: ViewScene
    var current: ViewScene
    /// Pointer motion not yet given to a tick (a frame's motion goes to its first tick; the hand's
    /// limits spread it out), and whether the grip button is down.
    var pendingPointer = PointerMotion()
    var gamepad: GamepadInput?
    /// The frame the movement keys move the hand in (see `InputMapper.advance`).
    public var keyFrame: Quat = .identity
    let now: () -> Double

    /// - Parameters:
    ///   - makeSimulation: builds a fresh simulation; called again to seek backwards or restart.
    ///   - replay: input frames to play back instead of live input.
    ///   - now: a clock in s (e.g. `threadCPUSeconds`), only used to time ticks for the overlay and stats.
    public init(makeSimulation: @escaping () -> Sim, replay: [InputFrame]? = nil, now: @escaping () -> Double = { 0 }) {
        self.makeSimulation = makeSimulation
        simulation = makeSimulation()
        clock = FixedStepClock(dt: simulation.dt)
        let initial = replay?.first ?? simulation.initialInput
        mapper = InputMapper(hands: initial.hands)
        mapper.buttonKeys = simulation.buttonKeys
        self.replay = replay
        resampler = Resampler(samples: replay ?? [])
        self.now = now
        current = simulation.viewScene()
        previous = current
    }

    /// True when there is nothing more to simulate (the run ended or the replay ran out).
    public var isAtEnd: Bool { simulation.isFinished || replayExhausted }

    /// Seconds of input in the replay (0 when live).
    public var replayDuration: Double { replay?.last?.time ?? 0 }

    /// Past the replay's last sample: tick k covers ((k−1)·dt, k·dt], as in `Replay.run`.
    var replayExhausted: Bool {
        replay != nil && Double(simulation.tick + 1) * simulation.dt > replayDuration + 1e-9
    }

    /// Advances by `realSeconds` of wall time and returns the scene to draw.
    /// `held`, `pointer` and `gamepad` drive the hands; `head` is the camera pose.
    public mutating func frame(realSeconds: Double, held: Set<ViewerKey>, pointer: PointerMotion = PointerMotion(),
                               gamepad: GamepadInput? = nil, head: Pose) -> ViewScene {
        switch simulation.reloadIfChanged() {
        case .unchanged: break
        case .reloaded: reloadError = nil; restarted()
        case let .failed(message): reloadError = message
        }
        pendingPointer.move += pointer.move
        pendingPointer.yaw += pointer.yaw; pendingPointer.pitch += pointer.pitch; pendingPointer.roll += pointer.roll
        pendingPointer.pitchAxis = pointer.pitchAxis; pendingPointer.rollAxis = pointer.rollAxis
        pendingPointer.grip = pointer.grip
        self.gamepad = gamepad
        let ticks = clock.advance(realSeconds: realSeconds)
        var ran = 0
        for i in 0..<ticks where !isAtEnd {
            // the state before the frame's last tick is the "from" end of the interpolation;
            // if the run ends earlier the frame is drawn at the final state (alpha 1)
            if i == ticks - 1 { previous = ran > 0 ? simulation.viewScene() : current }
            step(held: held, head: head)
            ran += 1
        }
        if replayExhausted && !finishedInput {
            finishedInput = true
            simulation.finishNow()
            ran += 1
        }
        if ran > 0 { current = simulation.viewScene() }
        return ViewScene.interpolated(from: previous, to: current, isAtEnd ? 1 : clock.alpha)
    }

    /// One tick with live or replayed input.
    mutating func step(held: Set<ViewerKey>, head: Pose) {
        // tick k (1-based) is fed the input at k·dt, the time headless replay asks the trace for
        let time = Double(simulation.tick + 1) * simulation.dt
        var input: InputFrame
        if replay != nil {
            input = resampler.frame(at: time)
        } else {
            mapper.advance(held: held, pointer: pendingPointer, gamepad: gamepad, dt: simulation.dt, view: keyFrame)
            pendingPointer = PointerMotion(pitchAxis: pendingPointer.pitchAxis, rollAxis: pendingPointer.rollAxis, grip: pendingPointer.grip)
            input = mapper.frame(time: time, head: head, held: held)
            if let recordHook {
                if let stored = recordHook(input) { input = stored } else if let lastInput { input = lastInput; input.time = time }
            }
        }
        lastInput = input
        recorded.append(input)
        let t0 = now()
        simulation.step(input: input)
        sounds += simulation.takeSounds()
        lastTickSeconds = now() - t0
        totalTickSeconds += lastTickSeconds
    }

    /// Jumps the replay by `seconds` of simulated time (backwards rebuilds and fast-forwards, which is exact
    /// because the simulation is deterministic). Live runs cannot seek.
    public mutating func seek(seconds: Double) {
        guard replay != nil else { return }
        let last = Int((replayDuration / simulation.dt + 1e-9).rounded(.down))
        let target = min(max(simulation.tick + Int((seconds / simulation.dt).rounded()), 0), last)
        if target < simulation.tick { rebuild() }
        while simulation.tick < target, !simulation.isFinished { step(held: [], head: .identity) }
        sounds = []   // what a seek skips over is not played
        current = simulation.viewScene(); previous = current
    }

    /// The sound cues due since the last call; a seek or restart drops those not yet taken.
    public mutating func takeSounds() -> [SoundEvent] {
        defer { sounds = [] }
        return sounds
    }

    /// Ends the run as it stands (Esc before the end): what headless scoring does when the input runs out,
    /// so the debrief and the report cover exactly what was done.
    public mutating func endRun() {
        guard !simulation.isFinished else { return }
        simulation.finishNow()
        finishedInput = true
        current = simulation.viewScene(); previous = current
    }

    /// Starts over from tick 0 (live input restarts from the initial hand placement).
    public mutating func restart() {
        restartHook?()
        simulation = makeSimulation()
        restarted()
    }

    /// Resets everything that follows the simulation after it went back to tick 0.
    private mutating func restarted() {
        recorded = []; sounds = []
        resampler = Resampler(samples: replay ?? [])
        lastInput = nil; finishedInput = false
        let (speed, paused) = (clock.speed, clock.paused)
        clock = FixedStepClock(dt: simulation.dt)
        clock.speed = speed; clock.paused = paused
        if replay == nil { mapper.reset(to: simulation.initialInput.hands); mapper.buttonKeys = simulation.buttonKeys }
        current = simulation.viewScene(); previous = current
    }

    private mutating func rebuild() {
        simulation = makeSimulation()
        recorded = []; sounds = []
        resampler = Resampler(samples: replay ?? [])
        lastInput = nil; finishedInput = false
        let speed = clock.speed
        clock = FixedStepClock(dt: simulation.dt)
        clock.speed = speed
    }
}
