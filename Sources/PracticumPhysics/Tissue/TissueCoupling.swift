import PracticumCore

// Two-way coupling of tissue and instruments inside World.step.
//
// Rigid layered patches push back on a needle within the substeps, as XPBD constraints on the needle
// body: before a layer gives, a compliant unilateral constraint along the shaft at the tip (compliance
// 1 / the layer's stiffness), so the force builds as the tip presses the layer's surface and the hand's
// coupling carries it; once inserted, a compliant constraint holds the tip and the shaft to the entry
// track, and shaft friction (and the cutting force while advancing) acts at velocity level. Which layer
// the tip meets, and whether it has given, is the tissue stage's verdict of the previous tick
// (`NeedleContactState.advance`): the constraint holds the tip where the force balances, so the layer
// gives on the tick the force reaches its puncture force, and the force then drops — a pop.
//
// Deformable tissue (XPBD tetrahedra, stepped once per tick after the rigid solve) pushes back with
// a lag of one tick: the forces it exerted on tools and needle tips are applied to those bodies as
// external forces during the next tick's substeps (explicit, as Jolt applies soft-body contact
// impulses to rigid bodies after its soft-body pass).

/// One needle against one rigid force-model patch for this tick.
struct NeedleContact: Sendable {
    var needle: Int
    /// Tip and shaft direction in the needle's centre-of-mass frame.
    var tip: Vec3, axis: Vec3
    var tissueBody: Int
    /// The surface frame in the carrying body's centre-of-mass frame; footprint half extents along its x and z.
    var surface: Pose
    var halfX: Double, halfZ: Double
    /// The boundary the tip meets next: depth below the surface (m) and its stiffness (N/m); nil when all are punctured.
    var limit: Double?
    var stiffness: Double
    /// Armed: the tip came from the outer side and may press the surface (see `NeedleContactState.armed`).
    var armed: Bool
    /// Inserted: the entry point and track direction (world), the track's stiffness (N/m).
    var inserted: Bool
    var entry: Vec3, track: Vec3
    var trackStiffness: Double
    /// Shaft friction at full slip (N) and the cutting force while the tip advances into new depth (N).
    var friction: Double
    var cutting: Double
}

/// A force on a body for the whole tick (N), at a point given in the body's centre-of-mass frame (rotated).
struct TissueForce: Sendable {
    var body: Int
    var force: Vec3
    /// Lever from the centre of mass, world axes at the tick's start.
    var lever: Vec3
}

extension World {
    /// The needle contacts of this tick, from the tissue state the last tissue stage left.
    mutating func prepareTissueCoupling() {
        scratch.needleContacts.removeAll(keepingCapacity: true)
        scratch.tissueForces.removeAll(keepingCapacity: true)
        guard let system = model.tissueSystem, let ts = state.tissue else { return }
        for t in system.forceSlabs {
            guard case let .slab(m, _) = system.tissues[t], case let .slab(s) = ts.tissues[t] else { continue }
            let patch = model.def.tissues[t], carrier = patch.body
            let surface = Pose(position: patch.center - model.comLocal[carrier], orientation: patch.surfaceFrame.orientation)
            for (i, nd) in model.def.needles.enumerated() {
                let n = s.needles[i]
                let front = n.punctured.firstIndex(of: false)
                var friction = 0.0, cutting = 0.0
                if n.inserted {
                    let sinTheta = max(1e-3, min(1, -n.trackDirection.dot(state.orientation[carrier].rotate(patch.normal))))
                    let shallowest = max(0, n.depth - nd.needle.length * sinTheta)
                    for l in 0..<(front ?? m.stack.layers.count) {
                        friction += m.stack.layers[l].friction * m.stack.overlap(l, shallowest, n.depth) / sinTheta
                    }
                    if let l = n.layer { cutting = m.stack.layers[l].cuttingForce }
                } else if !n.armed {
                    continue   // neither pressing nor inserted: the patch exerts nothing this tick
                }
                scratch.needleContacts.append(NeedleContact(
                    needle: nd.body, tip: nd.tip - model.comLocal[nd.body], axis: nd.axis.normalized, tissueBody: carrier,
                    surface: surface, halfX: m.def.halfExtentX, halfZ: m.def.halfExtentZ,
                    limit: front.map { m.stack.top[$0] }, stiffness: front.map { max(m.stack.layers[$0].stiffness, 1e-9) } ?? 0,
                    armed: n.armed, inserted: n.inserted, entry: n.entryPoint, track: n.trackDirection,
                    trackStiffness: nd.needle.trackStiffness, friction: friction, cutting: cutting))
            }
        }
        for t in system.deformables {
            guard case let .deformable(s) = ts.tissues[t] else { continue }
            // last tick's forces of the soft tissue on the tools and on the needles
            for (k, tool) in system.toolBodies.enumerated() where k < s.soft.toolForces.count {
                scratch.tissueForces.append(TissueForce(body: tool, force: s.soft.toolForces[k], lever: .zero))
            }
            for (i, nd) in model.def.needles.enumerated() where i < s.needles.count {
                let n = s.needles[i]
                if n.axialForce == 0 && n.lateralForce == .zero { continue }
                let q = state.orientation[nd.body]
                let dir = q.rotate(nd.axis.normalized)
                scratch.tissueForces.append(TissueForce(body: nd.body, force: dir * -n.axialForce + n.lateralForce,
                                                        lever: q.rotate(nd.tip - model.comLocal[nd.body])))
            }
        }
    }

    /// Which needles may pass into the bodies that carry tissue this tick. A needle and a carrier collide
    /// like any two bodies, except while the needle's tip is over one of the carrier's patches (within
    /// its footprint, at any depth) or inserted in one, and always for a deformable patch (its block, not
    /// the carrier, meets the needle): the tissue resists there, the body's surface everywhere else (a
    /// rib beside an intercostal patch).
    mutating func gateTissueCarriers() {
        scratch.tissueGate.removeAll(keepingCapacity: true)
        guard let system = model.tissueSystem, let ts = state.tissue else { return }
        for (i, nd) in model.def.needles.enumerated() {
            let tip = pose(of: nd.body).transform(nd.tip)
            for (t, patch) in model.def.tissues.enumerated() where patch.body != nd.body {
                let key = pairKey(nd.body, patch.body)
                if scratch.tissueGate.contains(key) { continue }
                var open = patch.deformable != nil || ts.tissues[t].needles[i].inserted
                if !open, case let .slab(m, _) = system.tissues[t] {
                    let local = (pose(of: patch.body) * patch.surfaceFrame).inverseTransform(tip)
                    open = abs(local.x) <= m.def.halfExtentX && abs(local.z) <= m.def.halfExtentZ
                }
                if open { scratch.tissueGate.append(key) }
            }
        }
    }

    /// The tissue stage: every patch and needle advances one tick from the bodies' end-of-tick poses.
    mutating func stepTissue() {
        guard let system = model.tissueSystem, var ts = state.tissue else { return }
        // taken out of the state while it is stepped, so its arrays are not copied on write
        state.tissue = nil
        let inputs = model.def.needles.map { NeedleInput(pose: pose(of: $0.body), tipLocal: $0.tip, axisLocal: $0.axis) }
        let frames = model.def.tissues.map { Optional(pose(of: $0.body) * $0.surfaceFrame) }
        let tools = system.toolBodies.indices.map {
            ToolShape(geometry: system.toolGeometry[$0].geometry, pose: pose(of: system.toolBodies[$0]),
                      friction: system.toolGeometry[$0].friction)
        }
        let before = system.deformables.isEmpty ? [] : ts.tissues.map(\.solverWarnings)
        system.step(&ts, dt: model.dt, tools: tools, needles: inputs, attachments: frames)
        for t in before.indices where ts.tissues[t].solverWarnings > before[t] { state.warn(.tissueRepaired, t) }
        state.tissue = ts
    }
}

extension Bodies {
    /// Last tick's deformable-tissue forces, as impulses over one substep.
    func applyTissueForces(h: Double) {
        for f in tissueForces where simulated[f.body] {
            applyVelocityImpulse(f.body, f.force * h, f.lever)
        }
    }

    /// Rigid layered patches push back on the needles (see the file comment).
    func solveNeedles(h: Double) {
        for c in needleContacts {
            let n = c.needle, t = c.tissueBody
            if !simulated[n] { continue }
            let r = q[n].rotate(c.tip), tip = x[n] + r
            let dir = q[n].rotate(c.axis)
            let frame = Pose(position: x[t], orientation: q[t]) * c.surface
            let normal = frame.orientation.rotate(.unitY)
            let local = frame.inverseTransform(tip)
            let depth = -local.y
            let cosIn = -dir.dot(normal)
            let rt = tip - x[t]
            // the boundary ahead resists along the shaft, as a spring of the layer's stiffness
            if let limit = c.limit, cosIn > 0, depth > limit,
               c.inserted || (c.armed && abs(local.x) <= c.halfX && abs(local.z) <= c.halfZ) {
                let excess = (depth - limit) / max(1e-3, min(1, cosIn))
                let w = generalizedInverseMass(n, r, dir) + (simulated[t] ? generalizedInverseMass(t, rt, dir) : 0)
                let dl = excess / (w + 1 / (c.stiffness * h * h))
                applyPositionImpulse(n, dir * -dl, r)
                if simulated[t] { applyPositionImpulse(t, dir * dl, rt) }
            }
            guard c.inserted else { continue }
            // the track: the tip stays on the entry line, the shaft passes through the entry point
            let alpha = 1 / (max(c.trackStiffness, 1e-9) * h * h)
            let along = tip - c.entry
            let offTip = c.track * along.dot(c.track) - along
            hold(n, r, offTip, alpha: alpha)
            let x1 = x[n] + q[n].rotate(c.tip)
            let toEntry = c.entry - x1
            let offEntry = toEntry - dir * toEntry.dot(dir)
            hold(n, x1 + dir * toEntry.dot(dir) - x[n], offEntry, alpha: alpha)
        }
    }

    /// Moves the point at lever `r` of body `b` toward `offset` as a compliant constraint.
    private func hold(_ b: Int, _ r: Vec3, _ offset: Vec3, alpha: Double) {
        let len = offset.length
        if len < 1e-14 { return }
        let dir = offset / len
        let dl = len / (generalizedInverseMass(b, r, dir) + alpha)
        applyPositionImpulse(b, dir * dl, r)
    }

    /// Shaft friction (full above 1 mm/s, proportional below) and the cutting force, at velocity level.
    func dampNeedles(h: Double) {
        for c in needleContacts where c.inserted && simulated[c.needle] && (c.friction > 0 || c.cutting > 0) {
            let n = c.needle
            let r = q[n].rotate(c.tip), dir = q[n].rotate(c.axis)
            let vAxial = (v[n] + w[n].cross(r)).dot(dir) - (simulated[c.tissueBody] ? v[c.tissueBody].dot(dir) : 0)
            if vAxial == 0 { continue }
            let force = c.friction * min(1, abs(vAxial) / 1e-3) + (vAxial > 0 ? c.cutting : 0)
            let stop = abs(vAxial) / generalizedInverseMass(n, r, dir)
            applyVelocityImpulse(n, dir * (vAxial > 0 ? -1 : 1) * min(force * h, stop), r)
        }
    }
}
