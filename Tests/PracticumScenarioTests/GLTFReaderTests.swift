import Foundation
import Testing
import PracticumCore
@testable import PracticumScenario
import PracticumTestSupport

/// glTF 2.0 meshes: `.glb` and `.gltf` read into the scene's geometry, placed by their nodes; every
/// malformed or hostile file is a sentence naming what is wrong, never a crash or a read elsewhere.
@Suite struct GLTFReaderTests {
    /// A binary glTF: header, JSON chunk (space-padded), BIN chunk (zero-padded).
    static func glb(_ json: String, _ bin: [UInt8]) -> [UInt8] {
        func u32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xff) } }
        var js = Array(json.utf8); while js.count % 4 != 0 { js.append(0x20) }
        var b = bin; while b.count % 4 != 0 { b.append(0) }
        let body = u32(js.count) + u32(0x4E4F_534A) + js + u32(b.count) + u32(0x004E_4942) + b
        return u32(0x4654_6C67) + u32(2) + u32(12 + body.count) + body
    }

    /// One triangle (1 cm legs) as float positions and uint16 indices.
    static let triangleBin: [UInt8] = {
        var out: [UInt8] = []
        for f: Float in [0, 0, 0, 0.01, 0, 0, 0, 0.01, 0] { withUnsafeBytes(of: f.bitPattern.littleEndian) { out += $0 } }
        for i: UInt16 in [0, 1, 2] { withUnsafeBytes(of: i.littleEndian) { out += $0 } }
        return out
    }()

    static func triangleJSON(position: String = #"{"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3"}"#,
                             indices: String = #"{"bufferView": 1, "componentType": 5123, "count": 3, "type": "SCALAR"}"#,
                             primitive: String = #""attributes": {"POSITION": 0}, "indices": 1, "material": 0"#,
                             node: String = #"{"mesh": 0, "translation": [0, 0.5, 0]}"#) -> String {
        """
        {"asset": {"version": "2.0"}, "scene": 0, "scenes": [{"nodes": [0]}], "nodes": [\(node)],
         "meshes": [{"primitives": [{\(primitive)}]}],
         "materials": [{"pbrMetallicRoughness": {"baseColorFactor": [0.8, 0.2, 0.2, 1]}}],
         "accessors": [\(position), \(indices)],
         "bufferViews": [{"buffer": 0, "byteOffset": 0, "byteLength": 36}, {"buffer": 0, "byteOffset": 36, "byteLength": 6}],
         "buffers": [{"byteLength": 42}]}
        """
    }

    static func read(_ bytes: [UInt8], binary: Bool = true) -> Result<GLTFReader.Result, GLTFError> {
        Result { () throws(GLTFError) in try GLTFReader.read(bytes, binary: binary) { uri throws(GLTFError) in throw GLTFError("no file \(uri)") } }
    }

    @Test func aTriangleIsPlacedByItsNodeAndColouredByItsMaterial() throws {
        let r = try Self.read(Self.glb(Self.triangleJSON(), Self.triangleBin)).get()
        #expect(r.model.positions.map { $0 * 1e6 }.map { Vec3($0.x.rounded(), $0.y.rounded(), $0.z.rounded()) }
                == [Vec3(0, 500_000, 0), Vec3(10_000, 500_000, 0), Vec3(0, 510_000, 0)])
        #expect(r.model.triangles == [0, 1, 2])
        #expect(r.baseColor.map { $0.map { Float($0) } } == [0.8, 0.2, 0.2, 1])
    }

    /// glTF materials are single-sided unless one says `doubleSided: true` (so the viewer may cull
    /// back faces); an OBJ file, which cannot say, is drawn double-sided.
    @Test func sidednessComesFromTheMaterials() throws {
        #expect(try Self.read(Self.glb(Self.triangleJSON(), Self.triangleBin)).get().look.doubleSided == false)
        let twoSided = Self.triangleJSON().replacingOccurrences(of: #""materials": [{"pbrMetallicRoughness""#,
                                                                 with: #""materials": [{"doubleSided": true, "pbrMetallicRoughness""#)
        #expect(try Self.read(Self.glb(twoSided, Self.triangleBin)).get().look.doubleSided == true)
        #expect(MeshLook().doubleSided == true)
    }

    @Test func theShippedSeedsRead() throws {
        let dir = "\(repositoryRoot())/Tests/fuzz-corpus/gltf"
        let box = try Self.read([UInt8](try #require(FileManager.default.contents(atPath: "\(dir)/seed-box.gltf"))), binary: false).get()
        #expect(box.model.positions.count == 24 && box.model.corners.count == 36 && box.model.normals.count == 24)
        #expect(isClose(box.model.enclosedVolume, 0.02 * 0.04 * 0.06, rel: 1e-5))
        // two boxes, one turned 90° about y and moved 5 cm along x
        let two = try Self.read([UInt8](try #require(FileManager.default.contents(atPath: "\(dir)/seed-two-boxes.glb")))).get()
        #expect(two.model.positions.count == 48)
        let xs = two.model.positions.prefix(24).map(\.x)
        #expect(isClose(xs.min()!, 0.04, abs: 1e-6) && isClose(xs.max()!, 0.06, abs: 1e-6))
    }

    @Test(arguments: [
        ("not glTF", Array("solid cube\n".utf8), "it is not a binary glTF file (no 'glTF' header)"),
        ("cut short", Array(glb(triangleJSON(), triangleBin).prefix(60)), "it is cut short: its header says 680 bytes, the file has 60"),
        ("huge count", glb(triangleJSON(position: #"{"bufferView": 0, "componentType": 5126, "count": 1000000, "type": "VEC3"}"#), triangleBin),
         "meshes[0].primitives[0].POSITION: accessor 0 needs more bytes than its buffer view holds"),
        ("count past the limit", glb(triangleJSON(position: #"{"bufferView": 0, "componentType": 5126, "count": 99999999999, "type": "VEC3"}"#), triangleBin),
         "accessors[0].count must be a whole number from 0 to 1200000"),
        ("positions as integers", glb(triangleJSON(position: #"{"bufferView": 0, "componentType": 5123, "count": 3, "type": "VEC3"}"#), triangleBin),
         "meshes[0].primitives[0].POSITION: accessor 0 has component type 5123, expected 5126"),
        ("positions as scalars", glb(triangleJSON(position: #"{"bufferView": 0, "componentType": 5126, "count": 3, "type": "SCALAR"}"#), triangleBin),
         "meshes[0].primitives[0].POSITION: accessor 0 must be a VEC3"),
        ("index past the vertices", glb(triangleJSON(), Array(triangleBin.prefix(40)) + [9, 0]), "meshes[0].primitives[0]: index 9 is past the 3 vertices"),
        ("lines", glb(triangleJSON(primitive: #""attributes": {"POSITION": 0}, "mode": 1"#), triangleBin),
         "meshes[0].primitives[0]: only triangles (mode 4) can be drawn and collided"),
        ("a node loop", glb(triangleJSON(node: #"{"mesh": 0, "children": [0]}"#), triangleBin), "nodes[0]: the node tree loops or is nested deeper than 64"),
        ("a missing mesh", glb(triangleJSON(node: #"{"mesh": 7}"#), triangleBin), "nodes[0] refers to meshes[7], and there are 1"),
        ("an infinite translation", glb(triangleJSON(node: #"{"mesh": 0, "translation": [0, 1e300, 0]}"#), triangleBin),
         "nodes[0].translation must be a list of 3 finite numbers"),
        ("glTF 1", glb(#"{"asset": {"version": "1.0"}}"#, []), "it is not glTF 2.0 (asset.version must be \"2.0\")"),
        ("bad JSON", glb(#"{"asset": "#, []), "its JSON is malformed near byte 12"),
    ])
    func aBadFileIsOneSentence(_ c: (String, [UInt8], String)) {
        guard case let .failure(e) = Self.read(c.1) else { Issue.record("\(c.0): read"); return }
        #expect(e.message == c.2, "\(c.0)")
    }

    /// A 2×1 RGBA PNG: a red pixel, then a green one.
    static let twoPixelPNG = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAADklEQVR4nGP4z8DwHwQBEPgD/U6VwW8AAAAASUVORK5CYII="
    /// A 4096×1 PNG: wider than `Limits.textureSize`.
    static let widePNG = "iVBORw0KGgoAAAANSUhEUgAAEAAAAAABCAYAAABeIWt8AAAAJ0lEQVR4nO3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC7AUABAAHg8rpeAAAAAElFTkSuQmCC"

    /// The triangle with TEXCOORD_0, COLOR_0 and a base-colour texture whose image is `image` (a data URI's base64).
    static func texturedTriangle(image: String) -> [UInt8] {
        var bin = triangleBin + [0, 0]
        for f: Float in [0, 0, 1, 0, 0, 1] + [1, 1, 1, 1, 0.5, 0.5, 0.5, 1, 1, 0, 1, 0.5] {
            withUnsafeBytes(of: f.bitPattern.littleEndian) { bin += $0 }
        }
        let json = """
        {"asset": {"version": "2.0"}, "scene": 0, "scenes": [{"nodes": [0]}], "nodes": [{"mesh": 0}],
         "meshes": [{"primitives": [{"attributes": {"POSITION": 0, "TEXCOORD_0": 2, "COLOR_0": 3}, "indices": 1, "material": 0}]}],
         "materials": [{"pbrMetallicRoughness": {"baseColorFactor": [0.8, 0.2, 0.2, 1], "baseColorTexture": {"index": 0}}}],
         "textures": [{"source": 0}], "images": [{"uri": "data:image/png;base64,\(image)"}],
         "accessors": [{"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3"},
                       {"bufferView": 1, "componentType": 5123, "count": 3, "type": "SCALAR"},
                       {"bufferView": 2, "componentType": 5126, "count": 3, "type": "VEC2"},
                       {"bufferView": 3, "componentType": 5126, "count": 3, "type": "VEC4"}],
         "bufferViews": [{"buffer": 0, "byteOffset": 0, "byteLength": 36}, {"buffer": 0, "byteOffset": 36, "byteLength": 6},
                         {"buffer": 0, "byteOffset": 44, "byteLength": 24}, {"buffer": 0, "byteOffset": 68, "byteLength": 48}],
         "buffers": [{"byteLength": 116}]}
        """
        return glb(json, bin)
    }

    @Test func aTexturedPrimitiveKeepsItsImageCoordinatesAndVertexColours() throws {
        let look = try Self.read(Self.texturedTriangle(image: Self.twoPixelPNG)).get().look
        let t = try #require(look.texture)
        #expect(t.width == 2 && t.height == 1 && t.rgba == [255, 0, 0, 255, 0, 255, 0, 255])
        #expect(look.uvs == [SIMD3(0, 0, 1), SIMD3(1, 0, 1), SIMD3(0, 1, 1)])
        // base colour × COLOR_0
        #expect(look.colors == [SIMD4(0.8, 0.2, 0.2, 1), SIMD4(0.4, 0.1, 0.1, 1), SIMD4(0.8, 0, 0.2, 0.5)])
        #expect(look.baseColor.map { $0.map { Float($0) } } == [0.8, 0.2, 0.2, 1] && look.isMulticolored)
        // without a texture each vertex has w = 0 and the primitive's base colour
        let plain = try Self.read(Self.glb(Self.triangleJSON(), Self.triangleBin)).get().look
        #expect(plain.texture == nil && plain.uvs == Array(repeating: SIMD3(0, 0, 0), count: 3) && !plain.isMulticolored)
        #expect(plain.colors == Array(repeating: SIMD4(0.8, 0.2, 0.2, 1), count: 3))
    }

    @Test(arguments: [
        ("too wide", widePNG, "images[0] is 4096×1 pixels; textures are limited to 2048×2048"),
        ("not an image", "R0lGODlhAQABAAAAACw=", "images[0] is neither a PNG nor a JPEG image"),
        ("a damaged PNG", String(twoPixelPNG.prefix(24)), "images[0] is a damaged image (its header cannot be read)"),
        ("not base64", "%%%", "images[0]: a data URI must be base64 (data:…;base64,…)"),
    ])
    func aBadTextureIsOneSentence(_ c: (String, String, String)) {
        guard case let .failure(e) = Self.read(Self.texturedTriangle(image: c.1)) else { Issue.record("\(c.0): read"); return }
        #expect(e.message == c.2, "\(c.0)")
    }

    /// A chain of nodes as deep as `Limits.gltfNodeDepth` reads; one deeper is refused.
    @Test func theNodeTreeIsAsDeepAsTheLimit() {
        func chain(_ n: Int) -> [UInt8] {
            let nodes = (0..<n).map { $0 + 1 < n ? #"{"children": [\#($0 + 1)]}"# : #"{"mesh": 0}"# }.joined(separator: ", ")
            return Self.glb(Self.triangleJSON().replacingOccurrences(of: #""nodes": [{"mesh": 0, "translation": [0, 0.5, 0]}]"#, with: "\"nodes\": [\(nodes)]"), Self.triangleBin)
        }
        #expect((try? Self.read(chain(Limits.gltfNodeDepth)).get())?.model.corners.count == 3)
        guard case let .failure(e) = Self.read(chain(Limits.gltfNodeDepth + 1)) else { Issue.record("read"); return }
        #expect(e.message == "nodes[64]: the node tree loops or is nested deeper than 64")
    }

    @Test func aNaNVertexIsRefused() {
        var bin = Self.triangleBin
        withUnsafeBytes(of: Float.nan.bitPattern.littleEndian) { bin.replaceSubrange(12..<16, with: $0) }
        guard case let .failure(e) = Self.read(Self.glb(Self.triangleJSON(), bin)) else { Issue.record("read"); return }
        #expect(e.message == "meshes[0].primitives[0].POSITION: vertex 1 is not a finite number")
    }

    /// A `.gltf` in a scenario's folder: its buffer beside it is read; a buffer named with `..`, an
    /// absolute path or a symlink that leads out is refused, at the scenario's `asset` line.
    @Test func externalBuffersStayBesideTheFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-gltf-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/models", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(Self.triangleBin).write(to: URL(fileURLWithPath: dir + "/models/tri.bin"))
        try Data(Self.triangleBin).write(to: URL(fileURLWithPath: dir + "/outside.bin"))
        try FileManager.default.createSymbolicLink(atPath: dir + "/models/link.bin", withDestinationPath: dir + "/outside.bin")
        func loaded(_ uri: String) -> [String] {
            let json = Self.triangleJSON().replacingOccurrences(of: #""buffers": [{"byteLength": 42}]"#, with: #""buffers": [{"byteLength": 42, "uri": "\#(uri)"}]"#)
            try? json.write(toFile: dir + "/models/tri.gltf", atomically: true, encoding: .utf8)
            let text = minimalScenario.replacingOccurrences(of: "      kind: instrument\n      shape: {sphere: {radius: 1cm}}\n",
                                                           with: "      kind: static\n      shape: {mesh: {asset: models/tri.gltf}}\n")
            return ScenarioLoader.load(bytes: Array(text.utf8), file: "s.yaml", directory: dir).errors.map(\.description)
        }
        #expect(loaded("tri.bin") == [])
        let outside = "s.yaml:8:29: error: mesh file 'models/tri.gltf' cannot be read: buffer '%@' must be a file beside the .gltf, named without folders going up or out (at scene.bodies[0].shape.mesh.asset)"
        #expect(loaded("../outside.bin") == [outside.replacingOccurrences(of: "%@", with: "../outside.bin")])
        #expect(loaded("/etc/passwd") == [outside.replacingOccurrences(of: "%@", with: "/etc/passwd")])
        #expect(loaded("link.bin") == ["s.yaml:8:29: error: mesh file 'models/tri.gltf' cannot be read: buffer 'link.bin' does not exist beside the .gltf, or leads out of its folder (at scene.bodies[0].shape.mesh.asset)"])
    }
}

/// `visual:` draws a mesh for a body in place of its collision shape, coloured by the glTF file
/// unless the body gives a colour.
@Suite struct VisualMeshTests {
    static func load(_ body: String, extra: (String, String)? = nil) throws -> LoadResult {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-visual-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: "\(repositoryRoot())/Tests/fuzz-corpus/gltf/seed-two-boxes.glb", toPath: dir + "/boxes.glb")
        var text = minimalScenario.replacingOccurrences(of: "      shape: {sphere: {radius: 1cm}}\n", with: body)
        if let (old, new) = extra { text = text.replacingOccurrences(of: old, with: new) }
        return ScenarioLoader.load(bytes: Array(text.utf8), file: "s.yaml", directory: dir)
    }

    @Test func aVisualIsReadWithItsPlaceAndTheFilesColour() throws {
        let r = try Self.load("      shape: {box: {size: [2cm, 2cm, 2cm]}}\n      visual: {mesh: boxes.glb, scale: 0.5, position: [0, 1cm, 0], rotation: [0, 90, 0]}\n")
        let b = try #require(r.scenario?.scene.bodies.first, "\(r.diagnostics)")
        let v = try #require(b.visual)
        #expect(v.scale == 0.5 && isClose(v.offset.position, Vec3(0, 0.01, 0), abs: 1e-15))
        #expect(isClose(v.offset.orientation.rotate(Vec3(1, 0, 0)), Vec3(0, 0, -1), abs: 1e-12))
        #expect(b.shape == .box(halfExtents: Vec3(0.01, 0.01, 0.01)))
        #expect(b.color.map { Float($0) } == [0.2, 0.2, 0.8, 1])
        #expect(r.scenario?.scene.meshes[v.mesh]?.positions.count == 48)
        // the body's own colour wins
        let coloured = try Self.load("      shape: {box: {size: [2cm, 2cm, 2cm]}}\n      color: \"#ff0000\"\n      visual: {mesh: boxes.glb}\n")
        #expect(coloured.scenario?.scene.bodies.first?.color == [1, 0, 0, 1])
    }

    @Test func aMissingOrMisnamedVisualIsAnErrorAtItsLine() throws {
        let missing = try Self.load("      shape: {box: {size: [2cm, 2cm, 2cm]}}\n      visual: {mesh: arm.glb}\n").errors.map(\.description)
        #expect(missing.count == 1 && missing[0].hasPrefix("s.yaml:9:22: error: asset 'arm.glb' does not exist (looked for /") && missing[0].hasSuffix("/arm.glb) (at scene.bodies[0].visual.mesh)"), "\(missing)")
        let misnamed = try Self.load("      shape: {box: {size: [2cm, 2cm, 2cm]}}\n      visual: {asset: boxes.glb}\n").errors.map(\.description)
        #expect(misnamed == ["s.yaml:9:15: error: missing required key 'mesh' (at scene.bodies[0].visual)", "s.yaml:9:16: error: unknown key 'asset' (at scene.bodies[0].visual.asset)"])
    }

    @Test func regionsAndTissuesCarryVisualsAndAColouredBodyIsTinted() throws {
        let r = try Self.load("      shape: {box: {size: [2cm, 2cm, 2cm]}}\n      visual: {mesh: boxes.glb}\n")
        #expect(r.scenario?.scene.bodies.first?.visual?.tinted == false)
        #expect(try Self.load("      shape: {box: {size: [2cm, 2cm, 2cm]}}\n      color: \"#ff0000\"\n      visual: {mesh: boxes.glb}\n").scenario?.scene.bodies.first?.visual?.tinted == true)
        let region = try Self.load("      shape: {sphere: {radius: 1cm}}\n", extra: ("      radius: 2cm\n", "      radius: 2cm\n      visual: {mesh: boxes.glb, position: [0, 1cm, 0]}\n"))
        let v = try #require(region.scenario?.scene.regions.first?.visual, "\(region.diagnostics)")
        #expect(isClose(v.offset.position, Vec3(0, 0.01, 0), abs: 1e-15) && region.scenario?.scene.meshLooks[v.mesh]?.baseColor != nil)
    }

    @Test func handsAreTwoPosesOfOneMesh() throws {
        let cues = "cues:\n  hands: {open: boxes.glb, closed: boxes.glb, scale: 2}\n"
        let ok = try Self.load("      shape: {sphere: {radius: 1cm}}\n", extra: ("procedure:", cues + "procedure:"))
        let h = try #require(ok.scenario?.cues.hands, "\(ok.diagnostics)")
        #expect(h.open.scale == 2 && h.open.mesh == h.closed.mesh)
        let missing = try Self.load("      shape: {sphere: {radius: 1cm}}\n", extra: ("procedure:", "cues:\n  hands: {open: boxes.glb}\nprocedure:")).errors.map(\.description)
        #expect(missing == ["s.yaml:15:10: error: missing required key 'closed' (at cues.hands)"], "\(missing)")
    }
}
