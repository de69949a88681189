import Testing
import PracticumCore
@testable import PracticumPhysics

/// The three determinism layers of DESIGN.md for the rigid core.
@Suite struct Determinism {
    /// A chaotic scene with every shape kind, a joint, a kinematic paddle and a hand that grasps.
    static func canonical() throws -> World {
        var rng = SeededRandom(seed: 7)
        let mat = MaterialDef(friction: 0.4, restitution: 0.3)
        let meshFloor = BodyDef(kind: .static, shapes: [ShapeDef(.triangleMesh(
            vertices: [Vec3(-1, 0, -1), Vec3(1, 0, -1), Vec3(1, 0.05, 1), Vec3(-1, 0, 1)], triangles: [0, 2, 1, 0, 3, 2]), material: mat)])
        var bodies = [meshFloor]
        let geometries: [Geometry] = [
            .sphere(radius: 0.04), .capsule(radius: 0.02, halfLength: 0.05), .box(halfExtents: Vec3(0.04, 0.03, 0.05)),
            .convexHull(points: [Vec3(0, 0.06, 0), Vec3(0.05, 0, 0), Vec3(-0.03, 0, 0.04), Vec3(-0.03, 0, -0.04), Vec3(0, -0.03, 0)]),
        ]
        for i in 0..<24 {
            let p = Vec3(rng.uniform(-0.3, 0.3), 0.1 + 0.08 * Double(i), rng.uniform(-0.3, 0.3))
            let q = Quat(axis: Vec3(rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1)), angle: rng.uniform(0, 3))
            bodies.append(BodyDef(pose: Pose(position: p, orientation: q), shapes: [ShapeDef(geometries[i % 4], material: mat)],
                                  angularVelocity: Vec3(rng.uniform(-5, 5), rng.uniform(-5, 5), rng.uniform(-5, 5)), graspable: i == 0))
        }
        bodies.append(BodyDef(kind: .kinematic, pose: Pose(position: Vec3(0, 0.1, 0)), shapes: [ShapeDef(.box(halfExtents: Vec3(0.3, 0.02, 0.02)))]))
        let joints = [JointDef(kind: .hinge(axis: .unitY), a: 2, b: 3, anchor: bodies[2].pose.position)]
        return try World(WorldDef(bodies: bodies, joints: joints, regions: [RegionDef(shape: .box(halfExtents: Vec3(0.2, 0.2, 0.2)))]))
    }

    static func inputs(_ tick: Int) -> [HandInput] {
        let t = Double(tick) / 240
        return [HandInput(pose: Pose(position: Vec3(-0.3 + 0.3 * t, 0.4 - 0.2 * t, 0)), grip: tick > 30 ? 1 : 0), HandInput()]
    }

    static func advance(_ w: inout World, to tick: Int) {
        while w.state.tick < tick {
            let t = w.state.tick
            w.setKinematicTarget(25, pose: Pose(position: Vec3(0, 0.1, 0), orientation: Quat(axis: .unitY, angle: 0.05 * Double(t + 1))))
            w.step(inputs: inputs(t))
        }
    }

    @Test func lockstepWorldsAgreeEveryTick() throws {
        var a = try Self.canonical(), b = try Self.canonical()
        for t in 1...240 {
            Self.advance(&a, to: t); Self.advance(&b, to: t)
            #expect(a.state == b.state, "diverged at tick \(t)")
            if a.state != b.state { break }
        }
        #expect(a.state.hash().value == b.state.hash().value)
    }

    /// Pinned: any change to results (solver, collision, ordering) changes this value; update it deliberately.
    @Test func goldenHashOfCanonicalScene() throws {
        var w = try Self.canonical()
        Self.advance(&w, to: 300)
        #expect(w.state.hash().hex == Self.golden, "hash \(w.state.hash().hex)")
        #expect(w.state.warnings == 0)
    }
    /// The release binary must give the same bits: `tools/check-determinism` runs
    /// `practicum bench sphere-pile --n 100 --ticks 240` (release) and compares its hash with this one.
    @Test func spherePileHashIsPinnedForTheReleaseCheck() throws {
        var w = try World(SpherePile.def(n: 100))
        for _ in 0..<240 { w.step() }
        #expect(w.state.hash().hex == Self.spherePileGolden, "hash \(w.state.hash().hex)")
    }

    static let spherePileGolden = "0c65fa9e75289021"

    static let golden = "f8a1dd5f45dff104"

    @Test func snapshotRestoreRerunGivesSameHash() throws {
        var w = try Self.canonical()
        Self.advance(&w, to: 100)
        let snapshot = w.state
        Self.advance(&w, to: 300)
        let expected = w.state.hash()
        var fresh = try Self.canonical()
        fresh.state = snapshot
        Self.advance(&fresh, to: 300)
        #expect(fresh.state.hash().value == expected.value)
        w.state = snapshot
        Self.advance(&w, to: 300)
        #expect(w.state.hash().value == expected.value)
    }
}
