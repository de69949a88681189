import Testing
import PracticumCore
import PracticumTestSupport
@testable import PracticumPhysics

@Suite struct Collision {
    /// A thin instrument (capsule r 1 mm) moving 0.5 m in one tick must stop on a 2 mm plate.
    @Test(arguments: [Geometry.capsule(radius: 0.001, halfLength: 0.05), .sphere(radius: 0.001), .box(halfExtents: Vec3(0.001, 0.05, 0.001))])
    func fastThinInstrumentDoesNotTunnelThroughThinPlate(_ geometry: Geometry) throws {
        let plate = BodyDef(kind: .static, pose: Pose(position: Vec3(0, 0.2, 0)), shapes: [ShapeDef(.box(halfExtents: Vec3(0.2, 0.001, 0.2)))])
        let speed = 0.5 * 240   // 0.5 m per tick
        let tool = BodyDef(pose: Pose(position: Vec3(0, 0.5, 0)), shapes: [ShapeDef(geometry)], linearVelocity: Vec3(0, -speed, 0))
        var w = try World(WorldDef(bodies: [plate, tool], gravity: .zero))
        for _ in 0..<10 {
            w.step()
            #expect(w.pose(of: 1).position.y > 0.2, "passed through: y = \(w.pose(of: 1).position.y)")
        }
    }

    /// Every shape pair the scenes use finds a contact when overlapping and none when apart.
    @Test(arguments: [Geometry.sphere(radius: 0.05), .capsule(radius: 0.03, halfLength: 0.05), .box(halfExtents: Vec3(0.05, 0.05, 0.05)),
                      Self.tetrahedron])
    func everyShapeRestsOnEveryStaticShape(_ geometry: Geometry) throws {
        let grounds: [Geometry] = [.box(halfExtents: Vec3(1, 0.1, 1)),
                                   .convexHull(points: [Vec3(-1, -0.1, -1), Vec3(1, -0.1, -1), Vec3(1, -0.1, 1), Vec3(-1, -0.1, 1),
                                                        Vec3(-1, 0.1, -1), Vec3(1, 0.1, -1), Vec3(1, 0.1, 1), Vec3(-1, 0.1, 1)]),
                                   .triangleMesh(vertices: [Vec3(-1, 0.1, -1), Vec3(1, 0.1, -1), Vec3(1, 0.1, 1), Vec3(-1, 0.1, 1)], triangles: [0, 2, 1, 0, 3, 2]),
                                   .sphere(radius: 5), .capsule(radius: 0.1, halfLength: 1)]
        for ground in grounds {
            let top = 0.1   // every ground's upper surface
            let groundPose = { () -> Pose in
                if case .sphere = ground { return Pose(position: Vec3(0, -4.9, 0)) }
                if case .capsule = ground { return Pose(position: .zero, orientation: Quat(axis: .unitZ, angle: .pi / 2)) }
                return .identity
            }()
            let g = BodyDef(kind: .static, pose: groundPose, shapes: [ShapeDef(ground)])
            let body = BodyDef(pose: Pose(position: Vec3(0, top + 0.3, 0)), shapes: [ShapeDef(geometry)])
            var w = try World(WorldDef(bodies: [g, body]))
            Scenes.run(&w, seconds: 2)
            let o = w.observations()
            #expect(o.contacts.count == 1)
            #expect(w.pose(of: 1).position.y > top - 0.01 && w.pose(of: 1).position.y < top + 0.1)
            #expect(w.kineticEnergy < 1e-3)
            // normal force balances the weight
            #expect(isClose(o.contacts.first?.normalForce ?? 0, w.model.mass(of: 1) * 9.81, rel: 0.05), "on \(ground)")
        }
    }

    /// A flat-bottomed tetrahedron with its centre of mass on the body origin (above the base centroid).
    static let tetrahedron = Geometry.convexHull(points: [Vec3(-0.05, -0.05, -0.0375), Vec3(0.05, -0.05, -0.0375), Vec3(0, -0.05, 0.0625), Vec3(0, 0.05, 0.0125)])

    /// Landing with its centre of mass 12.5 mm off the contact point, the tetrahedron rocks on a 5 m
    /// ball like a rocking stone (stable: the centre of mass is 25 mm above the base, far less than
    /// the radius) and must stay on top. It does not come to rest: rolling without slip dissipates
    /// nothing and the model has no rolling resistance (docs/physics.md, Limits).
    @Test func offCentreHullRocksOnALargeBallAndStaysOnTop() throws {
        let ball = BodyDef(kind: .static, pose: Pose(position: Vec3(0, -4.9, 0)), shapes: [ShapeDef(.sphere(radius: 5))])
        let hull = Geometry.convexHull(points: [Vec3(-0.05, -0.05, -0.05), Vec3(0.05, -0.05, -0.05), Vec3(0, -0.05, 0.05), Vec3(0, 0.05, 0)])
        var w = try World(WorldDef(bodies: [ball, BodyDef(pose: Pose(position: Vec3(0, 0.4, 0)), shapes: [ShapeDef(hull)])]))
        var maxTilt = 0.0
        Scenes.run(&w, seconds: 1) { _ in }
        Scenes.run(&w, seconds: 4) { w in maxTilt = max(maxTilt, w.pose(of: 1).orientation.rotate(.unitY).angle(to: .unitY)) }
        let p = w.pose(of: 1).position
        #expect(p.y > 0.14 && p.y < 0.16, "y \(p.y)")
        #expect(abs(p.x) < 0.02 && abs(p.z) < 0.03, "slid to \(p)")
        #expect(maxTilt < 0.05, "tilt \(maxTilt) rad")
        #expect(w.observations().contacts.count == 1)
    }

    @Test func boxMassPropertiesMatchHullOfItsCorners() throws {
        let h = Vec3(0.1, 0.2, 0.3)
        var corners: [Vec3] = []
        for i in 0..<8 { corners.append(Vec3(i & 1 == 0 ? -h.x : h.x, i & 2 == 0 ? -h.y : h.y, i & 4 == 0 ? -h.z : h.z)) }
        let m = try PhysicsModel(WorldDef(bodies: [BodyDef(shapes: [ShapeDef(.box(halfExtents: h))]),
                                                  BodyDef(shapes: [ShapeDef(.convexHull(points: corners + [Vec3(0, 0, 0.1)]))])]))
        #expect(isClose(m.mass(of: 0), 8 * 0.1 * 0.2 * 0.3 * 1000, rel: 1e-12))
        #expect(isClose(m.mass(of: 1), m.mass(of: 0), rel: 1e-9))
        let a = m.invInertia[0], b = m.invInertia[1]
        for (x, y) in [(a.c0, b.c0), (a.c1, b.c1), (a.c2, b.c2)] { #expect(isClose(x, y, abs: 1e-6 * a.c0.x)) }
        #expect(m.shapes[1].poly!.faceNormals.count == 6)
    }

    @Test func offCentreHullHasItsCentreOfMassInside() throws {
        let pts = [Vec3(1, 0, 0), Vec3(2, 0, 0), Vec3(1, 1, 0), Vec3(1, 0, 1)]
        let m = try PhysicsModel(WorldDef(bodies: [BodyDef(shapes: [ShapeDef(.convexHull(points: pts))])]))
        #expect(isClose(m.comLocal[0], Vec3(1.25, 0.25, 0.25), abs: 1e-12))
        #expect(isClose(m.mass(of: 0), 1000.0 / 6, rel: 1e-12))
    }

    /// The volume SceneBuilder divides a scenario's mass by is the one physics multiplies density by.
    @Test func geometryVolumeIsTheMassPerUnitDensity() throws {
        #expect(isClose(Geometry.box(halfExtents: Vec3(0.1, 0.2, 0.3)).volume, 0.048, rel: 1e-12))
        #expect(isClose(Geometry.sphere(radius: 0.1).volume, 4.0 / 3.0 * .pi * 0.001, rel: 1e-12))
        #expect(isClose(Self.tetrahedron.volume, 0.1 * 0.1 * 0.1 / 6, rel: 1e-9))
        let w = try World(WorldDef(bodies: [BodyDef(shapes: [ShapeDef(Self.tetrahedron, material: MaterialDef(density: 2500))])]))
        #expect(isClose(w.model.mass(of: 0), 2500 * Self.tetrahedron.volume, rel: 1e-12))
        #expect(Geometry.triangleMesh(vertices: [], triangles: []).volume == 0)
    }
}
