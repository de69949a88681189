import Foundation
import PracticumAudio
import PracticumCore
import PracticumScenario
import PracticumScoring
import PracticumSession

/// A scenario file running in a `Session`, seen through the viewer's view model.
///
/// The viewer only reads it (`viewScene()`) and feeds it input frames (`step(input:)`); the
/// session computes exactly what the headless scorer computes for the same inputs.
public struct ScenarioSimulation: ViewerSimulation {
    public private(set) var session: Session
    public let path: String
    /// Where the HTML report of this attempt is written when the run ends (the viewer sets it for every
    /// run that records); the debrief says where it went.
    public var htmlReportPath: String?
    /// Who and when, for that report (the trace's metadata).
    public var htmlReportAttempt: AttemptInfo?
    /// Where this attempt's HTML report was written, once the run has ended.
    public var writtenReportPath: String? { debrief?.reportPath }
    /// Why the HTML report could not be written, if it could not.
    public private(set) var htmlReportError: String?
    private var watcher: FileWatcher
    /// Meshes loaded once per scenario (by body index).
    private var meshes: [Int: TriangleMesh] = [:]
    /// Region and tissue visuals (by region and tissue index), loaded once per scenario.
    private var regionMeshes: [Int: TriangleMesh] = [:], tissueMeshes: [Int: TriangleMesh] = [:]
    /// What is drawn as the hands: the scenario's `cues.hands`, else the viewer's own (`hands`).
    private var handModel: HandModel?
    /// The viewer's own hand mesh, for scenarios that do not bring one.
    private let defaultHands: HandModel?
    /// Surface triangle indices of each deformable tissue, by tissue-system index (fixed per scenario).
    private var tissueSurfaces: [Int: [UInt32]] = [:]
    /// The debrief, computed once when the run ends.
    private var debrief: DebriefModel?
    /// Errors as they occurred, for live feedback (`cues.errors: live`).
    private var toasts: [HUDMessage] = []
    /// One metronome per `cues.sounds` entry (nil for tones), and each tone's condition last tick.
    private var metronomes: [Metronome?] = []
    private var toneWasOn: [Bool] = []
    /// Sounds due since the viewer last took them, in simulated time.
    private var dueSounds: [SoundEvent] = []
    /// For gauges with a `peak` window: recent (time, value) samples, oldest first.
    private var gaugeHistory: [[(time: Double, value: Double)]] = []

    /// The seed of this run's variation (0 for a scenario without any).
    public let seed: UInt64

    /// `hands` is drawn as each tracked hand unless the scenario gives its own (`cues.hands`); nil
    /// draws a palm-and-pointer gizmo.
    public init(path: String, seed: UInt64 = 0, hands: HandModel? = nil) throws {
        self.path = path
        self.seed = seed
        defaultHands = hands
        watcher = FileWatcher(path: path)
        session = try Self.makeSession(path, seed: seed)
        loadVisuals()
        tissueSurfaces = Self.surfaces(session)
        resetSounds()
    }

    private mutating func loadVisuals() {
        let s = session.scenario
        meshes = Self.loadMeshes(s)
        regionMeshes = [:]; tissueMeshes = [:]
        for (i, r) in s.scene.regions.enumerated() {
            if let v = r.visual { regionMeshes[i] = Self.mesh(v, s.scene, id: Self.regionMeshID + i) }
        }
        for (k, t) in s.scene.tissues.enumerated() {
            if let v = t.visual { tissueMeshes[k] = Self.mesh(v, s.scene, id: Self.tissueMeshID + k) }
        }
        handModel = HandModel.scenario(s) ?? defaultHands
    }

    /// Geometry ids of region and tissue visuals start here (bodies' meshes at 1000, hands at `HandModel.firstID`).
    static let regionMeshID = 100_000, tissueMeshID = 200_000

    /// A visual's mesh, scaled, in its own colours and texture unless its owner is `tinted`.
    static func mesh(_ v: MeshVisual, _ scene: PracticumScenario.Scene, id: Int) -> TriangleMesh? {
        guard let m = scene.meshes[v.mesh] else { return nil }
        let look = scene.meshLooks[v.mesh]
        return TriangleMesh(obj: m.scaled(v.scale), id: id, look: v.tinted ? nil : look, doubleSided: look?.doubleSided)
    }

    private mutating func resetSounds() {
        metronomes = session.scenario.cues.sounds.map {
            if case let .metronome(rate) = $0.kind { return Metronome(rate: rate, gain: $0.gain, isEnabled: false) }
            return nil
        }
        toneWasOn = session.scenario.cues.sounds.map { _ in false }
        dueSounds = []
        gaugeHistory = session.scenario.cues.gauges.map { _ in [] }
    }

    /// Keeps the last `peak` seconds of each peak gauge's value.
    private mutating func recordGauges() {
        let values = session.frame.cues, now = session.time
        for (i, g) in session.scenario.cues.gauges.enumerated() {
            guard let window = g.peak, g.value < values.count, values[g.value].isFinite else { continue }
            gaugeHistory[i].append((now, values[g.value]))
            let old = gaugeHistory[i].prefix { $0.time < now - window }.count
            if old > 0 { gaugeHistory[i].removeFirst(old) }
        }
    }

    /// The sound kinds this scenario can play (an output renders them once, up front).
    public var soundKinds: [SoundKind] {
        session.scenario.cues.sounds.map {
            switch $0.kind {
            case .metronome: .click
            case let .tone(f, d): .tone(frequency: f, duration: d)
            }
        }
    }

    public mutating func takeSounds() -> [SoundEvent] {
        defer { dueSounds = [] }
        return dueSounds
    }

    /// Metronome beats and event tones due at this tick, from the cue conditions just evaluated.
    private mutating func collectSounds() {
        let values = session.frame.cues, now = session.time
        for (i, cue) in session.scenario.cues.sounds.enumerated() {
            let on = cue.condition.map { $0 < values.count && values[$0] != 0 } ?? true
            if var m = metronomes[i] {
                m.isEnabled = on
                dueSounds += m.events(upTo: now)
                metronomes[i] = m
            } else if case let .tone(f, d) = cue.kind {
                if on && !toneWasOn[i] { dueSounds.append(SoundEvent(time: now, kind: .tone(frequency: f, duration: d), gain: cue.gain)) }
                toneWasOn[i] = on
            }
        }
        if dueSounds.count > 256 { dueSounds.removeFirst(dueSounds.count - 256) }
    }

    static func surfaces(_ session: Session) -> [Int: [UInt32]] {
        var out: [Int: [UInt32]] = [:]
        for (k, t) in (session.world.model.tissueSystem?.tissues ?? []).enumerated() {
            if case let .deformable(m) = t { out[k] = m.soft.surface.flatMap { [UInt32($0.x), UInt32($0.y), UInt32($0.z)] } }
        }
        return out
    }

    static func makeSession(_ path: String, seed: UInt64) throws -> Session {
        let r = ScenarioLoader.load(path: path)
        guard let s = r.scenario else { throw SimulationLoadError(message: r.errors.map(\.description).joined(separator: "\n")) }
        return try Session(scenario: s, seed: seed)
    }

    static func loadMeshes(_ s: Scenario) -> [Int: TriangleMesh] {
        var out: [Int: TriangleMesh] = [:]
        for (i, b) in s.scene.bodies.enumerated() {
            // a visual replaces the collision shape in the picture
            if let v = b.visual {
                out[i] = mesh(v, s.scene, id: 1000 + i)
            } else if case let .mesh(p, scale) = b.shape {
                if let m = s.scene.meshes[p] { out[i] = TriangleMesh(obj: m.scaled(scale), id: 1000 + i) }
            }
        }
        return out
    }

    public var dt: Double { session.dt }
    public var tick: Int { session.tick }
    public var isFinished: Bool { session.ended }

    public var buttonKeys: [ViewerKey: String] {
        var out: [ViewerKey: String] = [:]
        for b in session.scenario.cues.buttons { if let k = ViewerKey(scenarioKey: b.key) { out[k] = b.button } }
        return out
    }

    /// The camera the scenario opens with: its `cues.viewpoint`, or `ScenarioViewpoint.camera`.
    public var camera: OrbitCamera {
        session.scenario.cues.viewpoint.map { ScenarioViewpoint.camera(eye: $0.eye, target: $0.target) } ?? ScenarioViewpoint.camera
    }

    /// The hands start in view: 18 cm either side of the point the camera looks at, 15 cm from it
    /// towards the camera; the head starts at the scenario's viewpoint (`camera`).
    public var initialInput: InputFrame {
        let cam = camera, head = cam.pose
        let right = head.orientation.rotate(.unitX), back = (head.position - cam.target).normalized
        let hands = [-1.0, 1.0].map { HandInput(pose: Pose(position: cam.target + right * (0.18 * $0) + back * 0.15)) }
        return InputFrame(time: 0, head: head, hands: hands)
    }

    public mutating func step(input: InputFrame) {
        session.step(input)
        collectSounds()
        recordGauges()
        if session.scenario.cues.errors == .live {
            for e in session.frame.events {
                guard case let .error(i) = e.kind, i < session.scenario.rubric.errors.count else { continue }
                let err = session.scenario.rubric.errors[i]
                toasts.append(HUDMessage(text: err.title + ". " + err.feedback, time: e.time, kind: err.critical ? .error : .warning))
            }
            if toasts.count > 8 { toasts.removeFirst(toasts.count - 8) }
        }
        if session.ended && debrief == nil { makeDebrief() }
    }

    public mutating func finishNow() {
        session.finish()
        if debrief == nil { makeDebrief() }
    }

    private mutating func makeDebrief() {
        var r = session.report()
        if let who = htmlReportAttempt { r.attempt = who }
        var written: String?
        if let path = htmlReportPath {
            do { try OutputFile.write(r.debriefHTML(), to: path); written = path } catch { htmlReportError = "\(error)" }
        }
        debrief = DebriefModel(score: r.score, passed: r.passed,
                               errors: r.evaluation.errors.map { DebriefError(title: $0.title, feedback: $0.feedback, critical: $0.critical, time: $0.time) },
                               metrics: r.evaluation.metrics.map { DebriefMetric(title: $0.title, value: $0.valueText, target: $0.targetText, met: $0.met) },
                               reasons: r.evaluation.failedCriteria, reportPath: written)
    }

    public mutating func reloadIfChanged() -> ReloadOutcome {
        guard watcher.changed() else { return .unchanged }
        do {
            session = try Self.makeSession(path, seed: seed)
            loadVisuals()
            tissueSurfaces = Self.surfaces(session)
            debrief = nil; toasts = []
            resetSounds()
            return .reloaded
        } catch {
            return .failed("\(error)")
        }
    }

    public func viewScene() -> ViewScene {
        let s = session.scenario
        let obs = session.observations
        let frame = session.frame
        let active = s.steps.indices.filter { frame.steps.indices.contains($0) && frame.steps[$0] == .active }
        let highlightedRegions = Set(active.flatMap { s.steps[$0].highlights })
        var scene = ViewScene(time: session.time)
        let look = appearance(frame.cues)
        var marks: [Int: GraspMark] = [:]
        for (h, hand) in obs.hands.enumerated() {
            if let g = hand.grasped { marks[g] = .held } else if let c = session.world.graspCandidate(hand: h, at: hand.pose.position), marks[c] == nil {
                marks[c] = .candidate
            }
        }
        for (i, b) in s.scene.bodies.enumerated() where look.bodies[i].visible {
            let pose = i < obs.bodies.count ? obs.bodies[i].pose : b.pose
            if let v = b.visual, let mesh = meshes[i] {
                // a mesh in its own colours is drawn in them (white tint) until an appearance cue recolours the body
                let own = !mesh.colors.isEmpty && look.bodies[i].color == RGBA(b.color[0], b.color[1], b.color[2], b.color[3])
                let color = own ? RGBA(1, 1, 1, look.bodies[i].color.a) : look.bodies[i].color
                scene.drawables.append(Drawable(id: i, shape: .mesh(mesh), pose: pose * v.offset, color: color,
                                                thin: false, graspable: marks[i]))
                continue
            }
            scene.drawables.append(Drawable(id: i, shape: Self.shape(b.shape, mesh: meshes[i]), pose: pose, color: look.bodies[i].color,
                                            thin: Self.isThin(b.shape), graspable: marks[i]))
        }
        for (k, part) in s.cues.parts.enumerated() where look.parts[k].visible {
            let carrier = part.body < obs.bodies.count ? obs.bodies[part.body].pose : s.scene.bodies[part.body].pose
            scene.drawables.append(Drawable(id: Self.partID + k, shape: Self.shape(part.shape, mesh: nil), pose: carrier * part.pose,
                                            color: look.parts[k].color, thin: Self.isThin(part.shape)))
        }
        scene.shadows = shadows(obs)
        for (i, r) in s.scene.regions.enumerated() {
            let frameBody = r.body.map { $0 < obs.bodies.count ? obs.bodies[$0].pose : s.scene.bodies[$0].pose } ?? .identity
            let pose = frameBody * Pose(position: r.center)
            let shape: PracticumViewer.Shape = switch r.shape {
            case let .sphere(rad): .sphere(radius: rad)
            case let .box(e): .box(halfExtents: e)
            }
            let lit = highlightedRegions.contains(i)
            if let v = r.visual, let mesh = regionMeshes[i] {
                scene.drawables.append(Drawable(id: Self.regionMeshID + i, shape: .mesh(mesh), pose: frameBody * Pose(position: r.center) * v.offset,
                                                color: RGBA(1, 1, 1), thin: false))
            }
            scene.regions.append(RegionMarker(id: i, name: r.title, shape: shape, pose: pose,
                                              color: RGBA(r.color[0], r.color[1], r.color[2], r.color[3]), highlighted: lit))
            // a region authored fully transparent is bookkeeping (e.g. "close to the board"): no marker
            // unless a step points at it
            if r.color[3] > 0 || lit {
                scene.landmarks.append(LandmarkMarker(id: i, name: r.title, position: pose.position,
                                                      color: RGBA(r.color[0], r.color[1], r.color[2], 1), highlighted: lit))
            }
        }
        for (k, t) in s.scene.tissues.enumerated() {
            guard let v = t.visual, let mesh = tissueMeshes[k] else { continue }
            let body = t.body < obs.bodies.count ? obs.bodies[t.body].pose : s.scene.bodies[t.body].pose
            scene.drawables.append(Drawable(id: Self.tissueMeshID + k, shape: .mesh(mesh), pose: body * Pose(position: t.center) * v.offset,
                                            color: RGBA(1, 1, 1), thin: false))
        }
        scene.handModel = handModel
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
            var marker = HandMarker(index: h, pose: hand.pose, grip: hand.grip, holding: hand.grasped)
            if let g = hand.grasped, g < obs.bodies.count {
                // drawn on what it holds, not at the tracked pose the body trails behind
                if let onBody = session.world.handPoseOnHeldBody(h) { marker.pose = onBody }
                // a needle's axis, towards its tip, is what the push gesture follows; other bodies have none
                if s.scene.bodies[g].isNeedle { marker.heldAxis = obs.bodies[g].pose.orientation.rotate(s.scene.bodies[g].axis).normalized }
            } else {
                marker.candidate = session.world.graspCandidate(hand: h, at: hand.pose.position)
            }
            scene.hands.append(marker)
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
        hud.gauges = gauges(frame.cues)
        hud.toasts = toasts
        hud.keys = s.cues.buttons.map { KeyBinding(keys: $0.key, action: $0.title) }
        scene.hud = hud
        return scene
    }

    /// Drawable ids of cue parts start here (bodies use their index).
    static let partID = 20_000

    static func shape(_ shape: PracticumScenario.Shape, mesh: TriangleMesh?) -> PracticumViewer.Shape {
        switch shape {
        case let .sphere(r): .sphere(radius: r)
        case let .capsule(r, h): .capsule(radius: r, halfHeight: h)
        case let .box(e): .box(halfExtents: e)
        case .mesh: mesh.map { .mesh($0) } ?? .sphere(radius: 0.01)
        }
    }

    /// Needles, wires and thin rods: under a few pixels across at arm's length.
    static func isThin(_ shape: PracticumScenario.Shape) -> Bool {
        switch shape {
        case let .capsule(r, _): r < 0.002
        case let .box(e): [e.x, e.y, e.z].sorted()[1] < 0.002
        default: false
        }
    }

    /// The colour and visibility of every body and part now: as authored, then each `cues.appearance`
    /// whose condition holds, in file order (a later one wins).
    func appearance(_ values: [Double]) -> (bodies: [(color: RGBA, visible: Bool)], parts: [(color: RGBA, visible: Bool)]) {
        let s = session.scenario
        func rgba(_ c: [Double]) -> RGBA { RGBA(c[0], c[1], c[2], c[3]) }
        var bodies = s.scene.bodies.map { (color: rgba($0.color), visible: true) }
        var parts = s.cues.parts.map { (color: rgba($0.color), visible: true) }
        for a in s.cues.appearance {
            if let w = a.when, !(w < values.count && values[w] != 0) { continue }
            switch a.target {
            case let .body(b):
                if let c = a.color { bodies[b].color = rgba(c) }
                if let v = a.visible { bodies[b].visible = v }
            case let .part(p):
                if let c = a.color { parts[p].color = rgba(c) }
                if let v = a.visible { parts[p].visible = v }
            }
        }
        return (bodies, parts)
    }

    /// The scenario's gauges that are shown now, in display units.
    func gauges(_ values: [Double]) -> [GaugeModel] {
        session.scenario.cues.gauges.enumerated().compactMap { i, g in
            if let w = g.shownWhen, !(w < values.count && values[w] != 0) { return nil }
            var raw = g.value < values.count && values[g.value].isFinite ? values[g.value] : 0
            if g.peak != nil, i < gaugeHistory.count, let top = gaugeHistory[i].map(\.value).max() { raw = top }
            let k = g.unitScale == 0 ? 1 : g.unitScale
            var lo: Double?, hi: Double?
            switch g.target {
            case let .range(a, b)?: lo = a / k; hi = b / k
            case let .atMost(b)?: hi = b / k
            case let .atLeast(a)?: lo = a / k
            case nil: break
            }
            let span = (g.high - g.low) / k
            return GaugeModel(title: g.title, value: raw / k, unit: g.unit, low: g.low / k, high: g.high / k, targetLow: lo, targetHigh: hi,
                              decimals: span >= 100 ? 0 : 1, assist: g.assist)
        }
    }

    /// A contact shadow under each held instrument's reference point (its tip) and under each open hand:
    /// on the highest surface of a static body straight below it.
    func shadows(_ obs: Observations) -> [ContactShadow] {
        let s = session.scenario
        var out: [ContactShadow] = []
        for hand in obs.hands {
            let caster: Vec3
            if let g = hand.grasped, g < obs.bodies.count { caster = obs.bodies[g].pose.transform(s.scene.bodies[g].tip) } else { caster = hand.pose.position }
            var best: Double?
            for (i, b) in s.scene.bodies.enumerated() where b.kind == .static || b.kind == .kinematic {
                let pose = i < obs.bodies.count ? obs.bodies[i].pose : b.pose
                if let y = Self.topBelow(caster, shape: b.shape, pose: pose, mesh: meshes[i]), best.map({ y > $0 }) ?? true { best = y }
            }
            if let y = best, caster.y - y < 0.5 {
                out.append(ContactShadow(position: Vec3(caster.x, y + 0.0005, caster.z), height: max(caster.y - y, 0), caster: caster))
            }
        }
        return out
    }

    /// The height where a vertical line through `p` leaves `shape` at the top, if that is below `p`
    /// (boxes and spheres exactly, capsules and meshes by their bounding box).
    static func topBelow(_ p: Vec3, shape: PracticumScenario.Shape, pose: Pose, mesh: TriangleMesh?) -> Double? {
        switch shape {
        case let .sphere(r):
            let dx = p.x - pose.position.x, dz = p.z - pose.position.z
            let h2 = r * r - dx * dx - dz * dz
            guard h2 >= 0 else { return nil }
            let top = pose.position.y + h2.squareRoot()
            return top <= p.y + 1e-9 ? top : nil
        case let .box(e):
            // the line in the box's frame: p + t·down; find the highest t-range point inside
            let o = pose.inverseTransform(p), d = pose.orientation.inverseRotate(Vec3(0, -1, 0))
            var t0 = -Double.infinity, t1 = Double.infinity
            for k in 0..<3 {
                if abs(d[k]) < 1e-12 { if abs(o[k]) > e[k] { return nil }; continue }
                var a = (-e[k] - o[k]) / d[k], b = (e[k] - o[k]) / d[k]
                if a > b { swap(&a, &b) }
                t0 = max(t0, a); t1 = min(t1, b)
            }
            guard t0 <= t1, t0 >= -1e-9 else { return nil }
            return p.y - t0
        case let .capsule(r, h):
            return topBelow(p, shape: .box(halfExtents: Vec3(r, h + r, r)), pose: pose, mesh: nil)
        case .mesh:
            guard let m = mesh, !m.positions.isEmpty else { return nil }
            var lo = m.positions[0], hi = m.positions[0]
            for v in m.positions { lo = Vec3(min(lo.x, v.x), min(lo.y, v.y), min(lo.z, v.z)); hi = Vec3(max(hi.x, v.x), max(hi.y, v.y), max(hi.z, v.z)) }
            let c = (lo + hi) * 0.5
            return topBelow(p, shape: .box(halfExtents: (hi - lo) * 0.5), pose: pose * Pose(position: c), mesh: nil)
        }
    }
}

/// A scenario that failed to load or build, with its diagnostics.
public struct SimulationLoadError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
