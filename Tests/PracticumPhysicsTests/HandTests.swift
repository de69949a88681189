import Testing
import PracticumCore
import PracticumTestSupport
@testable import PracticumPhysics

@Suite struct Hands {
    /// A 0.2 kg instrument (capsule) on a table, a hand above it.
    static func scene() throws -> World {
        let table = BodyDef(kind: .static, pose: Pose(position: Vec3(0, -0.05, 0)), shapes: [ShapeDef(.box(halfExtents: Vec3(0.5, 0.05, 0.5)))])
        let scalpel = BodyDef(pose: Pose(position: Vec3(0, 0.3, 0)), shapes: [ShapeDef(.capsule(radius: 0.01, halfLength: 0.08), material: MaterialDef(density: 7850))],
                              graspable: true)
        let far = BodyDef(pose: Pose(position: Vec3(0.4, 0.3, 0)), shapes: [ShapeDef(.sphere(radius: 0.02))], graspable: true)
        return try World(WorldDef(bodies: [table, scalpel, far], gravity: .zero))
    }

    @Test func gripGraspsNearestGraspableWithinReachAndFollows() throws {
        var w = try Self.scene()
        let hand = Pose(position: Vec3(0.05, 0.3, 0))
        w.step(inputs: [HandInput(pose: hand, grip: 0)])
        #expect(w.observations().hands[0].grasped == nil)
        w.step(inputs: [HandInput(pose: hand, grip: 1)])
        #expect(w.observations().hands[0].grasped == 1)
        // move the hand 10 cm up over half a second: the instrument follows, keeping its offset
        for k in 1...120 {
            w.step(inputs: [HandInput(pose: Pose(position: hand.position + Vec3(0, 0.1 * Double(min(k, 60)) / 60, 0)), grip: 1)])
        }
        #expect(isClose(w.pose(of: 1).position, Vec3(0, 0.4, 0), abs: 1e-3))
        #expect(w.observations().hands[0].couplingForce < 0.01)
        // release
        w.step(inputs: [HandInput(pose: Pose(position: Vec3(0.05, 0.4, 0)), grip: 0)])
        #expect(w.observations().hands[0].grasped == nil)
    }

    /// The rule for two hands: a body held by one hand is not grasped by the other, unless it is
    /// two-handed; then both hold it (a hand-over: the first lets go and the second keeps it), and
    /// with both pulling it settles between their targets.
    @Test(arguments: [false, true])
    func aSecondHandTakesHoldOnlyOfATwoHandedBody(twoHanded: Bool) throws {
        var def = try Self.scene().model.def
        def.bodies[1].twoHanded = twoHanded
        var w = try World(def)
        let left = Pose(position: Vec3(-0.03, 0.3, 0)), right = Pose(position: Vec3(0.03, 0.3, 0))
        w.step(inputs: [HandInput(pose: left, grip: 1), HandInput(pose: right, grip: 0)])
        w.step(inputs: [HandInput(pose: left, grip: 1), HandInput(pose: right, grip: 1)])
        let held = w.observations().hands.map(\.grasped)
        #expect(held == (twoHanded ? [1, 1] : [1, nil]))
        #expect(w.graspCandidate(hand: 1, at: right.position) == (twoHanded ? 1 : nil))
        // the right hand moves 4 cm up, the left stays: held by both, the body goes half-way
        for _ in 0..<480 {
            w.step(inputs: [HandInput(pose: left, grip: 1), HandInput(pose: Pose(position: right.position + Vec3(0, 0.04, 0)), grip: 1)])
        }
        #expect(isClose(w.pose(of: 1).position.y, twoHanded ? 0.32 : 0.3, abs: 1e-3), "\(w.pose(of: 1).position)")
        // hand-over: the left lets go; the right keeps it (two-handed), or, its grip closed and the
        // body in reach, takes it on the same tick (hands are served in order), where it is
        for _ in 0..<240 {
            w.step(inputs: [HandInput(pose: left, grip: 0), HandInput(pose: Pose(position: right.position + Vec3(0, 0.04, 0)), grip: 1)])
        }
        #expect(w.observations().hands.map(\.grasped) == [nil, 1])
        #expect(isClose(w.pose(of: 1).position.y, twoHanded ? 0.34 : 0.3, abs: 1e-3), "\(w.pose(of: 1).position)")
    }

    /// An empty hand with a collision radius rests on anatomy: pushed 3 cm into the table (top at
    /// y = 0) it stays with its centre one radius above the top, and it slides along the top; with
    /// radius 0 it goes through. A hand that holds something is not stopped (the held body collides).
    @Test func anEmptyHandRestsOnTheTableAndAHoldingHandLetsItsInstrumentCollide() throws {
        var def = try Self.scene().model.def
        for h in def.hands.indices { def.hands[h].radius = 0.01 }
        var w = try World(def)
        for k in 0...60 {
            w.step(inputs: [HandInput(pose: Pose(position: Vec3(-0.2 + 0.002 * Double(k), -0.03, 0.1)), grip: 0)])
        }
        #expect(isClose(w.observations().hands[0].pose.position, Vec3(-0.08, 0.01, 0.1), abs: 1e-9), "\(w.observations().hands[0].pose)")
        // no collision radius: through the table
        var through = try Self.scene()
        through.step(inputs: [HandInput(pose: Pose(position: Vec3(-0.2, -0.03, 0.1)), grip: 0)])
        #expect(through.observations().hands[0].pose.position.y == -0.03)
        // holding the scalpel, the hand's tracked pose drives the coupling as before
        let hand = Pose(position: Vec3(0.05, 0.3, 0))
        w.step(inputs: [HandInput(pose: hand, grip: 1)])
        #expect(w.observations().hands[0].grasped == 1)
        for k in 1...240 {
            w.step(inputs: [HandInput(pose: Pose(position: hand.position - Vec3(0, 0.35 * Double(min(k, 120)) / 120, 0)), grip: 1)])
        }
        #expect(isClose(w.observations().hands[0].pose.position.y, -0.05, abs: 1e-9))
        #expect(w.pose(of: 1).position.y > 0.08, "the scalpel stops on the table: \(w.pose(of: 1).position)")
    }

    @Test func outOfReachIsNotGrasped() throws {
        var w = try Self.scene()
        w.step(inputs: [HandInput(pose: Pose(position: Vec3(0, 0.6, 0)), grip: 1)])
        #expect(w.observations().hands[0].grasped == nil)
    }

    /// Pressing a held instrument into the table: it stops at the surface, the hand goes on, and the
    /// coupling force equals stiffness × how far the hand target is below the instrument.
    @Test func pressedInstrumentStopsAtSurfaceAndCouplingForceIsMeasured() throws {
        var w = try Self.scene()
        let grasp = Pose(position: Vec3(0, 0.3, 0), orientation: Quat(axis: .unitZ, angle: .pi / 2))  // capsule lies along x
        w.step(inputs: [HandInput(pose: Pose(position: Vec3(0, 0.3, 0)), grip: 1)])
        _ = grasp
        // lower the hand to 2 cm below the table top over one second, then hold
        for k in 1...360 {
            let y = 0.3 - 0.32 * Double(min(k, 240)) / 240
            w.step(inputs: [HandInput(pose: Pose(position: Vec3(0, y, 0)), grip: 1)])
        }
        let bottom = w.pose(of: 1).position.y - 0.08 - 0.01       // capsule tip (vertical capsule)
        #expect(bottom > -0.002, "instrument went \(bottom) m into the table")
        let o = w.observations()
        let expected = HandDef().linearStiffness * (w.pose(of: 1).position.y - (-0.02))
        #expect(isClose(o.hands[0].couplingForce, expected, rel: 0.05), "force \(o.hands[0].couplingForce), expected \(expected)")
        // and the table pushes back with the same force
        #expect(isClose(o.contacts.first { $0.bodyA == 0 && $0.bodyB == 1 }?.normalForce ?? 0, o.hands[0].couplingForce, rel: 0.05))
    }

    /// A hand pressed 2 cm into the table past the instrument it holds is drawn on the instrument:
    /// where it took hold, carried by the body, not at the tracked pose below the table top.
    @Test func theHandOnAHeldBodyStaysWhereItTookHold() throws {
        var w = try Self.scene()
        #expect(w.handPoseOnHeldBody(0) == nil)
        w.step(inputs: [HandInput(pose: Pose(position: Vec3(0.01, 0.3, 0)), grip: 1)])
        #expect(isClose(try #require(w.handPoseOnHeldBody(0)).position, Vec3(0.01, 0.3, 0), abs: 1e-9))
        for k in 1...360 {
            w.step(inputs: [HandInput(pose: Pose(position: Vec3(0.01, 0.3 - 0.32 * Double(min(k, 240)) / 240, 0)), grip: 1)])
        }
        // the instrument rests on the table (its centre 9 cm up); the hand sits 1 cm beside it at that height
        let drawn = try #require(w.handPoseOnHeldBody(0))
        #expect(isClose(drawn.position, Vec3(0.01, w.pose(of: 1).position.y, 0), abs: 1e-6))
        #expect(drawn.position.y > 0.08 && w.observations().hands[0].pose.position.y < -0.019)
    }

    @Test func nonFiniteHandPoseIsRejectedAndCounted() throws {
        var w = try Self.scene()
        let good = Pose(position: Vec3(0.05, 0.3, 0))
        w.step(inputs: [HandInput(pose: good, grip: 1)])
        let before = w.state.warnings
        w.step(inputs: [HandInput(pose: Pose(position: Vec3(.nan, 0, 0)), grip: 1)])
        w.step(inputs: [HandInput(pose: Pose(position: Vec3(0, .infinity, 0)), grip: .nan)])
        #expect(w.state.warnings == before + 3)
        let o = w.observations()
        #expect(o.hands[0].pose == good)
        #expect(o.hands[0].grasped == 1)
        #expect(o.bodies.allSatisfy { $0.pose.isFinite && $0.linearVelocity.isFinite })
    }

    @Test func speedsAreBoundedAndCounted() throws {
        let fast = BodyDef(shapes: [ShapeDef(.sphere(radius: 0.01))], linearVelocity: Vec3(1000, 0, 0), angularVelocity: Vec3(0, 1000, 0))
        var w = try World(WorldDef(bodies: [fast], gravity: .zero))
        w.step()
        #expect(w.velocity(of: 0).linear.length <= w.model.def.maxLinearSpeed * (1 + 1e-12))
        #expect(w.state.angularVelocity[0].length <= w.model.def.maxAngularSpeed * (1 + 1e-12))
        #expect(w.state.warnings == 2)
    }
}

@Suite struct SensorsAndJoints {
    @Test func regionReportsEnterInsideAndExit() throws {
        let ball = BodyDef(pose: Pose(position: Vec3(0, 1, 0)), shapes: [ShapeDef(.sphere(radius: 0.01))])
        let carrier = BodyDef(kind: .kinematic, pose: Pose(position: Vec3(0.5, 0.5, 0)), shapes: [ShapeDef(.box(halfExtents: Vec3(0.01, 0.01, 0.01)))])
        let region = RegionDef(shape: .box(halfExtents: Vec3(0.1, 0.1, 0.1)), body: 1, pose: Pose(position: Vec3(-0.5, 0, 0)))
        var w = try World(WorldDef(bodies: [ball, carrier], regions: [region]))
        var entered: [Int] = [], exited: [Int] = []
        for t in 0..<240 {
            w.step()
            let o = w.observations()
            for e in o.sensorEvents { if e.entered { entered.append(t) } else { exited.append(t) } ; #expect(e.region == 0 && e.body == 0) }
            if w.pose(of: 0).position.y < 0.4 { break }
        }
        // the ball falls through the region around y = 0.5 ± 0.1 (origin-based detection)
        #expect(entered.count == 1 && exited.count == 1)
        // t = √(2·0.4/g) ≈ 0.286 s → tick ≈ 68
        #expect(abs(entered[0] - 68) <= 1)
    }

    @Test func contactBeganOnlyOnFirstTick() throws {
        var w = try World(WorldDef(bodies: [Scenes.floor(), Scenes.sphere(at: Vec3(0, 0.06, 0))]))
        var began: [Int] = [], touching = 0
        for t in 0..<60 {
            w.step()
            for c in w.observations().contacts { touching += 1; if c.began { began.append(t) } }
        }
        #expect(began.count == 1)
        #expect(touching > 40)
    }

    /// A ball resting on the floor is picked up by a hand: the contact reports a normal impulse equal
    /// to the weight × tick while resting, and its end on exactly one tick, when the ball leaves.
    @Test func contactEndsWhenTheBallIsLifted() throws {
        var ball = Scenes.sphere(at: Vec3(0, 0.05, 0))
        ball.graspable = true
        var w = try World(WorldDef(bodies: [Scenes.floor(), ball]))
        for _ in 0..<120 { w.step() }
        let resting = try #require(w.observations().contacts.first { $0.bodyA == 0 && $0.bodyB == 1 })
        let weight = w.model.mass(of: 1) * 9.81
        #expect(isClose(resting.impulse, weight * w.model.dt, rel: 0.01), "impulse \(resting.impulse)")
        #expect(w.observations().contactsEnded.isEmpty)
        var ended: [Int] = []
        for t in 0..<120 {
            w.step(inputs: [HandInput(pose: Pose(position: Vec3(0, 0.05 + 0.001 * Double(t), 0)), grip: 1)])
            let o = w.observations()
            if o.contactsEnded == [Observations.ContactEnd(bodyA: 0, bodyB: 1)] {
                ended.append(t)
                #expect(!o.contacts.contains { $0.bodyA == 0 && $0.bodyB == 1 })
            }
        }
        #expect(ended.count == 1, "ended on ticks \(ended)")
        #expect(w.pose(of: 1).position.y > 0.1)
    }

    @Test func hingePendulumKeepsItsAnchorAndSwingsInPlane() throws {
        let bob = BodyDef(pose: Pose(position: Vec3(0.3, 1, 0)), shapes: [ShapeDef(.sphere(radius: 0.03))])
        var w = try World(WorldDef(bodies: [bob], joints: [JointDef(kind: .hinge(axis: .unitZ), a: 0, b: nil, anchor: Vec3(0, 1, 0))]))
        var lowest = 1.0
        for _ in 0..<480 {
            w.step()
            let p = w.pose(of: 0).position
            // measured: the anchor gap grows to ~3 mm (1 % of the arm) over 2 s; one XPBD pass per substep
            #expect(abs(p.distance(to: Vec3(0, 1, 0)) - 0.3) < 5e-3)
            #expect(abs(p.z) < 1e-9)
            lowest = min(lowest, p.y)
        }
        #expect(isClose(lowest, 0.7, abs: 5e-3))
    }

    @Test func fixedJointWeldsTwoBodies() throws {
        let a = BodyDef(kind: .static, pose: Pose(position: Vec3(0, 1, 0)), shapes: [ShapeDef(.box(halfExtents: Vec3(0.05, 0.05, 0.05)))])
        let b = BodyDef(pose: Pose(position: Vec3(0.2, 1, 0)), shapes: [ShapeDef(.box(halfExtents: Vec3(0.05, 0.05, 0.05)))])
        var w = try World(WorldDef(bodies: [a, b], joints: [JointDef(kind: .fixed, a: 1, b: 0, anchor: Vec3(0.1, 1, 0))]))
        Scenes.run(&w, seconds: 2)
        #expect(isClose(w.pose(of: 1).position, Vec3(0.2, 1, 0), abs: 2e-3))
        #expect(w.pose(of: 1).orientation.angle < 0.02)
    }

    @Test func invalidDefinitionsNameTheElement() {
        #expect(throws: PhysicsModelError(path: "bodies[0]", message: "a dynamic body needs a shape with volume and positive density")) {
            try PhysicsModel(WorldDef(bodies: [BodyDef(shapes: [])]))
        }
        #expect(throws: PhysicsModelError(path: "bodies[0].shapes[0]", message: "triangle meshes are for static bodies only")) {
            try PhysicsModel(WorldDef(bodies: [BodyDef(shapes: [ShapeDef(.triangleMesh(vertices: [.zero, .unitX, .unitY], triangles: [0, 1, 2]))])]))
        }
        #expect(throws: PhysicsModelError.self) { try PhysicsModel(WorldDef(bodies: [BodyDef(shapes: [ShapeDef(.sphere(radius: -1))])])) }
        #expect(throws: PhysicsModelError.self) { try PhysicsModel(WorldDef(substeps: 0)) }
        #expect(throws: PhysicsModelError.self) { try PhysicsModel(WorldDef(regions: [RegionDef(body: 3)])) }
    }
}
