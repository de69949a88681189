import PracticumCore

// Closest-point queries for tool–tissue contact, after Ericson, "Real-Time Collision Detection" (2005),
// §5.1.5 (point–triangle) and §5.1.9 (segment–segment).

/// Closest point on triangle abc to p, returned as barycentric weights (u, v, w) of (a, b, c).
@inline(__always)
func closestBarycentric(_ p: Vec3, _ a: Vec3, _ b: Vec3, _ c: Vec3) -> (Double, Double, Double) {
    let ab = b - a, ac = c - a, ap = p - a
    let d1 = ab.dot(ap), d2 = ac.dot(ap)
    if d1 <= 0 && d2 <= 0 { return (1, 0, 0) }
    let bp = p - b
    let d3 = ab.dot(bp), d4 = ac.dot(bp)
    if d3 >= 0 && d4 <= d3 { return (0, 1, 0) }
    let vc = d1 * d4 - d3 * d2
    if vc <= 0 && d1 >= 0 && d3 <= 0 { let v = d1 / (d1 - d3); return (1 - v, v, 0) }
    let cp = p - c
    let d5 = ab.dot(cp), d6 = ac.dot(cp)
    if d6 >= 0 && d5 <= d6 { return (0, 0, 1) }
    let vb = d5 * d2 - d1 * d6
    if vb <= 0 && d2 >= 0 && d6 <= 0 { let w = d2 / (d2 - d6); return (1 - w, 0, w) }
    let va = d3 * d6 - d5 * d4
    if va <= 0 && (d4 - d3) >= 0 && (d5 - d6) >= 0 {
        let w = (d4 - d3) / ((d4 - d3) + (d5 - d6)); return (0, 1 - w, w)
    }
    let denom = 1 / (va + vb + vc)
    let v = vb * denom, w = vc * denom
    return (1 - v - w, v, w)
}

// closestSegmentParameters is shared with the rigid narrow phase (Mat3.swift).

/// Closest points between segment [p0, p1] and triangle abc: the segment parameter, the triangle's
/// barycentric weights and the distance. A segment that pierces the triangle has distance 0.
@inline(__always)
func closestSegmentTriangle(_ p0: Vec3, _ p1: Vec3, _ a: Vec3, _ b: Vec3, _ c: Vec3)
    -> (s: Double, bary: (Double, Double, Double), distance: Double) {
    let n = (b - a).cross(c - a)
    let e0 = (p0 - a).dot(n), e1 = (p1 - a).dot(n)
    if (e0 < 0) != (e1 < 0), e0 != e1 {
        // the segment crosses the plane: inside the triangle means a piercing
        let s = e0 / (e0 - e1)
        let q = p0 + (p1 - p0) * s
        let bc = closestBarycentric(q, a, b, c)
        let onTri = a * bc.0 + b * bc.1 + c * bc.2
        if (onTri - q).lengthSquared < 1e-24 { return (s, bc, 0) }
    }
    var best = (s: 0.0, bary: closestBarycentric(p0, a, b, c), distance: Double.infinity)
    func consider(_ s: Double, _ bc: (Double, Double, Double)) {
        let p = p0 + (p1 - p0) * s
        let d = (p - (a * bc.0 + b * bc.1 + c * bc.2)).length
        if d < best.distance { best = (s, bc, d) }
    }
    consider(0, best.bary)
    if (p1 - p0).lengthSquared > 1e-24 {
        consider(1, closestBarycentric(p1, a, b, c))
        let (s0, t0) = closestSegmentParameters(p0, p1, a, b); consider(s0, (1 - t0, t0, 0))
        let (s1, t1) = closestSegmentParameters(p0, p1, b, c); consider(s1, (0, 1 - t1, t1))
        let (s2, t2) = closestSegmentParameters(p0, p1, c, a); consider(s2, (t2, 0, 1 - t2))
    }
    return best
}
