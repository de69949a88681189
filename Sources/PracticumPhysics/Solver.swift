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
                    state.warn(.handInputNotFinite, h)
                }
                if input.grip.isFinite { hand.grip = min(max(input.grip, 0), 1) } else { state.warn(.handInputNotFinite, h) }
                if input.trigger.isFinite { hand.trigger = min(max(input.trigger, 0), 1) } else { state.warn(.handInputNotFinite, h) }
            }
            // release when the grip opens
            if hand.grasped >= 0 && hand.grip <= 0.5 { hand.grasped = -1 }
            // an empty hand rests on anatomy (the tracked pose is kept for a grasp, so the instrument
            // it takes does not jump by the depth the tracked hand was inside)
            let tracked = hand.pose
            let radius = model.hands[h].radius
            if hand.grasped < 0 && radius > 0 {
                hand.pose.position = handPositionOutOfAnatomy(hand.pose.position, radius: radius)
            }
            // grasp the nearest free graspable body whose origin is within reach
            if hand.grasped < 0 && hand.grip > 0.5 {
                let best = graspCandidate(hand: h, at: hand.pose.position) ?? -1
                if best >= 0 {
                    hand.grasped = best
                    hand.pose = tracked
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

    /// The body hand `h` would grasp if its grip closed with the hand at `position`: the nearest
    /// graspable body whose origin is within the hand's reach (ties: the lower index) and that no
    /// other hand holds, unless it is two-handed. The viewer highlights it before the grip closes.
    public func graspCandidate(hand h: Int, at position: Vec3) -> Int? {
        guard h < state.hands.count else { return nil }
        var best = -1, bestD2 = model.hands[h].reach * model.hands[h].reach
        for b in 0..<model.bodyCount where model.graspable[b] && !state.isOutOfWorld(b) {
            if !model.twoHanded[b], state.hands.indices.contains(where: { $0 != h && state.hands[$0].grasped == b }) { continue }
            let d2 = (pose(of: b).position - position).lengthSquared
            if d2 <= bestD2 { if best < 0 || d2 < bestD2 { best = b; bestD2 = d2 } }
        }
        return best >= 0 ? best : nil
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

    // MARK: guard

    mutating func guardNumbers() {
        let vmax = model.def.maxLinearSpeed, wmax = model.def.maxAngularSpeed
        for b in 0..<model.bodyCount where model.kind[b] != .static && !state.isOutOfWorld(b) {
            let ok = state.position[b].isFinite && state.orientation[b].isFinite
                && state.linearVelocity[b].isFinite && state.angularVelocity[b].isFinite
            if !ok {
                // back to where the body was before the tick, at rest
                let p = b < scratch.tickStartPosition.count ? scratch.tickStartPosition[b] : .zero
                let q = b < scratch.tickStartOrientation.count ? scratch.tickStartOrientation[b] : .identity
                state.position[b] = p.isFinite ? p : .zero
                state.orientation[b] = q.isFinite ? q.normalized : .identity
                state.linearVelocity[b] = .zero; state.angularVelocity[b] = .zero
                state.warn(.bodyRepaired, b)
                continue
            }
            let v = state.linearVelocity[b].length
            if v > vmax { state.linearVelocity[b] *= vmax / v; state.warn(.speedClamped, b) }
            let w = state.angularVelocity[b].length
            if w > wmax { state.angularVelocity[b] *= wmax / w; state.warn(.speedClamped, b) }
            // bounds: a body that leaves the world is reported once and stops being simulated
            let p = state.position[b], lo = model.def.bounds.minimum, hi = model.def.bounds.maximum
            if model.kind[b] == .dynamic && (p.x < lo.x || p.y < lo.y || p.z < lo.z || p.x > hi.x || p.y > hi.y || p.z > hi.z) {
                if state.outOfWorld.isEmpty { state.outOfWorld = Array(repeating: false, count: model.bodyCount) }
                state.outOfWorld[b] = true
                state.linearVelocity[b] = .zero; state.angularVelocity[b] = .zero
                for k in state.hands.indices where state.hands[k].grasped == b { state.hands[k].grasped = -1 }
                state.warn(.leftWorld, b)
            }
        }
        for k in state.hands.indices {
            let f = scratch.couplingImpulse[k] / (model.dt * model.dt / Double(model.substeps))
            state.hands[k].couplingForce = f.isFinite ? f : 0
        }
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


