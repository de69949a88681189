import PracticumCore

// Narrow phase: for a candidate shape pair, the contact points whose separation is below the pair's
// speculative margin. Points come as a pair of surface points (pA on A, pB on B) and the normal n
// from A to B; the solver keeps both points fixed in their bodies for the tick and measures the
// separation (pB − pA)·n afresh every substep, so a contact found 0.4 m ahead (a fast instrument)
// acts only when it is reached (speculative contacts; Catto, "Continuous Collision", GDC 2013).
// Sphere and capsule tests are closed form; boxes, hulls and mesh triangles share one separating-axis
// test with face clipping (Gregorius, GDC 2013), with at most four points per manifold.

struct RawContact: Sendable {
    var pA: Vec3
    var pB: Vec3
    var normal: Vec3
    /// Radius of the rounded shape on each side (0 for polyhedra): the surface point is the core
    /// point offset by the radius along the normal, and that offset does not turn with the body.
    var radiusA: Double = 0
    var radiusB: Double = 0
}

struct NarrowPhase {
    /// Appends the contacts between shapes `sa` and `sb` (world poses `xa`, `xb`) into `out`.
    static func collide(_ sa: ShapeModel, _ xa: Pose, _ sb: ShapeModel, _ xb: Pose, margin: Double,
                        boundsLo: Vec3, boundsHi: Vec3, into out: inout [RawContact]) {
        if sa.kind.rawValue > sb.kind.rawValue {
            let start = out.count
            collide(sb, xb, sa, xa, margin: margin, boundsLo: boundsLo, boundsHi: boundsHi, into: &out)
            for i in start..<out.count { out[i] = RawContact(pA: out[i].pB, pB: out[i].pA, normal: -out[i].normal, radiusA: out[i].radiusB, radiusB: out[i].radiusA) }
            return
        }
        switch (sa.kind, sb.kind) {
        case (.sphere, .sphere):
            sphereSphere(xa.position, sa.radius, xb.position, sb.radius, margin, &out)
        case (.sphere, .capsule), (.capsule, .capsule):
            let (a0, a1) = segment(sa, xa), (b0, b1) = segment(sb, xb)
            segmentSegment(a0, a1, sa.radius, b0, b1, sb.radius, margin, &out)
        case (.sphere, .box):
            sphereBox(xa.position, sa.radius, sb.halfExtents, xb, margin, &out)
        case (.sphere, .hull), (.capsule, .box), (.capsule, .hull):
            let (a0, a1) = segment(sa, xa)
            roundSegmentPolyhedron(a0, a1, sa.radius, sb.poly!, xb, margin, &out)
        case (.box, .box), (.box, .hull), (.hull, .hull):
            polyhedronPolyhedron(sa.poly!, xa, sb.poly!, xb, margin, &out)
        case (_, .mesh):
            let mesh = sb.mesh!
            for t in 0..<mesh.triangleCount {
                let lo = mesh.lo[t], hi = mesh.hi[t]
                if lo.x > boundsHi.x || hi.x < boundsLo.x || lo.y > boundsHi.y || hi.y < boundsLo.y || lo.z > boundsHi.z || hi.z < boundsLo.z { continue }
                let (a, b, c) = mesh.triangle(t)
                switch sa.kind {
                case .sphere:
                    sphereTriangle(xa.position, sa.radius, a, b, c, margin, &out)
                case .capsule:
                    let (a0, a1) = segment(sa, xa)
                    roundSegmentPolyhedron(a0, a1, sa.radius, .triangle(a, b, c), .identity, margin, &out)
                case .box, .hull:
                    polyhedronPolyhedron(sa.poly!, xa, .triangle(a, b, c), .identity, margin, &out)
                case .mesh:
                    break
                }
            }
        default:
            break
        }
    }

    @inline(__always) static func segment(_ s: ShapeModel, _ x: Pose) -> (Vec3, Vec3) {
        if s.kind == .sphere { return (x.position, x.position) }
        let h = x.orientation.rotate(Vec3(0, s.halfLength, 0))
        return (x.position - h, x.position + h)
    }

    @inline(__always) static func sphereSphere(_ ca: Vec3, _ ra: Double, _ cb: Vec3, _ rb: Double, _ margin: Double, _ out: inout [RawContact]) {
        let d = cb - ca
        let l2 = d.lengthSquared, reach = ra + rb + margin
        if l2 > reach * reach { return }
        let l = l2.squareRoot()
        let n = l > 1e-12 ? d / l : Vec3.unitY
        out.append(RawContact(pA: ca + n * ra, pB: cb - n * rb, normal: n, radiusA: ra, radiusB: rb))
    }

    static func segmentSegment(_ a0: Vec3, _ a1: Vec3, _ ra: Double, _ b0: Vec3, _ b1: Vec3, _ rb: Double, _ margin: Double, _ out: inout [RawContact]) {
        let (s, t) = closestSegmentParameters(a0, a1, b0, b1)
        let pa = a0 + (a1 - a0) * s, pb = b0 + (b1 - b0) * t
        let d = pb - pa, l = d.length
        if l - ra - rb > margin { return }
        var n = l > 1e-12 ? d / l : (a1 - a0).normalized.anyPerpendicular
        if n == .zero { n = .unitY }
        out.append(RawContact(pA: pa + n * ra, pB: pb - n * rb, normal: n, radiusA: ra, radiusB: rb))
    }

    static func sphereBox(_ c: Vec3, _ r: Double, _ h: Vec3, _ x: Pose, _ margin: Double, _ out: inout [RawContact]) {
        let p = x.inverseTransform(c)
        let q = Vec3(min(max(p.x, -h.x), h.x), min(max(p.y, -h.y), h.y), min(max(p.z, -h.z), h.z))
        let d = q - p, l2 = d.lengthSquared
        if l2 > 0 {
            let reach = r + margin
            if l2 > reach * reach { return }
            let n = x.transformDirection(d / l2.squareRoot())   // sphere → box
            out.append(RawContact(pA: c + n * r, pB: x.transform(q), normal: n, radiusA: r))
            return
        }
        // centre inside: leave through the nearest face
        var axis = 0, depth = h.x - abs(p.x)
        if h.y - abs(p.y) < depth { axis = 1; depth = h.y - abs(p.y) }
        if h.z - abs(p.z) < depth { axis = 2 }
        var f = Vec3.zero, surface = p
        let sign: Double = p[axis] >= 0 ? 1 : -1
        f[axis] = sign; surface[axis] = sign * h[axis]
        let n = -x.transformDirection(f)
        out.append(RawContact(pA: c + n * r, pB: x.transform(surface), normal: n, radiusA: r))
    }

    static func sphereTriangle(_ c: Vec3, _ r: Double, _ a: Vec3, _ b: Vec3, _ t: Vec3, _ margin: Double, _ out: inout [RawContact]) {
        let q = closestPointOnTriangle(c, a, b, t)
        let d = q - c, l = d.length
        if l - r > margin { return }
        var n = l > 1e-12 ? d / l : (b - a).cross(t - a).normalized
        if n == .zero { n = .unitY }
        out.append(RawContact(pA: c + n * r, pB: q, normal: n, radiusA: r))
    }

    // MARK: polyhedra

    /// Closest point on the boundary of `poly` to `p` (both in the polyhedron frame) and whether `p` is inside;
    /// inside, the nearest face's projection and its normal.
    static func closestOnPolyhedron(_ p: Vec3, _ poly: Polyhedron) -> (point: Vec3, normal: Vec3, inside: Bool) {
        var maxSep = -Double.infinity, best = 0
        for f in poly.faceNormals.indices {
            let s = poly.faceNormals[f].dot(p) - poly.faceOffsets[f]
            if s > maxSep { maxSep = s; best = f }
        }
        if maxSep <= 0 { return (p - poly.faceNormals[best] * maxSep, poly.faceNormals[best], true) }
        var bestPoint = p, bestD2 = Double.infinity
        for f in poly.faceNormals.indices {
            let n = poly.faceNormals[f], s = n.dot(p) - poly.faceOffsets[f]
            if s <= 0 { continue }
            let loop = poly.faceLoops[f]
            let pp = p - n * s
            var inside = true
            for i in loop.indices {
                let a = poly.vertices[loop[i]], b = poly.vertices[loop[(i + 1) % loop.count]]
                if (b - a).cross(pp - a).dot(n) < 0 { inside = false; break }
            }
            if inside {
                if s * s < bestD2 { bestD2 = s * s; bestPoint = pp }
                continue
            }
            for i in loop.indices {
                let a = poly.vertices[loop[i]], b = poly.vertices[loop[(i + 1) % loop.count]]
                let ab = b - a
                let t = min(max((p - a).dot(ab) / max(ab.lengthSquared, 1e-300), 0), 1)
                let q = a + ab * t
                let d2 = (p - q).lengthSquared
                if d2 < bestD2 { bestD2 = d2; bestPoint = q }
            }
        }
        return (bestPoint, (p - bestPoint).normalized, false)
    }

    /// A sphere-swept segment (sphere when s0 == s1, else capsule) against a polyhedron at pose `x`.
    /// Normals point from the segment (A) to the polyhedron (B).
    static func roundSegmentPolyhedron(_ w0: Vec3, _ w1: Vec3, _ r: Double, _ poly: Polyhedron, _ x: Pose, _ margin: Double, _ out: inout [RawContact]) {
        let s0 = x.inverseTransform(w0), s1 = x.inverseTransform(w1)
        func emitPoint(_ p: Vec3) {
            let c = closestOnPolyhedron(p, poly)
            let dist = c.inside ? -(p - c.point).length : (p - c.point).length
            if dist - r > margin { return }
            let m = c.normal == .zero ? Vec3.unitY : c.normal          // polyhedron → point
            out.append(RawContact(pA: x.transform(p - m * r), pB: x.transform(c.point), normal: -x.transformDirection(m), radiusA: r))
        }
        let seg = s1 - s0
        if seg.lengthSquared < 1e-24 { emitPoint(s0); return }
        // separating axes: polyhedron faces, then polyhedron edges × segment
        var faceSep = -Double.infinity, face = 0
        for f in poly.faceNormals.indices {
            let n = poly.faceNormals[f]
            let s = min(n.dot(s0), n.dot(s1)) - poly.faceOffsets[f]
            if s > faceSep { faceSep = s; face = f }
        }
        let u = seg.normalized, mid = (s0 + s1) * 0.5
        var edgeSep = -Double.infinity, edgeAxis = Vec3.zero, edgeDir = -1
        for k in poly.edgeDirections.indices {
            var axis = poly.edgeDirections[k].cross(u)
            let l = axis.length
            if l < 1e-6 { continue }
            axis = axis / l
            if axis.dot(mid - poly.centroid) < 0 { axis = -axis }
            let s = min(axis.dot(s0), axis.dot(s1)) - axis.dot(poly.support(axis))
            if s > edgeSep { edgeSep = s; edgeAxis = axis; edgeDir = k }
        }
        if max(faceSep, edgeSep) - r > margin { return }
        if edgeDir >= 0 && edgeSep > faceSep + 1e-5 {
            var bestEdge = -1, bestDot = -Double.infinity
            for (e, pair) in poly.edges.enumerated() where poly.edgeDirectionIndex[e] == edgeDir {
                let d = edgeAxis.dot(poly.vertices[pair.0] + poly.vertices[pair.1])
                if d > bestDot { bestDot = d; bestEdge = e }
            }
            let ea = poly.vertices[poly.edges[bestEdge].0], eb = poly.vertices[poly.edges[bestEdge].1]
            let (s, t) = closestSegmentParameters(s0, s1, ea, eb)
            let ps = s0 + seg * s, pe = ea + (eb - ea) * t
            out.append(RawContact(pA: x.transform(ps - edgeAxis * r), pB: x.transform(pe), normal: -x.transformDirection(edgeAxis), radiusA: r))
            return
        }
        // face: clip the segment to the face's prism
        let n = poly.faceNormals[face], loop = poly.faceLoops[face]
        var t0 = 0.0, t1 = 1.0
        for i in loop.indices {
            let a = poly.vertices[loop[i]], b = poly.vertices[loop[(i + 1) % loop.count]]
            let m = (b - a).cross(n)
            let d0 = m.dot(s0 - a), d1 = m.dot(s1 - a)
            if d0 > 0 && d1 > 0 { t0 = 1; t1 = 0; break }
            if d0 > 0 { t0 = max(t0, d0 / (d0 - d1)) } else if d1 > 0 { t1 = min(t1, d0 / (d0 - d1)) }
        }
        if t0 > t1 { emitPoint(s0); emitPoint(s1); return }
        for t in (t1 - t0 > 1e-9 ? [t0, t1] : [t0]) {
            let c = s0 + seg * t
            let s = n.dot(c) - poly.faceOffsets[face]
            if s - r > margin { continue }
            out.append(RawContact(pA: x.transform(c - n * r), pB: x.transform(c - n * s), normal: -x.transformDirection(n), radiusA: r))
        }
    }

    /// Two convex polyhedra: separating-axis test, then clipping of the incident face against the reference face.
    static func polyhedronPolyhedron(_ pa: Polyhedron, _ xa: Pose, _ pbWorld: Polyhedron, _ xb: Pose, _ margin: Double, _ out: inout [RawContact]) {
        let b = pbWorld.transformed(by: xa.inverse * xb)      // B in A's frame
        let a = pa
        var sepA = -Double.infinity, faceA = 0
        for f in a.faceNormals.indices {
            let n = a.faceNormals[f]
            let s = n.dot(b.support(-n)) - a.faceOffsets[f]
            if s > sepA { sepA = s; faceA = f }
        }
        if sepA > margin { return }
        var sepB = -Double.infinity, faceB = 0
        for f in b.faceNormals.indices {
            let n = b.faceNormals[f]
            let s = n.dot(a.support(-n)) - b.faceOffsets[f]
            if s > sepB { sepB = s; faceB = f }
        }
        if sepB > margin { return }
        var sepE = -Double.infinity, axisE = Vec3.zero, dirA = -1, dirB = -1
        let towardB = b.centroid - a.centroid
        for i in a.edgeDirections.indices {
            for j in b.edgeDirections.indices {
                var axis = a.edgeDirections[i].cross(b.edgeDirections[j])
                let l = axis.length
                if l < 1e-6 { continue }
                axis = axis / l
                if axis.dot(towardB) < 0 { axis = -axis }
                let s = axis.dot(b.support(-axis)) - axis.dot(a.support(axis))
                if s > sepE { sepE = s; axisE = axis; dirA = i; dirB = j }
            }
        }
        if sepE > margin { return }
        let tol = 1e-5
        let start = out.count
        if dirA >= 0 && sepE > max(sepA, sepB) + tol {
            func supportEdge(_ p: Polyhedron, _ dir: Int, _ axis: Vec3) -> (Vec3, Vec3) {
                var best = -1, bestDot = -Double.infinity
                for (e, pair) in p.edges.enumerated() where p.edgeDirectionIndex[e] == dir {
                    let d = axis.dot(p.vertices[pair.0] + p.vertices[pair.1])
                    if d > bestDot { bestDot = d; best = e }
                }
                return (p.vertices[p.edges[best].0], p.vertices[p.edges[best].1])
            }
            let (a0, a1) = supportEdge(a, dirA, axisE), (b0, b1) = supportEdge(b, dirB, -axisE)
            let (s, t) = closestSegmentParameters(a0, a1, b0, b1)
            out.append(RawContact(pA: a0 + (a1 - a0) * s, pB: b0 + (b1 - b0) * t, normal: axisE))
        } else if sepB > sepA + tol {
            clipFaces(reference: b, face: faceB, incident: a, margin: margin, flip: true, &out)
        } else {
            clipFaces(reference: a, face: faceA, incident: b, margin: margin, flip: false, &out)
        }
        for i in start..<out.count {
            out[i] = RawContact(pA: xa.transform(out[i].pA), pB: xa.transform(out[i].pB), normal: xa.transformDirection(out[i].normal))
        }
    }

    /// Clips the incident face (the face of `incident` most opposed to the reference normal) against the
    /// side planes of the reference face and keeps up to four points below the margin.
    static func clipFaces(reference r: Polyhedron, face: Int, incident inc: Polyhedron, margin: Double, flip: Bool, _ out: inout [RawContact]) {
        let n = r.faceNormals[face], d = r.faceOffsets[face]
        var incFace = 0, minDot = Double.infinity
        for f in inc.faceNormals.indices {
            let x = inc.faceNormals[f].dot(n)
            if x < minDot { minDot = x; incFace = f }
        }
        var poly = inc.faceLoops[incFace].map { inc.vertices[$0] }
        let loop = r.faceLoops[face]
        for i in loop.indices where !poly.isEmpty {
            let a = r.vertices[loop[i]], b = r.vertices[loop[(i + 1) % loop.count]]
            let m = (b - a).cross(n)
            var clipped: [Vec3] = []
            clipped.reserveCapacity(poly.count + 2)
            for k in poly.indices {
                let p = poly[k], q = poly[(k + 1) % poly.count]
                let dp = m.dot(p - a), dq = m.dot(q - a)
                if dp <= 0 { clipped.append(p) }
                if (dp <= 0) != (dq <= 0) { clipped.append(p + (q - p) * (dp / (dp - dq))) }
            }
            poly = clipped
        }
        var pts: [(Vec3, Double)] = []
        for p in poly {
            let s = n.dot(p) - d
            if s <= margin { pts.append((p, s)) }
        }
        if pts.count > 4 { pts = reduceToFour(pts) }
        for (p, s) in pts {
            let onRef = p - n * s
            if flip { out.append(RawContact(pA: p, pB: onRef, normal: -n)) } else { out.append(RawContact(pA: onRef, pB: p, normal: n)) }
        }
    }

    /// Keeps the deepest point, the point farthest from it, the one making the largest triangle with
    /// those two, and the one farthest from all three.
    static func reduceToFour(_ pts: [(Vec3, Double)]) -> [(Vec3, Double)] {
        var i0 = 0
        for i in pts.indices where pts[i].1 < pts[i0].1 { i0 = i }
        let p0 = pts[i0].0
        var i1 = i0, best = -1.0
        for i in pts.indices { let d = (pts[i].0 - p0).lengthSquared; if d > best { best = d; i1 = i } }
        let p1 = pts[i1].0
        var i2 = i0; best = -1
        for i in pts.indices { let a = (pts[i].0 - p0).cross(p1 - p0).lengthSquared; if a > best { best = a; i2 = i } }
        let p2 = pts[i2].0
        var i3 = i0; best = -1
        for i in pts.indices {
            let p = pts[i].0
            let d = min((p - p0).lengthSquared, (p - p1).lengthSquared, (p - p2).lengthSquared)
            if d > best { best = d; i3 = i }
        }
        var keep: [Int] = []
        for i in [i0, i1, i2, i3] where !keep.contains(i) { keep.append(i) }
        return keep.map { pts[$0] }
    }
}
