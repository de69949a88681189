import Testing
import PracticumCore
import PracticumTestSupport
@testable import PracticumPhysics

/// Sleeping (`WorldDef.sleep`): bodies at rest stop being simulated, keep their contacts, and wake
/// whole islands when disturbed.
@Suite struct Sleeping {
    static let floor = BodyDef(kind: .static, pose: Pose(position: Vec3(0, -0.05, 0)), shapes: [ShapeDef(.box(halfExtents: Vec3(1, 0.05, 1)))])
    static func box(at p: Vec3, graspable: Bool = false) -> BodyDef {
        BodyDef(pose: Pose(position: p), shapes: [ShapeDef(.box(halfExtents: Vec3(0.05, 0.05, 0.05)))], graspable: graspable)
    }
    /// Floor, a box dropped from 1 cm, and a stack of two boxes beside it; sleeping on.
    static func scene(extra: [BodyDef] = []) throws -> World {
        var def = WorldDef(bodies: [floor, box(at: Vec3(0, 0.06, 0), graspable: true), box(at: Vec3(0.5, 0.05, 0)), box(at: Vec3(0.5, 0.15, 0))] + extra)
        def.sleep = SleepDef()
        return try World(def)
    }

    @Test func offByDefault() throws {
        #expect(WorldDef().sleep == nil)
        var w = try World(WorldDef(bodies: [Self.floor, Self.box(at: Vec3(0, 0.05, 0))]))
        for _ in 0..<480 { w.step() }
        #expect(!w.isAsleep(1))
    }

    @Test func restingBodiesFallAsleepStillAndKeepTheirContacts() throws {
        var w = try Self.scene()
        var asleepAt: Int?
        for k in 0..<720 {
            w.step()
            if asleepAt == nil && w.isAsleep(1) { asleepAt = k }
        }
        // settles within a few ticks, then rests for SleepDef().time = 0.5 s = 120 ticks
        let tick = try #require(asleepAt)
        #expect(tick >= 120 && tick < 240, "fell asleep at tick \(tick)")
        #expect(w.isAsleep(2) && w.isAsleep(3))
        let pose = w.pose(of: 1), hash = w.state.hash().value
        let before = w.observations()
        for _ in 0..<240 { w.step() }
        #expect(w.pose(of: 1) == pose)
        #expect(w.kineticEnergy == 0)
        #expect(w.state.hash().value != hash)        // the tick counter moves on
        // the contacts of sleeping bodies are still reported, with the same forces, not as new
        let after = w.observations()
        #expect(after.contacts.map(\.bodyA) == before.contacts.map(\.bodyA))
        #expect(after.contacts.map(\.bodyB) == before.contacts.map(\.bodyB))
        #expect(after.contacts.map(\.normalForce) == before.contacts.map(\.normalForce))
        #expect(after.contacts.allSatisfy { !$0.began })
        let floorOnBox = try #require(after.contacts.first { $0.bodyA == 0 && $0.bodyB == 1 })
        let weight = w.model.mass(of: 1) * 9.81
        #expect(isClose(floorOnBox.normalForce, weight, rel: 0.02), "\(floorOnBox.normalForce) vs \(weight)")
    }

    @Test func graspWakesAndTheBodyFollowsTheHand() throws {
        var w = try Self.scene()
        for _ in 0..<360 { w.step() }
        #expect(w.isAsleep(1))
        let hand = w.pose(of: 1)
        for k in 0..<120 {
            let lift = Pose(position: hand.position + Vec3(0, 0.1 * Double(k) / 120, 0), orientation: hand.orientation)
            w.step(inputs: [HandInput(pose: lift, grip: 1)])
        }
        #expect(!w.isAsleep(1))
        #expect(w.pose(of: 1).position.y > 0.14)
        // the stack elsewhere sleeps on
        #expect(w.isAsleep(2) && w.isAsleep(3))
    }

    /// A ball rolled into the bottom box of a sleeping stack wakes both boxes (one island).
    @Test func aMovingBodyWakesTheWholeIsland() throws {
        let ball = BodyDef(pose: Pose(position: Vec3(0.2, 0.03, 0)), shapes: [ShapeDef(.sphere(radius: 0.03), material: MaterialDef(density: 7850))])
        var w = try Self.scene(extra: [ball])
        for _ in 0..<360 { w.step() }
        #expect(w.isAsleep(2) && w.isAsleep(3) && w.isAsleep(4))
        w.teleport(4, to: Pose(position: Vec3(0.2, 0.03, 0)))
        var s = w.state
        s.linearVelocity[4] = Vec3(2, 0, 0)
        w.state = s
        var woke = false
        for _ in 0..<60 {
            w.step()
            if !w.isAsleep(2) && !w.isAsleep(3) { woke = true }
        }
        #expect(woke)
        #expect(w.pose(of: 2).position.x > 0.5 + 1e-4, "the bottom box was not pushed")
    }

    @Test func teleportAndMaterialChangesWake() throws {
        var w = try Self.scene()
        for _ in 0..<360 { w.step() }
        #expect(w.isAsleep(1) && w.isAsleep(2))
        w.teleport(1, to: Pose(position: Vec3(0, 0.3, 0)))
        #expect(!w.isAsleep(1))
        w.setMaterial(2, staticFriction: 0.1, dynamicFriction: 0.1, restitution: 0)
        #expect(!w.isAsleep(2))
        for _ in 0..<60 { w.step() }
        #expect(w.pose(of: 1).position.y < 0.25, "a teleported body falls again")
    }

    @Test func snapshotRestoreAcrossSleepIsExact() throws {
        var w = try Self.scene()
        for _ in 0..<100 { w.step() }
        let snapshot = w.state
        for _ in 0..<300 { w.step() }
        let reference = w.state.hash().value
        w.state = snapshot
        for _ in 0..<300 { w.step() }
        #expect(w.state.hash().value == reference)
    }

    @Test func invalidSettingsAreRejected() {
        var def = WorldDef()
        def.sleep = SleepDef(linearSpeed: -1)
        #expect(throws: PhysicsModelError.self) { try PhysicsModel(def) }
        def.sleep = SleepDef(time: .nan)
        #expect(throws: PhysicsModelError.self) { try PhysicsModel(def) }
    }
}
