import PracticumCore
import PracticumPhysics
import PracticumScenario
import PracticumScoring

/// Engine version recorded in every report.
public let engineVersion = "practicum 0.1.0"

/// One trainee run: scenario + physics + procedure + scoring ticking at a fixed `dt`.
///
/// Time is `tick × dt`; nothing here reads a clock. `step(_:)` is the whole tick, stage by stage:
/// inputs → physics → observations → procedure → scoring. The viewer and the headless scorer drive
/// the same `Session`, so a live run replayed from its trace gives the same report.
public struct Session: Sendable {
    public let scenario: Scenario
    public private(set) var world: World
    public private(set) var runner: ProcedureRunner
    public private(set) var recorder: ReportRecorder
    /// The last tick's observations and procedure frame (what the viewer draws).
    public private(set) var observations: Observations
    public private(set) var frame: ProcedureFrame
    /// Messages the procedure emitted so far (for the HUD), oldest first, at most 20.
    public private(set) var recentMessages: [ProcedureEvent] = []

    public var dt: Double { world.model.dt }
    public var tick: Int { world.state.tick }
    public var time: Double { Double(world.state.tick) * world.model.dt }
    public var ended: Bool { runner.state.ended }

    /// - Throws: `SessionError` when the scene cannot be built or a rubric metric cannot be made.
    /// `dt` overrides the scenario's tick (`physics: {rate: …}`, by default 1/240 s).
    /// `seed` draws the run's variation (docs/scenario-format.md, "Variation between runs"); it is
    /// recorded in the trace (`meta seed`) so a replay draws the same.
    public init(scenario: Scenario, traceHash: String? = nil, dt: Double? = nil, seed: UInt64 = 0) throws(SessionError) {
        self.scenario = scenario
        let dt = dt ?? scenario.tickLength
        do { world = try World(SceneBuilder.worldDef(for: scenario, dt: dt)) } catch {
            throw SessionError.scene("\(error)")
        }
        runner = ProcedureRunner(scenario: scenario, dt: dt, seed: seed)
        let tracked: [TrackedSource] = scenario.scene.bodies.enumerated().filter { $0.element.kind == .instrument }
            .map { TrackedSource(name: $0.element.title, source: .body($0.offset), offset: $0.element.tip) }
        var context = ReportContext(
            scenarioID: scenario.id, scenarioTitle: scenario.title, scenarioVersion: scenario.version,
            scenarioHash: scenario.contentHash, traceHash: traceHash, engineVersion: engineVersion, tracked: tracked,
            variables: scenario.variables.map { VariableInfo(name: $0.title, dimension: $0.dimension, unit: $0.unit.isEmpty ? nil : $0.unit,
                                                         unitScale: $0.unitScale, hidden: $0.hidden) },
            tissues: scenario.scene.tissues.map(\.id), bodies: scenario.scene.bodies.map(\.title))
        // a scenario loaded without its parts (the viewer's) gets them from its file, so a live report names them too
        if scenario.hasVariation {
            let drawn = runner.state
            context.variation = ReportVariation(
                seed: seed,
                values: scenario.variables.indices.filter { scenario.variables[$0].draw != nil }.map { (scenario.variables[$0].id, drawn.variables[$0]) },
                events: scenario.events.indices.filter { scenario.events[$0].probability < 1 }.map { (scenario.events[$0].id, drawn.armed[$0]) })
        }
        let parts = scenario.parts ?? ScenarioParts.of(scenario)
        (context.sceneHash, context.procedureHash, context.rubricHash) = (parts?.scene, parts?.procedure, parts?.rubric)
        // steps that start disabled are contingencies (enabled by an event), not required of every trainee
        let steps = scenario.steps.map { StepInfo(id: $0.id, title: $0.title, required: !$0.optional && $0.enabled) }
        do { recorder = try ReportRecorder(rubric: scenario.rubric, steps: steps, context: context) } catch {
            throw SessionError.rubric("\(error)")
        }
        observations = world.observations()
        frame = ProcedureFrame(tick: 0, time: 0, variables: runner.state.variables,
                               steps: scenario.steps.map { _ in .pending }, events: [], ended: false)
    }

    /// Advances one tick with the trainee's input at this tick's time.
    public mutating func step(_ input: InputFrame) {
        guard !runner.state.ended else { return }
        // inputs and physics: hands drive their couplings; bodies, tissue and needles advance one tick
        world.step(inputs: input.hands)
        // observe: the facts of this tick
        observations = world.observations(buttons: input.buttons)
        // procedure: steps, events, variables; scene changes it asks for apply from the next tick
        let out = runner.tick(observations)
        for command in out.sceneCommands { apply(command) }
        frame = out.frame
        world.profiler?.lap(.procedure)
        // scoring: metrics accumulate, events are kept for the report
        recorder.record(observations, frame)
        remember(frame.events)
        world.profiler?.lap(.scoring)
    }

    /// Times every stage of every tick from now on with `clock` (seconds); read `profile`. For benchmarks.
    public mutating func startProfiling(clock: @escaping @Sendable () -> Double) { world.profiler = StageProfiler(clock: clock) }

    /// Time per stage so far, when profiling.
    public var profile: StageProfiler? { world.profiler }

    /// Ends a run whose input stopped before the procedure finished (open steps stay open).
    public mutating func finish() {
        guard !runner.state.ended else { return }
        let out = runner.finish(at: observations)
        frame = out.frame
        recorder.record(observations, frame)
        remember(frame.events)
    }

    /// The report of the run so far; `inputComplete` is false when a damaged trace was cut short.
    public func report(inputComplete: Bool = true) -> Report { recorder.report(inputComplete: inputComplete) }

    private mutating func apply(_ c: SceneCommand) {
        switch c {
        case let .moveBody(b, pose): world.teleport(b, to: pose)
        case let .setMaterial(b, m):
            world.setMaterial(b, staticFriction: m.staticFriction, dynamicFriction: m.dynamicFriction, restitution: m.restitution)
        }
    }

    private mutating func remember(_ events: [ProcedureEvent]) {
        for e in events { if case .message = e.kind { recentMessages.append(e) } }
        if recentMessages.count > 20 { recentMessages.removeFirst(recentMessages.count - 20) }
    }
}

public enum SessionError: Error, Sendable, Equatable, CustomStringConvertible {
    case scene(String)
    case rubric(String)
    /// The trace's `meta seed` is not a whole number 0 … 2^64−1.
    case seed(String)
    public var description: String {
        switch self {
        case let .seed(m): "the trace's seed '\(m)' is not a whole number from 0 to 18446744073709551615"
        case let .scene(m): "cannot build the scene: \(m)"
        case let .rubric(m): "cannot build the rubric: \(m)"
        }
    }
}
