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
    /// Layered tissues and the needles in them (nil when the scene has no needle or no tissue).
    public private(set) var tissues: TissueSystemModel?
    public private(set) var tissueState: TissueSystemState?
    /// Body indices of the needles, in the order the tissue system knows them.
    let needleBodies: [Int]
    /// Scenario indices of the tissues the tissue system models (deformable ones, and those with
    /// the force needle model), in the system's order.
    public let forceTissues: [Int]
    /// Instruments that press on deformable tissue (non-static spheres and capsules, not needles).
    let toolBodies: [(body: Int, geometry: ToolShape.Geometry, friction: Double)]
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
    public init(scenario: Scenario, traceHash: String? = nil, dt: Double = 1.0 / 240.0) throws(SessionError) {
        self.scenario = scenario
        do { world = try World(SceneBuilder.worldDef(for: scenario, dt: dt)) } catch {
            throw SessionError.scene("\(error)")
        }
        runner = ProcedureRunner(scenario: scenario, dt: dt)
        needleBodies = scenario.scene.bodies.indices.filter { scenario.scene.bodies[$0].isNeedle }
        forceTissues = scenario.scene.tissues.indices.filter {
            scenario.scene.tissues[$0].needleModel == .force || scenario.scene.tissues[$0].deformable != nil
        }
        let hasDeformable = scenario.scene.tissues.contains { $0.deformable != nil }
        toolBodies = !hasDeformable ? [] : scenario.scene.bodies.indices.compactMap { b in
            let body = scenario.scene.bodies[b]
            guard body.kind != .static, !body.isNeedle else { return nil }
            switch body.shape {
            case let .sphere(r): return (b, .sphere(radius: r), body.material.dynamicFriction)
            case let .capsule(r, h): return (b, .capsule(radius: r, halfLength: h), body.material.dynamicFriction)
            default: return nil
            }
        }
        if (!needleBodies.isEmpty && !forceTissues.isEmpty) || hasDeformable {
            let model = SceneBuilder.tissueSystem(for: scenario, tissues: forceTissues, needles: needleBodies)
            tissues = model
            tissueState = model.makeState()
        }
        let tracked: [TrackedSource] = scenario.scene.bodies.enumerated().filter { $0.element.kind == .instrument }
            .map { TrackedSource(name: $0.element.title, source: .body($0.offset), offset: $0.element.tip) }
        let context = ReportContext(
            scenarioID: scenario.id, scenarioTitle: scenario.title, scenarioVersion: scenario.version,
            scenarioHash: scenario.contentHash, traceHash: traceHash, engineVersion: engineVersion, tracked: tracked,
            variables: scenario.variables.map { VariableInfo(name: $0.title, dimension: $0.dimension, unit: $0.unit.isEmpty ? nil : $0.unit,
                                                         unitScale: $0.unitScale, hidden: $0.hidden) },
            tissues: scenario.scene.tissues.map(\.id))
        // steps that start disabled are contingencies (enabled by an event), not required of every trainee
        let steps = scenario.steps.map { StepInfo(id: $0.id, title: $0.title, required: !$0.optional && $0.enabled) }
        do { recorder = try ReportRecorder(rubric: scenario.rubric, steps: steps, context: context) } catch {
            throw SessionError.rubric("\(error)")
        }
        observations = world.observations()
        frame = ProcedureFrame(tick: 0, time: 0, variables: scenario.variables.map(\.initial),
                               steps: scenario.steps.map { _ in .pending }, events: [], ended: false)
    }

    /// Advances one tick with the trainee's input at this tick's time.
    public mutating func step(_ input: InputFrame) {
        guard !runner.state.ended else { return }
        // inputs and physics: hands drive their targets, the world advances one tick
        world.step(inputs: input.hands)
        // observe: the facts of this tick
        observations = world.observations(buttons: input.buttons)
        // tissue and needles: needles follow their bodies; punctures, depths and forces join the observations
        if let model = tissues, var ts = tissueState {
            let inputs = needleBodies.map { b in
                NeedleInput(pose: world.pose(of: b), tipLocal: scenario.scene.bodies[b].tip, axisLocal: scenario.scene.bodies[b].axis)
            }
            let frames = forceTissues.map { i in
                let t = scenario.scene.tissues[i]
                return Optional(world.pose(of: t.body) * LayeredSlabDef.surfaceFrame(center: t.center, normal: t.normal))
            }
            // other instruments (spheres and capsules) press on deformable tissue
            let tools = toolBodies.map { ToolShape(geometry: $0.geometry, pose: world.pose(of: $0.body), friction: $0.friction) }
            model.step(&ts, dt: dt, tools: tools, needles: inputs, attachments: frames)
            let o = model.observations(ts, needleIDs: needleBodies)
            // tissue indices of the system are positions in `forceTissues`: map back to the scenario's
            observations.punctures = o.punctures.map { var p = $0; p.tissue = forceTissues[p.tissue]; return p }
            observations.needles = o.needles.map { var n = $0; n.tissue = n.tissue.map { forceTissues[$0] }; return n }
            var forces = [Double](repeating: 0, count: scenario.scene.tissues.count)
            for (k, f) in o.tissueForces.enumerated() { forces[forceTissues[k]] = f }
            observations.tissueForces = forces
            tissueState = ts
        }
        // procedure: steps, events, variables; scene changes it asks for apply from the next tick
        let out = runner.tick(observations)
        for command in out.sceneCommands { apply(command) }
        frame = out.frame
        // scoring: metrics accumulate, events are kept for the report
        recorder.record(observations, frame)
        remember(frame.events)
    }

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
    public var description: String {
        switch self {
        case let .scene(m): "cannot build the scene: \(m)"
        case let .rubric(m): "cannot build the rubric: \(m)"
        }
    }
}
