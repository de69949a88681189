import Foundation
import Testing
import PracticumCore
import PracticumPhysics
import PracticumScenario
@testable import PracticumSession
import PracticumTestSupport

/// A scenario's joints reach physics after its springs, and a hand holding one part of a compound
/// instrument carries the others (Tests/fixtures/compound-instruments.yaml).
@Suite struct CompoundSceneTests {
    func scenario() throws -> Scenario {
        try loadScenarioForScoring("\(repositoryRoot())/Tests/fixtures/compound-instruments.yaml").get()
    }

    @Test func jointsBecomePhysicsJointsWithTheirKindsAnchorsAndLimits() throws {
        let s = try scenario()
        let def = SceneBuilder.worldDef(for: s)
        try #require(def.joints.count == 4)
        #expect(SceneBuilder.jointIndex(2, in: s.scene) == 2)   // no springs in this scene
        let slide = def.joints[0]
        #expect(slide.a == 2 && slide.b == 1 && slide.anchor == Vec3(0, 1.01, 0) && slide.limits == -0.03...0)
        #expect(slide.kind == .prismatic(axis: .unitY, stiffness: 0, damping: 0.5))
        #expect(def.joints[1].kind == .fixed && def.joints[1].a == 4 && def.joints[1].b == 3 && def.joints[1].limits == nil)
        #expect(def.joints[2].kind == .hinge(axis: .unitZ) && def.joints[2].a == 6 && def.joints[2].b == 5)
        #expect(def.joints[3].b == nil)
        // and the world builds
        _ = try World(def)
    }

    @Test func jointIndexCountsTheSpringsFirst() throws {
        let cpr = try loadScenarioForScoring("\(repositoryRoot())/Tests/fixtures/sprung-layers.yaml").get()
        #expect(SceneBuilder.jointIndex(0, in: cpr.scene) == 1)
    }

    /// The left hand takes the barrel and carries it 10 cm up and 10 cm across over a second.
    static func frame(_ tick: Int, time: Double) -> InputFrame {
        let s = Double(min(tick, 240)) / 240
        return InputFrame(time: time, hands: [HandInput(pose: Pose(position: Vec3(0.1 * s, 1 + 0.1 * s, 0)), grip: 1), HandInput()])
    }

    @Test func aHandHoldingTheBarrelCarriesThePlungerInIt() throws {
        let scenario = try scenario()
        var s = try Session(scenario: scenario)
        let slide = SceneBuilder.jointIndex(0, in: scenario.scene), stylet = SceneBuilder.jointIndex(1, in: scenario.scene)
        var worstAcross = 0.0, lowest = 0.0
        for tick in 0..<480 {
            s.step(Self.frame(tick, time: s.time))
            let barrel = s.world.pose(of: 1).position, plunger = s.world.pose(of: 2).position
            worstAcross = max(worstAcross, Vec3(plunger.x - barrel.x, 0, plunger.z - barrel.z).length)
            lowest = min(lowest, s.world.jointPosition(slide))
        }
        #expect(s.world.observations().hands[0].grasped == 1)
        #expect(isClose(s.world.pose(of: 1).position, Vec3(0.1, 1.1, 0), abs: 2e-3))
        #expect(worstAcross < 1e-4, "plunger left the barrel's axis by \(worstAcross)")
        // the plunger sank to its stop 3 cm down the barrel and stayed in it
        #expect(lowest >= -0.03 - 1e-4)
        #expect(isClose(s.world.jointPosition(slide), -0.03, abs: 1e-4))
        // the stylet, welded in the needle, has not moved relative to it
        #expect(s.world.jointPosition(stylet) == 0)
        let needle = s.world.pose(of: 3), styletPose = s.world.pose(of: 4)
        #expect(isClose(needle.position, styletPose.position, abs: 1e-6))
    }

    /// docs/examples/syringe-and-grasper.yaml played: the left hand lifts the barrel 5 cm, the right
    /// hand takes the plunger and pulls 6 cm back; the plunger stops at its 4 cm limit and never
    /// passes it (the barrel is pulled along instead), the steps complete, and the grasper's jaw
    /// stays closed on its stop at 0°.
    @Test func theDocsSyringeIsDrawnBackToItsLimit() throws {
        let scenario = try loadScenarioForScoring("\(repositoryRoot())/docs/examples/syringe-and-grasper.yaml").get()
        var s = try Session(scenario: scenario)
        let slide = SceneBuilder.jointIndex(0, in: scenario.scene), hinge = SceneBuilder.jointIndex(1, in: scenario.scene)
        var farthest = 0.0, widestJaw = 0.0
        for tick in 0..<960 where !s.ended {
            let lift = Double(min(tick, 120)) / 120, pull = Double(min(max(tick - 240, 0), 240)) / 240
            let left = HandInput(pose: Pose(position: Vec3(0, 0.807 + 0.05 * lift, 0)), grip: 1)
            let right = HandInput(pose: Pose(position: Vec3(0.03 + 0.06 * pull, 0.807 + 0.05 * lift, 0)), grip: tick >= 180 ? 1 : 0)
            s.step(InputFrame(time: s.time, hands: [left, right]))
            farthest = max(farthest, s.world.jointPosition(slide)); widestJaw = max(widestJaw, abs(s.world.jointPosition(hinge)))
        }
        // what the steps' joint_position(…) read: every physics joint's position
        #expect(s.world.observations().joints == [s.world.jointPosition(slide), s.world.jointPosition(hinge)])
        #expect(s.world.observations().hands.map(\.grasped) == [1, 2])
        #expect(s.ended && s.runner.state.steps == [.completed, .completed, .completed])
        #expect(isClose(s.world.jointPosition(slide), 0.04, abs: 1e-4), "plunger at \(s.world.jointPosition(slide))")
        #expect(farthest < 0.04 + 1e-4, "plunger went to \(farthest)")
        // (a light part on a stop against gravity sits within a fraction of a degree of it: one
        // projection per substep shares the error between the stop and the hinge's anchor)
        #expect(widestJaw < 5e-3, "jaw opened to \(widestJaw)")
    }

    @Test func twoSessionsWithCompoundInstrumentsRunInLockstep() throws {
        let scenario = try scenario()
        var a = try Session(scenario: scenario), b = try Session(scenario: scenario)
        for tick in 0..<240 {
            a.step(Self.frame(tick, time: a.time)); b.step(Self.frame(tick, time: b.time))
            #expect(a.world.state.hash().value == b.world.state.hash().value, "tick \(tick)")
        }
    }
}
