/// A rigid transform: position in metres and orientation.
public struct Pose: Hashable, Sendable, Codable {
    public var position: Vec3
    public var orientation: Quat

    @inlinable public init(position: Vec3 = .zero, orientation: Quat = .identity) {
        self.position = position; self.orientation = orientation
    }
    public static let identity = Pose()

    /// Maps a point from this pose's local frame to the parent (world) frame.
    @inlinable public func transform(_ p: Vec3) -> Vec3 { position + orientation.rotate(p) }
    /// Maps a direction from local to parent frame.
    @inlinable public func transformDirection(_ d: Vec3) -> Vec3 { orientation.rotate(d) }
    /// Maps a point from the parent frame into this pose's local frame.
    @inlinable public func inverseTransform(_ p: Vec3) -> Vec3 { orientation.inverseRotate(p - position) }
    @inlinable public var inverse: Pose {
        let q = orientation.conjugate
        return Pose(position: q.rotate(-position), orientation: q)
    }
    /// `self ∘ b`: apply `b`, then `self`.
    @inlinable public static func * (a: Pose, b: Pose) -> Pose {
        Pose(position: a.transform(b.position), orientation: (a.orientation * b.orientation).normalized)
    }
    @inlinable public var isFinite: Bool { position.isFinite && orientation.isFinite }
    /// Linear interpolation of position and slerp of orientation.
    public func interpolated(to b: Pose, _ t: Double) -> Pose {
        Pose(position: position.lerp(to: b.position, t), orientation: orientation.slerp(to: b.orientation, t))
    }
}
