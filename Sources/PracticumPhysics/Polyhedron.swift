#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
import PracticumCore

/// A convex polyhedron in its shape frame: the common form of boxes, hulls and mesh triangles for
/// the separating-axis tests (Gregorius, "The Separating Axis Test between Convex Polyhedra", GDC 2013).
struct Polyhedron: Sendable, Equatable {
    var vertices: [Vec3]
    /// Outward face planes n·x = d and each face's vertex loop, counter-clockwise seen from outside.
    var faceNormals: [Vec3]
    var faceOffsets: [Double]
    var faceLoops: [[Int]]
    /// Edges as vertex pairs, each with the index of its direction in `edgeDirections` (parallel edges share one).
    var edges: [(Int, Int)]
    var edgeDirectionIndex: [Int]
    var edgeDirections: [Vec3]
    var centroid: Vec3

    static func == (a: Polyhedron, b: Polyhedron) -> Bool {
        a.vertices == b.vertices && a.faceLoops == b.faceLoops
    }

    init(vertices: [Vec3], faceLoops: [[Int]]) {
        self.vertices = vertices
        self.faceLoops = faceLoops
        var c = Vec3.zero
        for v in vertices { c += v }
        centroid = c / Double(max(vertices.count, 1))
        faceNormals = []; faceOffsets = []
        for loop in faceLoops {
            var n = Vec3.zero
            for i in loop.indices { // Newell's method: robust for any planar polygon
                let a = vertices[loop[i]], b = vertices[loop[(i + 1) % loop.count]]
                n += Vec3((a.y - b.y) * (a.z + b.z), (a.z - b.z) * (a.x + b.x), (a.x - b.x) * (a.y + b.y))
            }
            n = n.normalized
            faceNormals.append(n)
            faceOffsets.append(n.dot(vertices[loop[0]]))
        }
        edges = []; edgeDirectionIndex = []; edgeDirections = []
        for loop in faceLoops {
            for i in loop.indices {
                let a = loop[i], b = loop[(i + 1) % loop.count]
                let e = (min(a, b), max(a, b))
                if edges.contains(where: { $0 == e }) { continue }
                edges.append(e)
                let d = (vertices[e.1] - vertices[e.0]).normalized
                if let k = edgeDirections.firstIndex(where: { abs($0.dot(d)) > 1 - 1e-9 }) {
                    edgeDirectionIndex.append(k)
                } else {
                    edgeDirectionIndex.append(edgeDirections.count); edgeDirections.append(d)
                }
            }
        }
    }

    static func box(_ h: Vec3) -> Polyhedron {
        var v: [Vec3] = []
        for i in 0..<8 { v.append(Vec3(i & 1 == 0 ? -h.x : h.x, i & 2 == 0 ? -h.y : h.y, i & 4 == 0 ? -h.z : h.z)) }
        // faces: -x, +x, -y, +y, -z, +z (counter-clockwise from outside)
        return Polyhedron(vertices: v, faceLoops: [[0, 4, 6, 2], [1, 3, 7, 5], [0, 1, 5, 4], [2, 6, 7, 3], [0, 2, 3, 1], [4, 5, 7, 6]])
    }

    /// A two-sided triangle (two opposite faces), for meshes.
    static func triangle(_ a: Vec3, _ b: Vec3, _ c: Vec3) -> Polyhedron {
        Polyhedron(vertices: [a, b, c], faceLoops: [[0, 1, 2], [0, 2, 1]])
    }

    /// The convex hull of `points` by brute force over point triples (fine for the ≤ 64 points allowed).
    /// Returns nil if the points span no volume.
    static func hull(_ input: [Vec3]) -> Polyhedron? {
        var pts: [Vec3] = []
        var lo = Vec3(.infinity, .infinity, .infinity), hi = -lo
        for p in input { lo = Vec3.min(lo, p); hi = Vec3.max(hi, p) }
        let scale = max((hi - lo).length, 1e-12), eps = 1e-7 * scale
        for p in input where !pts.contains(where: { $0.distance(to: p) <= eps }) { pts.append(p) }
        guard pts.count >= 4 else { return nil }
        var planes: [(Vec3, Double)] = []
        for i in 0..<pts.count {
            for j in (i + 1)..<pts.count {
                for k in (j + 1)..<pts.count {
                    var n = (pts[j] - pts[i]).cross(pts[k] - pts[i])
                    if n.length < eps * scale { continue }
                    n = n.normalized
                    var d = n.dot(pts[i])
                    var above = false, below = false
                    for p in pts {
                        let s = n.dot(p) - d
                        if s > eps { above = true } else if s < -eps { below = true }
                        if above && below { break }
                    }
                    if above && below { continue }
                    if above { n = -n; d = -d }
                    if planes.contains(where: { $0.0.dot(n) > 1 - 1e-9 && abs($0.1 - d) <= eps }) { continue }
                    planes.append((n, d))
                }
            }
        }
        guard planes.count >= 4 else { return nil }
        var used: [Int] = [], loops: [[Int]] = []
        for (n, d) in planes {
            var on: [Int] = []
            for (i, p) in pts.enumerated() where abs(n.dot(p) - d) <= eps { on.append(i) }
            var c = Vec3.zero
            for i in on { c += pts[i] }
            c = c / Double(on.count)
            let u = n.anyPerpendicular, w = n.cross(u)
            let sorted = on.sorted { a, b in
                let pa = pts[a] - c, pb = pts[b] - c
                let aa = atan2(pa.dot(w), pa.dot(u)), ab = atan2(pb.dot(w), pb.dot(u))
                return aa != ab ? aa < ab : a < b
            }
            // drop points lying on an edge between two neighbours (collinear)
            var loop: [Int] = []
            for (k, i) in sorted.enumerated() {
                let prev = pts[sorted[(k + sorted.count - 1) % sorted.count]], next = pts[sorted[(k + 1) % sorted.count]]
                if (pts[i] - prev).cross(next - pts[i]).length > eps * scale { loop.append(i) }
            }
            for i in loop where !used.contains(i) { used.append(i) }
            loops.append(loop)
        }
        used.sort()
        let remap = loops.map { $0.map { used.firstIndex(of: $0)! } }
        return Polyhedron(vertices: used.map { pts[$0] }, faceLoops: remap)
    }

    /// Volume (m³), centroid and inertia about the centroid per unit density, by tetrahedra from an interior point.
    var massProperties: (volume: Double, center: Vec3, inertia: Mat3) {
        let o = centroid
        var volume = 0.0, moment = Vec3.zero, cov = Mat3.zero
        let canonical = Mat3(Vec3(2, 1, 1), Vec3(1, 2, 1), Vec3(1, 1, 2)) * (1.0 / 120.0)
        for loop in faceLoops {
            for i in 1..<(loop.count - 1) {
                let a = vertices[loop[0]] - o, b = vertices[loop[i]] - o, c = vertices[loop[i + 1]] - o
                let m = Mat3(a, b, c)
                let det = m.determinant
                volume += det / 6
                moment += (a + b + c) * (det / 24)
                cov = cov + m * canonical * m.transposed * det
            }
        }
        let cLocal = moment / volume
        // shift covariance from o to the centroid, then inertia = tr(C) I − C
        cov = cov - Mat3.outer(cLocal, cLocal) * volume
        let inertia = Mat3.identity * cov.trace - cov
        return (volume, o + cLocal, inertia)
    }

    func support(_ d: Vec3) -> Vec3 {
        var best = vertices[0], bestDot = best.dot(d)
        for v in vertices.dropFirst() { let s = v.dot(d); if s > bestDot { bestDot = s; best = v } }
        return best
    }

    func transformed(by p: Pose) -> Polyhedron {
        var t = self
        for i in t.vertices.indices { t.vertices[i] = p.transform(vertices[i]) }
        for i in t.faceNormals.indices {
            t.faceNormals[i] = p.transformDirection(faceNormals[i])
            t.faceOffsets[i] = t.faceNormals[i].dot(t.vertices[faceLoops[i][0]])
        }
        for i in t.edgeDirections.indices { t.edgeDirections[i] = p.transformDirection(edgeDirections[i]) }
        t.centroid = p.transform(centroid)
        return t
    }
}
