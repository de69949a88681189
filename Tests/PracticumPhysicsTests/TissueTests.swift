import Foundation
import Testing
import PracticumCore
import PracticumPhysics
import PracticumTestSupport

@Suite struct TetMeshTests {
    @Test func pokeGridHasTheIssuesCounts() {
        let mesh = TissueBenchScenes.pokeBody().mesh
        #expect(mesh.points.count == 405)
        #expect(mesh.tets.count == 1536)
        // boundary of a 8×4×8-cube box: 2 triangles per cube face
        #expect(mesh.surface.count == 2 * (2 * 8 * 8 + 4 * 8 * 4))
        var total = 0.0
        for i in mesh.tets.indices {
            let v = mesh.volume(ofTet: i)
            #expect(v > 0)
            total += v
        }
        #expect(isClose(total, 0.1 * 0.1 * 0.05, abs: 1e-15))
    }

    @Test func surfaceFacesPointOutward() {
        let mesh = TetMesh.box(minimum: .zero, size: Vec3(1, 1, 1), counts: (3, 3, 3))
        let centre = Vec3(0.5, 0.5, 0.5)
        for f in mesh.surface {
            let a = mesh.points[Int(f[0])], b = mesh.points[Int(f[1])], c = mesh.points[Int(f[2])]
            let n = (b - a).cross(c - a)
            #expect(n.dot((a + b + c) / 3 - centre) > 0)
        }
    }

    @Test func textRoundTrips() throws {
        let mesh = TetMesh.box(minimum: Vec3(-1, 0, 2), size: Vec3(0.3, 0.2, 0.1), counts: (3, 2, 2))
        let back = try TetMesh(text: mesh.text)
        #expect(back == mesh)
        #expect(throws: TetMesh.ParseError.self) { try TetMesh(text: "tetmesh 1\npoints 1\n0 0\n") }
    }

    @Test func committedPokeMeshMatchesTheGenerator() throws {
        let text = try String(contentsOfFile: repositoryRoot() + "/assets/meshes/tissue-poke-block.tet", encoding: .utf8)
        let mesh = try TetMesh(text: text)
        let generated = TissueBenchScenes.pokeBody().mesh
        #expect(mesh.tets == generated.tets)
        #expect(mesh.points.count == generated.points.count)
        for (a, b) in zip(mesh.points, generated.points) { #expect(isClose(a, b, abs: 1e-12)) }
    }
}

@Suite struct SoftBodyTests {
    /// A column of tissue compressed between two frictionless plates (large spheres), free to bulge sideways.
    /// Returns the plate force (N) at equilibrium for the given strain.
    static func compressionForce(strain: Double, nu: Double) -> Double {
        let width = 0.02, height = 0.04
        let mesh = TetMesh.box(minimum: Vec3(-width / 2, 0, -width / 2), size: Vec3(width, height, width), counts: (3, 5, 3))
        let def = SoftBodyDef(mesh: mesh, youngsModulus: 50_000, poissonRatio: nu, density: 1000, damping: 40,
                              pinned: [], gravity: .zero, substeps: 10)
        let model = SoftBodyModel(def)
        var state = model.makeState()
        // plates: huge spheres whose caps are flat over the block (sag over 14 mm at R = 100 m: 1 µm)
        let radius = 100.0
        func plates(_ s: Double) -> [ToolShape] {
            [ToolShape(geometry: .sphere(radius: radius), pose: Pose(position: Vec3(0, -radius, 0)), friction: 0),
             ToolShape(geometry: .sphere(radius: radius), pose: Pose(position: Vec3(0, height * (1 - s) + radius, 0)), friction: 0)]
        }
        state.toolPoses = plates(0).map(\.pose)
        let ramp = 240, hold = 480
        var force = 0.0
        for k in 0..<(ramp + hold) {
            let s = strain * min(1, Double(k + 1) / Double(ramp))
            model.step(&state, dt: 1.0 / 240, tools: plates(s))
            force = state.toolForces[1].y
        }
        return force
    }

    @Test(arguments: [(0.01, 0.3), (0.03, 0.3), (0.02, 0.45), (0.04, 0.45)])
    func uniaxialCompressionMatchesLinearElasticity(strain: Double, nu: Double) {
        let expected = 50_000 * 0.02 * 0.02 * strain  // F = E A δ / L
        let f = SoftBodyTests.compressionForce(strain: strain, nu: nu)
        #expect(isClose(f, expected, abs: 0, rel: 0.10), "F = \(f) N, expected \(expected) N")
    }

    @Test func returnsToRestAfterRelease() {
        let model = SoftBodyModel(TissueBenchScenes.pokeBody())
        var state = model.makeState()
        let rest = model.makeState()
        // settle under gravity first, so rest includes its (sub-millimetre) sag
        for _ in 0..<240 { model.step(&state, dt: 1.0 / 240) }
        let settled = state.positions
        // press 10 mm into the centre of the top face, then lift the tool clear
        var tip = Vec3(0, 0.055, 0)
        state.toolPoses = [ToolShape.verticalCapsule(tip: tip, radius: 0.005, halfLength: 0.03, friction: 0.5).pose]
        let centre = model.restLocal.firstIndex { $0.distance(to: Vec3(0, 0.05, 0)) < 1e-9 }!
        var deepest = 0.0
        for k in 0..<480 {
            tip.y = k < 240 ? 0.055 - 0.015 * Double(k + 1) / 240 : 0.04 + 0.03 * Double(k - 239) / 240
            model.step(&state, dt: 1.0 / 240, tools: [.verticalCapsule(tip: tip, radius: 0.005, halfLength: 0.03, friction: 0.5)])
            deepest = max(deepest, 0.05 - state.positions[centre].y)
        }
        #expect(deepest > 0.008)
        for _ in 0..<960 { model.step(&state, dt: 1.0 / 240, tools: [.verticalCapsule(tip: Vec3(0, 0.1, 0), radius: 0.005, halfLength: 0.03, friction: 0.5)]) }
        var worst = 0.0
        for i in state.positions.indices { worst = max(worst, state.positions[i].distance(to: settled[i])) }
        #expect(worst < 1e-4, "largest distance from rest \(worst) m")
        // and the settled shape is the rest shape up to gravity sag (ρ g L² / 2E ≈ 0.25 mm)
        var sag = 0.0
        for i in state.positions.indices { sag = max(sag, state.positions[i].distance(to: rest.positions[i])) }
        #expect(sag < 5e-4)
    }

    @Test func stepIsDeterministicAndSnapshotsRestore() {
        let model = SoftBodyModel(TissueBenchScenes.pokeBody())
        var a = model.makeState()
        a.toolPoses = [TissueBenchScenes.pokeTool(0).pose]
        for k in 0..<120 { model.step(&a, dt: TissueBenchScenes.dt, tools: [TissueBenchScenes.pokeTool(Double(k + 1) / 240)]) }
        let snapshot = a
        for k in 120..<240 { model.step(&a, dt: TissueBenchScenes.dt, tools: [TissueBenchScenes.pokeTool(Double(k + 1) / 240)]) }
        var b = snapshot
        for k in 120..<240 { model.step(&b, dt: TissueBenchScenes.dt, tools: [TissueBenchScenes.pokeTool(Double(k + 1) / 240)]) }
        #expect(a == b)
        #expect(a.stateHash.hex == b.stateHash.hex)
    }

    @Test func pokeIndentsTheTopFace() {
        let r = TissueBenchScenes.runPoke(ticks: 480, clock: { 0 })
        let indent = r.extra.first { $0.0 == "max_indent_mm" }!.1
        // by t = 1 s the tip is 15 mm below the rest top face, 19 mm off centre, between grid points
        #expect(indent > 10, "indent \(indent) mm")
        #expect(r.extra.first { $0.0 == "warnings" }!.1 == 0)
    }
}
