// Wavefront OBJ → TriangleMesh, for anatomy and instrument meshes under assets/.
// Supports what exporters write for static meshes: v, vn, f (v, v/t, v//n, v/t/n, negative
// indices, polygons fanned into triangles); materials, groups and texture coordinates are ignored.
import Foundation
import PracticumCore

extension TriangleMesh {
    /// An error in an OBJ file, with its line.
    public struct OBJError: Error, CustomStringConvertible, Equatable {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Parses OBJ text. Positions are taken as metres (scale with `Drawable.scale` if the file is in mm).
    /// Vertices are split per distinct (position, normal) pair; without normals they are computed smooth.
    public static func parseOBJ(_ text: String, id: Int) throws(OBJError) -> TriangleMesh {
        var positions: [Vec3] = [], normals: [Vec3] = []
        var outP: [Vec3] = [], outN: [Vec3] = [], indices: [UInt32] = []
        var corners: [String: UInt32] = [:]   // lookup only; output order is file order
        var anyNormal = false
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = n + 1
            let parts = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let tag = parts.first else { continue }
            func vector() throws(OBJError) -> Vec3 {
                let xs = parts.dropFirst().prefix(3).compactMap { Double($0) }
                guard xs.count == 3 else { throw OBJError(line: line, message: "expected three numbers after `\(tag)`") }
                return Vec3(xs[0], xs[1], xs[2])
            }
            switch tag {
            case "v": positions.append(try vector())
            case "vn": normals.append(try vector())
            case "f":
                var polygon: [UInt32] = []
                for corner in parts.dropFirst() {
                    let fields = corner.split(separator: "/", omittingEmptySubsequences: false)
                    func resolve(_ s: Substring?, count: Int) throws(OBJError) -> Int? {
                        guard let s, !s.isEmpty else { return nil }
                        guard let i = Int(s), i != 0 else { throw OBJError(line: line, message: "bad index `\(s)`") }
                        let k = i > 0 ? i - 1 : count + i
                        guard (0..<count).contains(k) else { throw OBJError(line: line, message: "index \(i) out of range") }
                        return k
                    }
                    guard let p = try resolve(fields.first, count: positions.count) else {
                        throw OBJError(line: line, message: "face corner without a position")
                    }
                    let nrm = try resolve(fields.count > 2 ? fields[2] : nil, count: normals.count)
                    let key = "\(p)/\(nrm ?? -1)"
                    if let existing = corners[key] { polygon.append(existing); continue }
                    let index = UInt32(outP.count)
                    corners[key] = index
                    outP.append(positions[p])
                    outN.append(nrm.map { normals[$0].normalized } ?? .zero)
                    anyNormal = anyNormal || nrm != nil
                    polygon.append(index)
                }
                guard polygon.count >= 3 else { throw OBJError(line: line, message: "a face needs at least three corners") }
                for k in 1..<(polygon.count - 1) { indices += [polygon[0], polygon[k], polygon[k + 1]] }
            default: continue
            }
        }
        let finalNormals = anyNormal && !outN.contains(.zero) ? outN : PrimitiveGeometry.smoothNormals(positions: outP, indices: indices)
        return TriangleMesh(id: id, positions: outP, normals: finalNormals, indices: indices)
    }

    /// Loads an OBJ file; `id` names the geometry for GPU caching.
    public static func loadOBJ(path: String, id: Int) throws -> TriangleMesh {
        guard let data = FileManager.default.contents(atPath: path) else { throw ViewerError.asset("cannot read \(path)") }
        return try parseOBJ(String(decoding: data, as: UTF8.self), id: id)
    }
}
