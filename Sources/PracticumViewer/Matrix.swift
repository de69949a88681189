// 4×4 matrices in OpenGL conventions: column-major, column vectors (p' = M p),
// right-handed eye space looking down −z, clip space z in −w...w.
import PracticumCore

/// A 4×4 matrix of `Double`, stored as four columns.
public struct Mat4: Sendable, Equatable {
    public var c0: SIMD4<Double>, c1: SIMD4<Double>, c2: SIMD4<Double>, c3: SIMD4<Double>

    public init(_ c0: SIMD4<Double>, _ c1: SIMD4<Double>, _ c2: SIMD4<Double>, _ c3: SIMD4<Double>) {
        self.c0 = c0; self.c1 = c1; self.c2 = c2; self.c3 = c3
    }

    public static let identity = Mat4(SIMD4(1, 0, 0, 0), SIMD4(0, 1, 0, 0), SIMD4(0, 0, 1, 0), SIMD4(0, 0, 0, 1))

    public static func * (a: Mat4, b: Mat4) -> Mat4 {
        Mat4(a * b.c0, a * b.c1, a * b.c2, a * b.c3)
    }
    public static func * (a: Mat4, v: SIMD4<Double>) -> SIMD4<Double> {
        a.c0 * v.x + a.c1 * v.y + a.c2 * v.z + a.c3 * v.w
    }

    /// Transforms a point (w = 1) and returns the homogeneous result.
    public func apply(_ p: Vec3) -> SIMD4<Double> { self * SIMD4(p.x, p.y, p.z, 1) }

    /// The rigid transform of a pose, with a per-axis scale applied first (model matrix).
    public static func model(_ pose: Pose, scale s: Vec3 = Vec3(1, 1, 1)) -> Mat4 {
        let q = pose.orientation
        let x = q.rotate(.unitX) * s.x, y = q.rotate(.unitY) * s.y, z = q.rotate(.unitZ) * s.z
        let p = pose.position
        return Mat4(SIMD4(x.x, x.y, x.z, 0), SIMD4(y.x, y.y, y.z, 0), SIMD4(z.x, z.y, z.z, 0), SIMD4(p.x, p.y, p.z, 1))
    }

    /// The view matrix of a camera at `pose` (camera looks down its local −z, +y up): the inverse pose.
    public static func view(_ pose: Pose) -> Mat4 { model(pose.inverse) }

    /// A general (possibly asymmetric) perspective frustum, like `glFrustum`.
    /// `l, r, b, t` are the near-plane extents in eye space (m); `n, f` the near and far distances (m).
    public static func frustum(left l: Double, right r: Double, bottom b: Double, top t: Double, near n: Double, far f: Double) -> Mat4 {
        Mat4(SIMD4(2 * n / (r - l), 0, 0, 0),
             SIMD4(0, 2 * n / (t - b), 0, 0),
             SIMD4((r + l) / (r - l), (t + b) / (t - b), -(f + n) / (f - n), -1),
             SIMD4(0, 0, -2 * f * n / (f - n), 0))
    }

    /// A symmetric perspective projection; `fovY` is the full vertical field of view in radians.
    public static func perspective(fovY: Double, aspect: Double, near: Double, far: Double) -> Mat4 {
        let t = near * tan(fovY / 2), r = t * aspect
        return frustum(left: -r, right: r, bottom: -t, top: t, near: near, far: far)
    }

    /// An orthographic projection mapping x in l...r, y in b...t to NDC (for the HUD, in pixels).
    public static func orthographic(left l: Double, right r: Double, bottom b: Double, top t: Double) -> Mat4 {
        Mat4(SIMD4(2 / (r - l), 0, 0, 0), SIMD4(0, 2 / (t - b), 0, 0), SIMD4(0, 0, -1, 0),
             SIMD4(-(r + l) / (r - l), -(t + b) / (t - b), 0, 1))
    }

    /// Column-major single-precision values for `glUniformMatrix4fv`.
    public var floats: [Float] {
        var out: [Float] = []
        out.reserveCapacity(16)
        appendFloats(to: &out)
        return out
    }

    /// Appends the 16 column-major single-precision values (no intermediate arrays).
    public func appendFloats(to out: inout [Float]) {
        func column(_ c: SIMD4<Double>) { out.append(Float(c.x)); out.append(Float(c.y)); out.append(Float(c.z)); out.append(Float(c.w)) }
        column(c0); column(c1); column(c2); column(c3)
    }

    /// Determinant of the upper-left 3×3: negative when the matrix mirrors (turns the triangle winding over).
    public var linearDeterminant: Double {
        let a = SIMD3(c0.x, c0.y, c0.z), b = SIMD3(c1.x, c1.y, c1.z), c = SIMD3(c2.x, c2.y, c2.z)
        return a.x * (b.y * c.z - b.z * c.y) - b.x * (a.y * c.z - a.z * c.y) + c.x * (a.y * b.z - a.z * b.y)
    }

    /// The upper-left 3×3 of the inverse transpose, for transforming normals under non-uniform scale,
    /// returned column-major. Assumes an affine matrix.
    public var normalMatrix: [Float] {
        var out: [Float] = []
        out.reserveCapacity(9)
        appendNormalMatrix(to: &out)
        return out
    }

    /// Appends the 9 values of `normalMatrix`.
    public func appendNormalMatrix(to out: inout [Float]) {
        let a = SIMD3(c0.x, c0.y, c0.z), b = SIMD3(c1.x, c1.y, c1.z), c = SIMD3(c2.x, c2.y, c2.z)
        func cross(_ u: SIMD3<Double>, _ v: SIMD3<Double>) -> SIMD3<Double> {
            SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
        }
        // rows of the inverse are (b×c, c×a, a×b)/det; the inverse transpose has them as columns
        let r0 = cross(b, c), r1 = cross(c, a), r2 = cross(a, b)
        let det = (a * r0).sum()
        let s = abs(det) > 1e-300 ? 1 / det : 0
        func column(_ r: SIMD3<Double>) { out.append(Float(r.x * s)); out.append(Float(r.y * s)); out.append(Float(r.z * s)) }
        column(r0); column(r1); column(r2)
    }
}

/// Where a point lands on screen.
public struct ScreenPoint: Sendable, Equatable {
    /// Normalised device coordinates, each in −1...1 when visible.
    public var ndc: SIMD3<Double>
    /// Eye-space depth in front of the camera, m (positive when in front).
    public var depth: Double
}

extension Mat4 {
    /// Projects a world point through this view-projection matrix; nil when behind the eye.
    public func project(_ p: Vec3) -> ScreenPoint? {
        let c = apply(p)
        guard c.w > 1e-12 else { return nil }
        return ScreenPoint(ndc: SIMD3(c.x / c.w, c.y / c.w, c.z / c.w), depth: c.w)
    }
}

#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
