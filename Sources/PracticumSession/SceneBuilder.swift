import Foundation
import PracticumCore
import PracticumPhysics
import PracticumScenario

/// Builds the physics world a compiled scenario describes. Body `i` of the scene is body `i` of the
/// world (and of every `Observations`), region `i` is sensor `i`.
public enum SceneBuilder {
    /// The slowest solver rate (substeps per second) a scenario's world runs at.
    public static let solverRate = 1200.0

    /// How far beyond the scene's initial extent the world reaches (m).
    public static let worldMargin = 10.0

    /// The physics definition for `scenario`, ticking at `dt` seconds.
    public static func worldDef(for scenario: Scenario, dt: Double? = nil) -> WorldDef {
        let scene = scenario.scene
        let dt = dt ?? scenario.tickLength
        // substeps keep the solver at 1200 Hz or faster whatever the tick (5 at 240 Hz, 2 at 1 kHz)
        var def = WorldDef(gravity: scene.gravity, dt: dt, substeps: max(1, Int((solverRate * dt - 1e-9).rounded(.up))))
        // objects lying still (instruments put down, blocks on their pegs) sleep until disturbed:
        // most of a procedure's bodies are at rest most of the time
        def.sleep = SleepDef()
        for h in def.hands.indices { def.hands[h].radius = scenario.handRadius }
        def.bodies = scene.bodies.map { bodyDef($0, meshes: scene.meshes) }
        // the world: the scene's initial extent and 10 m beyond it every way (a dropped swab that falls
        // with no floor under it has left the world)
        if let first = scene.bodies.first?.pose.position {
            var lo = first, hi = first
            for b in scene.bodies {
                let p = b.pose.position
                lo = Vec3(min(lo.x, p.x), min(lo.y, p.y), min(lo.z, p.z)); hi = Vec3(max(hi.x, p.x), max(hi.y, p.y), max(hi.z, p.z))
            }
            def.bounds = .init(minimum: lo - Vec3(worldMargin, worldMargin, worldMargin), maximum: hi + Vec3(worldMargin, worldMargin, worldMargin))
        }
        def.regions = scene.regions.map { r in
            let shape: RegionDef.Shape = switch r.shape {
            case let .sphere(radius): .sphere(radius: radius)
            case let .box(e): .box(halfExtents: e)
            }
            return RegionDef(shape: shape, body: r.body, pose: Pose(position: r.center))
        }
        // tissues and needles: stepped and coupled inside the world's tick
        def.tissues = scene.tissues.map { t in
            TissuePatchDef(body: t.body, center: t.center, normal: t.normal, halfSize: t.halfSize, layers: t.layers.map(layerDef),
                           needleModel: t.needleModel == .geometric ? .geometric : .force,
                           deformable: t.deformable.map { d in
                               let r = d.resolution.count == 3 ? d.resolution : [9, 5, 9]
                               return DeformableDef(youngsModulus: d.youngsModulus, poissonRatio: d.poissonRatio, density: d.density,
                                                    resolution: (r[0], r[1], r[2]))
                           })
        }
        if !scene.tissues.isEmpty {
            def.needles = scene.bodies.indices.filter { scene.bodies[$0].isNeedle }.map { b in
                let body = scene.bodies[b]
                let length: Double = if case let .capsule(_, h) = body.shape { 2 * h } else { 0.04 }
                return NeedleBodyDef(body: b, tip: body.tip, axis: body.axis, needle: NeedleDef(length: length))
            }
        }
        // a body on a spring (e.g. a chest for compressions) slides along the spring's axis on a
        // prismatic joint to the world: held rigidly across the axis and against turning, sprung and
        // damped along it (stiffness 0: a free, damped slide)
        for (i, b) in scene.bodies.enumerated() {
            if let s = b.spring {
                def.joints.append(JointDef(kind: .prismatic(axis: s.axis, stiffness: s.stiffness, damping: s.damping),
                                           a: i, b: nil, anchor: b.pose.position))
            }
        }
        // the parts of compound instruments, after the springs: scene joint k is world joint
        // `jointIndex(k, in:)`; a part follows the part a hand holds through them
        def.joints += scene.joints.map(jointDef)
        return def
    }

    /// The world joint of the scene's joint `k` (the springs' joints come first).
    public static func jointIndex(_ k: Int, in scene: Scene) -> Int {
        scene.worldJointIndex(k)
    }

    /// The physics joint for an authored one: the body is A, what holds it B.
    static func jointDef(_ j: Joint) -> JointDef {
        let kind: JointDef.Kind = switch j.kind {
        case .fixed: .fixed
        case .hinge: .hinge(axis: j.axis)
        case .slide: .prismatic(axis: j.axis, stiffness: j.stiffness, damping: j.damping)
        }
        return JointDef(kind: kind, a: j.body, b: j.to, anchor: j.anchor, limits: j.limits)
    }

    /// The physics layer for an authored layer: every field of it (a test checks that none is lost).
    static func layerDef(_ l: Tissue.Layer) -> TissueLayerDef {
        TissueLayerDef(name: l.id, kind: .init(l.kind), thickness: l.thickness, stiffness: l.stiffness,
                       punctureForce: l.punctureForce, friction: l.friction, cuttingForce: l.cuttingForce)
    }

    static func bodyDef(_ b: Body, meshes: [String: OBJModel]) -> BodyDef {
        let kind: PracticumPhysics.BodyKind = switch b.kind {
        case .static: .static
        case .dynamic, .instrument: .dynamic
        case .kinematic: .kinematic
        }
        let geometry = geometry(of: b.shape, static: b.kind == .static, meshes: meshes)
        // the density that gives the scenario's mass with the volume physics will compute
        let volume = max(1e-12, geometry.volume)
        let material = MaterialDef(density: b.mass / volume, staticFriction: b.material.staticFriction,
                                   dynamicFriction: b.material.dynamicFriction, restitution: b.material.restitution)
        var def = BodyDef(kind: kind, pose: b.pose, shapes: [ShapeDef(geometry, material: material)], graspable: b.kind == .instrument,
                          referencePoint: b.tip)
        def.twoHanded = b.twoHanded
        return def
    }

    static func geometry(of shape: Shape, static isStatic: Bool, meshes: [String: OBJModel]) -> Geometry {
        switch shape {
        case let .sphere(r): return .sphere(radius: r)
        case let .capsule(r, h): return .capsule(radius: r, halfLength: h)
        case let .box(e): return .box(halfExtents: e)
        case let .mesh(path, scale):
            // parsed by the loader (a scenario built by hand without it gets a small ball)
            guard let mesh = meshes[path]?.scaled(scale), !mesh.corners.isEmpty else { return .sphere(radius: 0.01 * scale) }
            if isStatic { return .triangleMesh(vertices: mesh.positions, triangles: mesh.triangles) }
            return .convexHull(points: mesh.hullPoints(max: 64))
        }
    }


}
