import Foundation
import PracticumCore
import PracticumScenario
import PracticumScoring
import PracticumSession
import PracticumViewer

/// A scenario file running in a `Session`, seen through the viewer's view model.
///
/// The viewer only reads it (`viewScene()`) and feeds it input frames (`step(input:)`); the
/// session computes exactly what the headless scorer computes for the same inputs.
struct ScenarioSimulation: ViewerSimulation {
    private(set) var session: Session
    let path: String
    private var watcher: FileWatcher
    /// Meshes loaded once per scenario (by body index).
    private var meshes: [Int: TriangleMesh] = [:]
    /// Surface triangle indices of each deformable tissue, by tissue-system index (fixed per scenario).
    private var tissueSurfaces: [Int: [UInt32]] = [:]
    /// The debrief, computed once when the run ends.
    private var debrief: DebriefModel?

    init(path: String) throws {
        self.path = path
        watcher = FileWatcher(path: path)
        session = try Self.makeSession(path)
        meshes = Self.loadMeshes(session.scenario)
        tissueSurfaces = Self.surfaces(session)
    }

    static func surfaces(_ session: Session) -> [Int: [UInt32]] {
        var out: [Int: [UInt32]] = [:]
        for (k, t) in (session.world.model.tissueSystem?.tissues ?? []).enumerated() {
            if case let .deformable(m) = t { out[k] = m.soft.surface.flatMap { [UInt32($0.x), UInt32($0.y), UInt32($0.z)] } }
        }
        return out
    }

    static func makeSession(_ path: String) throws -> Session {
        let r = ScenarioLoader.load(path: path)
        guard let s = r.scenario else { throw SimulationLoadError(message: r.errors.map(\.description).joined(separator: "\n")) }
        return try Session(scenario: s)
    }

    static func loadMeshes(_ s: Scenario) -> [Int: TriangleMesh] {
        var out: [Int: TriangleMesh] = [:]
        for (i, b) in s.scene.bodies.enumerated() {
            if case let .mesh(p, scale) = b.shape {
                if let m = s.scene.meshes[p] { out[i] = TriangleMesh(obj: m.scaled(scale), id: 1000 + i) }
            }
        }
        return out
    }

    var dt: Double { session.dt }
    var tick: Int { session.tick }
    var isFinished: Bool { session.ended }

    /// Hands start beside the patient at elbow height, the head behind them looking down (`ScenarioViewpoint`).
    var initialInput: InputFrame {
        InputFrame(time: 0, head: ScenarioViewpoint.head,
                   hands: [HandInput(pose: Pose(position: Vec3(-0.3, 1.0, 0.3))), HandInput(pose: Pose(position: Vec3(0.3, 1.0, 0.3)))])
    }

    mutating func step(input: InputFrame) {
        session.step(input)
        if session.ended && debrief == nil { makeDebrief() }
    }

    mutating func finishNow() {
        session.finish()
        if debrief == nil { makeDebrief() }
    }

    private mutating func makeDebrief() {
        let r = session.report()
        debrief = DebriefModel(score: r.score, passed: r.passed,
                               errors: r.evaluation.errors.map { DebriefError(title: $0.title, feedback: $0.feedback, critical: $0.critical) })
    }

    mutating func reloadIfChanged() -> ReloadOutcome {
        guard watcher.changed() else { return .unchanged }
        do {
            session = try Self.makeSession(path)
            meshes = Self.loadMeshes(session.scenario)
            tissueSurfaces = Self.surfaces(session)
            debrief = nil
            return .reloaded
        } catch {
            return .failed("\(error)")
        }
    }

    func viewScene() -> ViewScene {
        let s = session.scenario
        let obs = session.observations
        let frame = session.frame
        let active = s.steps.indices.filter { frame.steps.indices.contains($0) && frame.steps[$0] == .active }
        let highlightedRegions = Set(active.flatMap { s.steps[$0].highlights })
        var scene = ViewScene(time: session.time)
        for (i, b) in s.scene.bodies.enumerated() {
            let pose = i < obs.bodies.count ? obs.bodies[i].pose : b.pose
            let color = RGBA(b.color[0], b.color[1], b.color[2], b.color[3])
            let shape: PracticumViewer.Shape = switch b.shape {
            case let .sphere(r): .sphere(radius: r)
            case let .capsule(r, h): .capsule(radius: r, halfHeight: h)
            case let .box(e): .box(halfExtents: e)
            case .mesh: meshes[i].map { .mesh($0) } ?? .sphere(radius: 0.01)
            }
            scene.drawables.append(Drawable(id: i, shape: shape, pose: pose, color: color))
        }
        for (i, r) in s.scene.regions.enumerated() {
            let frameBody = r.body.map { $0 < obs.bodies.count ? obs.bodies[$0].pose : s.scene.bodies[$0].pose } ?? .identity
            let pose = frameBody * Pose(position: r.center)
            let shape: PracticumViewer.Shape = switch r.shape {
            case let .sphere(rad): .sphere(radius: rad)
            case let .box(e): .box(halfExtents: e)
            }
            let lit = highlightedRegions.contains(i)
            scene.regions.append(RegionMarker(id: i, name: r.title, shape: shape, pose: pose,
                                              color: RGBA(r.color[0], r.color[1], r.color[2], r.color[3]), highlighted: lit))
            // a region authored fully transparent is bookkeeping (e.g. "close to the board"): no marker
            // unless a step points at it
            if r.color[3] > 0 || lit {
                scene.landmarks.append(LandmarkMarker(id: i, name: r.title, position: pose.position,
                                                      color: RGBA(r.color[0], r.color[1], r.color[2], 1), highlighted: lit))
            }
        }
        // deformable tissue: its surface triangles over the current (world) tet positions
        if let model = session.world.model.tissueSystem, let ts = session.world.state.tissue {
            for (k, t) in model.tissues.enumerated() {
                guard case .deformable = t, case let .deformable(st) = ts.tissues[k], let indices = tissueSurfaces[k] else { continue }
                let body = s.scene.tissues[k].body
                let c = s.scene.bodies[body].color
                scene.dynamicMeshes.append(DynamicMesh(id: 5000 + k, positions: st.soft.positions, indices: indices,
                                                       color: RGBA(c[0], c[1], c[2], 1)))
            }
        }
        for (h, hand) in obs.hands.enumerated() {
            scene.hands.append(HandMarker(index: h, pose: hand.pose, grip: hand.grip))
        }
        // HUD: the step being worked on, the checklist, the clock, the monitor, messages, the debrief
        var hud = HUDModel(title: s.title)
        if let cur = active.first {
            hud.stepTitle = s.steps[cur].title
            hud.instructions = s.steps[cur].instructions
            if obs.buttons.contains("hint") { hud.hint = s.steps[cur].hints.first ?? "No hint for this step." }
        } else if session.ended {
            hud.stepTitle = "Finished"
        }
        hud.checklist = s.steps.enumerated().map { ChecklistItem(title: $0.element.title, status: $0.offset < frame.steps.count ? frame.steps[$0.offset] : .pending) }
        hud.elapsed = session.time
        hud.timeLimit = s.timeLimit
        hud.monitor = s.variables.enumerated().filter { !$0.element.hidden }.map { i, v in
            let value = i < frame.variables.count ? frame.variables[i] : v.initial
            let shown = value / (v.unitScale == 0 ? 1 : v.unitScale)
            let alarm = value <= v.min + 1e-12 || value >= v.max - 1e-12
            return MonitorRow(name: v.title, value: shown, unit: v.unit, decimals: shown.magnitude < 10 ? 1 : 0, alarm: alarm)
        }
        hud.messages = session.recentMessages.suffix(4).compactMap { e in
            if case let .message(t) = e.kind { return HUDMessage(text: t, time: e.time) }
            return nil
        }
        hud.debrief = debrief
        scene.hud = hud
        return scene
    }
}

struct SimulationLoadError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
