import PracticumCore

// Broad and narrow phase, once per tick.
//
// Broad phase: sweep and prune on the axis along which shape centres spread most. Each shape's
// AABB is swollen by its body's motion bound for the tick (|v|dt + |g|dt² + |ω|dt·extent, or the
// distance to the kinematic / hand target), so every pair that may touch during the tick is found.
// Shapes are sorted by (lower bound, index) with an insertion sort that starts from the previous
// order: nearly linear for coherent motion, and the result depends only on the current bounds.

/// Extra distance added to every motion bound (m): contacts this close are kept ready.
let speculativeSlop = 0.001

extension World {
    mutating func broadPhase(dt: Double) {
        let nb = model.bodyCount, ns = model.shapes.count
        if scratch.motion.count != nb { scratch.motion = Array(repeating: 0, count: nb) }
        if scratch.lo.count != ns {
            scratch.lo = Array(repeating: .zero, count: ns); scratch.hi = scratch.lo
            scratch.key = Array(repeating: 0, count: ns); scratch.order = Array(0..<ns)
        }
        // motion bounds
        let g = model.gravity.length * dt * dt
        for b in 0..<nb {
            switch model.kind[b] {
            case .static: scratch.motion[b] = 0
            case .dynamic:
                scratch.motion[b] = (state.linearVelocity[b].length + state.angularVelocity[b].length * model.extent[b]) * dt + g
            case .kinematic:
                let s = scratch.kinematicStart[b], e = scratch.kinematicEnd[b]
                scratch.motion[b] = s.position.distance(to: e.position) + rotationVector(from: s.orientation, to: e.orientation).length * model.extent[b]
            }
        }
        for k in state.hands.indices where state.hands[k].grasped >= 0 {
            let b = state.hands[k].grasped
            let e = scratch.handEnd[k]
            scratch.motion[b] += e.position.distance(to: state.position[b])
                + rotationVector(from: state.orientation[b], to: e.orientation).length * model.extent[b]
        }
        // swollen bounds and the spread of their centres
        var sum = Vec3.zero, sum2 = Vec3.zero
        for s in 0..<ns {
            let b = model.shapes[s].body
            let pad = scratch.motion[b] + 0.5 * speculativeSlop
            var (lo, hi) = shapeBounds(s)
            let p = Vec3(pad, pad, pad)
            lo -= p; hi += p
            scratch.lo[s] = lo; scratch.hi[s] = hi
            let c = (lo + hi) * 0.5
            sum += c; sum2 += c.scaled(by: c)
        }
        let count = Double(max(ns, 1))
        let variance = sum2 / count - (sum / count).scaled(by: sum / count)
        let axis = variance.x >= variance.y && variance.x >= variance.z ? 0 : (variance.z >= variance.y ? 2 : 1)
        for s in 0..<ns { scratch.key[s] = scratch.lo[s][axis] }
        // insertion sort by (key, index)
        scratch.order.withUnsafeMutableBufferPointer { order in
            scratch.key.withUnsafeBufferPointer { key in
                for i in 1..<max(order.count, 1) {
                    let v = order[i], kv = key[v]
                    var j = i - 1
                    while j >= 0 && (key[order[j]] > kv || (key[order[j]] == kv && order[j] > v)) {
                        order[j + 1] = order[j]; j -= 1
                    }
                    order[j + 1] = v
                }
            }
        }
        // sweep
        scratch.pairs.removeAll(keepingCapacity: true)
        for i in 0..<ns {
            let s = scratch.order[i]
            let hiS = scratch.hi[s], loS = scratch.lo[s]
            let limit = hiS[axis]
            let bodyS = model.shapes[s].body, kindS = model.kind[bodyS]
            var j = i + 1
            while j < ns {
                let t = scratch.order[j]
                if scratch.key[t] > limit { break }
                j += 1
                let bodyT = model.shapes[t].body
                if bodyT == bodyS { continue }
                if kindS != .dynamic && model.kind[bodyT] != .dynamic { continue }
                let loT = scratch.lo[t], hiT = scratch.hi[t]
                if loT.x > hiS.x || hiT.x < loS.x || loT.y > hiS.y || hiT.y < loS.y || loT.z > hiS.z || hiT.z < loS.z { continue }
                if !model.jointPairs.isEmpty && model.jointPairs.contains(pairKey(bodyS, bodyT)) { continue }
                if !scratch.tissueGate.isEmpty && scratch.tissueGate.contains(pairKey(bodyS, bodyT)) { continue }
                let margin = scratch.motion[bodyS] + scratch.motion[bodyT] + speculativeSlop
                scratch.pairs.append(CandidatePair(a: Int32(min(s, t)), b: Int32(max(s, t)), margin: margin))
            }
        }
    }

    /// World pose of shape `s` (its frame, not the body's).
    @inline(__always) func shapePose(_ s: Int) -> Pose {
        // fields read in place: a copy of the whole ShapeModel would retain its hull and mesh
        let body = model.shapes[s].body, local = model.shapes[s].local
        let q = state.orientation[body]
        return Pose(position: state.position[body] + q.rotate(local.position), orientation: q * local.orientation)
    }

    /// World axis-aligned bounds of shape `s` at the current state.
    @inline(__always) func shapeBounds(_ s: Int) -> (Vec3, Vec3) {
        let kind = model.shapes[s].kind
        if kind == .mesh { return (model.shapes[s].mesh!.boundsLo, model.shapes[s].mesh!.boundsHi) }
        let x = shapePose(s)
        let e: Vec3
        switch kind {
        case .sphere:
            let r = model.shapes[s].radius
            e = Vec3(r, r, r)
        case .capsule:
            let a = x.orientation.rotate(Vec3(0, model.shapes[s].halfLength, 0))
            let r = model.shapes[s].radius, rv = Vec3(r, r, r)
            return (Vec3.min(x.position - a, x.position + a) - rv, Vec3.max(x.position - a, x.position + a) + rv)
        case .box:
            let q = x.orientation, h = model.shapes[s].halfExtents
            let ex = q.rotate(Vec3(h.x, 0, 0)), ey = q.rotate(Vec3(0, h.y, 0)), ez = q.rotate(Vec3(0, 0, h.z))
            e = Vec3(abs(ex.x) + abs(ey.x) + abs(ez.x), abs(ex.y) + abs(ey.y) + abs(ez.y), abs(ex.z) + abs(ey.z) + abs(ez.z))
        default:
            let r = model.shapes[s].boundRadius
            e = Vec3(r, r, r)
        }
        return (x.position - e, x.position + e)
    }

    mutating func narrowPhase() {
        scratch.contacts.removeAll(keepingCapacity: true)
        scratch.manifolds.removeAll(keepingCapacity: true)
        for pair in scratch.pairs {
            let a = Int(pair.a), b = Int(pair.b)
            let sa = model.shapes[a], sb = model.shapes[b]
            // a sleeping body against a static, sleeping or resting kinematic one: nothing to solve
            if !scratch.simulated[sa.body] && !scratch.simulated[sb.body] { continue }
            let loA = scratch.lo[a], hiA = scratch.hi[a], loB = scratch.lo[b], hiB = scratch.hi[b]
            let lo = sb.kind == .mesh ? loA : loB, hi = sb.kind == .mesh ? hiA : hiB
            scratch.raw.removeAll(keepingCapacity: true)
            NarrowPhase.collide(sa, shapePose(a), sb, shapePose(b), margin: pair.margin, boundsLo: lo, boundsHi: hi, into: &scratch.raw)
            if scratch.raw.isEmpty { continue }
            scratch.manifolds.append(scratch.contacts.count)
            if scratch.depth.count < scratch.raw.count { scratch.depth = Array(repeating: 0, count: scratch.raw.count) }
            let ba = sa.body, bb = sb.body
            let xa = state.position[ba], qa = state.orientation[ba], xb = state.position[bb], qb = state.orientation[bb]
            var (sfA, dfA, eA) = (sa.staticFriction, sa.dynamicFriction, sa.restitution)
            var (sfB, dfB, eB) = (sb.staticFriction, sb.dynamicFriction, sb.restitution)
            if !state.materialOverrides.isEmpty {
                if let m = state.materialOverrides.last(where: { $0.body == ba }) { (sfA, dfA, eA) = (m.staticFriction, m.dynamicFriction, m.restitution) }
                if let m = state.materialOverrides.last(where: { $0.body == bb }) { (sfB, dfB, eB) = (m.staticFriction, m.dynamicFriction, m.restitution) }
            }
            let mu = (sfA * sfB).squareRoot()
            let md = (dfA * dfB).squareRoot()
            let e = max(eA, eB)
            for r in scratch.raw {
                let oA = r.normal * r.radiusA, oB = r.normal * -r.radiusB
                scratch.contacts.append(ContactPoint(a: ba, b: bb, rA: qa.inverseRotate(r.pA - oA - xa), rB: qb.inverseRotate(r.pB - oB - xb),
                                                     oA: oA, oB: oB, normal: r.normal, staticFriction: mu, dynamicFriction: md, restitution: e))
            }
        }
        scratch.manifolds.append(scratch.contacts.count)
    }

    /// The manifolds shock propagation re-solves: three or more points (a face on a face), a normal within 45° of vertical, a simulated body
    /// on at least one side; sorted by the height of their lower body (static and kinematic bodies
    /// lowest), then by index. Empty without gravity.
    mutating func orderShock() {
        scratch.shockOrder.removeAll(keepingCapacity: true)
        scratch.shockKey.removeAll(keepingCapacity: true)
        let g2 = model.gravity.lengthSquared
        if g2 == 0 { return }
        let up = model.gravity * (-1 / g2.squareRoot())
        for m in 0..<(scratch.manifolds.count - 1) {
            // faces resting on faces (stacks, three points or more); points and edges (balls, capsules) keep the regular pass alone,
            // which conserves energy better
            if scratch.manifolds[m + 1] - scratch.manifolds[m] < 3 { continue }
            let c = scratch.contacts[scratch.manifolds[m]]
            if abs(c.normal.dot(up)) < 0.7071 { continue }
            // one face against one face: a mesh manifold gathers triangles with their own normals
            if scratch.contacts[scratch.manifolds[m]..<scratch.manifolds[m + 1]].contains(where: { $0.normal != c.normal }) { continue }
            let lower = shockBodies(m).lower
            let height = scratch.simulated[lower] ? state.position[lower].dot(up) : -Double.infinity
            scratch.shockKey.append((height, m))
        }
        scratch.shockKey.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        for (_, m) in scratch.shockKey { scratch.shockOrder.append(m) }
        // the mass each body carries: its own plus, top-down, a share of each body resting on it
        let nb = model.bodyCount
        if scratch.supported.count != nb { scratch.supported = Array(repeating: 0, count: nb); scratch.supports = Array(repeating: 0, count: nb) }
        for b in 0..<nb { scratch.supported[b] = model.mass[b]; scratch.supports[b] = 0 }
        for m in scratch.shockOrder { scratch.supports[shockBodies(m).upper] += 1 }
        for m in scratch.shockOrder.reversed() {
            let (lower, upper) = shockBodies(m)
            if scratch.simulated[lower] { scratch.supported[lower] += scratch.supported[upper] / Double(scratch.supports[upper]) }
        }
    }

    /// The lower and upper body of a manifold with a vertical normal (the normal points from A to B:
    /// B is above when it points up). `Bodies.propagateShock` moves the upper one.
    private func shockBodies(_ m: Int) -> (lower: Int, upper: Int) {
        let c = scratch.contacts[scratch.manifolds[m]]
        return c.normal.dot(model.gravity) < 0 ? (c.a, c.b) : (c.b, c.a)
    }

    // MARK: contact report

    mutating func reportContacts(h: Double) {
        var pairs: [(UInt64, Double)] = []
        pairs.reserveCapacity(scratch.contacts.count)
        for c in scratch.contacts where c.lambdaTick > 0 {
            pairs.append((pairKey(c.a, c.b), c.lambdaTick / (h * model.dt)))
        }
        // a sleeping body keeps the contacts it had when it fell asleep, with their forces
        if !state.asleep.isEmpty {
            for t in state.touching {
                let a = Int(t.key >> 32), b = Int(t.key & 0xffff_ffff)
                if !scratch.simulated[a] && !scratch.simulated[b] && (state.asleep[a] || state.asleep[b]) {
                    pairs.append((t.key, t.normalForce))
                }
            }
        }
        pairs.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        var touching: [TouchingPair] = []
        touching.reserveCapacity(pairs.count)
        var old = 0
        for (key, force) in pairs {
            if let last = touching.last, last.key == key { touching[touching.count - 1].normalForce += force; continue }
            while old < state.touching.count && state.touching[old].key < key { old += 1 }
            let began = !(old < state.touching.count && state.touching[old].key == key)
            touching.append(TouchingPair(key: key, normalForce: force, began: began))
        }
        // pairs of the previous tick that are gone (both lists are sorted by key)
        state.ended.removeAll(keepingCapacity: true)
        var j = 0
        for t in state.touching {
            while j < touching.count && touching[j].key < t.key { j += 1 }
            if !(j < touching.count && touching[j].key == t.key) { state.ended.append(t.key) }
        }
        state.touching = touching
    }

    // MARK: sensors

    mutating func updateSensors(events: Bool) {
        var inside: [Observations.RegionOccupancy] = []
        for (r, region) in model.regions.enumerated() {
            let frame = region.body >= 0 ? Pose(position: state.position[region.body], orientation: state.orientation[region.body]) : .identity
            for b in 0..<model.bodyCount where model.kind[b] != .static && b != region.body {
                if region.contains(pose(of: b).transform(model.referencePoint[b]), frame: frame) {
                    inside.append(.init(region: r, body: b))
                }
            }
        }
        var ev: [Observations.SensorEvent] = []
        if events {
            // both lists are sorted by (region, body): merge
            var i = 0, j = 0
            let old = state.inside
            while i < old.count || j < inside.count {
                if j == inside.count || (i < old.count && (old[i].region, old[i].body) < (inside[j].region, inside[j].body)) {
                    ev.append(.init(region: old[i].region, body: old[i].body, entered: false)); i += 1
                } else if i == old.count || (inside[j].region, inside[j].body) < (old[i].region, old[i].body) {
                    ev.append(.init(region: inside[j].region, body: inside[j].body, entered: true)); j += 1
                } else { i += 1; j += 1 }
            }
        }
        state.inside = inside
        state.sensorEvents = ev
    }

    // MARK: observations

    /// The facts of the last tick: body poses and velocities by index, hands, touching pairs with their
    /// mean normal force, sensor events and occupancy, warnings. `buttons` are passed through.
    public func observations(buttons: [String] = []) -> Observations {
        var o = Observations(tick: state.tick, time: Double(state.tick) * model.dt, buttons: buttons, warnings: state.warnings)
        o.physicsWarnings = state.warningList
        o.bodies.reserveCapacity(model.bodyCount)
        for b in 0..<model.bodyCount {
            let v = velocity(of: b)
            o.bodies.append(.init(pose: pose(of: b), linearVelocity: v.linear, angularVelocity: v.angular))
        }
        for hand in state.hands {
            o.hands.append(.init(pose: hand.pose, grip: hand.grip, trigger: hand.trigger,
                                 grasped: hand.grasped >= 0 ? hand.grasped : nil, couplingForce: hand.couplingForce))
        }
        for t in state.touching {
            o.contacts.append(.init(bodyA: Int(t.key >> 32), bodyB: Int(t.key & 0xffff_ffff), normalForce: t.normalForce, began: t.began,
                                    impulse: t.normalForce * model.dt))
        }
        for k in state.ended { o.contactsEnded.append(.init(bodyA: Int(k >> 32), bodyB: Int(k & 0xffff_ffff))) }
        o.sensorEvents = state.sensorEvents
        o.inside = state.inside
        o.joints = model.joints.indices.map(jointPosition)
        if let system = model.tissueSystem, let ts = state.tissue {
            let t = system.observations(ts, needleIDs: system.needleBodies)
            o.punctures = t.punctures
            o.needles = t.needles
            o.tissueForces = t.tissueForces
        }
        return o
    }
}
