import Foundation
import Testing
import PracticumCore
import PracticumPhysics
import PracticumScenario
@testable import PracticumSession
import PracticumTestSupport

/// What a scenario writes reaches physics: springs become prismatic joints, layers keep every field.
@Suite struct SceneBuilderTests {
    /// A sprung plate (500 g on 500 N/m, 30 N·s/m) and a layered tissue with presets.
    func scenario() throws -> Scenario {
        try loadScenarioForScoring("\(repositoryRoot())/Tests/fixtures/sprung-layers.yaml").get()
    }

    @Test func aSpringIsAPrismaticJointWithItsStiffnessDampingAndAxis() throws {
        let def = SceneBuilder.worldDef(for: try scenario())
        #expect(def.joints.count == 1)
        let j = try #require(def.joints.first)
        #expect(j.a == 1 && j.b == nil && j.anchor == Vec3(0, 1, 0) && j.compliance == 0)
        guard case let .prismatic(axis, k, c) = j.kind else { Issue.record("not prismatic: \(j.kind)"); return }
        #expect(isClose(axis, .unitY, abs: 1e-15) && k == 500 && c == 30)
    }

    @Test func aSprungPlateSettlesAtItsWeightOverStiffnessAndStaysOnItsAxis() throws {
        var s = try Session(scenario: try scenario())
        let start = s.world.pose(of: 1)
        var worstAcross = 0.0
        for _ in 0..<(3 * 240) {
            s.step(InputFrame(time: s.time))
            let p = s.world.pose(of: 1).position
            worstAcross = max(worstAcross, Vec3(p.x, 0, p.z).length)
        }
        let end = s.world.pose(of: 1)
        // 0.5 kg × 9.81 m/s² / 500 N/m = 9.81 mm below, near critical damping (ζ = 30 / (2√(500 · 0.5)) = 0.95)
        #expect(isClose(end.position.y, 1 - 0.5 * 9.81 / 500, abs: 1e-9), "y \(end.position.y)")
        #expect(worstAcross < 1e-12)
        #expect((end.orientation * start.orientation.conjugate).angle < 1e-9)
    }

    @Test func theCPRChestIsOnAPrismaticJoint() throws {
        let cpr = try loadScenarioForScoring("\(repositoryRoot())/scenarios/cpr-adult/scenario.yaml").get()
        let chest = try #require(cpr.bodyIndex("chest"))
        let j = try #require(SceneBuilder.worldDef(for: cpr).joints.first { $0.a == chest })
        #expect(j.kind == .prismatic(axis: .unitY, stiffness: 1500, damping: 0))
    }

    @Test func layersReachPhysicsWithEveryField() throws {
        let layers = try scenario().scene.tissues[0].layers
        // a field added to the authored layer must be passed on by layerDef (and counted here)
        #expect(Mirror(reflecting: layers[0]).children.count == 7)
        let defs = layers.map(SceneBuilder.layerDef)
        #expect(defs[0] == TissueLayerDef.preset("skin", thickness: 0.002))
        var wall = try #require(TissueLayerDef.preset("vein wall", thickness: 0.001))
        wall.name = "wall"; wall.punctureForce = 0.8
        #expect(defs[1] == wall)
        #expect(defs[2] == TissueLayerDef(name: "blood", kind: .lumen, thickness: 0.003, stiffness: 500, punctureForce: 0, friction: 20, cuttingForce: 0))
        #expect(defs[3].kind == .lumen)
        #expect(defs[4] == TissueLayerDef(name: "back", kind: .tissue, thickness: 0.001, stiffness: 1, punctureForce: 0, friction: 0, cuttingForce: 0))
        #expect(defs[5] == TissueLayerDef(name: "space", kind: .cavity, thickness: 0.004, stiffness: 1, punctureForce: 0, friction: 5, cuttingForce: 0.2))
    }
}
