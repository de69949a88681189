import PracticumCore

// The substep stages of World.step (integrate, contacts, joints, couplings, velocities), written
// against raw buffers of the body arrays: the hot loops then carry no copy-on-write uniqueness or
// bounds checks. `World.withBodies` lends the buffers for one stage; nothing here outlives it.

/// The bodies' state and constants as buffers, plus what the substep stages read.
struct Bodies {
    let model: PhysicsModel
    let x: UnsafeMutablePointer<Vec3>, q: UnsafeMutablePointer<Quat>
    let v: UnsafeMutablePointer<Vec3>, w: UnsafeMutablePointer<Vec3>
    let px: UnsafeMutablePointer<Vec3>, pq: UnsafeMutablePointer<Quat>
    let pv: UnsafeMutablePointer<Vec3>, pw: UnsafeMutablePointer<Vec3>
    /// Centre-of-mass poses at the start of the tick.
    let tx: UnsafePointer<Vec3>, tq: UnsafePointer<Quat>
    let invMass: UnsafePointer<Double>, invInertia: UnsafePointer<Mat3>
    let isotropic: UnsafePointer<Bool>, kind: UnsafePointer<BodyKind>
    /// Dynamic and awake: integrated and solved. A sleeping body stands still like a static one.
    let simulated: UnsafePointer<Bool>
    let kinStart: UnsafePointer<Pose>, kinEnd: UnsafePointer<Pose>
    let contacts: UnsafeMutableBufferPointer<ContactPoint>
    let manifolds: UnsafeBufferPointer<Int>
    let grasped: [Int]
    let handStart: UnsafePointer<Pose>, handEnd: UnsafePointer<Pose>
    let couplingImpulse: UnsafeMutablePointer<Double>
    let needleContacts: UnsafeBufferPointer<NeedleContact>
    let tissueForces: UnsafeBufferPointer<TissueForce>

    // MARK: substep stages

    func integrate(h: Double, fraction: Double) {
        let g = model.gravity
        for b in 0..<model.bodyCount {
            switch kind[b] {
            case .dynamic:
                if !simulated[b] { continue }
                px[b] = x[b]
                pq[b] = q[b]
                pv[b] = v[b]
                pw[b] = w[b]
                let vel = v[b] + g * h
                v[b] = vel
                x[b] += vel * h
                q[b] = q[b].integrated(omega: w[b], dt: h)
            case .kinematic:
                px[b] = x[b]
                pq[b] = q[b]
                let p = kinStart[b].interpolated(to: kinEnd[b], fraction)
                x[b] = p.position
                q[b] = fraction == 1 ? kinEnd[b].orientation : p.orientation
            case .static:
                break
            }
        }
    }

    func updateVelocities(h: Double) {
        let inv = 1 / h
        for b in 0..<model.bodyCount where simulated[b] {
            v[b] = (x[b] - px[b]) * inv
            w[b] = rotationVector(from: pq[b], to: q[b]) * inv
        }
    }

    // MARK: contacts

    /// Contacts of one shape pair (a manifold) are solved together: the normal by repeated sweeps over
    /// its points, so that four equal corner penetrations of a resting box end in (nearly) equal
    /// corrections and no spurious turn whatever the point order; friction once per manifold at the patch centre, with a
    /// torsional part about the normal ("patch friction", as PhysX does), limited by μ·Σλ. Manifolds
    /// are solved one after another (Gauss–Seidel).
    func solveContactPositions() {
        let manifoldCount = manifolds.count - 1
        for m in 0..<manifoldCount {
            let lo = manifolds[m], hi = manifolds[m + 1]
            let a = contacts[lo].a, b = contacts[lo].b
            // the normal impulse of the previous substep (shock propagation included) and of the tick
            // so far, for a patch's static friction below
            var previous = 0.0, earlier = 0.0
            for i in lo..<hi { previous += contacts[i].lambda; earlier += contacts[i].lambdaTick; contacts[i].lambda = 0 }
            // normal: remove the penetration (rigid contact, zero compliance); a manifold's points are
            // swept repeatedly so the result approaches the simultaneous solution whatever their order
            let sweeps = hi - lo == 1 ? 1 : manifoldSweeps
            var touching = false
            for _ in 0..<sweeps {
                for i in lo..<hi {
                    let c = contacts[i], n = c.normal
                    let ra = q[a].rotate(c.rA) + c.oA, rb = q[b].rotate(c.rB) + c.oB
                    let d = (x[b] + rb - x[a] - ra).dot(n)
                    if d >= 0 { continue }
                    let dl = -d / (generalizedInverseMass(a, ra, n) + generalizedInverseMass(b, rb, n))
                    contacts[i].lambda += dl
                    applyPositionImpulse(b, n * dl, rb); applyPositionImpulse(a, n * -dl, ra)
                    touching = true
                }
            }
            if !touching { continue }
            // static friction: undo the tangential slip while below μs·Σλ. Points and edges (balls,
            // capsules, which roll) undo this substep's slip. A face patch (three points or more) undoes
            // its slip since the tick began, against the normal impulse since then, so that slip pushed into it by a later manifold in the previous substep (a box
            // stacked on it on an incline) is not lost; the weight it carries bounds its friction even
            // when shock propagation, not the regular pass, lifted that weight.
            let patch = patchOf(lo, hi)
            let single = hi - lo == 1, face = hi - lo >= 3
            let limit = contacts[lo].staticFriction * (face ? max(patch.lambda, previous) + earlier : patch.lambda)
            let n = contacts[lo].normal
            let dp = !face
                ? materialDisplacement(b, patch.rB, patch.oB) - materialDisplacement(a, patch.rA, patch.oA)
                : displacementSinceTickStart(b, patch.rB, patch.oB) - displacementSinceTickStart(a, patch.rA, patch.oA)
            let dt = dp - n * dp.dot(n)
            let lt = dt.length
            if lt > 1e-14 {
                let t = dt / lt
                if single {
                    let ra = q[a].rotate(patch.rA) + patch.oA, rb = q[b].rotate(patch.rB) + patch.oB
                    let dlt = lt / (generalizedInverseMass(a, ra, t) + generalizedInverseMass(b, rb, t))
                    if dlt < limit {
                        applyPositionImpulse(b, t * -dlt, rb); applyPositionImpulse(a, t * dlt, ra)
                    }
                } else {
                    // a patch holds by translation only: a correction through the lever arm would tilt
                    // the bodies, and in a tall stack that tilt feeds back into the next slip
                    let wsum = invMass[a] + invMass[b]
                    let dlt = lt / wsum
                    if wsum > 0 && dlt < limit {
                        x[b] -= t * (dlt * invMass[b]); x[a] += t * (dlt * invMass[a])
                    }
                }
            }
            if patch.radius > 0 {
                let twist = (turn(b) - turn(a)).dot(n)
                let wsum = angularWeight(a, n) + angularWeight(b, n)
                if wsum > 0 {
                    let dl = twist / wsum
                    if abs(dl) < limit * patch.radius {
                        rotate(b, inverseInertiaWorld(b, n * -dl)); rotate(a, inverseInertiaWorld(a, n * dl))
                    }
                }
            }
        }
    }

    /// Shock propagation (Guendelman, Bridson and Fedkiw 2003): a last normal-only pass over the
    /// manifolds with a vertical normal, bottom-up, that moves only the upper body. One Gauss–Seidel
    /// pass alone leaves a light box under a heavy one squeezed into the floor every substep (the
    /// heavy box's correction moves the light one a hundred times more); this pass lets each layer
    /// stand on the one below as on the ground. Weight still reaches the floor through the regular pass.
    func propagateShock(order: UnsafeBufferPointer<Int>, supported: UnsafeBufferPointer<Double>, up: Vec3) {
        for m in order {
            let lo = manifolds[m], hi = manifolds[m + 1]
            let a = contacts[lo].a, b = contacts[lo].b
            // the normal points from A to B: B is the upper body when it points up
            let mover = contacts[lo].normal.dot(up) > 0 ? b : a
            if !simulated[mover] { continue }
            // translate by the deepest penetration: a turn here would tilt the layer, and static
            // friction (translation-only for patches) would not undo the tilt's sideways creep
            var deepest = 0.0, touching = 0.0, overlapping = 0 as UInt64
            let n = contacts[lo].normal
            for i in lo..<min(hi, lo + 64) {
                let c = contacts[i]
                let ra = q[a].rotate(c.rA) + c.oA, rb = q[b].rotate(c.rB) + c.oB
                let d = (x[b] + rb - x[a] - ra).dot(n)
                if d < 0 { deepest = max(deepest, -d); touching += 1; overlapping |= 1 << UInt64(i - lo) }
            }
            // resting layers sink by micrometres per substep; a deeper overlap is an impact or a
            // wedge, which the regular pass resolves with the right masses (a translation here would
            // fight it and pump energy)
            if deepest > shockDepthLimit { continue }
            if deepest > 0 {
                x[mover] += n * (mover == b ? deepest : -deepest)
                // the impulse is the one that lifts everything the mover carries, so the weight of a
                // stack reaches the floor's contact force and friction limit
                let share = deepest * supported[mover] / touching
                for i in lo..<min(hi, lo + 64) where overlapping & (1 << UInt64(i - lo)) != 0 { contacts[i].lambda += share }
            }
            // static friction the same way: the layer below stands still, the mover's slip since the
            // tick began is undone by moving it alone (the regular pass gives 99 % of a heavy box's
            // slip to the light box under it, which the floor then pushes back)
            let patch = patchOf(lo, hi)
            if patch.lambda <= 0 { continue }
            var earlier = 0.0
            for i in lo..<hi { earlier += contacts[i].lambdaTick }
            let dp = displacementSinceTickStart(b, patch.rB, patch.oB) - displacementSinceTickStart(a, patch.rA, patch.oA)
            let slip = dp - n * dp.dot(n)
            if slip.length / invMass[mover] < contacts[lo].staticFriction * (patch.lambda + earlier) {
                x[mover] += mover == b ? slip * -1 : slip
            }
        }
    }

    /// The deepest overlap shock propagation corrects (m).
    var shockDepthLimit: Double { 0.0005 }

    /// Sweeps over the points of a multi-point manifold per substep (a single point needs one).
    var manifoldSweeps: Int { 4 }

    /// The contact patch of manifold lo..<hi: mean anchors of the touching points, Σλ and mean radius.
    @inline(__always) func patchOf(_ lo: Int, _ hi: Int) -> (rA: Vec3, oA: Vec3, rB: Vec3, oB: Vec3, lambda: Double, radius: Double) {
        if hi - lo == 1 {
            let c = contacts[lo]
            return (c.rA, c.oA, c.rB, c.oB, c.lambda, 0)
        }
        var rA = Vec3.zero, oA = Vec3.zero, rB = Vec3.zero, oB = Vec3.zero, lambda = 0.0, k = 0.0
        for i in lo..<hi where contacts[i].lambda > 0 {
            let c = contacts[i]
            rA += c.rA; oA += c.oA; rB += c.rB; oB += c.oB; lambda += c.lambda; k += 1
        }
        if k == 0 { return (.zero, .zero, .zero, .zero, 0, 0) }
        rA = rA / k; oA = oA / k; rB = rB / k; oB = oB / k
        var radius = 0.0
        for i in lo..<hi where contacts[i].lambda > 0 { radius += (contacts[i].rB - rB).length }
        return (rA, oA, rB, oB, lambda, radius / k)
    }

    /// Rotation of body `b` this substep (rad, world).
    @inline(__always) func turn(_ b: Int) -> Vec3 {
        kind[b] == .static ? .zero : rotationVector(from: pq[b], to: q[b])
    }

    @inline(__always) func angularWeight(_ b: Int, _ n: Vec3) -> Double {
        invMass[b] == 0 ? 0 : n.dot(inverseInertiaWorld(b, n))
    }

    /// Adds the position and rotation change of a positional impulse `p` at world offset `r` on body `b`.
    @inline(__always) func accumulate(_ acc: inout (Vec3, Vec3), _ b: Int, _ p: Vec3, _ r: Vec3) {
        let im = invMass[b]
        if im == 0 { return }
        acc.0 += p * im
        acc.1 += inverseInertiaWorld(b, r.cross(p))
    }

    @inline(__always) func applyCorrection(_ b: Int, _ c: (Vec3, Vec3)) {
        if invMass[b] == 0 { return }
        x[b] += c.0
        rotate(b, c.1)
    }

    func solveContactVelocities(h: Double) {
        let restThreshold = 2 * model.gravity.length * h
        let manifoldCount = manifolds.count - 1
        for m in 0..<manifoldCount {
            let lo = manifolds[m], hi = manifolds[m + 1]
            let a = contacts[lo].a, b = contacts[lo].b, n = contacts[lo].normal
            var touching = false
            // normal, per point (swept like the positions): restitution against the normal velocity
            // before the substep; none when resting
            let sweeps = hi - lo == 1 ? 1 : manifoldSweeps
            for sweep in 0..<sweeps {
                for i in lo..<hi {
                    let c = contacts[i]
                    if c.lambda <= 0 { continue }
                    touching = true
                    if sweep == 0 { contacts[i].lambdaTick += c.lambda }
                    let ra = q[a].rotate(c.rA) + c.oA, rb = q[b].rotate(c.rB) + c.oB
                    let vn = relativeVelocity(a, ra, b, rb).dot(n)
                    let vPrev = pv[b] + pw[b].cross(rb) - pv[a] - pw[a].cross(ra)
                    let vnPrev = vPrev.dot(n)
                    let e = abs(vnPrev) <= restThreshold ? 0 : c.restitution
                    let p = n * ((-vn + max(-e * vnPrev, 0)) / (generalizedInverseMass(a, ra, n) + generalizedInverseMass(b, rb, n)))
                    applyVelocityImpulse(b, p, rb); applyVelocityImpulse(a, -p, ra)
                }
            }
            if !touching { continue }
            // dynamic friction at the patch centre: an impulse of at most μd·Σλ/h (λ/h² is the normal force)
            let patch = patchOf(lo, hi)
            let mu = contacts[lo].dynamicFriction
            let ra = q[a].rotate(patch.rA) + patch.oA, rb = q[b].rotate(patch.rB) + patch.oB
            let vr = relativeVelocity(a, ra, b, rb)
            let vt = vr - n * vr.dot(n), vtl = vt.length
            if vtl > 1e-14 {
                let t = vt / vtl
                let stop = vtl / (generalizedInverseMass(a, ra, t) + generalizedInverseMass(b, rb, t))
                let p = t * -min(mu * patch.lambda / h, stop)
                applyVelocityImpulse(b, p, rb); applyVelocityImpulse(a, -p, ra)
            }
            if patch.radius > 0 {
                let spin = (w[b] - w[a]).dot(n)
                let wsum = angularWeight(a, n) + angularWeight(b, n)
                if wsum > 0 && spin != 0 {
                    let stop = abs(spin) / wsum
                    let l = min(mu * patch.lambda * patch.radius / h, stop) * (spin > 0 ? -1 : 1)
                    if invMass[b] > 0 { w[b] += inverseInertiaWorld(b, n * l) }
                    if invMass[a] > 0 { w[a] -= inverseInertiaWorld(a, n * l) }
                }
            }
        }
    }

    @inline(__always) func relativeVelocity(_ a: Int, _ ra: Vec3, _ b: Int, _ rb: Vec3) -> Vec3 {
        v[b] + w[b].cross(rb) - v[a] - w[a].cross(ra)
    }

    // MARK: joints

    func solveJoints(h: Double) {
        for j in model.joints {
            let a = j.a, b = j.b
            if !simulated[a] && !(b >= 0 && simulated[b]) { continue }
            let qa = q[a]
            let qb = b >= 0 ? q[b] : .identity
            let alpha = j.compliance / (h * h)
            // angular: weld the orientations, or align the hinge axes
            var theta: Vec3
            if j.hinge {
                theta = qa.rotate(j.axisA).cross(qb.rotate(j.axisB)) * -1      // turns B's axis onto A's
            } else {
                theta = rotationVector(from: qb, to: (qa * j.relative).normalized)
            }
            applyAngularCorrection(a, b, theta, alpha)
            // travel limits: a rigid stop at either end (before the anchors, which a hinge's stop
            // turning about the centre of mass would otherwise pull apart)
            if j.limited { solveJointLimit(j, alpha) }
            // positional: keep the anchors together (a prismatic joint: on its axis)
            let ra = q[a].rotate(j.anchorA)
            let rb = b >= 0 ? q[b].rotate(j.anchorB) : .zero
            let pa = x[a] + ra, pb = b >= 0 ? x[b] + rb : j.anchorB
            var delta = pb - pa
            if j.slide {
                let axis = b >= 0 ? q[b].rotate(j.axisB) : j.axisB
                delta -= axis * delta.dot(axis)
            }
            let len = delta.length
            if len >= 1e-14 {
                let n = delta / len
                let wsum = generalizedInverseMass(a, ra, n) + (b >= 0 ? generalizedInverseMass(b, rb, n) : 0)
                if wsum > 0 {
                    let dl = len / (wsum + alpha)
                    applyPositionImpulse(a, n * dl, ra)
                    if b >= 0 { applyPositionImpulse(b, n * -dl, rb) }
                }
            }
            // along a prismatic joint's axis: its spring and damper
            if j.slide { solveJointSpring(j, h: h) }
        }
    }

    /// A joint past one of its limits is put back on it: a prismatic joint along its axis, a hinge
    /// about its axis (one XPBD projection, inelastic: velocities follow from the corrected positions).
    func solveJointLimit(_ j: JointModel, _ alpha: Double) {
        let a = j.a, b = j.b
        let xb = b >= 0 ? x[b] : .zero, qb = b >= 0 ? q[b] : .identity
        let position = j.position(x[a], q[a], xb, qb)
        let excess = position - min(max(position, j.lower), j.upper)
        if excess == 0 { return }
        let n = qb.rotate(j.axisB)
        if j.hinge { applyAngularCorrection(a, b, n * excess, alpha); return }
        let ra = q[a].rotate(j.anchorA), rb = b >= 0 ? q[b].rotate(j.anchorB) : .zero
        let w = generalizedInverseMass(a, ra, n) + (b >= 0 ? generalizedInverseMass(b, rb, n) : 0)
        if w <= 0 { return }
        let dl = excess / (w + alpha)
        applyPositionImpulse(a, n * -dl, ra)
        if b >= 0 { applyPositionImpulse(b, n * dl, rb) }
    }

    /// The spring and damper along a prismatic joint's axis: one XPBD step with damping (Macklin et
    /// al. 2016, eq. 26; λ starts at 0 each substep), written with the stiffness k and damping c
    /// rather than the compliance so that k = 0 is a pure damper. With C the axial offset of A's
    /// anchor from B's and ΔC its change during this substep,
    /// Δλ = −(k h² C + c h ΔC) / ((k h² + c h) w + 1),
    /// which is backward Euler for the spring–damper: a hanging mass settles exactly m·g/k below its
    /// anchor, and the damping ratio is c / (2√(k·m)) plus the method's own ≈ ω·h/2.
    func solveJointSpring(_ j: JointModel, h: Double) {
        let a = j.a, b = j.b
        let kh2 = j.stiffness * h * h, ch = j.damping * h
        if kh2 == 0 && ch == 0 { return }
        let n = b >= 0 ? q[b].rotate(j.axisB) : j.axisB
        let ra = q[a].rotate(j.anchorA), rb = b >= 0 ? q[b].rotate(j.anchorB) : .zero
        let pa = x[a] + ra, pb = b >= 0 ? x[b] + rb : j.anchorB
        let offset = (pa - pb).dot(n)
        var moved = materialDisplacement(a, j.anchorA, .zero)
        if b >= 0 { moved -= materialDisplacement(b, j.anchorB, .zero) }
        let w = generalizedInverseMass(a, ra, n) + (b >= 0 ? generalizedInverseMass(b, rb, n) : 0)
        if w <= 0 { return }
        let dl = -(kh2 * offset + ch * moved.dot(n)) / ((kh2 + ch) * w + 1)
        applyPositionImpulse(a, n * dl, ra)
        if b >= 0 { applyPositionImpulse(b, n * -dl, rb) }
    }

    /// Rotates A by −θ·share and B by +θ·share (B is −1 for the world), XPBD-weighted.
    func applyAngularCorrection(_ a: Int, _ b: Int, _ theta: Vec3, _ alpha: Double) {
        let angle = theta.length
        if angle < 1e-14 { return }
        let n = theta / angle
        let wsum = n.dot(inverseInertiaWorld(a, n)) + (b >= 0 ? n.dot(inverseInertiaWorld(b, n)) : 0)
        if wsum <= 0 { return }
        let dl = angle / (wsum + alpha)
        rotate(a, inverseInertiaWorld(a, n * -dl))
        if b >= 0 { rotate(b, inverseInertiaWorld(b, n * dl)) }
    }

    // MARK: hand couplings (virtual coupling: a damped 6-DOF spring between hand target and instrument)

    func solveCouplings(h: Double, fraction: Double) {
        for k in grasped.indices {
            let b = grasped[k]
            if b < 0 { continue }
            let def = model.hands[k]
            let target = handStart[k].interpolated(to: handEnd[k], fraction)
            // linear spring at the centre of mass
            let delta = target.position - x[b], len = delta.length
            if len > 1e-14 {
                let dl = len / (invMass[b] + 1 / (def.linearStiffness * h * h))
                x[b] += delta * (dl / len * invMass[b])
                couplingImpulse[k] += dl
            }
            // angular spring
            let theta = rotationVector(from: q[b], to: target.orientation)
            let angle = theta.length
            if angle > 1e-14 {
                let n = theta / angle
                let dl = angle / (n.dot(inverseInertiaWorld(b, n)) + 1 / (def.angularStiffness * h * h))
                rotate(b, inverseInertiaWorld(b, n * dl))
            }
        }
    }

    func dampCouplings(h: Double) {
        for k in grasped.indices {
            let b = grasped[k]
            if b < 0 { continue }
            let def = model.hands[k]
            let start = handStart[k], end = handEnd[k]
            let vT = (end.position - start.position) / model.dt
            let wT = rotationVector(from: start.orientation, to: end.orientation) / model.dt
            let m = model.mass[b]
            let cl = 2 * def.dampingRatio * (def.linearStiffness * m).squareRoot()
            v[b] += (vT - v[b]) * min(1, h * cl / m)
            let dw = wT - w[b], dwl = dw.length
            if dwl > 1e-14 {
                let n = dw / dwl
                let invI = n.dot(inverseInertiaWorld(b, n))
                let ca = 2 * def.dampingRatio * (def.angularStiffness / invI).squareRoot()
                w[b] += dw * min(1, h * ca * invI)
            }
        }
    }

    // MARK: helpers

    /// Displacement this substep of the material point of body `b` at local core point `r` plus world offset `o`.
    @inline(__always) func materialDisplacement(_ b: Int, _ r: Vec3, _ o: Vec3) -> Vec3 {
        displacement(b, r, o, from: px[b], pq[b])
    }

    /// Displacement since the tick began of the same material point.
    @inline(__always) func displacementSinceTickStart(_ b: Int, _ r: Vec3, _ o: Vec3) -> Vec3 {
        displacement(b, r, o, from: tx[b], tq[b])
    }

    /// Displacement of a material point of body `b` from the pose (x0, q0) of its centre of mass to now.
    @inline(__always) private func displacement(_ b: Int, _ r: Vec3, _ o: Vec3, from x0: Vec3, _ q0: Quat) -> Vec3 {
        if kind[b] == .static { return .zero }
        let lever0 = q0.rotate(r) + o
        let dq = q[b] * q0.conjugate
        return x[b] - x0 + dq.rotate(lever0) - lever0
    }

    @inline(__always) func inverseInertiaWorld(_ b: Int, _ vec: Vec3) -> Vec3 {
        if isotropic[b] { return vec * invInertia[b].c0.x }
        let r = q[b]
        return r.rotate(invInertia[b].mul(r.inverseRotate(vec)))
    }

    @inline(__always) func generalizedInverseMass(_ b: Int, _ r: Vec3, _ n: Vec3) -> Double {
        let im = invMass[b]
        if im == 0 { return 0 }
        let rn = r.cross(n)
        return im + rn.dot(inverseInertiaWorld(b, rn))
    }

    /// Moves dynamic body `b` by the positional impulse `p` applied at world offset `r` from its centre of mass.
    @inline(__always) func applyPositionImpulse(_ b: Int, _ p: Vec3, _ r: Vec3) {
        let im = invMass[b]
        if im == 0 { return }
        x[b] += p * im
        rotate(b, inverseInertiaWorld(b, r.cross(p)))
    }

    @inline(__always) func rotate(_ b: Int, _ dw: Vec3) {
        if invMass[b] == 0 { return }
        let r = q[b]
        let dq = Quat(w: 0, x: dw.x, y: dw.y, z: dw.z) * r
        q[b] = Quat(w: r.w + 0.5 * dq.w, x: r.x + 0.5 * dq.x, y: r.y + 0.5 * dq.y, z: r.z + 0.5 * dq.z).normalized
    }

    @inline(__always) func applyVelocityImpulse(_ b: Int, _ p: Vec3, _ r: Vec3) {
        let im = invMass[b]
        if im == 0 { return }
        v[b] += p * im
        w[b] += inverseInertiaWorld(b, r.cross(p))
    }
}
