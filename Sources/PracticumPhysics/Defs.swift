import PracticumCore

// Creation parameters. Every `…Def` has defaults that build a valid world; `PhysicsModel(_:)`
// checks them once and throws `PhysicsModelError` with the offending element's index.

/// The geometry of one collision shape, in the shape's own frame (metres).
public enum Geometry: Sendable, Equatable {
    /// A ball of `radius` m centred on the shape origin.
    case sphere(radius: Double)
    /// A segment from −`halfLength` to +`halfLength` along local y, swept by `radius` (m). Typical instrument shafts.
    case capsule(radius: Double, halfLength: Double)
    /// A box with the given half extents (m).
    case box(halfExtents: Vec3)
    /// The convex hull of up to 64 points (m). Coplanar faces are merged.
    case convexHull(points: [Vec3])
    /// A triangle soup for static bodies only (anatomy surfaces, furniture): 3 vertex indices per triangle.
    /// Triangles are two-sided; there is no handling of internal edges.
    case triangleMesh(vertices: [Vec3], triangles: [Int])
}

/// Surface and bulk properties of a shape.
public struct MaterialDef: Sendable, Equatable {
    /// Density in kg/m³ (water 1000, steel 7850). Mass comes from shape volume × density.
    public var density: Double
    /// Coulomb friction coefficients (dimensionless); a pair combines as √(μ₁μ₂).
    public var staticFriction: Double
    public var dynamicFriction: Double
    /// Coefficient of restitution 0…1; a pair combines as the larger of the two.
    public var restitution: Double
    public init(density: Double = 1000, staticFriction: Double = 0.5, dynamicFriction: Double = 0.5, restitution: Double = 0) {
        self.density = density; self.staticFriction = staticFriction; self.dynamicFriction = dynamicFriction; self.restitution = restitution
    }
    /// One friction coefficient for both static and dynamic friction.
    public init(density: Double = 1000, friction: Double, restitution: Double = 0) {
        self.init(density: density, staticFriction: friction, dynamicFriction: friction, restitution: restitution)
    }
}

/// One collision shape attached to a body.
public struct ShapeDef: Sendable, Equatable {
    public var geometry: Geometry
    /// Pose of the shape in the body frame.
    public var pose: Pose
    public var material: MaterialDef
    public init(_ geometry: Geometry = .sphere(radius: 0.05), pose: Pose = .identity, material: MaterialDef = MaterialDef()) {
        self.geometry = geometry; self.pose = pose; self.material = material
    }
}

/// How a body moves.
public enum BodyKind: Sendable, Equatable {
    /// Never moves (floor, table, fixed anatomy).
    case `static`
    /// Moved by gravity, contacts, joints and hand couplings.
    case dynamic
    /// Follows targets set with `World.setKinematicTarget`; pushes dynamic bodies, is never pushed.
    case kinematic
}

/// A rigid body. Its index in `WorldDef.bodies` is its id everywhere (observations included).
public struct BodyDef: Sendable, Equatable {
    public var kind: BodyKind
    /// Initial pose of the body frame in the world (m).
    public var pose: Pose
    /// Initial velocities of the body-frame origin (m/s) and angular velocity (rad/s), world frame.
    public var linearVelocity: Vec3
    public var angularVelocity: Vec3
    /// Collision shapes; a dynamic body needs at least one with volume (its mass comes from them).
    public var shapes: [ShapeDef]
    /// True if a hand may grasp it (instruments). Only dynamic bodies can be grasped.
    public var graspable: Bool
    /// True if both hands may hold it at once (a hand-over, two-handed compressions): each hand
    /// then pulls it through its own coupling and it settles where the pulls balance. Otherwise a
    /// body held by one hand is not grasped by the other.
    public var twoHanded: Bool = false
    /// The body's reference point in its frame (an instrument's tip): the point region sensors test.
    public var referencePoint: Vec3
    public init(kind: BodyKind = .dynamic, pose: Pose = .identity, shapes: [ShapeDef] = [ShapeDef()],
                linearVelocity: Vec3 = .zero, angularVelocity: Vec3 = .zero, graspable: Bool = false, referencePoint: Vec3 = .zero) {
        self.kind = kind; self.pose = pose; self.shapes = shapes; self.linearVelocity = linearVelocity
        self.angularVelocity = angularVelocity; self.graspable = graspable; self.referencePoint = referencePoint
    }
}

/// A joint between body `a` and body `b` (or the world when `b` is nil). Anchor and axis are given in
/// world coordinates at the bodies' initial poses. Jointed bodies do not collide with each other.
public struct JointDef: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Welds the bodies together.
        case fixed
        /// Allows rotation about `axis` (world direction at creation) through the anchor.
        case hinge(axis: Vec3)
        /// Allows motion along `axis` (world direction at creation, fixed in B's frame, or in the
        /// world's when B is the world) and nothing else: no motion across the axis, no rotation.
        /// Along the axis a spring of `stiffness` (N/m; 0 for none, a free slide) pulls the anchors
        /// back together and a damper of `damping` (N·s/m) resists their relative speed. A mass m
        /// hanging on it settles m·g/k below its anchor; the damping ratio is c / (2√(k·m)).
        /// Typical: a CPR manikin's chest, 1,500–10,000 N/m, 0–100 N·s/m.
        case prismatic(axis: Vec3, stiffness: Double = 0, damping: Double = 0)
    }
    public var kind: Kind
    public var a: Int
    public var b: Int?
    /// World point that both bodies keep coincident (m); for a prismatic joint, coincident along the
    /// axis at rest and on the axis always.
    public var anchor: Vec3
    /// XPBD compliance (inverse stiffness, m/N and rad/(N·m)) of what the joint holds; 0 is rigid.
    /// A prismatic joint's spring along its axis is its `stiffness`, not this.
    public var compliance: Double
    /// Travel limits, nil for none: for a prismatic joint the range (m) of A's anchor's offset from
    /// B's along the axis, for a hinge the range (rad, within −π…π) of A's turn relative to B about
    /// the axis, both 0 at creation (see `World.jointPosition(_:)`), so the range must hold 0. A
    /// limit is a rigid, inelastic stop (a syringe plunger at the end of its barrel, jaws fully
    /// open). Ignored by a fixed joint.
    public var limits: ClosedRange<Double>?
    public init(kind: Kind = .fixed, a: Int = 0, b: Int? = nil, anchor: Vec3 = .zero, compliance: Double = 0,
                limits: ClosedRange<Double>? = nil) {
        self.kind = kind; self.a = a; self.b = b; self.anchor = anchor; self.compliance = compliance; self.limits = limits
    }
}

/// A sensor volume. It reports which bodies have their **reference point** (`BodyDef.referencePoint`,
/// by default the body-frame origin) inside it — the same point the scenario's `inside()` tests.
public struct RegionDef: Sendable, Equatable {
    public enum Shape: Sendable, Equatable {
        case sphere(radius: Double)
        case box(halfExtents: Vec3)
    }
    public var shape: Shape
    /// The body whose frame carries the region, or nil for the world frame.
    public var body: Int?
    /// Pose of the region in that frame.
    public var pose: Pose
    public init(shape: Shape = .sphere(radius: 0.05), body: Int? = nil, pose: Pose = .identity) {
        self.shape = shape; self.body = body; self.pose = pose
    }
}

/// A tracked hand. It grasps through a compliant virtual coupling (a 6-DOF damped spring between the
/// hand target and the instrument), so a held instrument stops at surfaces while the hand goes on.
public struct HandDef: Sendable, Equatable {
    /// Grasp reach: the largest distance from hand to a body origin that can be grasped (m).
    public var reach: Double
    /// Coupling stiffness: linear (N/m) and angular (N·m/rad). 3000 N/m sags a 0.2 kg instrument by 0.7 mm.
    public var linearStiffness: Double
    public var angularStiffness: Double
    /// Damping ratio of the coupling (1 = critical).
    public var dampingRatio: Double
    /// Radius of the sphere an empty hand collides as (m): static and kinematic bodies (anatomy,
    /// tables) stop it, so it rests on them rather than passing through; a hand that holds something
    /// lets the held body do the colliding. 0: the hand passes through everything.
    public var radius: Double = 0
    public init(reach: Double = 0.1, linearStiffness: Double = 3000, angularStiffness: Double = 30, dampingRatio: Double = 1) {
        self.reach = reach; self.linearStiffness = linearStiffness; self.angularStiffness = angularStiffness; self.dampingRatio = dampingRatio
    }
}

/// Everything needed to build a `PhysicsModel`.
public struct WorldDef: Sendable, Equatable {
    public var bodies: [BodyDef]
    public var joints: [JointDef]
    public var regions: [RegionDef]
    public var hands: [HandDef]
    /// Gravity (m/s²); +y is up.
    public var gravity: Vec3
    /// Tick length (s) and substeps per tick. The default 1/240 s × 5 substeps gives a 1200 Hz solver rate.
    public var dt: Double
    public var substeps: Int
    /// Speed bounds (m/s, rad/s); faster bodies are slowed and a warning is counted.
    public var maxLinearSpeed: Double
    public var maxAngularSpeed: Double
    /// Seed of the state's random generator.
    public var seed: UInt64
    /// Body pairs that never collide (e.g. a needle and the anatomy its tissue model lets it enter).
    public var nonCollidingPairs: [BodyPair] = []
    /// When set, islands of dynamic bodies that stay at rest stop being simulated until disturbed
    /// (see `SleepDef`). Off by default, so that validation scenes exercise the solver throughout.
    public var sleep: SleepDef? = nil
    /// Layered tissue patches on bodies, and the bodies that are needles: stepped inside `World.step`
    /// and coupled both ways with the bodies (see TissueCoupling.swift).
    public var tissues: [TissuePatchDef] = []
    public var needles: [NeedleBodyDef] = []
    /// The world's extent: a dynamic body whose centre of mass leaves it is reported once (a
    /// `left_world` warning) and is no longer simulated. Default: 1 km either way of the origin.
    public var bounds: Bounds = Bounds()

    /// An axis-aligned box in world coordinates (m).
    public struct Bounds: Sendable, Equatable {
        public var minimum: Vec3
        public var maximum: Vec3
        public init(minimum: Vec3 = Vec3(-1000, -1000, -1000), maximum: Vec3 = Vec3(1000, 1000, 1000)) {
            self.minimum = minimum; self.maximum = maximum
        }
    }
    public init(bodies: [BodyDef] = [], joints: [JointDef] = [], regions: [RegionDef] = [], hands: [HandDef] = [HandDef(), HandDef()],
                gravity: Vec3 = Vec3(0, -9.81, 0), dt: Double = 1.0 / 240.0, substeps: Int = 5,
                maxLinearSpeed: Double = 200, maxAngularSpeed: Double = 200, seed: UInt64 = 0) {
        self.bodies = bodies; self.joints = joints; self.regions = regions; self.hands = hands; self.gravity = gravity
        self.dt = dt; self.substeps = substeps; self.maxLinearSpeed = maxLinearSpeed; self.maxAngularSpeed = maxAngularSpeed; self.seed = seed
    }
}

/// Sleeping: bodies at rest stop being simulated until something disturbs them (as Box2D and PhysX
/// do). Bodies touch in islands (through contacts and joints); an island goes to sleep when every
/// body in it has stayed below both speeds for `time` seconds, and wakes as a whole when one of its
/// bodies is grasped, teleported, given a new material, or touched by an awake or moving body. A
/// sleeping body keeps its pose exactly and reports its last contacts (pairs and normal forces).
public struct SleepDef: Sendable, Equatable {
    /// Speed below which a body counts as at rest (m/s, rad/s).
    public var linearSpeed: Double
    public var angularSpeed: Double
    /// How long an island must stay at rest before it sleeps (s).
    public var time: Double
    public init(linearSpeed: Double = 0.005, angularSpeed: Double = 0.05, time: Double = 0.5) {
        self.linearSpeed = linearSpeed; self.angularSpeed = angularSpeed; self.time = time
    }
}

/// Why a `WorldDef` could not be built; `path` names the element, e.g. `bodies[3].shapes[0]`.
public struct PhysicsModelError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String
    public init(path: String, message: String) { self.path = path; self.message = message }
    public var description: String { "\(path): \(message)" }
}

/// Two body indices, order irrelevant.
public struct BodyPair: Sendable, Equatable {
    public var a: Int
    public var b: Int
    public init(_ a: Int, _ b: Int) { self.a = a; self.b = b }
}
