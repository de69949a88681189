import PracticumCore

// Warnings for tissue and regions that no instrument can reach. Instruments are solid: contacts push
// them out of every static body, except where a needle passes into a body through one of its tissue
// patches (within the patch's footprint, at any depth; anywhere for a deformable patch, whose block
// meets the needle instead of the body). Layered tissue meets needles only. So a region wholly
// inside a static body is out of reach unless a needle can get to it through such a patch, and a
// tissue is out of reach when there is no needle for it, or when another static body covers it.
//
// Each test errs towards silence, so a warning is always worth reading: a region is taken as its
// bounding sphere, a patch's footprint as the disc around its corners, meshes (possibly concave)
// as never enclosing anything, and a hand (which passes through anatomy) as reaching any region
// an `inside(hand, region)` query names.
extension ScenarioCompiler {
    /// Warns about each tissue and region that no instrument can get to (see the file comment).
    mutating func warnIfOutOfReach(bodies: [Body], bodyNodes: [YNode], tissues: [Tissue], tissueNodes: [YNode],
                                   regions: [Region], regionNodes: [YNode], handQueried: Set<Int>) {
        guard bodies.count == bodyNodes.count, tissues.count == tissueNodes.count, regions.count == regionNodes.count else { return }
        let needles = bodies.filter { $0.isNeedle && $0.kind != .static }
        for (i, t) in tissues.enumerated() {
            if needles.isEmpty, t.deformable == nil {
                r.warning("tissue '\(t.id.quotedForMessage())' is met only by needles, and no moving body in the scene is one; "
                          + "give the instrument 'needle: true', or make the tissue deformable", tissueNodes[i].location, "scene.tissues[\(i)]")
                continue
            }
            let host = bodies[t.body]
            // just outside the surface, with room for the whole patch around it
            let outside = host.pose.transform(t.center + t.normal.normalized * 0.001)
            if let cover = enclosing(outside, radius: t.halfSize.length, in: bodies, except: t.body) {
                r.warning("tissue '\(t.id.quotedForMessage())' lies inside body '\(bodies[cover].id.quotedForMessage())', "
                          + "so no instrument can reach its surface; move it to the surface of '\(host.id.quotedForMessage())'",
                          tissueNodes[i].location, "scene.tissues[\(i)]")
            }
        }
        for (i, region) in regions.enumerated() where !handQueried.contains(i) {
            if let b = region.body, bodies[b].kind != .static { continue }
            let center = region.body.map { bodies[$0].pose.transform(region.center) } ?? region.center
            let radius = switch region.shape { case let .sphere(radius): radius; case let .box(e): e.length }
            guard let host = enclosing(center, radius: radius, in: bodies, except: nil) else { continue }
            let throughTissue = !needles.isEmpty && tissues.contains { t in
                t.body == host && (t.deformable != nil || footprintReaches(t, on: bodies[host], center, radius))
            }
            if throughTissue { continue }
            let way = tissues.contains { $0.body == host } ? "no needle can get to it through a tissue of that body"
                                                          : "no tissue of that body lets a needle in"
            r.warning("region '\(region.id.quotedForMessage())' lies wholly inside body '\(bodies[host].id.quotedForMessage())', "
                      + "which instruments cannot enter, and \(way); move it to the surface or under a tissue",
                      regionNodes[i].location, "scene.regions[\(i)]")
        }
    }

    /// The first static body (other than `except`) whose shape holds the whole sphere, if any.
    func enclosing(_ p: Vec3, radius: Double, in bodies: [Body], except: Int?) -> Int? {
        bodies.indices.first { i in
            guard i != except, bodies[i].kind == .static else { return false }
            let local = bodies[i].pose.inverseTransform(p)
            switch bodies[i].shape {
            case let .sphere(r): return local.length + radius <= r
            case let .box(e): return abs(local.x) + radius <= e.x && abs(local.y) + radius <= e.y && abs(local.z) + radius <= e.z
            case let .capsule(r, h):
                let onAxis = Vec3(0, Swift.min(h, Swift.max(-h, local.y)), 0)
                return (local - onAxis).length + radius <= r
            case .mesh: return false
            }
        }
    }

    /// Whether a sphere (world) meets the column under a patch: within the disc that holds the
    /// patch's footprint, on the inner side of its surface.
    func footprintReaches(_ t: Tissue, on host: Body, _ p: Vec3, _ radius: Double) -> Bool {
        let local = host.pose.inverseTransform(p) - t.center, n = t.normal.normalized
        let depth = local.dot(n)
        return depth <= radius && (local - n * depth).length <= t.halfSize.length + radius
    }
}
