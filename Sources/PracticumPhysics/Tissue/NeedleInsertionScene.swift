import PracticumCore

/// A hand pushing a needle into a layered patch through its coupling: the scene that the coupling
/// tests, the pinned determinism hash (`tools/check-determinism`) and `practicum bench needle-insertion`
/// share.
///
/// A static 10 cm cube centred at the origin carries a patch on the face with outward `normal`
/// (skin 2 mm, 800 N/m, gives at 1.2 N; fat 10 mm; muscle). A 1.9 g needle (capsule r 0.4 mm, shaft
/// 38 mm) starts with its tip 10 mm outside the face, pointing inward, held by hand 0 at its centre.
/// No gravity, so the coupling force and the tissue's axial force can be compared exactly. The hand
/// carries the tip's target along the needle: in to 1.14 mm below the surface over 1 s (where the
/// coupling and the skin, in series, balance at about 0.56 N, below the skin's puncture force), held
/// 1 s, on to 8 mm over 1 s (the skin gives on the way), held 0.5 s.
public enum NeedleInsertionScene {
    public static let dt = 1.0 / 240
    public static let ticks = 840
    public static let halfSize = Vec3(0.05, 0.05, 0.05)
    public static let radius = 0.0004, halfLength = 0.019
    public static let layers = [
        TissueLayerDef(name: "skin", thickness: 0.002, stiffness: 800, punctureForce: 1.2, friction: 30),
        TissueLayerDef(name: "fat", thickness: 0.010, stiffness: 200, punctureForce: 0.3, friction: 10),
        TissueLayerDef(name: "muscle", thickness: 0.030, stiffness: 600, punctureForce: 1.0, friction: 25),
    ]

    /// Target depth of the tip at time t (s), along the needle from the surface: where the hand would put it unresisted.
    public static func targetDepth(_ t: Double) -> Double {
        if t < 1 { return -0.010 + 0.01114 * t }
        if t < 2 { return 0.00114 }
        if t < 3 { return 0.00114 + (0.008 - 0.00114) * (t - 2) }
        return 0.008
    }

    /// The needle's shaft direction (hub → tip) for a face with `normal`, tilted by `tilt` rad from
    /// perpendicular about a tangent.
    public static func direction(normal: Vec3, tilt: Double = 0) -> Vec3 {
        let tangent = abs(normal.y) > 0.5 ? Vec3.unitX : Vec3.unitY
        return Quat(axis: normal.cross(tangent), angle: tilt).rotate(normal * -1)
    }

    /// The world: the cube with its patch (or bare, for a rigid stop), the needle, two hands.
    /// `offset` moves the needle's entry point along the surface (m, world).
    public static func def(normal: Vec3 = .unitY, model: NeedleModel = .force, tissue: Bool = true, tilt: Double = 0,
                           offset: Vec3 = .zero, patchHalfSize: Vec3? = nil) -> WorldDef {
        let dir = direction(normal: normal, tilt: tilt)
        let face = Vec3(normal.x * halfSize.x, normal.y * halfSize.y, normal.z * halfSize.z)
        let entry = face + offset
        let tipLocal = Vec3(0, -(halfLength + radius), 0)
        let orientation = Quat(from: Vec3(0, -1, 0), to: dir)
        let start = entry - dir * 0.010
        let needle = BodyDef(pose: Pose(position: start - orientation.rotate(tipLocal), orientation: orientation),
                             shapes: [ShapeDef(.capsule(radius: radius, halfLength: halfLength), material: MaterialDef(density: 100_000))],
                             graspable: true)
        let cube = BodyDef(kind: .static, shapes: [ShapeDef(.box(halfExtents: halfSize))])
        var def = WorldDef(bodies: [cube, needle], gravity: .zero, dt: dt)
        if tissue {
            let half = patchHalfSize ?? halfSize
            def.tissues = [TissuePatchDef(body: 0, center: face, normal: normal, halfSize: half, layers: layers, needleModel: model)]
            def.needles = [NeedleBodyDef(body: 1, tip: tipLocal, axis: Vec3(0, -1, 0), needle: NeedleDef(length: 2 * halfLength))]
        }
        return def
    }

    /// Hand 0's input at tick k for a world made by `def` (grasping the needle at its centre from tick 0).
    public static func input(tick k: Int, def: WorldDef) -> [HandInput] {
        let needle = def.bodies[1].pose
        let dir = needle.transformDirection(Vec3(0, -1, 0))
        let t = Double(k + 1) * dt
        let shift = dir * (targetDepth(t) - targetDepth(0))
        return [HandInput(pose: Pose(position: needle.position + shift, orientation: needle.orientation), grip: 1)]
    }

    /// Runs the scene; `clock` times each tick.
    public static func run(ticks: Int, clock: @Sendable () -> Double) -> BenchResult {
        let d = def()
        var world = try! World(d)
        var times: [Double] = []
        var peak = 0.0, punctureForce = 0.0
        for k in 0..<ticks {
            let t0 = clock()
            world.step(inputs: input(tick: k, def: d))
            times.append(clock() - t0)
            let o = world.observations()
            peak = max(peak, o.hands[0].couplingForce)
            if let p = o.punctures.first(where: { $0.layer == 0 }) { punctureForce = p.force }
        }
        return BenchResult(scene: "needle-insertion", n: 1, ticks: ticks, dt: dt, secondsPerTick: times,
                           kineticEnergyFinal: world.kineticEnergy, stateHash: world.state.hash().hex,
                           extra: [("peak_coupling_n", peak), ("skin_puncture_n", punctureForce)])
    }

    public static let bench = BenchScene(
        name: "needle-insertion",
        summary: "a hand pushes a needle through skin and fat via its coupling; the tissue pushes back (no gravity)",
        defaultN: 1, defaultTicks: ticks
    ) { _, ticks, clock in run(ticks: ticks, clock: clock) }
}
