#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
import Testing
import PracticumCore
import PracticumTestSupport
@testable import PracticumPhysics

/// Physical validation against analytic results, with the tolerances of issue 3.
@Suite struct Validation {
    let g = 9.81

    @Test func freeFallMatchesSymplecticEulerAndAnalytic() throws {
        var w = try World(WorldDef(bodies: [Scenes.sphere(at: Vec3(0, 10, 0))]))
        Scenes.run(&w, seconds: 1)
        let t = 1.0, h = w.model.dt / Double(w.model.substeps)
        let y = w.pose(of: 0).position.y
        // the integrator's exact discrete solution: y0 − ½gt² − ½gth
        #expect(isClose(y, 10 - 0.5 * g * t * t - 0.5 * g * t * h, abs: 1e-9))
        #expect(isClose(w.velocity(of: 0).linear.y, -g * t, abs: 1e-9))
        // and the analytic drop within 0.1 %
        #expect(isClose(10 - y, 0.5 * g * t * t, rel: 1e-3))
    }

    /// A 0.1 m cube on a plane tilted by `degrees` (μ = 0.5, atan μ = 26.57°).
    func incline(degrees: Double) throws -> (World, Vec3) {
        let theta = degrees * .pi / 180
        let q = Quat(axis: .unitZ, angle: theta)
        let mat = MaterialDef(friction: 0.5)
        let plane = BodyDef(kind: .static, pose: Pose(position: q.rotate(Vec3(0, -0.5, 0)), orientation: q),
                            shapes: [ShapeDef(.box(halfExtents: Vec3(3, 0.5, 1)), material: mat)])
        let block = Scenes.box(at: q.rotate(Vec3(0, 0.05, 0)), half: Vec3(0.05, 0.05, 0.05), mat, orientation: q)
        let downhill = q.rotate(Vec3(-1, 0, 0))
        return (try World(WorldDef(bodies: [plane, block])), downhill)
    }

    @Test(arguments: [10.0, 20.0, 25.0])
    func inclineHoldsBelowFrictionAngle(degrees: Double) throws {
        var (w, _) = try incline(degrees: degrees)
        let start = w.pose(of: 1).position
        Scenes.run(&w, seconds: 2)
        #expect(w.pose(of: 1).position.distance(to: start) < 1e-3)
    }

    /// A 10 kg box on a 0.1 kg box on the incline: the bottom box's friction must carry the weight of
    /// both (shock propagation lifts the heavy box, its weight still bounds the friction below).
    @Test(arguments: [10.0, 20.0])
    func heavyOnLightHoldsOnIncline(degrees: Double) throws {
        let q = Quat(axis: .unitZ, angle: degrees * .pi / 180)
        var (w, _) = try incline(degrees: degrees)
        var def = w.model.def
        def.bodies[1].shapes[0].material.density = 100
        def.bodies.append(Scenes.box(at: q.rotate(Vec3(0, 0.15, 0)), half: Vec3(0.05, 0.05, 0.05), MaterialDef(density: 10_000, friction: 0.5), orientation: q))
        w = try World(def)
        let start = [w.pose(of: 1).position, w.pose(of: 2).position]
        Scenes.run(&w, seconds: 2)
        let drift = max(w.pose(of: 1).position.distance(to: start[0]), w.pose(of: 2).position.distance(to: start[1]))
        #expect(drift < 1e-3, "drift \(drift) m")
    }

    @Test(arguments: [30.0, 35.0, 45.0])
    func inclineSlidesWithCoulombAcceleration(degrees: Double) throws {
        var (w, down) = try incline(degrees: degrees)
        let theta = degrees * .pi / 180
        let expected = g * (sin(theta) - 0.5 * cos(theta))
        Scenes.run(&w, seconds: 0.25)
        let v1 = w.velocity(of: 1).linear.dot(down)
        Scenes.run(&w, seconds: 0.5)
        let v2 = w.velocity(of: 1).linear.dot(down)
        let a = (v2 - v1) / 0.5
        #expect(isClose(a, expected, rel: 0.02), "a = \(a), expected \(expected)")
    }

    @Test func reboundHeightIsRestitutionSquared() throws {
        let e = 0.8, r = 0.05, h0 = 1.0
        var ball = Scenes.sphere(at: Vec3(0, h0 + r, 0), r: r, MaterialDef(friction: 0.5, restitution: e))
        ball.kind = .dynamic
        var w = try World(WorldDef(bodies: [Scenes.floor(MaterialDef(friction: 0.5, restitution: 0)), ball]))
        var bounced = false, peak = 0.0
        for _ in 0..<480 {
            w.step()
            let v = w.velocity(of: 1).linear.y, y = w.pose(of: 1).position.y - r
            if !bounced && v > 0 { bounced = true }
            if bounced { peak = max(peak, y); if v < 0 { break } }
        }
        #expect(bounced)
        #expect(isClose(peak, e * e * h0, rel: 0.05), "peak \(peak)")
    }

    @Test func tenBoxStackStandsTenSeconds() throws {
        let half = 0.05
        var bodies = [Scenes.floor()]
        for i in 0..<10 { bodies.append(Scenes.box(at: Vec3(0, half + 2 * half * Double(i), 0), half: Vec3(half, half, half))) }
        var w = try World(WorldDef(bodies: bodies))
        let start = (1...10).map { w.pose(of: $0).position }
        Scenes.run(&w, seconds: 10)
        let drift = (1...10).map { w.pose(of: $0).position.distance(to: start[$0 - 1]) }.max()!
        #expect(drift < 1e-3, "drift \(drift) m")
    }

    @Test func massRatioOneToHundredStackIsStable() throws {
        let half = 0.05
        let light = MaterialDef(density: 100, friction: 0.5), heavy = MaterialDef(density: 10_000, friction: 0.5)
        let bodies = [Scenes.floor(), Scenes.box(at: Vec3(0, half, 0), half: Vec3(half, half, half), light),
                      Scenes.box(at: Vec3(0, 3 * half, 0), half: Vec3(half, half, half), heavy),
                      Scenes.box(at: Vec3(0, 5 * half, 0), half: Vec3(half, half, half), light),
                      Scenes.box(at: Vec3(0, 7 * half, 0), half: Vec3(half, half, half), heavy)]
        var w = try World(WorldDef(bodies: bodies))
        #expect(isClose(w.model.mass(of: 2) / w.model.mass(of: 1), 100, rel: 1e-12))
        let start = (1...4).map { w.pose(of: $0).position }
        Scenes.run(&w, seconds: 5)
        let drift = (1...4).map { w.pose(of: $0).position.distance(to: start[$0 - 1]) }.max()!
        // one Gauss–Seidel pass alone let this stack walk across the floor (a light box squeezed under
        // a heavy one); shock propagation keeps it within micrometres
        #expect(drift < 1e-3, "drift \(drift) m")
        // and the whole weight still reaches the floor
        let weight = (1...4).map { w.model.mass(of: $0) }.reduce(0, +) * 9.81
        let floorForce = w.observations().contacts.first { $0.bodyA == 0 && $0.bodyB == 1 }?.normalForce ?? 0
        #expect(isClose(floorForce, weight, rel: 0.05), "floor \(floorForce) N, weight \(weight) N")
        let tilt = (1...4).map { w.pose(of: $0).orientation.rotate(.unitY).angle(to: .unitY) }.max()!
        #expect(tilt < 0.01, "tilt \(tilt) rad")
    }

    @Test func energyOfClosedFrictionlessSceneDoesNotGrow() throws {
        let mat = MaterialDef(friction: 0, restitution: 0)
        var def = SpherePile.def(n: 20)
        for b in def.bodies.indices { for s in def.bodies[b].shapes.indices { def.bodies[b].shapes[s].material = mat } }
        for b in 5..<def.bodies.count { def.bodies[b].linearVelocity = Vec3(Double(b % 3) - 1, 0, Double(b % 2) - 0.5) }
        var w = try World(def)
        let e0 = w.kineticEnergy + w.potentialEnergy
        var previous = e0, worstRise = 0.0, highest = e0
        for _ in 0..<720 {
            w.step()
            let e = w.kineticEnergy + w.potentialEnergy
            worstRise = max(worstRise, e - previous)
            highest = max(highest, e)
            previous = e
        }
        // never above the start; tick to tick, position projection may lift a body by its residual
        // penetration (µm), so a rise of at most 1e-5 of the total is allowed
        #expect(highest <= e0, "highest \(highest) J, start \(e0) J")
        #expect(worstRise < 1e-5 * e0, "largest rise \(worstRise) J of \(e0) J")
        #expect(previous < 0.5 * e0)
    }
}
