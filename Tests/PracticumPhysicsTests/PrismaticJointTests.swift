import Foundation
import Testing
import PracticumCore
@testable import PracticumPhysics
import PracticumTestSupport

/// The prismatic joint with a spring and damper along its axis (a CPR chest): exact equilibrium,
/// damping as in the spring–damper equation, nothing across the axis.
@Suite struct PrismaticJointTests {
    /// A 1 kg box (10 cm, water) at `p` on a prismatic joint to the world along `axis`.
    func world(axis: Vec3, stiffness: Double, damping: Double, gravity: Vec3 = Vec3(0, -9.81, 0), at p: Vec3 = Vec3(0, 1, 0),
               velocity: Vec3 = .zero, spin: Vec3 = .zero) throws -> World {
        let box = BodyDef(pose: Pose(position: p), shapes: [ShapeDef(.box(halfExtents: Vec3(0.05, 0.05, 0.05)))],
                          linearVelocity: velocity, angularVelocity: spin)
        let joint = JointDef(kind: .prismatic(axis: axis, stiffness: stiffness, damping: damping), a: 0, b: nil, anchor: p)
        return try World(WorldDef(bodies: [box], joints: [joint], gravity: gravity))
    }

    /// Offset of the body from its anchor: along the unit axis, and the length of what is across it.
    func offset(_ w: World, axis n: Vec3, from p: Vec3 = Vec3(0, 1, 0)) -> (along: Double, across: Double) {
        let d = w.pose(of: 0).position - p
        return (d.dot(n), (d - n * d.dot(n)).length)
    }

    /// Backward Euler (what one XPBD pass per substep is for a spring–damper): per-substep decay r and
    /// phase θ of the free oscillation of mass m on stiffness k with damping c at substep h.
    func backwardEuler(k: Double, c: Double, m: Double, h: Double) -> (r: Double, theta: Double) {
        // the step matrix is A⁻¹ with A = [[1, −h], [h·k/m, 1 + h·c/m]]; eigenvalues μ of A, roots of
        // μ² − (2 + hc/m)μ + (1 + hc/m + h²k/m)
        let b = 2 + h * c / m, p = 1 + h * c / m + h * h * k / m
        let re = b / 2, im = (p - re * re).squareRoot()
        return (1 / p.squareRoot(), atan2(im, re))
    }

    @Test(arguments: [Vec3(0, 1, 0), Vec3(1, 1, 0), Vec3(0.3, -1, 2)])
    func aHangingMassSettlesAtWeightOverStiffnessOnTheAxis(_ axis: Vec3) throws {
        let n = axis.normalized, k = 1000.0
        let c = 2 * (k * 1).squareRoot()          // critical: settled after 3 s
        var w = try world(axis: axis, stiffness: k, damping: c)
        let m = w.model.mass(of: 0)
        #expect(isClose(m, 1, abs: 1e-12))
        var worstAcross = 0.0, worstTurn = 0.0
        Scenes.run(&w, seconds: 3) { w in
            worstAcross = max(worstAcross, offset(w, axis: n).across)
            worstTurn = max(worstTurn, w.pose(of: 0).orientation.angle)
        }
        // equilibrium of backward Euler is exact: k·x = m·(g·n)
        #expect(isClose(offset(w, axis: n).along, m * Vec3(0, -9.81, 0).dot(n) / k, abs: 1e-9))
        #expect(worstAcross < 1e-12)
        #expect(worstTurn < 1e-12)
    }

    @Test func anUnderdampedSpringRingsAtItsFrequencyAndDecaysAtItsDampingRatio() throws {
        let k = 400.0, m = 1.0, zeta = 0.1
        let c = 2 * zeta * (k * m).squareRoot()   // 4 N·s/m
        var w = try world(axis: .unitY, stiffness: k, damping: c, gravity: .zero, velocity: Vec3(0, 0.2, 0))
        var trace: [Double] = []
        Scenes.run(&w, seconds: 2) { trace.append(offset($0, axis: .unitY).along) }
        // the peaks (local maxima over ticks)
        var peaks: [(tick: Int, x: Double)] = []
        for i in 1..<(trace.count - 1) where trace[i] > trace[i - 1] && trace[i] >= trace[i + 1] && trace[i] > 0 { peaks.append((i, trace[i])) }
        try #require(peaks.count >= 4)
        let decrement = log(peaks[0].x / peaks[3].x) / 3
        let period = Double(peaks[3].tick - peaks[0].tick) / 3 * w.model.dt
        // against the discrete solution of the spring–damper equation
        let h = w.model.dt / Double(w.model.substeps)
        let be = backwardEuler(k: k, c: c, m: m, h: h)
        #expect(isClose(period, 2 * .pi / be.theta * h, abs: 0, rel: 0.01), "period \(period)")
        #expect(isClose(decrement, -log(be.r) * 2 * .pi / be.theta, abs: 0, rel: 0.01), "decrement \(decrement)")
        // and against the continuous one: ζ = c / (2√(k·m)) plus backward Euler's own ω·h/2
        let omega = (k / m).squareRoot(), zetaEff = zeta + omega * h / 2
        #expect(isClose(period, 2 * .pi / (omega * (1 - zeta * zeta).squareRoot()), abs: 0, rel: 0.01))
        #expect(isClose(decrement, 2 * .pi * zetaEff / (1 - zetaEff * zetaEff).squareRoot(), abs: 0, rel: 0.02))
    }

    @Test func aCriticallyDampedSpringReturnsWithoutOvershoot() throws {
        let k = 400.0, c = 2 * (k * 1).squareRoot()
        var w = try world(axis: .unitY, stiffness: k, damping: c, gravity: .zero, velocity: Vec3(0, 0.2, 0))
        var peak = 0.0, lowest = 0.0
        Scenes.run(&w, seconds: 2) { w in
            let x = offset(w, axis: .unitY).along
            peak = max(peak, x); lowest = min(lowest, x)
        }
        // continuous: x(t) = v₀·t·e^(−ωt), peak v₀/(ω·e) = 3.68 mm
        #expect(isClose(peak, 0.2 / (20 * M_E), abs: 0, rel: 0.03), "peak \(peak)")
        #expect(lowest > -1e-12)      // rounding of positions near 1 m, no swing through
        #expect(abs(offset(w, axis: .unitY).along) < 1e-9)
    }

    @Test func aDamperAloneReachesTerminalSpeed() throws {
        // no spring: a 1 kg box falling along the axis against 20 N·s/m reaches m·g/c = 0.4905 m/s
        var w = try world(axis: .unitY, stiffness: 0, damping: 20, velocity: Vec3(0.5, 0, 0.5))
        Scenes.run(&w, seconds: 2)
        let v = w.velocity(of: 0).linear
        #expect(isClose(v.y, -9.81 / 20, abs: 1e-9))
        #expect(abs(v.x) < 1e-12 && abs(v.z) < 1e-12)
    }

    @Test func nothingMovesTheBodyAcrossTheAxisOrTurnsIt() throws {
        // pushed sideways, spun, with gravity at a slant: it only slides along y
        var w = try world(axis: .unitY, stiffness: 1500, damping: 10, gravity: Vec3(3, -9.81, 2), velocity: Vec3(1, 0.5, -2), spin: Vec3(3, -1, 2))
        var worstAcross = 0.0, worstTurn = 0.0
        Scenes.run(&w, seconds: 1) { w in
            worstAcross = max(worstAcross, offset(w, axis: .unitY).across)
            worstTurn = max(worstTurn, w.pose(of: 0).orientation.angle)
        }
        #expect(worstAcross < 1e-12, "across \(worstAcross)")
        #expect(worstTurn < 1e-6, "turn \(worstTurn)")
        #expect(w.velocity(of: 0).angular.length < 1e-6)
    }

    @Test func twoBodiesOnAPrismaticJointKeepTheirCentreOfMass() throws {
        let half = Vec3(0.05, 0.05, 0.05)
        let a = BodyDef(pose: Pose(position: Vec3(0, 1, 0)), shapes: [ShapeDef(.box(halfExtents: half))], linearVelocity: Vec3(0.1, 0, 0))
        let b = BodyDef(pose: Pose(position: Vec3(0.2, 1, 0)), shapes: [ShapeDef(.box(halfExtents: half))], linearVelocity: Vec3(-0.1, 0, 0))
        let joint = JointDef(kind: .prismatic(axis: .unitX, stiffness: 200, damping: 1), a: 0, b: 1, anchor: Vec3(0.1, 1, 0))
        var w = try World(WorldDef(bodies: [a, b], joints: [joint], gravity: .zero))
        var closest = 1.0
        Scenes.run(&w, seconds: 1) { w in
            let pa = w.pose(of: 0).position, pb = w.pose(of: 1).position
            #expect(isClose((pa + pb) * 0.5, Vec3(0.1, 1, 0), abs: 1e-12))
            #expect(isClose(pa.y, 1, abs: 1e-12) && isClose(pb.y, 1, abs: 1e-12) && pa.z == 0 && pb.z == 0)
            closest = min(closest, pb.x - pa.x)
        }
        // closing at 0.2 m/s on 200 N/m with a reduced mass of 0.5 kg (ω = 20/s, ζ = 0.05): at most
        // 0.2 / 20 = 10 mm undamped, about 9.2 mm with the damping
        #expect(closest > 0.2 - 0.0100 && closest < 0.2 - 0.0085, "closest \(closest)")
    }

    @Test func invalidPrismaticJointsNameTheElement() {
        let body = BodyDef()
        #expect(throws: PhysicsModelError(path: "joints[0]", message: "prismatic axis must be a non-zero vector")) {
            try PhysicsModel(WorldDef(bodies: [body], joints: [JointDef(kind: .prismatic(axis: .zero, stiffness: 1))]))
        }
        #expect(throws: PhysicsModelError(path: "joints[0]", message: "stiffness and damping must be finite and ≥ 0")) {
            try PhysicsModel(WorldDef(bodies: [body], joints: [JointDef(kind: .prismatic(axis: .unitY, stiffness: -1))]))
        }
        #expect(throws: PhysicsModelError(path: "joints[0]", message: "stiffness and damping must be finite and ≥ 0")) {
            try PhysicsModel(WorldDef(bodies: [body], joints: [JointDef(kind: .prismatic(axis: .unitY, damping: .nan))]))
        }
    }
}
