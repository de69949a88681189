// Triangle meshes for the primitive shapes, generated once and cached by the renderer.
import PracticumCore

/// Which GPU geometry a draw item uses. Primitives are unit-sized and scaled by the model matrix,
/// except capsules, whose shape depends on the radius-to-length ratio.
public enum GeometryKey: Hashable, Sendable {
    /// Unit sphere (radius 1).
    case sphere
    /// Cube with half extents 1.
    case box
    /// Square with half size 1 in the x–z plane, normal +y.
    case plane
    /// Capsule along +y, radius and half height in micrometres (integers so equal shapes share a key).
    case capsule(radiusMicrons: Int, halfHeightMicrons: Int)
    /// A `TriangleMesh` by its id.
    case mesh(id: Int)
    /// A `DynamicMesh` by its id (vertices re-uploaded each frame).
    case dynamic(id: Int)
    /// A sphere or capsule with about a quarter of the triangles (`PrimitiveGeometry.coarseSlices` around), for
    /// items small on screen: software GL transforms and sets up every triangle on the render thread.
    indirect case coarse(GeometryKey)

    /// Spheres and capsules have a coarse tessellation (`coarse`).
    public var hasCoarseVariant: Bool {
        switch self {
        case .sphere, .capsule: return true
        default: return false
        }
    }

    /// The primitive is a closed surface seen only from outside (planes, scene meshes and tissue sheets
    /// may be seen from both sides).
    public var isClosed: Bool {
        switch self {
        case .sphere, .box, .capsule: return true
        case .plane, .mesh, .dynamic: return false
        case let .coarse(key): return key.isClosed
        }
    }
}

/// Builders for the primitive meshes, all with outward unit normals and counter-clockwise faces.
public enum PrimitiveGeometry {
    /// Segments around and from pole to pole; enough for smooth silhouettes at arm's length.
    public static let slices = 24, stacks = 12
    /// The coarse tessellation (`GeometryKey.coarse`): its outline is within 3.4% of the radius.
    public static let coarseSlices = 12, coarseStacks = 6

    public static func sphere(slices: Int = slices, stacks: Int = stacks) -> TriangleMesh {
        capsule(radius: 1, halfHeight: 0, slices: slices, stacks: stacks)
    }

    /// A capsule along +y: two hemispheres of `radius` joined by a cylinder of length 2·`halfHeight` (m),
    /// with `slices` segments around and `stacks` (even) from pole to pole.
    public static func capsule(radius r: Double, halfHeight h: Double, slices: Int = slices, stacks: Int = stacks) -> TriangleMesh {
        var positions: [Vec3] = [], normals: [Vec3] = []
        // rings from the south pole to the north pole; the equator ring is emitted twice
        // (at −h and +h) so the cylinder between them gets straight sides
        var rings: [(phi: Double, yOffset: Double)] = []
        for i in 0...stacks / 2 { rings.append((-Double.pi / 2 + Double(i) * Double.pi / Double(stacks), -h)) }
        for i in stacks / 2...stacks { rings.append((-Double.pi / 2 + Double(i) * Double.pi / Double(stacks), h)) }
        for ring in rings {
            for j in 0...slices {
                let theta = Double(j) * 2 * Double.pi / Double(slices)
                let n = Vec3(cos(ring.phi) * sin(theta), sin(ring.phi), cos(ring.phi) * cos(theta))
                normals.append(n)
                positions.append(n * r + Vec3(0, ring.yOffset, 0))
            }
        }
        var indices: [UInt32] = []
        let row = slices + 1
        for i in 0..<(rings.count - 1) {
            for j in 0..<slices {
                let a = UInt32(i * row + j), b = a + 1, c = a + UInt32(row), d = c + 1
                indices += [a, b, d, a, d, c]
            }
        }
        return TriangleMesh(id: -1, positions: positions, normals: normals, indices: indices)
    }

    /// A cube with half extents 1: 24 vertices so each face has its own normal.
    public static func box() -> TriangleMesh {
        var positions: [Vec3] = [], normals: [Vec3] = [], indices: [UInt32] = []
        for axis in 0..<3 {
            for sign in [-1.0, 1.0] {
                var n = Vec3.zero; n[axis] = sign
                // two tangents with u × v = n so the quad winds counter-clockwise seen from outside
                var u = Vec3.zero; u[(axis + 1) % 3] = 1
                var v = Vec3.zero; v[(axis + 2) % 3] = 1
                if sign < 0 { swap(&u, &v) }
                let base = UInt32(positions.count)
                for (su, sv) in [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)] {
                    positions.append(n + u * su + v * sv); normals.append(n)
                }
                indices += [base, base + 1, base + 2, base, base + 2, base + 3]
            }
        }
        return TriangleMesh(id: -2, positions: positions, normals: normals, indices: indices)
    }

    /// A square with half size 1 in the x–z plane facing +y.
    public static func plane() -> TriangleMesh {
        TriangleMesh(id: -3, positions: [Vec3(-1, 0, 1), Vec3(1, 0, 1), Vec3(1, 0, -1), Vec3(-1, 0, -1)],
                     normals: Array(repeating: .unitY, count: 4), indices: [0, 1, 2, 0, 2, 3])
    }

    /// The mesh for a key that names a primitive (nil for meshes supplied by the scene).
    public static func mesh(for key: GeometryKey) -> TriangleMesh? {
        switch key {
        case .sphere: return sphere()
        case .box: return box()
        case .plane: return plane()
        case let .capsule(r, h): return capsule(radius: Double(r) * 1e-6, halfHeight: Double(h) * 1e-6)
        case .coarse(.sphere): return sphere(slices: coarseSlices, stacks: coarseStacks)
        case let .coarse(.capsule(r, h)):
            return capsule(radius: Double(r) * 1e-6, halfHeight: Double(h) * 1e-6, slices: coarseSlices, stacks: coarseStacks)
        case .coarse(let key): return mesh(for: key)
        case .mesh, .dynamic: return nil
        }
    }

    /// Area-weighted smooth vertex normals of an indexed triangle list.
    public static func smoothNormals(positions: [Vec3], indices: [UInt32]) -> [Vec3] {
        var normals = [Vec3](repeating: .zero, count: positions.count)
        var t = 0
        while t + 2 < indices.count {
            let a = Int(indices[t]), b = Int(indices[t + 1]), c = Int(indices[t + 2])
            t += 3
            guard a < positions.count, b < positions.count, c < positions.count else { continue }
            let n = (positions[b] - positions[a]).cross(positions[c] - positions[a])
            normals[a] += n; normals[b] += n; normals[c] += n
        }
        return normals.map { $0.lengthSquared > 0 ? $0.normalized : .unitY }
    }
}

#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
