/// A Wavefront OBJ mesh as exporters write static meshes: `v`, `vn` and `f` lines (corners `v`, `v/t`,
/// `v//n`, `v/t/n`, negative indices), polygons fanned into triangles. Materials, groups and texture
/// coordinates are ignored. The one parser of the project: the scenario loader checks mesh assets
/// with it (`loadMeshAsset`, which reads the file: Core does no I/O), physics builds triangle meshes
/// and hulls from it, the viewer draws it.
public struct OBJModel: Sendable, Equatable {
    /// One triangle corner: a position index and, if the file gives one, a normal index (0-based).
    public struct Corner: Sendable, Hashable {
        public var position: Int
        public var normal: Int?
        public init(position: Int, normal: Int? = nil) { self.position = position; self.normal = normal }
    }

    /// An error in an OBJ file, with its line (1-based).
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public init(line: Int, message: String) { self.line = line; self.message = message }
        public var description: String { "line \(line): \(message)" }
    }

    public var positions: [Vec3]
    public var normals: [Vec3]
    /// Triangle corners, three per triangle, in file order.
    public var corners: [Corner]

    public init(positions: [Vec3] = [], normals: [Vec3] = [], corners: [Corner] = []) {
        self.positions = positions; self.normals = normals; self.corners = corners
    }

    /// Position indices, three per triangle.
    public var triangles: [Int] { corners.map(\.position) }

    /// The same mesh with every position multiplied by `factor` (e.g. 0.001 for a file in millimetres).
    public func scaled(_ factor: Double) -> OBJModel {
        OBJModel(positions: positions.map { $0 * factor }, normals: normals, corners: corners)
    }

    /// The volume the triangles enclose (m³, divergence theorem over the signed tetrahedra from the
    /// origin); the volume of a closed mesh whatever its winding, meaningless for an open one.
    public var enclosedVolume: Double {
        var v = 0.0
        for t in Swift.stride(from: 0, to: corners.count - 2, by: 3) {
            let a = positions[corners[t].position], b = positions[corners[t + 1].position], c = positions[corners[t + 2].position]
            v += a.dot(b.cross(c))
        }
        return abs(v) / 6
    }

    /// Up to `max` of the positions, evenly strided: the points a convex hull of the mesh is built
    /// from (the loader checks that they span a volume, physics builds the hull).
    public func hullPoints(max: Int = 64) -> [Vec3] {
        guard positions.count > max else { return positions }
        let stride = Double(positions.count) / Double(max)
        return (0..<max).map { positions[Int(Double($0) * stride)] }
    }

    /// Parses OBJ text (LF, CRLF or CR line ends); the first malformed line throws with its
    /// number. Messages never quote the file's content. More than `Limits.meshVertices` positions
    /// or `Limits.meshTriangles` triangles is an error at the line that passes the limit.
    public static func parse(_ text: String) throws(ParseError) -> OBJModel {
        var model = OBJModel()
        // "\r\n" is one Character in Swift, so split on newline characters, not on "\n"
        for (n, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = n + 1
            let parts = raw.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let tag = parts.first else { continue }
            func vector() throws(ParseError) -> Vec3 {
                let xs = parts.dropFirst().prefix(3).compactMap { $0.utf8.count <= Limits.numberLength ? Double($0) : nil }
                guard xs.count == 3, xs.allSatisfy(\.isFinite) else {
                    throw ParseError(line: line, message: "expected three finite numbers after `\(tag == "v" ? "v" : "vn")`")
                }
                return Vec3(xs[0], xs[1], xs[2])
            }
            func resolve(_ s: Substring?, count: Int) throws(ParseError) -> Int? {
                guard let s, !s.isEmpty else { return nil }
                guard let i = Int(s), i != 0 else { throw ParseError(line: line, message: "bad index (expected a whole number other than 0)") }
                let k = i > 0 ? i - 1 : count + i
                guard (0..<count).contains(k) else { throw ParseError(line: line, message: "index \(i) out of range") }
                return k
            }
            switch tag {
            case "v":
                guard model.positions.count < Limits.meshVertices else {
                    throw ParseError(line: line, message: "more than \(Limits.meshVertices) vertices; simplify the mesh")
                }
                model.positions.append(try vector())
            case "vn":
                guard model.normals.count < Limits.meshVertices else {
                    throw ParseError(line: line, message: "more than \(Limits.meshVertices) normals; simplify the mesh")
                }
                model.normals.append(try vector())
            case "f":
                var polygon: [Corner] = []
                for corner in parts.dropFirst() {
                    let fields = corner.split(separator: "/", omittingEmptySubsequences: false)
                    guard let p = try resolve(fields.first, count: model.positions.count) else {
                        throw ParseError(line: line, message: "face corner without a position")
                    }
                    polygon.append(Corner(position: p, normal: try resolve(fields.count > 2 ? fields[2] : nil, count: model.normals.count)))
                }
                guard polygon.count >= 3 else { throw ParseError(line: line, message: "a face needs at least three corners") }
                guard model.corners.count / 3 + polygon.count - 2 <= Limits.meshTriangles else {
                    throw ParseError(line: line, message: "more than \(Limits.meshTriangles) triangles; simplify the mesh")
                }
                for k in 1..<(polygon.count - 1) { model.corners += [polygon[0], polygon[k], polygon[k + 1]] }
            default: continue
            }
        }
        return model
    }
}
