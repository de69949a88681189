import PracticumCore

// An empty hand's collision sphere (HandDef.radius): the hand rests on anatomy instead of passing
// through it. Only bodies that are never pushed (static and kinematic) stop it: a hand does not push
// dynamic bodies (it moves them by holding them), and a held instrument does its own colliding.

extension World {
    /// `position` moved out of every static and kinematic shape a sphere of `radius` there overlaps,
    /// along the shortest way out, a few passes so that a hand in a corner leaves both faces. A
    /// centre already behind a triangle-mesh surface is left where it is for that mesh (no inside is
    /// known for an open mesh).
    func handPositionOutOfAnatomy(_ position: Vec3, radius: Double) -> Vec3 {
        var p = position
        let extent = Vec3(radius, radius, radius)
        let probe = ShapeModel(body: -1, kind: .sphere, local: .identity, radius: radius, staticFriction: 0, dynamicFriction: 0, restitution: 0)
        var raw: [RawContact] = []
        for _ in 0..<4 {
            var moved = false
            for s in model.shapes.indices {
                let body = model.shapes[s].body
                guard model.kind[body] != .dynamic else { continue }
                let shape = model.shapes[s]
                if shape.kind == .mesh, let mesh = shape.mesh {
                    // the sphere against each nearby triangle, from its front side only
                    let lo = p - extent, hi = p + extent
                    if mesh.boundsLo.x > hi.x || mesh.boundsHi.x < lo.x || mesh.boundsLo.y > hi.y || mesh.boundsHi.y < lo.y
                        || mesh.boundsLo.z > hi.z || mesh.boundsHi.z < lo.z { continue }
                    for t in 0..<mesh.triangleCount {
                        let tlo = mesh.lo[t], thi = mesh.hi[t]
                        if tlo.x > hi.x || thi.x < lo.x || tlo.y > hi.y || thi.y < lo.y || tlo.z > hi.z || thi.z < lo.z { continue }
                        let (a, b, c) = mesh.triangle(t)
                        let n = (b - a).cross(c - a).normalized
                        let height = (p - a).dot(n)
                        guard n != .zero, height >= 0, height < radius else { continue }
                        let q = closestPointOnTriangle(p, a, b, c), d = p - q, l = d.length
                        if l < radius && l > 1e-12 { p = q + d * (radius / l); moved = true }
                    }
                    continue
                }
                raw.removeAll(keepingCapacity: true)
                NarrowPhase.collide(probe, Pose(position: p), shape, shapePose(s), margin: 0, boundsLo: p - extent, boundsHi: p + extent, into: &raw)
                for c in raw {
                    // pA on the sphere, pB on the shape, normal from the sphere towards the shape
                    let separation = (c.pB - c.pA).dot(c.normal)
                    if separation < -1e-9 { p = p + c.normal * separation; moved = true }
                }
            }
            if !moved { break }
        }
        return p.isFinite ? p : position
    }
}
