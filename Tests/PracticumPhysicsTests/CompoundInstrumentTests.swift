import Foundation
import Testing
import PracticumCore
@testable import PracticumPhysics
import PracticumTestSupport

/// Joint limits, joint positions, and compound instruments: a part joined to the part a hand holds
/// follows it through the joint.
@Suite struct CompoundInstrumentTests {
    /// A 1 kg box (10 cm, water) at (0, 1, 0) on a free vertical slide to the world, limited to `limits`.
    func limitedSlide(_ limits: ClosedRange<Double>, velocity: Vec3 = .zero) throws -> World {
        let box = BodyDef(pose: Pose(position: Vec3(0, 1, 0)), shapes: [ShapeDef(.box(halfExtents: Vec3(0.05, 0.05, 0.05)))],
                          linearVelocity: velocity)
        let joint = JointDef(kind: .prismatic(axis: .unitY), a: 0, b: nil, anchor: Vec3(0, 1, 0), limits: limits)
        return try World(WorldDef(bodies: [box], joints: [joint]))
    }

    @Test func aSlideStopsAtItsLowerLimitUnderGravity() throws {
        var w = try limitedSlide(-0.02...0.03)
        var lowest = 0.0
        Scenes.run(&w, seconds: 1) { lowest = min(lowest, $0.jointPosition(0)) }
        #expect(isClose(w.jointPosition(0), -0.02, abs: 1e-9))
        #expect(isClose(w.pose(of: 0).position, Vec3(0, 0.98, 0), abs: 1e-9))
        // never more than one substep's fall (g·h²) past the stop
        let h = w.model.dt / Double(w.model.substeps)
        #expect(lowest > -0.02 - 9.81 * h * h, "went to \(lowest)")
        #expect(w.velocity(of: 0).linear.length < 1e-9)
    }

    @Test func aSlideThrownUpStopsAtItsUpperLimit() throws {
        var w = try limitedSlide(-0.02...0.03, velocity: Vec3(0, 1, 0))
        var highest = 0.0
        Scenes.run(&w, seconds: 0.05) { highest = max(highest, $0.jointPosition(0)) }
        // 1 m/s would carry it 5 cm; the stop holds it at 3 cm (to within one substep's travel)
        #expect(highest <= 0.03 + 1e-9)
        #expect(isClose(highest, 0.03, abs: 1e-9))
    }

    /// A 20 cm bar hinged at its left end to the world about z, falling from horizontal.
    @Test func aHingeStopsAtItsLimitAndReportsItsAngle() throws {
        let bar = BodyDef(pose: Pose(position: Vec3(0.1, 1, 0)), shapes: [ShapeDef(.box(halfExtents: Vec3(0.1, 0.01, 0.01)))])
        let hinge = JointDef(kind: .hinge(axis: .unitZ), a: 0, b: nil, anchor: Vec3(0, 1, 0), limits: (-Double.pi / 6)...(Double.pi / 6))
        var w = try World(WorldDef(bodies: [bar], joints: [hinge]))
        Scenes.run(&w, seconds: 1.5)
        // it turns clockwise about +z (a negative angle) and rests on the −30° stop (one projection per
        // substep holds the stop and the anchor together to within 0.01° and 10 µm against gravity)
        #expect(isClose(w.jointPosition(0), -Double.pi / 6, abs: 2e-4))
        let p = w.pose(of: 0)
        #expect(isClose(p.orientation.rotate(.unitX), Vec3(cos(Double.pi / 6), -sin(Double.pi / 6), 0), abs: 2e-4))
        // the left end stays on the anchor
        #expect(isClose(p.transform(Vec3(-0.1, 0, 0)), Vec3(0, 1, 0), abs: 1e-5))
    }

    @Test func jointPositionIsZeroAtCreationAndSignedAsDocumented() throws {
        let bar = BodyDef(pose: Pose(position: Vec3(0.1, 1, 0)), shapes: [ShapeDef(.box(halfExtents: Vec3(0.1, 0.01, 0.01)))])
        var w = try World(WorldDef(bodies: [bar, bar], joints: [JointDef(kind: .hinge(axis: .unitZ), a: 0, b: nil, anchor: Vec3(0, 1, 0)),
                                                                   JointDef(kind: .fixed, a: 1, b: nil, anchor: Vec3(0, 1, 0))],
                                   gravity: .zero))
        #expect(w.jointPosition(0) == 0 && w.jointPosition(1) == 0)
        w.teleport(0, to: Pose(position: Vec3(0, 1.1, 0), orientation: Quat(axis: .unitZ, angle: .pi / 2)))
        #expect(isClose(w.jointPosition(0), .pi / 2, abs: 1e-12))
    }

    /// A syringe: a barrel (a 6 cm capsule, graspable) and a plunger (a 5 cm capsule inside it) on a
    /// damped slide along the barrel's axis, limited to 3 cm down and none up; a grasper jaw (a 2 cm
    /// box) hinged beside the barrel's bottom about z, ±20°, clear of the plunger. A hand takes the barrel.
    static func syringe() throws -> World {
        let steel = MaterialDef(density: 7850)
        let barrel = BodyDef(pose: Pose(position: Vec3(0, 1, 0)), shapes: [ShapeDef(.capsule(radius: 0.006, halfLength: 0.03), material: steel)],
                             graspable: true)
        let plunger = BodyDef(pose: Pose(position: Vec3(0, 1.01, 0)), shapes: [ShapeDef(.capsule(radius: 0.004, halfLength: 0.025))])
        let jaw = BodyDef(pose: Pose(position: Vec3(0.018, 0.964, 0)), shapes: [ShapeDef(.box(halfExtents: Vec3(0.01, 0.002, 0.004)))])
        return try World(WorldDef(bodies: [barrel, plunger, jaw], joints: [
            JointDef(kind: .prismatic(axis: .unitY, damping: 0.5), a: 1, b: 0, anchor: Vec3(0, 1.01, 0), limits: -0.03...0),
            JointDef(kind: .hinge(axis: .unitZ), a: 2, b: 0, anchor: Vec3(0.008, 0.964, 0), limits: (-Double.pi / 9)...(Double.pi / 9)),
        ]))
    }

    /// The hand's path: grasp at the barrel, then up 10 cm, across 10 cm and tilted 45° about x over 1 s, then hold.
    static func hand(_ tick: Int) -> HandInput {
        let s = Double(min(tick, 240)) / 240
        return HandInput(pose: Pose(position: Vec3(0.1 * s, 1 + 0.1 * s, 0), orientation: Quat(axis: .unitX, angle: .pi / 4 * s)), grip: 1)
    }

    @Test func partsJoinedToAHeldInstrumentFollowTheHand() throws {
        var w = try Self.syringe()
        var worstAcross = 0.0, worstTurn = 0.0, worstJaw = 0.0, lowest = 0.0
        for tick in 0..<480 {
            w.step(inputs: [Self.hand(tick)])
            #expect(w.observations().hands[0].grasped == 0)
            let barrel = w.pose(of: 0), plunger = w.pose(of: 1), jaw = w.pose(of: 2)
            // the plunger stays on the barrel's axis and turns with it
            let axis = barrel.orientation.rotate(.unitY)
            let d = plunger.position - barrel.position
            worstAcross = max(worstAcross, (d - axis * d.dot(axis)).length)
            worstTurn = max(worstTurn, (plunger.orientation.rotate(.unitY) - axis).length)
            lowest = min(lowest, w.jointPosition(0))
            // the jaw's hinge point stays beside the barrel's bottom
            worstJaw = max(worstJaw, (jaw.transform(Vec3(-0.01, 0, 0)) - barrel.transform(Vec3(0.008, -0.036, 0))).length)
        }
        #expect(isClose(w.pose(of: 0).position, Vec3(0.1, 1.1, 0), abs: 2e-3))
        #expect(worstAcross < 1e-4, "plunger left the axis by \(worstAcross)")
        #expect(worstTurn < 5e-3, "plunger turned from the axis by \(worstTurn)")
        #expect(worstJaw < 1e-4, "jaw came off its hinge by \(worstJaw)")
        // the plunger sank under gravity to its stop, 3 cm down the barrel, and no farther
        #expect(lowest >= -0.03 - 1e-4)
        #expect(isClose(w.jointPosition(0), -0.03, abs: 1e-4))
        // the jaw fell to a stop, 20° about the barrel's z
        #expect(abs(abs(w.jointPosition(1)) - Double.pi / 9) < 2e-3, "jaw at \(w.jointPosition(1))")
    }

    @Test func aCompoundInstrumentRunsTheSameTwice() throws {
        var a = try Self.syringe(), b = try Self.syringe()
        for tick in 0..<360 {
            a.step(inputs: [Self.hand(tick)]); b.step(inputs: [Self.hand(tick)])
            #expect(a.state.hash().value == b.state.hash().value, "tick \(tick)")
        }
        #expect(a.jointPosition(0).bitPattern == b.jointPosition(0).bitPattern)
    }

    @Test(arguments: [(-0.01...(-0.001), "limits must be finite and hold 0 (a hinge's within −π…π)"),
                      ((-4.0)...0, "limits must be finite and hold 0 (a hinge's within −π…π)")])
    func badLimitsAreRefused(_ limits: ClosedRange<Double>, _ message: String) throws {
        let bar = BodyDef(shapes: [ShapeDef(.box(halfExtents: Vec3(0.1, 0.01, 0.01)))])
        #expect(throws: PhysicsModelError(path: "joints[0]", message: message)) {
            try World(WorldDef(bodies: [bar], joints: [JointDef(kind: .hinge(axis: .unitZ), a: 0, limits: limits)]))
        }
    }
}
