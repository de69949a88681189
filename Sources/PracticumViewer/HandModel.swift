// The mesh drawn as each tracked hand: two poses of one mesh (open at grip 0, closed at grip 1)
// blended by the grip. The blend is precomputed at a few grip levels, so a frame draws a static
// mesh (uploaded once) instead of re-uploading a blended one per hand per frame.
import Foundation
import PracticumCore
import PracticumScenario

/// A hand (or a grasper the trainee holds in its place) drawn in `HandModel.levels` grip steps.
public struct HandModel: Sendable, Equatable {
    /// Grip steps between open and closed, ends included.
    public static let levels = 9
    /// Geometry ids of the steps start here (bodies, parts and tissues use lower ids).
    public static let firstID = 30_000
    /// One mesh per grip step, 0 open … `levels - 1` closed, in the hand's frame (origin at the grip
    /// point, +y the back of the hand, fingers along −z) of a right hand.
    public var poses: [TriangleMesh]
    /// True when the meshes carry their own colours (a glTF file's): the hand's colour then only tints them.
    public var colored: Bool

    /// Blends `open` into `closed` (same vertices and triangles), each scaled by `scale` and placed at
    /// `offset` in the hand's frame. Nil when the two do not share their topology.
    public init?(open: OBJModel, closed: OBJModel, look: MeshLook?, scale: Double = 1, offset: Pose = .identity) {
        let a = TriangleMesh(obj: open.scaled(scale), id: 0, look: look)
        let b = TriangleMesh(obj: closed.scaled(scale), id: 0, look: look)
        guard a.positions.count == b.positions.count, a.indices == b.indices, !a.positions.isEmpty else { return nil }
        colored = !(look?.colors.isEmpty ?? true)
        poses = (0..<HandModel.levels).map { level in
            let t = Double(level) / Double(HandModel.levels - 1)
            var m = a
            m.id = HandModel.firstID + level
            m.positions = zip(a.positions, b.positions).map { offset.transform($0 + ($1 - $0) * t) }
            m.normals = zip(a.normals, b.normals).map { n0, n1 in
                let n = n0 + (n1 - n0) * t
                return offset.orientation.rotate(n.length > 1e-9 ? n.normalized : n0)
            }
            return m
        }
    }

    /// Reads the two meshes from files (glTF or OBJ; the open file's colours and texture are used).
    public static func load(open: String, closed: String) throws -> HandModel {
        let a = try loadMeshFile(path: open), b = try loadMeshFile(path: closed)
        guard let model = HandModel(open: a.model, closed: b.model, look: a.look) else {
            throw ViewerError.asset("the hand meshes \(open) and \(closed) differ in vertices or triangles")
        }
        return model
    }

    /// The scenario's `cues.hands`, if it gives one.
    public static func scenario(_ s: Scenario) -> HandModel? {
        guard let h = s.cues.hands, let open = s.scene.meshes[h.open.mesh], let closed = s.scene.meshes[h.closed.mesh] else { return nil }
        return HandModel(open: open, closed: closed, look: s.scene.meshLooks[h.open.mesh], scale: h.open.scale, offset: h.open.offset)
    }

    /// The step drawn at `grip` (0…1).
    public func mesh(grip: Double) -> TriangleMesh {
        let g = grip.isFinite ? min(max(grip, 0), 1) : 0
        return poses[Int((g * Double(HandModel.levels - 1)).rounded())]
    }
}
