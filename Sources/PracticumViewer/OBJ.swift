// Wavefront OBJ → TriangleMesh, for anatomy and instrument meshes under assets/. The parsing is
// `OBJModel` (PracticumCore), shared with the scenario loader and physics.
import Foundation
import PracticumCore
import PracticumScenario

extension TriangleMesh {
    /// An error in an OBJ file, with its line.
    public typealias OBJError = OBJModel.ParseError

    /// Parses OBJ text (`OBJModel.parse`). Positions are taken as metres (scale with `Drawable.scale`
    /// if the file is in mm).
    public static func parseOBJ(_ text: String, id: Int) throws(OBJError) -> TriangleMesh {
        TriangleMesh(obj: try OBJModel.parse(text), id: id)
    }

    /// A drawable mesh from a parsed OBJ. Vertices are split per distinct (position, normal) corner,
    /// in file order; without normals on every corner they are computed smooth.
    /// `look` gives colours, texture and sidedness; `doubleSided`, when given, overrides the last
    /// (a tinted mesh is drawn without its look but keeps its file's sidedness).
    public init(obj: OBJModel, id: Int, look: MeshLook? = nil, doubleSided: Bool? = nil) {
        var outP: [Vec3] = [], outN: [Vec3] = [], indices: [UInt32] = []
        var seen: [OBJModel.Corner: UInt32] = [:]   // lookup only; output order is file order
        var allNormals = true
        var colors: [SIMD4<Float>] = [], uvs: [SIMD3<Float>] = []
        let colored = look.map { $0.colors.count == obj.positions.count } ?? false
        let textured = look.map { $0.texture != nil && $0.uvs.count == obj.positions.count } ?? false
        for corner in obj.corners {
            if let existing = seen[corner] { indices.append(existing); continue }
            let index = UInt32(outP.count)
            seen[corner] = index
            outP.append(obj.positions[corner.position])
            if colored { colors.append(look!.colors[corner.position]) }
            if textured { uvs.append(look!.uvs[corner.position]) }
            if let n = corner.normal { outN.append(obj.normals[n].normalized) } else { outN.append(.zero); allNormals = false }
            indices.append(index)
        }
        let normals = allNormals && !outN.contains(.zero) ? outN : PrimitiveGeometry.smoothNormals(positions: outP, indices: indices)
        self.init(id: id, positions: outP, normals: normals, indices: indices)
        self.colors = colors
        self.uvs = uvs
        self.texture = textured ? look!.texture : nil
        self.doubleSided = doubleSided ?? look?.doubleSided ?? true
    }

    /// Loads an OBJ file; `id` names the geometry for GPU caching.
    public static func loadOBJ(path: String, id: Int) throws -> TriangleMesh {
        guard let data = FileManager.default.contents(atPath: path) else { throw ViewerError.asset("cannot read \(path)") }
        return try parseOBJ(String(decoding: data, as: UTF8.self), id: id)
    }
}
