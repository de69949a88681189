/// The facts of one physics tick, in creation order, that the procedure and scoring layers consume.
///
/// Indices refer to the order in which the scenario declared things: `body` is the index of a
/// scene body (and of the physics body made from it), `region` of a scene region, `tissue` of a
/// tissue and `layer` of a layer within it. Physics fills these; it knows nothing of names.
public struct Observations: Sendable, Equatable {
    /// Tick number (0 before the first step) and simulated time `tick × dt` in seconds.
    public var tick: Int
    public var time: Double
    /// Pose and velocity of every body, by body index.
    public var bodies: [BodyState]
    /// Hands (tracked controllers): pose, grip, trigger and the body grasped, by hand index (0 left, 1 right).
    public var hands: [HandState]
    /// Contacts touching this tick, ordered by (bodyA, bodyB) with bodyA < bodyB.
    public var contacts: [Contact]
    /// Contacts that touched on the previous tick and no longer do, in the same order.
    public var contactsEnded: [ContactEnd] = []
    /// Region sensors entered or left this tick, in (region, body) order.
    public var sensorEvents: [SensorEvent]
    /// Which bodies are inside which regions now (sorted by region, then body).
    public var inside: [RegionOccupancy]
    /// Layers punctured this tick.
    public var punctures: [Puncture]
    /// Needle state per needle body.
    public var needles: [NeedleState]
    /// Force applied to deformable tissue this tick, per tissue index (N).
    public var tissueForces: [Double]
    /// How far each physics joint has moved from its initial pose, by joint index: a hinge's
    /// angle (rad), a slide's extension (m), 0 for a fixed joint.
    public var joints: [Double] = []
    /// Named buttons held this tick (from the input frame), sorted.
    public var buttons: [String]
    /// Numerical warnings counted by physics so far (non-finite input rejected, velocity clamped, …).
    public var warnings: Int
    /// The same warnings by kind and entity, in the order each first happened.
    public var physicsWarnings: [PhysicsWarning] = []

    public init(tick: Int = 0, time: Double = 0, bodies: [BodyState] = [], hands: [HandState] = [],
                contacts: [Contact] = [], sensorEvents: [SensorEvent] = [], inside: [RegionOccupancy] = [],
                punctures: [Puncture] = [], needles: [NeedleState] = [], tissueForces: [Double] = [],
                buttons: [String] = [], warnings: Int = 0) {
        self.tick = tick; self.time = time; self.bodies = bodies; self.hands = hands; self.contacts = contacts
        self.sensorEvents = sensorEvents; self.inside = inside; self.punctures = punctures; self.needles = needles
        self.tissueForces = tissueForces; self.buttons = buttons; self.warnings = warnings
    }

    /// Something physics had to repair or report during the run (MuJoCo's `mjtWarning`): what, for which
    /// body, hand or tissue, when it first happened and how often.
    public struct PhysicsWarning: Sendable, Equatable {
        public enum Kind: String, Sendable, CaseIterable {
            /// A hand's tracked pose, grip or trigger was not a number and was ignored (entity: hand).
            case handInputNotFinite = "hand_input_not_finite"
            /// A scene change (kinematic target, move, material) was not a number and was ignored (entity: body).
            case commandNotFinite = "command_not_finite"
            /// A body moved faster than the world's speed bound and was slowed (entity: body).
            case speedClamped = "speed_clamped"
            /// A body's motion became non-finite; it was put back at rest where the tick began (entity: body).
            case bodyRepaired = "body_repaired"
            /// A body's centre left the world's bounds; it is no longer simulated (entity: body).
            case leftWorld = "left_world"
            /// A deformable tissue's solver produced non-finite values; its last good state was kept (entity: tissue).
            case tissueRepaired = "tissue_repaired"
        }
        public var kind: Kind
        public var entity: Int
        public var firstTick: Int
        public var count: Int
        public init(kind: Kind, entity: Int, firstTick: Int, count: Int = 1) {
            self.kind = kind; self.entity = entity; self.firstTick = firstTick; self.count = count
        }
    }

    public struct BodyState: Sendable, Equatable {
        public var pose: Pose
        public var linearVelocity: Vec3
        public var angularVelocity: Vec3
        public init(pose: Pose, linearVelocity: Vec3 = .zero, angularVelocity: Vec3 = .zero) {
            self.pose = pose; self.linearVelocity = linearVelocity; self.angularVelocity = angularVelocity
        }
    }

    public struct HandState: Sendable, Equatable {
        public var pose: Pose
        /// Grip in 0...1; above 0.5 the hand grasps.
        public var grip: Double
        public var trigger: Double
        /// Index of the grasped body, if any.
        public var grasped: Int?
        /// Force of the virtual coupling between hand and grasped instrument (N).
        public var couplingForce: Double
        public init(pose: Pose, grip: Double = 0, trigger: Double = 0, grasped: Int? = nil, couplingForce: Double = 0) {
            self.pose = pose; self.grip = grip; self.trigger = trigger; self.grasped = grasped; self.couplingForce = couplingForce
        }
    }

    public struct Contact: Sendable, Equatable {
        public var bodyA: Int
        public var bodyB: Int
        /// Total normal force between the two bodies this tick (N).
        public var normalForce: Double
        /// True on the first tick of this contact.
        public var began: Bool
        /// Normal impulse over the tick (N·s): the mean normal force × the tick length.
        public var impulse: Double
        public init(bodyA: Int, bodyB: Int, normalForce: Double, began: Bool = false, impulse: Double = 0) {
            self.bodyA = min(bodyA, bodyB); self.bodyB = max(bodyA, bodyB); self.normalForce = normalForce; self.began = began
            self.impulse = impulse
        }
    }

    /// Two bodies that stopped touching this tick (bodyA < bodyB).
    public struct ContactEnd: Sendable, Equatable {
        public var bodyA: Int
        public var bodyB: Int
        public init(bodyA: Int, bodyB: Int) { self.bodyA = min(bodyA, bodyB); self.bodyB = max(bodyA, bodyB) }
    }

    public struct SensorEvent: Sendable, Equatable {
        public var region: Int
        public var body: Int
        public var entered: Bool
        public init(region: Int, body: Int, entered: Bool) { self.region = region; self.body = body; self.entered = entered }
    }

    public struct RegionOccupancy: Sendable, Equatable {
        public var region: Int
        public var body: Int
        public init(region: Int, body: Int) { self.region = region; self.body = body }
    }

    public struct Puncture: Sendable, Equatable {
        public var needle: Int
        public var tissue: Int
        public var layer: Int
        /// Axial force at the moment of puncture (N).
        public var force: Double
        /// Angle between the needle axis and the tissue surface plane at entry (rad): 90° is perpendicular.
        public var angle: Double
        /// Entry point in world coordinates (m).
        public var point: Vec3
        public init(needle: Int, tissue: Int, layer: Int, force: Double, angle: Double, point: Vec3 = .zero) {
            self.needle = needle; self.tissue = tissue; self.layer = layer; self.force = force; self.angle = angle; self.point = point
        }
    }

    public struct NeedleState: Sendable, Equatable {
        public var needle: Int
        /// Tissue the tip is in, if any.
        public var tissue: Int?
        /// Layer the tip is in, if any.
        public var layer: Int?
        /// Depth of the tip below the tissue surface along the surface normal (m).
        public var depth: Double
        /// Depth of the tip inside each layer of `tissue` (m), by layer index.
        public var layerDepths: [Double]
        /// Insertion attempts so far (a new attempt begins each time the tip breaks the surface).
        public var attempts: Int
        /// Axial force on the needle from tissue (N).
        public var axialForce: Double
        /// The tip is inside a vessel lumen: blood would appear in the hub (flashback).
        public var flashback: Bool = false
        /// A vessel's back wall was punctured on the current attempt.
        public var backWallPunctured: Bool = false
        /// Force holding the needle to its insertion track (N); grows as the needle is levered sideways.
        public var lateralForce: Double = 0
        public init(needle: Int, tissue: Int? = nil, layer: Int? = nil, depth: Double = 0, layerDepths: [Double] = [],
                    attempts: Int = 0, axialForce: Double = 0) {
            self.needle = needle; self.tissue = tissue; self.layer = layer; self.depth = depth
            self.layerDepths = layerDepths; self.attempts = attempts; self.axialForce = axialForce
        }
    }
}
