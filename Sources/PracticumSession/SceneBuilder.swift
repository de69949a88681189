import Foundation
import PracticumCore
import PracticumPhysics
import PracticumScenario

/// Builds the physics world a compiled scenario describes. Body `i` of the scene is body `i` of the
/// world (and of every `Observations`), region `i` is sensor `i`.
public enum SceneBuilder {
    /// The physics definition for `scenario`, ticking at `dt` seconds.
    public static func worldDef(for scenario: Scenario, dt: Double = 1.0 / 240.0) -> WorldDef {
        let scene = scenario.scene
        var def = WorldDef(gravity: scene.gravity, dt: dt)
        // objects lying still (instruments put down, blocks on their pegs) sleep until disturbed:
        // most of a procedure's bodies are at rest most of the time
        def.sleep = SleepDef()
        def.bodies = scene.bodies.map { bodyDef($0, meshes: scene.meshes) }
        def.regions = scene.regions.map { r in
            let shape: RegionDef.Shape = switch r.shape {
            case let .sphere(radius): .sphere(radius: radius)
            case let .box(e): .box(halfExtents: e)
            }
            return RegionDef(shape: shape, body: r.body, pose: Pose(position: r.center))
        }
        // needles pass into the anatomy that carries tissue; the needle model, not contacts, resists them
        for (n, b) in scene.bodies.enumerated() where b.isNeedle {
            for t in scene.tissues where t.body != n && !def.nonCollidingPairs.contains(BodyPair(n, t.body)) {
                def.nonCollidingPairs.append(BodyPair(n, t.body))
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
        return def
    }

    /// The needle model for the scenario's layered tissues: each tissue a rigid layered slab under
    /// its surface patch, each needle body a needle (Okamura et al. 2004 force model).
    public static func tissueSystem(for scenario: Scenario, tissues: [Int], needles: [Int]) -> TissueSystemModel {
        let scene = scenario.scene
        let defs: [TissueDef] = tissues.map { scene.tissues[$0] }.map { t in
            let layers = t.layers.map(layerDef)
            let frame = scene.bodies[t.body].pose * LayeredSlabDef.surfaceFrame(center: t.center, normal: t.normal)
            if let d = t.deformable {
                // an XPBD tetrahedral block under the patch, bottom pinned to the carrying body
                let res = d.resolution.count == 3 ? d.resolution : [9, 5, 9]
                return .deformable(LayeredTissueDef.block(layers: layers, halfExtentX: t.halfSize.x, halfExtentZ: t.halfSize.z,
                                                          counts: (res[0], res[1], res[2]), youngsModulus: d.youngsModulus,
                                                          poissonRatio: d.poissonRatio, density: d.density, pose: frame))
            }
            return .slab(LayeredSlabDef(layers: layers, halfExtentX: t.halfSize.x, halfExtentZ: t.halfSize.z), frame: frame)
        }
        let needleDefs = needles.map { b -> NeedleDef in
            let length: Double = if case let .capsule(_, h) = scene.bodies[b].shape { 2 * h } else { 0.04 }
            return NeedleDef(length: length)
        }
        return TissueSystemModel(tissues: defs, needles: needleDefs)
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
        return BodyDef(kind: kind, pose: b.pose, shapes: [ShapeDef(geometry, material: material)], graspable: b.kind == .instrument)
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
