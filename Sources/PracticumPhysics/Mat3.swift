#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
import PracticumCore

/// A 3×3 matrix stored by columns; used for inertia tensors (kg·m²) and their inverses.
struct Mat3: Sendable, Equatable {
    var c0: Vec3, c1: Vec3, c2: Vec3

    init(_ c0: Vec3, _ c1: Vec3, _ c2: Vec3) { self.c0 = c0; self.c1 = c1; self.c2 = c2 }
    static let zero = Mat3(.zero, .zero, .zero)
    static let identity = Mat3(.unitX, .unitY, .unitZ)
    static func diagonal(_ d: Vec3) -> Mat3 { Mat3(Vec3(d.x, 0, 0), Vec3(0, d.y, 0), Vec3(0, 0, d.z)) }
    /// The outer product a bᵀ.
    static func outer(_ a: Vec3, _ b: Vec3) -> Mat3 { Mat3(a * b.x, a * b.y, a * b.z) }

    @inline(__always) func mul(_ v: Vec3) -> Vec3 { c0 * v.x + c1 * v.y + c2 * v.z }
    static func + (a: Mat3, b: Mat3) -> Mat3 { Mat3(a.c0 + b.c0, a.c1 + b.c1, a.c2 + b.c2) }
    static func - (a: Mat3, b: Mat3) -> Mat3 { Mat3(a.c0 - b.c0, a.c1 - b.c1, a.c2 - b.c2) }
    static func * (a: Mat3, s: Double) -> Mat3 { Mat3(a.c0 * s, a.c1 * s, a.c2 * s) }
    static func * (a: Mat3, b: Mat3) -> Mat3 { Mat3(a.mul(b.c0), a.mul(b.c1), a.mul(b.c2)) }
    var transposed: Mat3 {
        Mat3(Vec3(c0.x, c1.x, c2.x), Vec3(c0.y, c1.y, c2.y), Vec3(c0.z, c1.z, c2.z))
    }
    var trace: Double { c0.x + c1.y + c2.z }
    var determinant: Double { c0.dot(c1.cross(c2)) }
    /// The inverse, or `.zero` for a singular matrix (an immovable body).
    var inverse: Mat3 {
        let det = determinant
        guard det.magnitude > 1e-300 else { return .zero }
        let r0 = c1.cross(c2) / det, r1 = c2.cross(c0) / det, r2 = c0.cross(c1) / det
        return Mat3(r0, r1, r2).transposed
    }
    /// R M Rᵀ for the rotation `q`: this tensor expressed in the parent frame.
    func rotated(by q: Quat) -> Mat3 {
        Mat3(q.rotate(mul(q.inverseRotate(.unitX))), q.rotate(mul(q.inverseRotate(.unitY))), q.rotate(mul(q.inverseRotate(.unitZ))))
    }
    var isDiagonalIsotropic: Bool {
        c0.y == 0 && c0.z == 0 && c1.x == 0 && c1.z == 0 && c2.x == 0 && c2.y == 0 && c0.x == c1.y && c1.y == c2.z
    }
}

extension Vec3 {
    /// Some unit vector perpendicular to this (unit) vector.
    var anyPerpendicular: Vec3 { (abs(x) < 0.57 ? Vec3.unitX : Vec3.unitY).cross(self).normalized }
}

/// Closest points between segments p0-p1 and q0-q1 (Ericson, Real-Time Collision Detection §5.1.9).
/// Returns the parameters s, t in [0, 1].
func closestSegmentParameters(_ p0: Vec3, _ p1: Vec3, _ q0: Vec3, _ q1: Vec3) -> (Double, Double) {
    let d1 = p1 - p0, d2 = q1 - q0, r = p0 - q0
    let a = d1.lengthSquared, e = d2.lengthSquared, f = d2.dot(r)
    let eps = 1e-18
    if a <= eps && e <= eps { return (0, 0) }
    if a <= eps { return (0, min(max(f / e, 0), 1)) }
    let c = d1.dot(r)
    if e <= eps { return (min(max(-c / a, 0), 1), 0) }
    let b = d1.dot(d2), denom = a * e - b * b
    var s = denom > eps * a * e ? min(max((b * f - c * e) / denom, 0), 1) : 0
    var t = (b * s + f) / e
    if t < 0 { t = 0; s = min(max(-c / a, 0), 1) } else if t > 1 { t = 1; s = min(max((b - c) / a, 0), 1) }
    return (s, t)
}

/// Closest point on triangle abc to p (Ericson §5.1.5).
func closestPointOnTriangle(_ p: Vec3, _ a: Vec3, _ b: Vec3, _ c: Vec3) -> Vec3 {
    let ab = b - a, ac = c - a, ap = p - a
    let d1 = ab.dot(ap), d2 = ac.dot(ap)
    if d1 <= 0 && d2 <= 0 { return a }
    let bp = p - b, d3 = ab.dot(bp), d4 = ac.dot(bp)
    if d3 >= 0 && d4 <= d3 { return b }
    let vc = d1 * d4 - d3 * d2
    if vc <= 0 && d1 >= 0 && d3 <= 0 { return a + ab * (d1 / (d1 - d3)) }
    let cp = p - c, d5 = ab.dot(cp), d6 = ac.dot(cp)
    if d6 >= 0 && d5 <= d6 { return c }
    let vb = d5 * d2 - d1 * d6
    if vb <= 0 && d2 >= 0 && d6 <= 0 { return a + ac * (d2 / (d2 - d6)) }
    let va = d3 * d6 - d5 * d4
    if va <= 0 && (d4 - d3) >= 0 && (d5 - d6) >= 0 { return b + (c - b) * ((d4 - d3) / ((d4 - d3) + (d5 - d6))) }
    let denom = 1 / (va + vb + vc)
    return a + ab * (vb * denom) + ac * (vc * denom)
}
