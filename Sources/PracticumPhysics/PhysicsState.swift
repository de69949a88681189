import PracticumCore

/// Everything that changes during a run, as a value: copy it to snapshot, assign it back to restore,
/// `hash()` it to compare runs bit for bit. Fields are grouped by the stage of `World.step` that writes them.
public struct PhysicsState: Sendable, Equatable {
    /// Ticks completed; simulated time is `tick × dt`.
    public internal(set) var tick: Int = 0

    // integrate / solve: centre-of-mass poses and velocities, by body
    var position: [Vec3] = []
    var orientation: [Quat] = []
    var linearVelocity: [Vec3] = []
    var angularVelocity: [Vec3] = []

    // kinematics: where each kinematic body should be at the end of the next tick (body frame)
    var kinematicTarget: [Pose] = []

    // hands: tracked pose, grip, grasp and the coupling force of the last tick
    var hands: [HandRuntime] = []

    // contacts: touching body pairs of the last tick, sorted by pair, with their normal forces
    var touching: [TouchingPair] = []
    /// Pair keys that touched on the previous tick and no longer do, sorted.
    var ended: [UInt64] = []

    // sleep (only when the model sleeps; empty otherwise): consecutive ticks at rest, and asleep, by body
    var restTicks: [Int32] = []
    var asleep: [Bool] = []

    // sensors: occupancy now and the events of the last tick
    var inside: [Observations.RegionOccupancy] = []
    var sensorEvents: [Observations.SensorEvent] = []

    // tissue: every patch's needles (punctures, depths, forces) and deformable meshes; nil without tissue
    public internal(set) var tissue: TissueSystemState?

    /// Numerical warnings so far: rejected non-finite inputs, clamped speeds, repaired bodies.
    public internal(set) var warnings: Int = 0
    /// The same, by kind and entity, in the order each first happened (`warn(_:_:)`).
    public internal(set) var warningList: [Observations.PhysicsWarning] = []
    /// Bodies that left the world's bounds and are no longer simulated (empty until one does).
    public internal(set) var outOfWorld: [Bool] = []
    /// The run's random generator (the rigid solver draws nothing from it; later stages may).
    public var random: SeededRandom
    /// Surface materials changed during the run (a scenario event), by body, in the order set.
    public internal(set) var materialOverrides: [MaterialOverride] = []

    /// A body's friction and restitution replacing those of its shapes' materials.
    public struct MaterialOverride: Sendable, Equatable {
        public var body: Int
        public var staticFriction: Double
        public var dynamicFriction: Double
        public var restitution: Double
    }

    init(seed: UInt64) { random = SeededRandom(seed: seed) }

    /// Counts a warning of `kind` for `entity` (a body, hand or tissue index) at the current tick.
    mutating func warn(_ kind: Observations.PhysicsWarning.Kind, _ entity: Int) {
        warnings += 1
        if let i = warningList.firstIndex(where: { $0.kind == kind && $0.entity == entity }) {
            warningList[i].count += 1
        } else {
            warningList.append(.init(kind: kind, entity: entity, firstTick: tick))
        }
    }

    /// True when `body` left the world and is no longer simulated.
    func isOutOfWorld(_ body: Int) -> Bool { body < outOfWorld.count && outOfWorld[body] }

    /// FNV-1a over the exact bit patterns of every field.
    public func hash() -> StateHash {
        var h = StateHash()
        h.combine(tick)
        for i in position.indices {
            h.combine(position[i]); h.combine(orientation[i]); h.combine(linearVelocity[i]); h.combine(angularVelocity[i])
        }
        for p in kinematicTarget { h.combine(p) }
        for hand in hands {
            h.combine(hand.pose); h.combine(hand.previousPose); h.combine(hand.grip); h.combine(hand.trigger)
            h.combine(hand.grasped); h.combine(hand.graspOffset); h.combine(hand.couplingForce)
        }
        for t in touching { h.combine(t.key); h.combine(t.normalForce); h.combine(t.began) }
        for k in ended { h.combine(k) }
        for o in inside { h.combine(o.region); h.combine(o.body) }
        for e in sensorEvents { h.combine(e.region); h.combine(e.body); h.combine(e.entered) }
        h.combine(warnings)
        h.combine(random.state)
        // only when present, so that hashes of runs without sleeping or material changes stay as pinned
        for i in restTicks.indices { h.combine(Int(restTicks[i])); h.combine(asleep[i]) }
        for m in materialOverrides {
            h.combine(m.body); h.combine(m.staticFriction); h.combine(m.dynamicFriction); h.combine(m.restitution)
        }
        if let tissue { h.combine(tissue.stateHash.value) }
        for w in warningList { h.combine(w.kind.rawValue); h.combine(w.entity); h.combine(w.firstTick); h.combine(w.count) }
        for o in outOfWorld { h.combine(o) }
        return h
    }
}

/// One hand between ticks.
struct HandRuntime: Sendable, Equatable {
    var pose: Pose = .identity
    var previousPose: Pose = .identity
    var grip: Double = 0
    var trigger: Double = 0
    var grasped: Int = -1
    /// Pose of the grasped body's centre-of-mass frame in the hand frame, fixed at the moment of grasp.
    var graspOffset: Pose = .identity
    /// Mean force of the coupling spring over the last tick (N).
    var couplingForce: Double = 0
}

struct TouchingPair: Sendable, Equatable {
    var key: UInt64
    var normalForce: Double
    var began: Bool
}
