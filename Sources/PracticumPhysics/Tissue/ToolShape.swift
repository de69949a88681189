import PracticumCore

/// A kinematic instrument shape that touches soft tissue: its pose is given each tick (from a hand or a
/// script) and the tissue cannot push it back; the force the tissue exerts is measured instead.
public struct ToolShape: Hashable, Sendable {
    public enum Geometry: Hashable, Sendable {
        /// A ball of `radius` (m) centred at the pose.
        case sphere(radius: Double)
        /// A capsule along the pose's local y axis: segment from −halfLength to +halfLength (m), swept by `radius` (m).
        case capsule(radius: Double, halfLength: Double)
    }

    public var geometry: Geometry
    /// Pose at the end of this tick (m). Between ticks the tool moves linearly (slerp for orientation).
    public var pose: Pose
    /// Coulomb friction coefficient against tissue (dimensionless, typically 0.1–0.6).
    public var friction: Double

    public init(geometry: Geometry, pose: Pose = .identity, friction: Double = 0.5) {
        self.geometry = geometry; self.pose = pose; self.friction = friction
    }

    /// A vertical capsule (local y along world y) whose lowest point is `tip` (m).
    public static func verticalCapsule(tip: Vec3, radius: Double, halfLength: Double, friction: Double) -> ToolShape {
        ToolShape(geometry: .capsule(radius: radius, halfLength: halfLength),
                  pose: Pose(position: tip + Vec3(0, radius + halfLength, 0)), friction: friction)
    }

    var radius: Double {
        switch geometry {
        case .sphere(let r): return r
        case .capsule(let r, _): return r
        }
    }

    /// The core segment in world coordinates at `pose` (equal ends for a sphere).
    func segment(at pose: Pose) -> (Vec3, Vec3) {
        switch geometry {
        case .sphere: return (pose.position, pose.position)
        case .capsule(_, let h): return (pose.transform(Vec3(0, -h, 0)), pose.transform(Vec3(0, h, 0)))
        }
    }
}
