#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// A unit quaternion (w, x, y, z) representing a rotation.
public struct Quat: Hashable, Sendable, Codable, CustomStringConvertible {
    public var w: Double
    public var x: Double
    public var y: Double
    public var z: Double

    @inlinable public init(w: Double, x: Double, y: Double, z: Double) { self.w = w; self.x = x; self.y = y; self.z = z }

    public static let identity = Quat(w: 1, x: 0, y: 0, z: 0)

    /// Rotation of `angle` radians about `axis` (need not be unit length).
    @inlinable public init(axis: Vec3, angle: Double) {
        let a = axis.normalized
        let s = sin(angle / 2)
        self.init(w: cos(angle / 2), x: a.x * s, y: a.y * s, z: a.z * s)
    }

    /// The shortest rotation taking unit vector `from` onto unit vector `to`.
    public init(from: Vec3, to: Vec3) {
        let f = from.normalized, t = to.normalized
        let d = f.dot(t)
        if d < -0.999999 {
            var axis = Vec3.unitX.cross(f)
            if axis.length < 1e-6 { axis = Vec3.unitY.cross(f) }
            self.init(axis: axis, angle: .pi)
        } else {
            let c = f.cross(t)
            self = Quat(w: 1 + d, x: c.x, y: c.y, z: c.z).normalized
        }
    }

    /// Intrinsic rotations in degrees about x, then y, then z (as scenario files write `rotation: [rx, ry, rz]`).
    public static func euler(x rx: Double, y ry: Double, z rz: Double) -> Quat {
        Quat(axis: .unitZ, angle: rz) * Quat(axis: .unitY, angle: ry) * Quat(axis: .unitX, angle: rx)
    }

    @inlinable public static func * (a: Quat, b: Quat) -> Quat {
        Quat(w: a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z,
             x: a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
             y: a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
             z: a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w)
    }

    @inlinable public var conjugate: Quat { Quat(w: w, x: -x, y: -y, z: -z) }
    @inlinable public var lengthSquared: Double { w * w + x * x + y * y + z * z }
    @inlinable public var normalized: Quat {
        let l = lengthSquared.squareRoot()
        return l > 1e-300 ? Quat(w: w / l, x: x / l, y: y / l, z: z / l) : .identity
    }
    @inlinable public var isFinite: Bool { w.isFinite && x.isFinite && y.isFinite && z.isFinite }
    @inlinable public var vector: Vec3 { Vec3(x, y, z) }

    /// Rotates a vector: q v q*.
    @inlinable @inline(__always) public func rotate(_ v: Vec3) -> Vec3 {
        let u = vector
        let t = u.cross(v) * 2
        return v + t * w + u.cross(t)
    }
    @inlinable @inline(__always) public func inverseRotate(_ v: Vec3) -> Vec3 { conjugate.rotate(v) }

    /// Rotation angle in [0, π] radians.
    public var angle: Double { 2 * atan2(vector.length, abs(w)) }

    /// Angle in radians of the rotation taking `self` to `b`.
    public func angle(to b: Quat) -> Double { (conjugate * b).angle }

    /// Spherical linear interpolation along the shortest arc.
    public func slerp(to b: Quat, _ t: Double) -> Quat {
        var b = b
        var d = w * b.w + x * b.x + y * b.y + z * b.z
        if d < 0 { d = -d; b = Quat(w: -b.w, x: -b.x, y: -b.y, z: -b.z) }
        if d > 0.9995 {
            return Quat(w: w + (b.w - w) * t, x: x + (b.x - x) * t, y: y + (b.y - y) * t, z: z + (b.z - z) * t).normalized
        }
        let theta = acos(min(1, d))
        let s = sin(theta)
        let s0 = sin((1 - t) * theta) / s, s1 = sin(t * theta) / s
        return Quat(w: w * s0 + b.w * s1, x: x * s0 + b.x * s1, y: y * s0 + b.y * s1, z: z * s0 + b.z * s1).normalized
    }

    /// Integrates angular velocity `omega` (rad/s, world frame) over `dt` seconds (first order, renormalised).
    @inlinable public func integrated(omega: Vec3, dt: Double) -> Quat {
        let dq = Quat(w: 0, x: omega.x, y: omega.y, z: omega.z) * self
        let h = 0.5 * dt
        return Quat(w: w + dq.w * h, x: x + dq.x * h, y: y + dq.y * h, z: z + dq.z * h).normalized
    }

    public var description: String { "Quat(w: \(w), x: \(x), y: \(y), z: \(z))" }
}
