// The decoupled loop: the simulation advances in fixed ticks, drawing interpolates.
//
// Real time goes into an accumulator that pays out whole ticks ("Fix your timestep!",
// Glenn Fiedler, 2004). The simulation only ever sees fixed dt and input frames, so how
// fast or unevenly frames are drawn changes what is shown, never what is computed.
import PracticumCore
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
    /// Called once per drawn frame, never inside a tick: a simulation backed by a scenario file checks
    /// it here (see `FileWatcher`) and, when it changed and is valid, restarts on the new version.
    /// The default does nothing.
    mutating func reloadIfChanged() -> ReloadOutcome
}

extension ViewerSimulation {
    public mutating func reloadIfChanged() -> ReloadOutcome { .unchanged }
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

/// Runs a simulation for the viewer: feeds live or replayed input, records, seeks, interpolates.
public struct ViewerDriver<Sim: ViewerSimulation> {
    public private(set) var simulation: Sim
    let makeSimulation: () -> Sim
    public var clock: FixedStepClock
    public var mapper: InputMapper
    /// The input frames to replay, one per tick; nil when a person is driving.
    public let replay: [InputFrame]?
    /// Every input frame fed to the simulation so far, one per tick (what `--record` saves).
    public private(set) var recorded: [InputFrame] = []
    /// The last hot-reload error, shown in the HUD until a reload succeeds.
    public private(set) var reloadError: String?
    /// Wall seconds the last `step` took (for the frame-time overlay).
    public private(set) var lastTickSeconds: Double = 0
    var previous: ViewScene
    var current: ViewScene
    var pendingMouse: (dx: Double, dy: Double) = (0, 0)
    let now: () -> Double

    /// - Parameters:
    ///   - makeSimulation: builds a fresh simulation; called again to seek backwards or restart.
    ///   - replay: input frames to play back instead of live input.
    ///   - now: a monotonic clock in s, only used to time ticks for the overlay.
    public init(makeSimulation: @escaping () -> Sim, replay: [InputFrame]? = nil, now: @escaping () -> Double = { 0 }) {
        self.makeSimulation = makeSimulation
        simulation = makeSimulation()
        clock = FixedStepClock(dt: simulation.dt)
        let initial = replay?.first ?? simulation.initialInput
        mapper = InputMapper(hands: initial.hands)
        self.replay = replay
        self.now = now
        current = simulation.viewScene()
        previous = current
    }

    /// True when there is nothing more to simulate (the run ended or the replay ran out).
    public var isAtEnd: Bool {
        simulation.isFinished || (replay.map { simulation.tick >= $0.count } ?? false)
    }

    /// Advances by `realSeconds` of wall time and returns the scene to draw.
    /// `held` and `mouse` (right-drag pixels) drive the active hand; `head` is the camera pose.
    public mutating func frame(realSeconds: Double, held: Set<ViewerKey>, mouse: (dx: Double, dy: Double) = (0, 0), head: Pose) -> ViewScene {
        switch simulation.reloadIfChanged() {
        case .unchanged: break
        case .reloaded: reloadError = nil; restarted()
        case let .failed(message): reloadError = message
        }
        pendingMouse.dx += mouse.dx; pendingMouse.dy += mouse.dy
        let ticks = clock.advance(realSeconds: realSeconds)
        var ran = 0
        for i in 0..<ticks where !isAtEnd {
            // the state before the frame's last tick is the "from" end of the interpolation;
            // if the run ends earlier the frame is drawn at the final state (alpha 1)
            if i == ticks - 1 { previous = ran > 0 ? simulation.viewScene() : current }
            step(held: held, head: head)
            ran += 1
        }
        if ran > 0 { current = simulation.viewScene() }
        return ViewScene.interpolated(from: previous, to: current, isAtEnd ? 1 : clock.alpha)
    }

    /// One tick with live or replayed input.
    mutating func step(held: Set<ViewerKey>, head: Pose) {
        let input: InputFrame
        if let replay {
            input = replay[simulation.tick]
        } else {
            mapper.advance(held: held, mouse: pendingMouse, dt: simulation.dt, view: head.orientation)
            pendingMouse = (0, 0)
            input = mapper.frame(time: Double(simulation.tick) * simulation.dt, head: head, held: held)
        }
        recorded.append(input)
        let t0 = now()
        simulation.step(input: input)
        lastTickSeconds = now() - t0
    }

    /// Jumps the replay by `seconds` of simulated time (backwards rebuilds and fast-forwards, which is exact
    /// because the simulation is deterministic). Live runs cannot seek.
    public mutating func seek(seconds: Double) {
        guard let replay else { return }
        let target = min(max(simulation.tick + Int((seconds / simulation.dt).rounded()), 0), replay.count)
        if target < simulation.tick { rebuild() }
        while simulation.tick < target { step(held: [], head: .identity) }
        current = simulation.viewScene(); previous = current
    }

    /// Starts over from tick 0 (live input restarts from the initial hand placement).
    public mutating func restart() {
        simulation = makeSimulation()
        restarted()
    }

    /// Resets everything that follows the simulation after it went back to tick 0.
    private mutating func restarted() {
        recorded = []
        let (speed, paused) = (clock.speed, clock.paused)
        clock = FixedStepClock(dt: simulation.dt)
        clock.speed = speed; clock.paused = paused
        if replay == nil { mapper = InputMapper(hands: simulation.initialInput.hands) }
        current = simulation.viewScene(); previous = current
    }

    private mutating func rebuild() {
        simulation = makeSimulation()
        recorded = []
        let speed = clock.speed
        clock = FixedStepClock(dt: simulation.dt)
        clock.speed = speed
    }
}
