#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
import PracticumCore

// The stages of World.step. Each writes its own part of the state; see World.swift for the order
// and the method (XPBD with substeps, Müller et al. 2020).

extension World {
    // MARK: hands

    mutating func updateHands(_ inputs: [HandInput]) {
        let nh = state.hands.count
        scratch.handStart.removeAll(keepingCapacity: true)
        scratch.handEnd.removeAll(keepingCapacity: true)
        scratch.couplingImpulse.removeAll(keepingCapacity: true)
        for h in 0..<nh {
            var hand = state.hands[h]
            hand.previousPose = hand.pose
            if h < inputs.count {
                let input = inputs[h]
                if input.pose.isFinite && input.pose.orientation.lengthSquared > 1e-12 {
                    hand.pose = Pose(position: input.pose.position, orientation: input.pose.orientation.normalized)
                    if state.tick == 0 { hand.previousPose = hand.pose }
                } else {
                    state.warnings += 1
                }
                if input.grip.isFinite { hand.grip = min(max(input.grip, 0), 1) } else { state.warnings += 1 }
                if input.trigger.isFinite { hand.trigger = min(max(input.trigger, 0), 1) } else { state.warnings += 1 }
            }
            // release when the grip opens
            if hand.grasped >= 0 && hand.grip <= 0.5 { hand.grasped = -1 }
            // grasp the nearest free graspable body whose origin is within reach
            if hand.grasped < 0 && hand.grip > 0.5 {
                var best = -1, bestD2 = model.hands[h].reach * model.hands[h].reach
                for b in 0..<model.bodyCount where model.graspable[b] {
                    if state.hands.indices.contains(where: { $0 != h && state.hands[$0].grasped == b }) { continue }
                    let d2 = (pose(of: b).position - hand.pose.position).lengthSquared
                    if d2 <= bestD2 { if best < 0 || d2 < bestD2 { best = b; bestD2 = d2 } }
                }
                if best >= 0 {
                    hand.grasped = best
                    hand.graspOffset = hand.pose.inverse * Pose(position: state.position[best], orientation: state.orientation[best])
                    hand.previousPose = hand.pose
                }
            }
            hand.couplingForce = 0
            state.hands[h] = hand
            scratch.handStart.append(hand.previousPose * hand.graspOffset)
            scratch.handEnd.append(hand.pose * hand.graspOffset)
            scratch.couplingImpulse.append(0)
        }
    }

    // MARK: kinematics

    mutating func beginKinematics() {
        let nb = model.bodyCount
        scratch.prevPosition = state.position
        scratch.prevOrientation = state.orientation
        scratch.prevLinear = state.linearVelocity
        scratch.prevAngular = state.angularVelocity
        scratch.tickStartPosition = state.position
        scratch.tickStartOrientation = state.orientation
        if scratch.kinematicStart.count != nb {
            scratch.kinematicStart = Array(repeating: .identity, count: nb)
            scratch.kinematicEnd = Array(repeating: .identity, count: nb)
        }
        for b in 0..<nb where model.kind[b] == .kinematic {
            let start = Pose(position: state.position[b], orientation: state.orientation[b])
            let target = state.kinematicTarget[b]
            var q1 = target.orientation
            if q1.w * start.orientation.w + q1.vector.dot(start.orientation.vector) < 0 { q1 = Quat(w: -q1.w, x: -q1.x, y: -q1.y, z: -q1.z) }
            let end = Pose(position: target.position + q1.rotate(model.comLocal[b]), orientation: q1)
            scratch.kinematicStart[b] = start
            scratch.kinematicEnd[b] = end
            state.linearVelocity[b] = (end.position - start.position) / model.dt
            state.angularVelocity[b] = rotationVector(from: start.orientation, to: end.orientation) / model.dt
        }
    }

    // MARK: substep stages

    mutating func integrate(h: Double, fraction: Double) {
        let g = model.gravity
        for b in 0..<model.bodyCount {
            switch model.kind[b] {
            case .dynamic:
                scratch.prevPosition[b] = state.position[b]
                scratch.prevOrientation[b] = state.orientation[b]
                scratch.prevLinear[b] = state.linearVelocity[b]
                scratch.prevAngular[b] = state.angularVelocity[b]
                let v = state.linearVelocity[b] + g * h
                state.linearVelocity[b] = v
                state.position[b] += v * h
                state.orientation[b] = state.orientation[b].integrated(omega: state.angularVelocity[b], dt: h)
            case .kinematic:
                scratch.prevPosition[b] = state.position[b]
                scratch.prevOrientation[b] = state.orientation[b]
                let p = scratch.kinematicStart[b].interpolated(to: scratch.kinematicEnd[b], fraction)
                state.position[b] = p.position
                state.orientation[b] = fraction == 1 ? scratch.kinematicEnd[b].orientation : p.orientation
            case .static:
                break
            }
        }
    }

    mutating func updateVelocities(h: Double) {
        let inv = 1 / h
        for b in 0..<model.bodyCount where model.kind[b] == .dynamic {
            state.linearVelocity[b] = (state.position[b] - scratch.prevPosition[b]) * inv
            state.angularVelocity[b] = rotationVector(from: scratch.prevOrientation[b], to: state.orientation[b]) * inv
        }
    }

    // MARK: contacts

    /// Contacts of one shape pair (a manifold) are solved together: the normal by repeated sweeps over
    /// its points, so that four equal corner penetrations of a resting box end in (nearly) equal
    /// corrections and no spurious turn whatever the point order; friction once per manifold at the patch centre, with a
    /// torsional part about the normal ("patch friction", as PhysX does), limited by μ·Σλ. Manifolds
    /// are solved one after another (Gauss–Seidel).
    mutating func solveContactPositions() {
        let manifolds = scratch.manifolds.count - 1
        for m in 0..<manifolds {
            let lo = scratch.manifolds[m], hi = scratch.manifolds[m + 1]
            let a = scratch.contacts[lo].a, b = scratch.contacts[lo].b
            // normal: remove the penetration (rigid contact, zero compliance); a manifold's points are
            // swept repeatedly so the result approaches the simultaneous solution whatever their order
            for i in lo..<hi { scratch.contacts[i].lambda = 0 }
            let sweeps = hi - lo == 1 ? 1 : manifoldSweeps
            var touching = false
            for _ in 0..<sweeps {
                for i in lo..<hi {
                    let c = scratch.contacts[i], n = c.normal
                    let ra = state.orientation[a].rotate(c.rA) + c.oA, rb = state.orientation[b].rotate(c.rB) + c.oB
                    let d = (state.position[b] + rb - state.position[a] - ra).dot(n)
                    if d >= 0 { continue }
                    let dl = -d / (generalizedInverseMass(a, ra, n) + generalizedInverseMass(b, rb, n))
                    scratch.contacts[i].lambda += dl
                    applyPositionImpulse(b, n * dl, rb); applyPositionImpulse(a, n * -dl, ra)
                    touching = true
                }
            }
            if !touching { continue }
            // static friction: undo the patch's tangential slip and twist this substep while below μs·Σλ
            let patch = patchOf(lo, hi)
            let n = scratch.contacts[lo].normal
            let dp = materialDisplacement(b, patch.rB, patch.oB) - materialDisplacement(a, patch.rA, patch.oA)
            let dt = dp - n * dp.dot(n)
            let lt = dt.length
            if lt > 1e-14 {
                let t = dt / lt
                if hi - lo == 1 {
                    let ra = state.orientation[a].rotate(patch.rA) + patch.oA, rb = state.orientation[b].rotate(patch.rB) + patch.oB
                    let dlt = lt / (generalizedInverseMass(a, ra, t) + generalizedInverseMass(b, rb, t))
                    if dlt < scratch.contacts[lo].staticFriction * patch.lambda {
                        applyPositionImpulse(b, t * -dlt, rb); applyPositionImpulse(a, t * dlt, ra)
                    }
                } else {
                    // a patch holds by translation only: a correction through the lever arm would tilt
                    // the bodies, and in a tall stack that tilt feeds back into the next slip
                    let w = model.invMass[a] + model.invMass[b]
                    let dlt = lt / w
                    if w > 0 && dlt < scratch.contacts[lo].staticFriction * patch.lambda {
                        state.position[b] -= t * (dlt * model.invMass[b]); state.position[a] += t * (dlt * model.invMass[a])
                    }
                }
            }
            if patch.radius > 0 {
                let twist = (turn(b) - turn(a)).dot(n)
                let w = angularWeight(a, n) + angularWeight(b, n)
                if w > 0 {
                    let dl = twist / w
                    if abs(dl) < scratch.contacts[lo].staticFriction * patch.lambda * patch.radius {
                        rotate(b, inverseInertiaWorld(b, n * -dl)); rotate(a, inverseInertiaWorld(a, n * dl))
                    }
                }
            }
        }
    }

    /// Sweeps over the points of a multi-point manifold per substep (a single point needs one).
    var manifoldSweeps: Int { 4 }

    /// The contact patch of manifold lo..<hi: mean anchors of the touching points, Σλ and mean radius.
    @inline(__always) func patchOf(_ lo: Int, _ hi: Int) -> (rA: Vec3, oA: Vec3, rB: Vec3, oB: Vec3, lambda: Double, radius: Double) {
        if hi - lo == 1 {
            let c = scratch.contacts[lo]
            return (c.rA, c.oA, c.rB, c.oB, c.lambda, 0)
        }
        var rA = Vec3.zero, oA = Vec3.zero, rB = Vec3.zero, oB = Vec3.zero, lambda = 0.0, k = 0.0
        for i in lo..<hi where scratch.contacts[i].lambda > 0 {
            let c = scratch.contacts[i]
            rA += c.rA; oA += c.oA; rB += c.rB; oB += c.oB; lambda += c.lambda; k += 1
        }
        if k == 0 { return (.zero, .zero, .zero, .zero, 0, 0) }
        rA = rA / k; oA = oA / k; rB = rB / k; oB = oB / k
        var radius = 0.0
        for i in lo..<hi where scratch.contacts[i].lambda > 0 { radius += (scratch.contacts[i].rB - rB).length }
        return (rA, oA, rB, oB, lambda, radius / k)
    }

    /// Rotation of body `b` this substep (rad, world).
    @inline(__always) func turn(_ b: Int) -> Vec3 {
        model.kind[b] == .static ? .zero : rotationVector(from: scratch.prevOrientation[b], to: state.orientation[b])
    }

    @inline(__always) func angularWeight(_ b: Int, _ n: Vec3) -> Double {
        model.invMass[b] == 0 ? 0 : n.dot(inverseInertiaWorld(b, n))
    }

    /// Adds the position and rotation change of a positional impulse `p` at world offset `r` on body `b`.
    @inline(__always) func accumulate(_ acc: inout (Vec3, Vec3), _ b: Int, _ p: Vec3, _ r: Vec3) {
        let im = model.invMass[b]
        if im == 0 { return }
        acc.0 += p * im
        acc.1 += inverseInertiaWorld(b, r.cross(p))
    }

    @inline(__always) mutating func applyCorrection(_ b: Int, _ c: (Vec3, Vec3)) {
        if model.invMass[b] == 0 { return }
        state.position[b] += c.0
        rotate(b, c.1)
    }

    mutating func solveContactVelocities(h: Double) {
        let restThreshold = 2 * model.gravity.length * h
        let manifolds = scratch.manifolds.count - 1
        for m in 0..<manifolds {
            let lo = scratch.manifolds[m], hi = scratch.manifolds[m + 1]
            let a = scratch.contacts[lo].a, b = scratch.contacts[lo].b, n = scratch.contacts[lo].normal
            var touching = false
            // normal, per point (swept like the positions): restitution against the normal velocity
            // before the substep; none when resting
            let sweeps = hi - lo == 1 ? 1 : manifoldSweeps
            for sweep in 0..<sweeps {
                for i in lo..<hi {
                    let c = scratch.contacts[i]
                    if c.lambda <= 0 { continue }
                    touching = true
                    if sweep == 0 { scratch.contacts[i].lambdaTick += c.lambda }
                    let ra = state.orientation[a].rotate(c.rA) + c.oA, rb = state.orientation[b].rotate(c.rB) + c.oB
                    let vn = relativeVelocity(a, ra, b, rb).dot(n)
                    let vPrev = scratch.prevLinear[b] + scratch.prevAngular[b].cross(rb) - scratch.prevLinear[a] - scratch.prevAngular[a].cross(ra)
                    let vnPrev = vPrev.dot(n)
                    let e = abs(vnPrev) <= restThreshold ? 0 : c.restitution
                    let p = n * ((-vn + max(-e * vnPrev, 0)) / (generalizedInverseMass(a, ra, n) + generalizedInverseMass(b, rb, n)))
                    applyVelocityImpulse(b, p, rb); applyVelocityImpulse(a, -p, ra)
                }
            }
            if !touching { continue }
            // dynamic friction at the patch centre: an impulse of at most μd·Σλ/h (λ/h² is the normal force)
            let patch = patchOf(lo, hi)
            let mu = scratch.contacts[lo].dynamicFriction
            let ra = state.orientation[a].rotate(patch.rA) + patch.oA, rb = state.orientation[b].rotate(patch.rB) + patch.oB
            let v = relativeVelocity(a, ra, b, rb)
            let vt = v - n * v.dot(n), vtl = vt.length
            if vtl > 1e-14 {
                let t = vt / vtl
                let stop = vtl / (generalizedInverseMass(a, ra, t) + generalizedInverseMass(b, rb, t))
                let p = t * -min(mu * patch.lambda / h, stop)
                applyVelocityImpulse(b, p, rb); applyVelocityImpulse(a, -p, ra)
            }
            if patch.radius > 0 {
                let spin = (state.angularVelocity[b] - state.angularVelocity[a]).dot(n)
                let w = angularWeight(a, n) + angularWeight(b, n)
                if w > 0 && spin != 0 {
                    let stop = abs(spin) / w
                    let l = min(mu * patch.lambda * patch.radius / h, stop) * (spin > 0 ? -1 : 1)
                    if model.invMass[b] > 0 { state.angularVelocity[b] += inverseInertiaWorld(b, n * l) }
                    if model.invMass[a] > 0 { state.angularVelocity[a] -= inverseInertiaWorld(a, n * l) }
                }
            }
        }
    }

    @inline(__always) func relativeVelocity(_ a: Int, _ ra: Vec3, _ b: Int, _ rb: Vec3) -> Vec3 {
        state.linearVelocity[b] + state.angularVelocity[b].cross(rb) - state.linearVelocity[a] - state.angularVelocity[a].cross(ra)
    }

    // MARK: joints

    mutating func solveJoints(h: Double) {
        for j in model.joints {
            let a = j.a, b = j.b
            let qa = state.orientation[a]
            let qb = b >= 0 ? state.orientation[b] : .identity
            let alpha = j.compliance / (h * h)
            // angular: weld the orientations, or align the hinge axes
            var theta: Vec3
            if j.hinge {
                theta = qa.rotate(j.axisA).cross(qb.rotate(j.axisB)) * -1      // turns B's axis onto A's
            } else {
                theta = rotationVector(from: qb, to: (qa * j.relative).normalized)
            }
            applyAngularCorrection(a, b, theta, alpha)
            // positional: keep the anchors together
            let ra = state.orientation[a].rotate(j.anchorA)
            let rb = b >= 0 ? state.orientation[b].rotate(j.anchorB) : .zero
            let pa = state.position[a] + ra, pb = b >= 0 ? state.position[b] + rb : j.anchorB
            let delta = pb - pa, len = delta.length
            if len < 1e-14 { continue }
            let n = delta / len
            let w = generalizedInverseMass(a, ra, n) + (b >= 0 ? generalizedInverseMass(b, rb, n) : 0)
            if w <= 0 { continue }
            let dl = len / (w + alpha)
            applyPositionImpulse(a, n * dl, ra)
            if b >= 0 { applyPositionImpulse(b, n * -dl, rb) }
        }
    }

    /// Rotates A by −θ·share and B by +θ·share (B is −1 for the world), XPBD-weighted.
    mutating func applyAngularCorrection(_ a: Int, _ b: Int, _ theta: Vec3, _ alpha: Double) {
        let angle = theta.length
        if angle < 1e-14 { return }
        let n = theta / angle
        let w = n.dot(inverseInertiaWorld(a, n)) + (b >= 0 ? n.dot(inverseInertiaWorld(b, n)) : 0)
        if w <= 0 { return }
        let dl = angle / (w + alpha)
        rotate(a, inverseInertiaWorld(a, n * -dl))
        if b >= 0 { rotate(b, inverseInertiaWorld(b, n * dl)) }
    }

    // MARK: hand couplings (virtual coupling: a damped 6-DOF spring between hand target and instrument)

    mutating func solveCouplings(h: Double, fraction: Double) {
        for k in state.hands.indices {
            let b = state.hands[k].grasped
            if b < 0 { continue }
            let def = model.hands[k]
            let target = scratch.handStart[k].interpolated(to: scratch.handEnd[k], fraction)
            // linear spring at the centre of mass
            let delta = target.position - state.position[b], len = delta.length
            if len > 1e-14 {
                let dl = len / (model.invMass[b] + 1 / (def.linearStiffness * h * h))
                state.position[b] += delta * (dl / len * model.invMass[b])
                scratch.couplingImpulse[k] += dl
            }
            // angular spring
            let theta = rotationVector(from: state.orientation[b], to: target.orientation)
            let angle = theta.length
            if angle > 1e-14 {
                let n = theta / angle
                let dl = angle / (n.dot(inverseInertiaWorld(b, n)) + 1 / (def.angularStiffness * h * h))
                rotate(b, inverseInertiaWorld(b, n * dl))
            }
        }
    }

    mutating func dampCouplings(h: Double) {
        for k in state.hands.indices {
            let b = state.hands[k].grasped
            if b < 0 { continue }
            let def = model.hands[k]
            let start = scratch.handStart[k], end = scratch.handEnd[k]
            let vT = (end.position - start.position) / model.dt
            let wT = rotationVector(from: start.orientation, to: end.orientation) / model.dt
            let m = model.mass[b]
            let cl = 2 * def.dampingRatio * (def.linearStiffness * m).squareRoot()
            state.linearVelocity[b] += (vT - state.linearVelocity[b]) * min(1, h * cl / m)
            let dw = wT - state.angularVelocity[b], dwl = dw.length
            if dwl > 1e-14 {
                let n = dw / dwl
                let invI = n.dot(inverseInertiaWorld(b, n))
                let ca = 2 * def.dampingRatio * (def.angularStiffness / invI).squareRoot()
                state.angularVelocity[b] += dw * min(1, h * ca * invI)
            }
        }
    }

    // MARK: guard

    mutating func guardNumbers() {
        let vmax = model.def.maxLinearSpeed, wmax = model.def.maxAngularSpeed
        for b in 0..<model.bodyCount where model.kind[b] != .static {
            let ok = state.position[b].isFinite && state.orientation[b].isFinite
                && state.linearVelocity[b].isFinite && state.angularVelocity[b].isFinite
            if !ok {
                // back to where the body was before the tick, at rest
                let p = b < scratch.tickStartPosition.count ? scratch.tickStartPosition[b] : .zero
                let q = b < scratch.tickStartOrientation.count ? scratch.tickStartOrientation[b] : .identity
                state.position[b] = p.isFinite ? p : .zero
                state.orientation[b] = q.isFinite ? q.normalized : .identity
                state.linearVelocity[b] = .zero; state.angularVelocity[b] = .zero
                state.warnings += 1
                continue
            }
            let v = state.linearVelocity[b].length
            if v > vmax { state.linearVelocity[b] *= vmax / v; state.warnings += 1 }
            let w = state.angularVelocity[b].length
            if w > wmax { state.angularVelocity[b] *= wmax / w; state.warnings += 1 }
        }
        for k in state.hands.indices {
            let f = scratch.couplingImpulse[k] / (model.dt * model.dt / Double(model.substeps))
            state.hands[k].couplingForce = f.isFinite ? f : 0
        }
    }

    // MARK: helpers

    /// Displacement this substep of the material point of body `b` at local core point `r` plus world offset `o`.
    @inline(__always) func materialDisplacement(_ b: Int, _ r: Vec3, _ o: Vec3) -> Vec3 {
        if model.kind[b] == .static { return .zero }
        let q0 = scratch.prevOrientation[b], q = state.orientation[b]
        let lever0 = q0.rotate(r) + o
        let dq = q * q0.conjugate
        return state.position[b] - scratch.prevPosition[b] + dq.rotate(lever0) - lever0
    }

    @inline(__always) func inverseInertiaWorld(_ b: Int, _ v: Vec3) -> Vec3 {
        if model.isotropic[b] { return v * model.invInertia[b].c0.x }
        let q = state.orientation[b]
        return q.rotate(model.invInertia[b].mul(q.inverseRotate(v)))
    }

    @inline(__always) func generalizedInverseMass(_ b: Int, _ r: Vec3, _ n: Vec3) -> Double {
        let im = model.invMass[b]
        if im == 0 { return 0 }
        let rn = r.cross(n)
        return im + rn.dot(inverseInertiaWorld(b, rn))
    }

    /// Moves dynamic body `b` by the positional impulse `p` applied at world offset `r` from its centre of mass.
    @inline(__always) mutating func applyPositionImpulse(_ b: Int, _ p: Vec3, _ r: Vec3) {
        let im = model.invMass[b]
        if im == 0 { return }
        state.position[b] += p * im
        rotate(b, inverseInertiaWorld(b, r.cross(p)))
    }

    @inline(__always) mutating func rotate(_ b: Int, _ dw: Vec3) {
        if model.invMass[b] == 0 { return }
        let q = state.orientation[b]
        let dq = Quat(w: 0, x: dw.x, y: dw.y, z: dw.z) * q
        state.orientation[b] = Quat(w: q.w + 0.5 * dq.w, x: q.x + 0.5 * dq.x, y: q.y + 0.5 * dq.y, z: q.z + 0.5 * dq.z).normalized
    }

    @inline(__always) mutating func applyVelocityImpulse(_ b: Int, _ p: Vec3, _ r: Vec3) {
        let im = model.invMass[b]
        if im == 0 { return }
        state.linearVelocity[b] += p * im
        state.angularVelocity[b] += inverseInertiaWorld(b, r.cross(p))
    }
}

/// The rotation vector (axis × angle, rad) taking orientation `q0` to `q1`, shortest way.
@inline(__always) func rotationVector(from q0: Quat, to q1: Quat) -> Vec3 {
    var d = q1 * q0.conjugate
    if d.w < 0 { d = Quat(w: -d.w, x: -d.x, y: -d.y, z: -d.z) }
    let s = d.vector.length
    if s < 1e-9 { return d.vector * 2 }
    return d.vector * (2 * atan2(s, d.w) / s)
}


