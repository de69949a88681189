import Foundation
import Testing
import PracticumCore
import PracticumScenario
import PracticumTestSupport
@testable import PracticumViewer

/// Every shipped procedure is drawn from its meshes: each body, region and tissue with a `visual`
/// puts that mesh (all its triangles, in its own colours where the file gives them) in the draw
/// list, no primitive box stands in for it, and the hands are drawn as hand meshes — the viewer's
/// own (assets/meshes/hand-*.glb) or the scenario's `cues.hands` (the FLS graspers), closing with
/// the grip, at the instrument they hold.
@Suite struct MeshDrawTests {
    static let root = repositoryRoot()
    static let viewerHands = try! HandModel.load(open: root + "/assets/meshes/hand-open.glb", closed: root + "/assets/meshes/hand-closed.glb")

    /// The mesh ids the draw list draws, with the number of triangle indices each has.
    static func drawnMeshes(_ list: DrawList) -> [Int: Int] {
        let items = list.opaque + list.translucent
        let ids = Set(items.compactMap { if case let .mesh(id) = $0.geometry { id } else { nil } })
        return Dictionary(uniqueKeysWithValues: list.meshes.filter { ids.contains($0.id) }.map { ($0.id, $0.indices.count) })
    }

    @Test(arguments: SmokeTests.shippedScenarios)
    func everyVisualIsDrawnAsItsMesh(id: String) throws {
        let sim = try ScenarioSimulation(path: "\(Self.root)/scenarios/\(id)/scenario.yaml", hands: Self.viewerHands)
        let s = sim.session.scenario
        let scene = sim.viewScene()
        let drawn = Self.drawnMeshes(DrawList(scene: scene, eye: Vec3(0, 2, 2)))
        var visuals = 0
        func expectDrawn(_ meshID: Int, _ v: MeshVisual, _ what: String) throws {
            let asset = try #require(s.scene.meshes[v.mesh], "\(id): \(what)'s mesh was not loaded")
            #expect(drawn[meshID] == asset.corners.count, "\(id): \(what) is not drawn as its mesh (\(asset.corners.count) indices)")
            visuals += 1
        }
        for (i, b) in s.scene.bodies.enumerated() {
            guard let v = b.visual else { continue }
            let drawable = try #require(scene.drawables.first { $0.id == i }, "\(id): body \(b.id) is not drawn")
            guard case let .mesh(m) = drawable.shape else { Issue.record("\(id): body \(b.id) is drawn as a primitive"); continue }
            try expectDrawn(m.id, v, "body \(b.id)")
            // in the file's own colours unless the body names one
            if !v.tinted, s.scene.meshLooks[v.mesh] != nil { #expect(!m.colors.isEmpty, "\(id): \(b.id) drawn without its colours") }
        }
        for (i, r) in s.scene.regions.enumerated() { if let v = r.visual { try expectDrawn(ScenarioSimulation.regionMeshID + i, v, "region \(r.id)") } }
        for (k, t) in s.scene.tissues.enumerated() { if let v = t.visual { try expectDrawn(ScenarioSimulation.tissueMeshID + k, v, "tissue \(t.id)") } }
        #expect(visuals >= 2, "\(id): only \(visuals) visuals")
        // both hands as hand meshes: the scenario's own, or the viewer's
        let hands = HandModel.scenario(s) ?? Self.viewerHands
        let handMeshes = drawn.filter { $0.key >= HandModel.firstID && $0.key < HandModel.firstID + HandModel.levels }
        #expect(!handMeshes.isEmpty && handMeshes.values.allSatisfy { $0 == hands.poses[0].indices.count }, "\(id): hands \(handMeshes)")
        #expect(scene.hands.count == 2 && scene.handModel != nil)
    }

    /// The grip picks the pose: open at 0, closed at 1, in between by level; the FLS graspers' jaws
    /// (cues.hands) open and close with it.
    @Test func theHandMeshClosesWithTheGrip() throws {
        let fls = try ScenarioSimulation(path: "\(Self.root)/scenarios/fls-peg-transfer/scenario.yaml").session.scenario
        for model in [Self.viewerHands, try #require(HandModel.scenario(fls))] {
            let open = model.mesh(grip: 0), closed = model.mesh(grip: 1), half = model.mesh(grip: 0.5)
            #expect(open.id == HandModel.firstID && closed.id == HandModel.firstID + HandModel.levels - 1)
            #expect(open.positions != closed.positions && half.positions != open.positions && half.positions != closed.positions)
        }
    }

    /// A single-sided mesh (glTF's default) skips its back faces like the closed primitives; a
    /// double-sided one (OBJ, `doubleSided: true`) and a mirrored one draw both sides.
    @Test func singleSidedMeshesCullTheirBackFaces() {
        var single = TriangleMesh(id: 1, positions: [.zero, .unitX, .unitY], indices: [0, 1, 2])
        single.doubleSided = false
        var double = single
        double.id = 2; double.doubleSided = true
        var scene = ViewScene(time: 0)
        scene.drawables = [Drawable(id: 1, shape: .mesh(single), color: .white), Drawable(id: 2, shape: .mesh(double), color: .white),
                           Drawable(id: 3, shape: .mesh(single), scale: Vec3(-1, 1, 1), color: .white)]
        let list = DrawList(scene: scene, eye: Vec3(0, 0, 5))
        let culled = list.opaque.map { ($0.geometry, $0.cullBackFaces, $0.model.linearDeterminant > 0) }
        #expect(culled.filter { $0.2 }.map { [$0.0 == .mesh(id: 1), $0.1] } .contains([true, true]))
        #expect(culled.contains { $0.0 == .mesh(id: 2) && !$0.1 })
        #expect(culled.contains { $0.0 == .mesh(id: 1) && !$0.2 && !$0.1 })
    }
}
