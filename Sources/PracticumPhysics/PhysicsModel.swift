import Foundation
import PracticumCore

/// The immutable description of a world: bodies with mass properties, shapes, materials, joints,
/// region sensors, hands, tick length, substeps and gravity. Built once from a `WorldDef`.
///
/// Internally every body is simulated about its centre of mass, with the body frame's orientation;
/// poses reported outside (observations, `World.pose(of:)`) are those of the authored body frame.
public struct PhysicsModel: Sendable {
    /// The definition this model was built from.
    public let def: WorldDef
    /// Tick length (s), substeps per tick and gravity (m/s²).
    public let dt: Double
    public let substeps: Int
    public let gravity: Vec3
    public var bodyCount: Int { kind.count }

    // bodies, by index
    let kind: [BodyKind]
    let invMass: [Double]
    let mass: [Double]
    let invInertia: [Mat3]          // about the centre of mass, body-frame axes
    let isotropic: [Bool]           // invInertia is a multiple of the identity (spheres): skips rotations
    let comLocal: [Vec3]            // centre of mass in the body frame
    let graspable: [Bool]
    let twoHanded: [Bool]
    let firstShape: [Int]
    let shapeCount: [Int]
    let extent: [Double]            // farthest shape point from the centre of mass (m), for motion bounds
    // shapes, grouped by body in body order
    let shapes: [ShapeModel]
    let joints: [JointModel]
    let jointPairs: [UInt64]        // sorted pair keys of jointed bodies (no collision between them)
    let regions: [RegionModel]
    let hands: [HandDef]
    /// Each body's reference point (`BodyDef.referencePoint`), body frame: what region sensors test.
    let referencePoint: [Vec3]
    /// Tissue patches and needles (nil when the world has no tissue).
    public let tissueSystem: TissueSystemModel?

    /// Mass of a body in kg (0 for static and kinematic bodies).
    public func mass(of body: Int) -> Double { mass[body] }

    public init(_ def: WorldDef) throws {
        self.def = def
        guard def.dt.isFinite, def.dt > 0 else { throw PhysicsModelError(path: "dt", message: "must be a positive number of seconds") }
        guard def.substeps >= 1 else { throw PhysicsModelError(path: "substeps", message: "must be at least 1") }
        guard def.gravity.isFinite else { throw PhysicsModelError(path: "gravity", message: "must be finite") }
        if let sleep = def.sleep {
            guard sleep.linearSpeed.isFinite, sleep.angularSpeed.isFinite, sleep.time.isFinite,
                  sleep.linearSpeed >= 0, sleep.angularSpeed >= 0, sleep.time >= 0 else {
                throw PhysicsModelError(path: "sleep", message: "speeds and time must be finite and not negative")
            }
        }
        dt = def.dt; substeps = def.substeps; gravity = def.gravity; hands = def.hands
        try Self.check(tissues: def.tissues, needles: def.needles, bodyCount: def.bodies.count)
        tissueSystem = def.tissues.isEmpty ? nil : TissueSystemModel(world: def)
        referencePoint = def.bodies.map(\.referencePoint)
        var kind: [BodyKind] = [], invMass: [Double] = [], mass: [Double] = [], invInertia: [Mat3] = []
        var isotropic: [Bool] = [], comLocal: [Vec3] = [], graspable: [Bool] = [], twoHanded: [Bool] = [], firstShape: [Int] = [], shapeCount: [Int] = []
        var shapes: [ShapeModel] = []
        for (b, body) in def.bodies.enumerated() {
            let path = "bodies[\(b)]"
            guard body.pose.isFinite, body.linearVelocity.isFinite, body.angularVelocity.isFinite else {
                throw PhysicsModelError(path: path, message: "pose and velocities must be finite")
            }
            var built: [(ShapeModel, Double, Vec3, Mat3)] = []   // shape, mass, centre (body frame), inertia about centre (body axes)
            for (s, shape) in body.shapes.enumerated() {
                let m = try ShapeModel.make(shape, body: b, path: "\(path).shapes[\(s)]", kind: body.kind)
                built.append(m)
            }
            var m = 0.0, com = Vec3.zero, inertia = Mat3.zero
            if body.kind == .dynamic {
                for (_, mi, ci, _) in built { m += mi; com += ci * mi }
                guard m > 0, m.isFinite else { throw PhysicsModelError(path: path, message: "a dynamic body needs a shape with volume and positive density") }
                com = com / m
                for (_, mi, ci, ii) in built {
                    let d = ci - com
                    inertia = inertia + ii + (Mat3.identity * d.lengthSquared - Mat3.outer(d, d)) * mi
                }
            }
            kind.append(body.kind)
            mass.append(m)
            invMass.append(m > 0 ? 1 / m : 0)
            let inv = m > 0 ? inertia.inverse : .zero
            invInertia.append(inv)
            isotropic.append(inv.isDiagonalIsotropic)
            comLocal.append(com)
            graspable.append(body.graspable && body.kind == .dynamic)
            twoHanded.append(body.twoHanded)
            firstShape.append(shapes.count)
            shapeCount.append(built.count)
            for (var sh, _, _, _) in built {
                sh.local = Pose(position: sh.local.position - com, orientation: sh.local.orientation)
                if sh.kind == .mesh { sh.bakeMesh(bodyPose: body.pose) }
                shapes.append(sh)
            }
        }
        self.kind = kind; self.invMass = invMass; self.mass = mass; self.invInertia = invInertia; self.isotropic = isotropic
        self.comLocal = comLocal; self.graspable = graspable; self.twoHanded = twoHanded; self.firstShape = firstShape; self.shapeCount = shapeCount; self.shapes = shapes
        extent = (0..<kind.count).map { b in
            shapes[firstShape[b]..<(firstShape[b] + shapeCount[b])].map { s in
                s.local.position.length + (s.kind == .capsule ? s.halfLength + s.radius : max(s.radius, s.boundRadius))
            }.max() ?? 0
        }

        var joints: [JointModel] = [], pairs: [UInt64] = []
        for (j, jd) in def.joints.enumerated() {
            let path = "joints[\(j)]"
            guard def.bodies.indices.contains(jd.a), jd.b.map({ def.bodies.indices.contains($0) && $0 != jd.a }) ?? true else {
                throw PhysicsModelError(path: path, message: "bodies must be distinct indices into bodies")
            }
            guard jd.anchor.isFinite, jd.compliance >= 0 else { throw PhysicsModelError(path: path, message: "anchor must be finite, compliance ≥ 0") }
            let poseA = Pose(position: def.bodies[jd.a].pose.transform(comLocal[jd.a]), orientation: def.bodies[jd.a].pose.orientation)
            let poseB = jd.b.map { Pose(position: def.bodies[$0].pose.transform(comLocal[$0]), orientation: def.bodies[$0].pose.orientation) } ?? .identity
            var axisA = Vec3.zero, axisB = Vec3.zero, hinge = false, slide = false, stiffness = 0.0, damping = 0.0
            switch jd.kind {
            case .fixed: break
            case .hinge(let axis):
                guard axis.isFinite, axis.length > 1e-9 else { throw PhysicsModelError(path: path, message: "hinge axis must be a non-zero vector") }
                hinge = true
                axisA = poseA.orientation.inverseRotate(axis.normalized); axisB = poseB.orientation.inverseRotate(axis.normalized)
            case .prismatic(let axis, let k, let c):
                guard axis.isFinite, axis.length > 1e-9 else { throw PhysicsModelError(path: path, message: "prismatic axis must be a non-zero vector") }
                guard k.isFinite, c.isFinite, k >= 0, c >= 0 else { throw PhysicsModelError(path: path, message: "stiffness and damping must be finite and ≥ 0") }
                slide = true; stiffness = k; damping = c
                axisA = poseA.orientation.inverseRotate(axis.normalized); axisB = poseB.orientation.inverseRotate(axis.normalized)
            }
            var lower = -Double.infinity, upper = Double.infinity, referenceA = Vec3.zero, referenceB = Vec3.zero
            if let l = jd.limits, hinge || slide {
                guard l.lowerBound.isFinite, l.upperBound.isFinite, l.contains(0), !hinge || (l.lowerBound >= -.pi && l.upperBound <= .pi) else {
                    throw PhysicsModelError(path: path, message: "limits must be finite and hold 0 (a hinge's within −π…π)")
                }
                lower = l.lowerBound; upper = l.upperBound
            }
            if hinge {
                // a direction across the axis, fixed in both bodies: the hinge's angle is between them
                let n = poseB.orientation.rotate(axisB)
                let across = (abs(n.x) < 0.9 ? Vec3.unitX : Vec3.unitY).cross(n).normalized
                referenceA = poseA.orientation.inverseRotate(across); referenceB = poseB.orientation.inverseRotate(across)
            }
            joints.append(JointModel(a: jd.a, b: jd.b ?? -1, hinge: hinge, slide: slide,
                                     anchorA: poseA.inverseTransform(jd.anchor), anchorB: poseB.inverseTransform(jd.anchor),
                                     relative: (poseA.orientation.conjugate * poseB.orientation).normalized,
                                     axisA: axisA, axisB: axisB, compliance: jd.compliance, stiffness: stiffness, damping: damping,
                                     lower: lower, upper: upper, referenceA: referenceA, referenceB: referenceB))
            if let b = jd.b { pairs.append(pairKey(jd.a, b)) }
        }
        self.joints = joints
        for (k, p) in def.nonCollidingPairs.enumerated() {
            guard def.bodies.indices.contains(p.a), def.bodies.indices.contains(p.b), p.a != p.b else {
                throw PhysicsModelError(path: "nonCollidingPairs[\(k)]", message: "bodies must be distinct indices into bodies")
            }
            pairs.append(pairKey(p.a, p.b))
        }
        self.jointPairs = pairs.sorted()

        var regions: [RegionModel] = []
        for (r, rd) in def.regions.enumerated() {
            let path = "regions[\(r)]"
            if let b = rd.body, !def.bodies.indices.contains(b) { throw PhysicsModelError(path: path, message: "body \(b) does not exist") }
            guard rd.pose.isFinite else { throw PhysicsModelError(path: path, message: "pose must be finite") }
            switch rd.shape {
            case .sphere(let radius): guard radius > 0 else { throw PhysicsModelError(path: path, message: "radius must be positive") }
            case .box(let h): guard h.x > 0, h.y > 0, h.z > 0 else { throw PhysicsModelError(path: path, message: "half extents must be positive") }
            }
            let com = rd.body.map { comLocal[$0] } ?? .zero
            regions.append(RegionModel(shape: rd.shape, body: rd.body ?? -1,
                                       local: Pose(position: rd.pose.position - com, orientation: rd.pose.orientation)))
        }
        self.regions = regions
        for (h, hd) in def.hands.enumerated() {
            guard hd.reach >= 0, hd.linearStiffness > 0, hd.angularStiffness > 0, hd.dampingRatio >= 0 else {
                throw PhysicsModelError(path: "hands[\(h)]", message: "reach, stiffness and damping must be positive")
            }
            guard hd.radius >= 0, hd.radius.isFinite else {
                throw PhysicsModelError(path: "hands[\(h)].radius", message: "a hand's collision radius must be 0 (none) or positive")
            }
        }
    }
}

extension PhysicsModel {
    /// Tissue patches name existing bodies and have finite, non-degenerate frames; needles name
    /// distinct existing bodies with a shaft direction.
    static func check(tissues: [TissuePatchDef], needles: [NeedleBodyDef], bodyCount: Int) throws {
        for (t, p) in tissues.enumerated() {
            let path = "tissues[\(t)]"
            guard p.body >= 0, p.body < bodyCount else { throw PhysicsModelError(path: path, message: "body \(p.body) does not exist") }
            guard p.center.isFinite, p.normal.isFinite, p.normal.length > 1e-9, p.halfSize.isFinite else {
                throw PhysicsModelError(path: path, message: "centre, normal and size must be finite and the normal not zero")
            }
            guard !p.layers.isEmpty else { throw PhysicsModelError(path: path, message: "a tissue needs at least one layer") }
        }
        for (i, n) in needles.enumerated() {
            let path = "needles[\(i)]"
            guard n.body >= 0, n.body < bodyCount else { throw PhysicsModelError(path: path, message: "body \(n.body) does not exist") }
            guard !needles[..<i].contains(where: { $0.body == n.body }) else {
                throw PhysicsModelError(path: path, message: "body \(n.body) is already a needle")
            }
            guard n.tip.isFinite, n.axis.isFinite, n.axis.length > 1e-9 else {
                throw PhysicsModelError(path: path, message: "tip and axis must be finite and the axis not zero")
            }
        }
    }
}

@inline(__always) func pairKey(_ a: Int, _ b: Int) -> UInt64 {
    UInt64(min(a, b)) << 32 | UInt64(max(a, b))
}

struct JointModel: Sendable {
    var a: Int, b: Int               // b = -1: the world
    var hinge: Bool
    var slide: Bool                  // prismatic: free (or sprung) along axisB, held otherwise
    var anchorA: Vec3, anchorB: Vec3 // in the centre-of-mass frames
    var relative: Quat               // fixed: qB = qA · relative
    var axisA: Vec3, axisB: Vec3     // hinge or slide axis in each body frame (B's is the world's for the world)
    var compliance: Double
    var stiffness: Double = 0        // prismatic spring along the axis (N/m) and its damper (N·s/m)
    var damping: Double = 0
    var lower = -Double.infinity     // travel limits (m along the axis, or rad about it); ±∞ for none
    var upper = Double.infinity
    var referenceA = Vec3.zero       // a hinge with limits: one direction across its axis, in each body frame
    var referenceB = Vec3.zero
    var limited: Bool { lower > -.infinity || upper < .infinity }

    /// Where the joint stands, 0 at creation: a prismatic joint's offset of A's anchor from B's along
    /// the axis (m), a hinge's turn of A relative to B about it (rad, −π…π), 0 for a fixed joint.
    /// Takes the centre-of-mass poses; B's are the origin's (zero, identity) for the world.
    func position(_ xa: Vec3, _ qa: Quat, _ xb: Vec3, _ qb: Quat) -> Double {
        let n = qb.rotate(axisB)
        if slide { return (xa + qa.rotate(anchorA) - xb - qb.rotate(anchorB)).dot(n) }
        guard hinge else { return 0 }
        let ra = qa.rotate(referenceA), rb = qb.rotate(referenceB)
        return atan2(n.dot(rb.cross(ra)), rb.dot(ra))
    }
}

struct RegionModel: Sendable {
    var shape: RegionDef.Shape
    var body: Int                    // -1: world
    var local: Pose                  // in the body's centre-of-mass frame

    func contains(_ p: Vec3, frame: Pose) -> Bool {
        let q = (frame * local).inverseTransform(p)
        switch shape {
        case .sphere(let r): return q.lengthSquared <= r * r
        case .box(let h): return abs(q.x) <= h.x && abs(q.y) <= h.y && abs(q.z) <= h.z
        }
    }
}

enum ShapeKind: UInt8, Sendable { case sphere, capsule, box, hull, mesh }

/// One shape as the collision code uses it.
extension Geometry {
    /// The volume physics gives the shape (m³): its mass is this × density. Hulls by tetrahedra;
    /// 0 for a triangle mesh (static only) or an invalid shape.
    public var volume: Double {
        guard case let (_, mass, _, _)? = try? ShapeModel.make(ShapeDef(self, material: MaterialDef(density: 1)), body: 0, path: "", kind: .dynamic) else { return 0 }
        return mass
    }
}

struct ShapeModel: Sendable {
    var body: Int
    var kind: ShapeKind
    var local: Pose                  // in the body's centre-of-mass frame
    var radius: Double = 0           // sphere, capsule
    var halfLength: Double = 0       // capsule
    var halfExtents: Vec3 = .zero    // box
    var poly: Polyhedron? = nil      // box, hull
    var boundRadius: Double = 0      // distance of the farthest point from the shape origin (box, hull)
    var mesh: MeshModel? = nil
    var staticFriction: Double, dynamicFriction: Double, restitution: Double

    /// The shape, its mass, centre of mass and inertia about that centre (body frame).
    static func make(_ def: ShapeDef, body: Int, path: String, kind bodyKind: BodyKind) throws -> (ShapeModel, Double, Vec3, Mat3) {
        let mat = def.material
        guard mat.density >= 0, mat.staticFriction >= 0, mat.dynamicFriction >= 0, (0...1).contains(mat.restitution),
              mat.density.isFinite, mat.staticFriction.isFinite, mat.dynamicFriction.isFinite else {
            throw PhysicsModelError(path: path + ".material", message: "density and friction must be ≥ 0, restitution in 0…1")
        }
        guard def.pose.isFinite else { throw PhysicsModelError(path: path, message: "pose must be finite") }
        var s = ShapeModel(body: body, kind: .sphere, local: def.pose, staticFriction: mat.staticFriction,
                           dynamicFriction: mat.dynamicFriction, restitution: mat.restitution)
        var volume = 0.0, center = Vec3.zero, unitInertia = Mat3.zero   // per unit density, shape frame
        switch def.geometry {
        case .sphere(let r):
            guard r > 0, r.isFinite else { throw PhysicsModelError(path: path, message: "sphere radius must be positive") }
            s.radius = r
            volume = 4.0 / 3.0 * .pi * r * r * r
            unitInertia = Mat3.identity * (0.4 * volume * r * r)
        case .capsule(let r, let hl):
            guard r > 0, hl >= 0, r.isFinite, hl.isFinite else { throw PhysicsModelError(path: path, message: "capsule radius must be positive, half length ≥ 0") }
            s.kind = .capsule; s.radius = r; s.halfLength = hl
            let h = 2 * hl, mc = Double.pi * r * r * h, ms = 4.0 / 3.0 * .pi * r * r * r
            volume = mc + ms
            let iy = mc * r * r / 2 + ms * 0.4 * r * r
            let ix = mc * (r * r / 4 + h * h / 12) + ms * (0.4 * r * r + h * h / 4 + 3 * h * r / 8)
            unitInertia = .diagonal(Vec3(ix, iy, ix))
        case .box(let he):
            guard he.x > 0, he.y > 0, he.z > 0, he.isFinite else { throw PhysicsModelError(path: path, message: "box half extents must be positive") }
            s.kind = .box; s.halfExtents = he; s.poly = .box(he); s.boundRadius = he.length
            volume = 8 * he.x * he.y * he.z
            unitInertia = .diagonal(Vec3(he.y * he.y + he.z * he.z, he.x * he.x + he.z * he.z, he.x * he.x + he.y * he.y) * (volume / 3))
        case .convexHull(let points):
            guard points.count <= 64, points.allSatisfy(\.isFinite), let poly = Polyhedron.hull(points) else {
                throw PhysicsModelError(path: path, message: "a convex hull needs 4 to 64 finite points spanning a volume")
            }
            s.kind = .hull; s.poly = poly
            s.boundRadius = poly.vertices.map(\.length).max() ?? 0
            (volume, center, unitInertia) = poly.massProperties
        case .triangleMesh(let vertices, let triangles):
            guard bodyKind == .static else { throw PhysicsModelError(path: path, message: "triangle meshes are for static bodies only") }
            guard triangles.count % 3 == 0, !triangles.isEmpty, triangles.allSatisfy({ vertices.indices.contains($0) }), vertices.allSatisfy(\.isFinite) else {
                throw PhysicsModelError(path: path, message: "triangles must be index triples into vertices")
            }
            s.kind = .mesh; s.mesh = MeshModel(vertices: vertices, triangles: triangles)
        }
        let m = volume * mat.density
        let c = def.pose.transform(center)
        return (s, m, c, unitInertia.rotated(by: def.pose.orientation) * mat.density)
    }

    mutating func bakeMesh(bodyPose: Pose) {
        let frame = bodyPose * local
        mesh?.bake(frame)
    }
}

/// A static triangle mesh with its triangles in world coordinates (static bodies never move).
struct MeshModel: Sendable {
    var vertices: [Vec3]
    var triangles: [Int]
    var lo: [Vec3] = [], hi: [Vec3] = []
    var boundsLo = Vec3.zero, boundsHi = Vec3.zero

    mutating func bake(_ frame: Pose) {
        vertices = vertices.map { frame.transform($0) }
        lo = []; hi = []
        boundsLo = Vec3(.infinity, .infinity, .infinity); boundsHi = -boundsLo
        for t in stride(from: 0, to: triangles.count, by: 3) {
            let a = vertices[triangles[t]], b = vertices[triangles[t + 1]], c = vertices[triangles[t + 2]]
            let l = Vec3.min(a, Vec3.min(b, c)), h = Vec3.max(a, Vec3.max(b, c))
            lo.append(l); hi.append(h)
            boundsLo = Vec3.min(boundsLo, l); boundsHi = Vec3.max(boundsHi, h)
        }
    }
    var triangleCount: Int { triangles.count / 3 }
    func triangle(_ t: Int) -> (Vec3, Vec3, Vec3) { (vertices[triangles[3 * t]], vertices[triangles[3 * t + 1]], vertices[triangles[3 * t + 2]]) }
}
