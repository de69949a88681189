import Foundation
import Testing
import PracticumCore
@testable import PracticumScenario
import PracticumTestSupport

/// Mesh assets are read when the scenario loads: a broken OBJ is an error at the `asset` line, and a
/// mesh body's density gives the mass of the volume the mesh encloses.
@Suite struct MeshAssetTests {
    /// A 2 cm cube (in centimetres, so `scale: 0.01`), faces wound outward, one face as a quad.
    static let cube = """
    v 0 0 0
    v 2 0 0
    v 2 2 0
    v 0 2 0
    v 0 0 2
    v 2 0 2
    v 2 2 2
    v 0 2 2
    f 1 4 3 2
    f 5 6 7
    f 5 7 8
    f 1 2 6
    f 1 6 5
    f 2 3 7
    f 2 7 6
    f 3 4 8
    f 3 8 7
    f 4 1 5
    f 4 5 8

    """

    func loadWithMesh(_ obj: String, body: String) throws -> LoadResult {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-mesh-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try obj.write(toFile: dir + "/block.obj", atomically: true, encoding: .utf8)
        let text = minimalScenario.replacingOccurrences(of: "      shape: {sphere: {radius: 1cm}}\n", with: body)
        return ScenarioLoader.load(bytes: Array(text.utf8), file: "s.yaml", directory: dir)
    }

    @Test func densityGivesTheMassOfTheEnclosedVolume() throws {
        let r = try loadWithMesh(Self.cube, body: "      shape: {mesh: {asset: block.obj, scale: 0.01}}\n      density: 1000kg/m3\n")
        let scenario = try #require(r.scenario, "\(r.diagnostics)")
        // (2 cm)³ of water: 8 g
        #expect(isClose(scenario.scene.bodies[0].mass, 0.008, rel: 1e-9), "\(scenario.scene.bodies[0].mass)")
    }

    @Test func brokenMeshIsAnErrorAtTheAssetLine() throws {
        let broken = Self.cube.replacingOccurrences(of: "f 5 7 8", with: "f 5 7 80")
        let r = try loadWithMesh(broken, body: "      shape: {mesh: {asset: block.obj}}\n")
        #expect(r.scenario == nil)
        let e = try #require(r.errors.first)
        #expect(e.location.line == 8 && e.location.column == 29, "\(e)")
        #expect(e.message.hasSuffix("block.obj', line 11: index 80 out of range"), "\(e.message)")
        #expect(e.path == "scene.bodies[0].shape.mesh.asset")
    }

    @Test func meshWithoutFacesIsAnError() throws {
        let r = try loadWithMesh("v 0 0 0\nv 1 0 0\nv 0 1 0\n", body: "      shape: {mesh: {asset: block.obj}}\n")
        #expect(r.errors.contains { $0.message.hasSuffix("block.obj' has no faces") }, "\(r.errors)")
    }

    @Test func openMeshWithDensityAsksForAMass() throws {
        let r = try loadWithMesh("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n", body: "      shape: {mesh: {asset: block.obj}}\n      density: 1000kg/m3\n")
        #expect(r.errors.contains { $0.message.contains("encloses no volume") && $0.location.line == 9 }, "\(r.errors)")
    }
}

@Suite struct OBJModelTests {
    @Test func parsesAndMeasuresACube() throws {
        let m = try OBJModel.parse(MeshAssetTests.cube)
        #expect(m.positions.count == 8 && m.corners.count == 36)
        #expect(isClose(m.enclosedVolume, 8, rel: 1e-12))
        #expect(isClose(m.scaled(0.01).enclosedVolume, 8e-6, rel: 1e-9))
    }

    @Test func negativeIndicesAndNormals() throws {
        let m = try OBJModel.parse("v 0 0 0\nv 1 0 0\nv 0 1 0\nvn 0 0 1\nf -3//1 -2//1 -1//1\n")
        #expect(m.corners == [.init(position: 0, normal: 0), .init(position: 1, normal: 0), .init(position: 2, normal: 0)])
    }

    @Test(arguments: [("v 1 2\n", 1, "expected three finite numbers after `v`"), ("v 0 0 0\nf 1 1\n", 2, "a face needs at least three corners"),
                      ("v 0 0 0\nf 1 0 1\n", 2, "bad index (expected a whole number other than 0)"), ("v 0 0 0\nf 1 2 3\n", 2, "index 2 out of range"),
                      ("v 0 0 nan\n", 1, "expected three finite numbers after `v`")])
    func errorsNameTheirLine(_ text: String, _ line: Int, _ message: String) {
        #expect(throws: OBJModel.ParseError(line: line, message: message)) { try OBJModel.parse(text) }
    }
}
