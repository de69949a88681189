import PracticumCore

// World.step: rigid bodies by Extended Position Based Dynamics with substepping.
//
// Method. Each tick is split into `substeps` small steps; each substep predicts positions from
// velocities (explicit), projects every constraint once (contacts, joints, hand couplings), derives
// velocities from the position change, then applies velocity-level friction and restitution
// (Müller et al. 2020, "Detailed Rigid Body Simulation with Extended Position Based Dynamics";
// Macklin et al. 2019, "Small Steps in Physics Simulation"). Small steps with one iteration converge
// better than one step with many iterations, and XPBD's compliance makes the hand coupling's
// stiffness independent of the step size.
//
// Rate. Default tick 1/240 s with 5 substeps: the solver runs at 1200 Hz, above the 1 kHz that
// haptic rendering needs, while collision detection runs at the tick rate (240 Hz) — speculative
// contacts cover the motion within a tick. 240 Hz ticks are an integer multiple of the 72/120 Hz
// headset rates, and at 1200 Hz a 10-box stack and a 1:100 mass-ratio stack stay put with one
// solver iteration (tests).
//
// Determinism. Bodies, shapes, contacts and events are processed in index order; the broad phase
// sorts with total-order keys (coordinate, then shape index), so its output is independent of the
// previous tick's order; no dictionaries, no clocks, the only randomness lives in `PhysicsState`.

/// A running simulation: an immutable model and its state. `step(inputs:)` advances one tick.
///
/// Snapshot with `let s = world.state`; restore with `world.state = s`.
public struct World: Sendable {
    public let model: PhysicsModel
    public var state: PhysicsState
    /// Reusable buffers; they never carry information from one tick to the next.
    var scratch = Scratch()
    /// Time per stage, when a benchmark sets it; never part of the state.
    public var profiler: StageProfiler?

    public init(model: PhysicsModel) {
        self.model = model
        var s = PhysicsState(seed: model.def.seed)
        for (b, def) in model.def.bodies.enumerated() {
            let q = def.pose.orientation.normalized
            let com = def.pose.position + q.rotate(model.comLocal[b])
            s.position.append(com)
            s.orientation.append(q)
            let w = model.kind[b] == .static ? Vec3.zero : def.angularVelocity
            s.angularVelocity.append(w)
            s.linearVelocity.append(model.kind[b] == .static ? .zero : def.linearVelocity + w.cross(com - def.pose.position))
            s.kinematicTarget.append(def.pose)
        }
        s.hands = Array(repeating: HandRuntime(), count: model.hands.count)
        s.tissue = model.tissueSystem?.makeState()
        if model.def.sleep != nil {
            s.restTicks = Array(repeating: 0, count: model.bodyCount)
            s.asleep = Array(repeating: false, count: model.bodyCount)
        }
        state = s
        updateSensors(events: false)
    }

    /// Builds the model and the world in one call.
    public init(_ def: WorldDef) throws { self.init(model: try PhysicsModel(def)) }

    /// Sets where kinematic `body` will be at the end of the next tick (body-frame pose); it moves there
    /// at constant velocity. Non-finite poses are rejected (warning counted).
    public mutating func setKinematicTarget(_ body: Int, pose: Pose) {
        guard model.kind[body] == .kinematic else { return }
        guard pose.isFinite else { state.warn(.commandNotFinite, body); return }
        state.kinematicTarget[body] = Pose(position: pose.position, orientation: pose.orientation.normalized)
    }

    /// Advances one tick of `model.dt` seconds. `inputs` are the tracked hands by index (missing hands keep their pose).
    public mutating func step(inputs: [HandInput] = []) {
        let dt = model.dt, n = model.substeps, h = dt / Double(n)
        profiler?.start()
        // hands: accept tracked poses (non-finite rejected), grips, grasp and release
        updateHands(inputs)
        // kinematics: start and end poses of kinematic bodies for this tick
        beginKinematics()
        // tissue gate: a needle passes into the body carrying a patch only where its tip is over the patch
        gateTissueCarriers()
        profiler?.lap(.inputs)
        // broad phase: AABBs swollen by each body's motion bound, sweep-and-prune → candidate shape pairs
        broadPhase(dt: dt)
        profiler?.lap(.broadPhase)
        // wake: islands of bodies that may touch; a disturbed island wakes whole (when sleeping is on)
        wakeIslands()
        // narrow phase: speculative contact points, anchored in body frames for the whole tick
        narrowPhase()
        // shock order: manifolds with a vertical normal, lowest first
        orderShock()
        profiler?.lap(.narrowPhase)
        // tissue coupling: what each needle's tip meets this tick; last tick's deformable-tissue forces
        prepareTissueCoupling()
        profiler?.lap(.tissue)
        let up = model.gravity.lengthSquared > 0 ? model.gravity * (-1 / model.gravity.length) : Vec3.zero
        let shockOrder = scratch.shockOrder, supported = scratch.supported
        withBodies { bodies in
            for s in 1...n {
                let fraction = Double(s) / Double(n)
                // integrate: deformable tissue's forces, gravity, predicted positions and orientations;
                // kinematic bodies along their path
                bodies.applyTissueForces(h: h)
                bodies.integrate(h: h, fraction: fraction)
                // hand couplings first, so that rigid contacts have the last word: a light instrument pushed
                // hard into a surface stops at it instead of sinking in by the coupling's share of the push
                bodies.solveCouplings(h: h, fraction: fraction)
                // solve positions: contacts with static friction, joints (one XPBD pass each)
                bodies.solveContactPositions()
                // shock propagation: vertical contacts again, bottom-up, moving only the upper body
                shockOrder.withUnsafeBufferPointer { order in
                    supported.withUnsafeBufferPointer { bodies.propagateShock(order: order, supported: $0, up: up) }
                }
                bodies.solveJoints(h: h)
                // tissue on needles: layer resistance before puncture, the entry track after
                bodies.solveNeedles(h: h)
                // velocities: from the position change of the substep
                bodies.updateVelocities(h: h)
                // solve velocities: restitution, dynamic friction, shaft friction, coupling damping
                bodies.solveContactVelocities(h: h)
                bodies.dampNeedles(h: h)
                bodies.dampCouplings(h: h)
            }
        }
        // guard: bound speeds, repair anything non-finite (warnings counted)
        guardNumbers()
        // sleep: islands at rest long enough stop being simulated (when sleeping is on)
        sleepIslands()
        // contact report: per body pair, the mean normal force over the tick and whether it began
        reportContacts(h: h)
        profiler?.lap(.solve)
        // tissue: punctures, depths and forces of every needle; deformable tissue under the tools
        stepTissue()
        profiler?.lap(.tissue)
        // sensors: region occupancy and enter/exit events
        updateSensors(events: true)
        profiler?.lap(.sensors)
        state.tick += 1
    }

    /// Lends the body arrays as raw buffers to the substep stages (see Substep.swift).
    mutating func withBodies(_ f: (Bodies) -> Void) {
        let grasped = state.hands.map(\.grasped)
        let model = self.model
        state.position.withUnsafeMutableBufferPointer { x in
        state.orientation.withUnsafeMutableBufferPointer { q in
        state.linearVelocity.withUnsafeMutableBufferPointer { v in
        state.angularVelocity.withUnsafeMutableBufferPointer { w in
        scratch.prevPosition.withUnsafeMutableBufferPointer { px in
        scratch.prevOrientation.withUnsafeMutableBufferPointer { pq in
        scratch.prevLinear.withUnsafeMutableBufferPointer { pv in
        scratch.prevAngular.withUnsafeMutableBufferPointer { pw in
        scratch.tickStartPosition.withUnsafeBufferPointer { tx in
        scratch.tickStartOrientation.withUnsafeBufferPointer { tq in
        scratch.contacts.withUnsafeMutableBufferPointer { contacts in
        scratch.couplingImpulse.withUnsafeMutableBufferPointer { impulse in
        model.invMass.withUnsafeBufferPointer { invMass in
        model.invInertia.withUnsafeBufferPointer { invInertia in
        model.isotropic.withUnsafeBufferPointer { isotropic in
        model.kind.withUnsafeBufferPointer { kind in
        scratch.kinematicStart.withUnsafeBufferPointer { kinStart in
        scratch.kinematicEnd.withUnsafeBufferPointer { kinEnd in
        scratch.manifolds.withUnsafeBufferPointer { manifolds in
        scratch.simulated.withUnsafeBufferPointer { simulated in
        scratch.handStart.withUnsafeBufferPointer { handStart in
        scratch.handEnd.withUnsafeBufferPointer { handEnd in
        scratch.needleContacts.withUnsafeBufferPointer { needleContacts in
        scratch.tissueForces.withUnsafeBufferPointer { tissueForces in
            f(Bodies(model: model, x: x.baseAddress!, q: q.baseAddress!, v: v.baseAddress!, w: w.baseAddress!,
                     px: px.baseAddress!, pq: pq.baseAddress!, pv: pv.baseAddress!, pw: pw.baseAddress!,
                     tx: tx.baseAddress!, tq: tq.baseAddress!,
                     invMass: invMass.baseAddress!, invInertia: invInertia.baseAddress!, isotropic: isotropic.baseAddress!,
                     kind: kind.baseAddress!, simulated: simulated.baseAddress!, kinStart: kinStart.baseAddress!, kinEnd: kinEnd.baseAddress!,
                     contacts: contacts, manifolds: manifolds, grasped: grasped,
                     handStart: handStart.baseAddress!, handEnd: handEnd.baseAddress!, couplingImpulse: impulse.baseAddress!,
                     needleContacts: needleContacts, tissueForces: tissueForces))
        }}}}}}}}}}}}}}}}}}}}}}}}
    }

    // MARK: queries

    /// Body-frame pose of `body` (m).
    public func pose(of body: Int) -> Pose {
        let q = state.orientation[body]
        return Pose(position: state.position[body] - q.rotate(model.comLocal[body]), orientation: q)
    }

    /// Where joint `joint` (its index in `WorldDef.joints`) stands, 0 at creation: a prismatic
    /// joint's extension (m; A's anchor from B's along the axis), a hinge's angle (rad, −π…π; A's
    /// turn relative to B about the axis, right-handed), 0 for a fixed joint.
    public func jointPosition(_ joint: Int) -> Double {
        let j = model.joints[joint]
        let xb = j.b >= 0 ? state.position[j.b] : .zero, qb = j.b >= 0 ? state.orientation[j.b] : .identity
        return j.position(state.position[j.a], state.orientation[j.a], xb, qb)
    }

    /// Where a hand holding a body sits on it now: the grasp as it was taken, carried by the body.
    /// The tracked pose leads the body through the coupling spring (by centimetres in a fast move or
    /// against tissue); a viewer draws the hand here so that it stays on what it holds. Nil when the
    /// hand holds nothing.
    public func handPoseOnHeldBody(_ hand: Int) -> Pose? {
        guard hand < state.hands.count, case let g = state.hands[hand].grasped, g >= 0 else { return nil }
        return Pose(position: state.position[g], orientation: state.orientation[g]) * state.hands[hand].graspOffset.inverse
    }

    /// Velocity of the body-frame origin (m/s) and angular velocity (rad/s), world frame.
    public func velocity(of body: Int) -> (linear: Vec3, angular: Vec3) {
        let w = state.angularVelocity[body]
        return (state.linearVelocity[body] + w.cross(pose(of: body).position - state.position[body]), w)
    }

    /// Total kinetic energy of the dynamic bodies (J).
    public var kineticEnergy: Double {
        var e = 0.0
        for b in 0..<model.bodyCount where model.kind[b] == .dynamic {
            let v = state.linearVelocity[b], w = state.angularVelocity[b], q = state.orientation[b]
            let wl = q.inverseRotate(w)
            e += 0.5 * model.mass[b] * v.lengthSquared + 0.5 * wl.dot(model.invInertia[b].inverse.mul(wl))
        }
        return e
    }

    /// Gravitational potential energy of the dynamic bodies relative to the origin (J).
    public var potentialEnergy: Double {
        var e = 0.0
        for b in 0..<model.bodyCount where model.kind[b] == .dynamic { e -= model.mass[b] * model.gravity.dot(state.position[b]) }
        return e
    }
}

/// Per-tick working memory, kept between ticks only to avoid allocation.
struct Scratch: Sendable {
    var lo: [Vec3] = [], hi: [Vec3] = []            // swollen shape AABBs
    var key: [Double] = []                           // sweep coordinate per shape
    var order: [Int] = []                            // shapes sorted by (key, index)
    var motion: [Double] = []                        // motion bound per body over the tick (m)
    var pairs: [CandidatePair] = []
    var raw: [RawContact] = []
    var contacts: [ContactPoint] = []
    var manifolds: [Int] = []                        // start of each manifold in `contacts`, then the end
    var depth: [Double] = []                         // per point of the manifold being solved
    var prevPosition: [Vec3] = [], prevOrientation: [Quat] = []
    var prevLinear: [Vec3] = [], prevAngular: [Vec3] = []
    var tickStartPosition: [Vec3] = [], tickStartOrientation: [Quat] = []
    var kinematicStart: [Pose] = []                  // centre-of-mass poses at the tick's start
    var kinematicEnd: [Pose] = []
    var handStart: [Pose] = []                       // coupling targets at the tick's start and end
    var handEnd: [Pose] = []
    var couplingImpulse: [Double] = []               // Σ|λ| of each hand's linear coupling this tick
    var simulated: [Bool] = []                       // dynamic and awake: the substeps move it
    var shockOrder: [Int] = []                       // manifolds for shock propagation, lowest first
    var shockKey: [(Double, Int)] = []
    var supported: [Double] = []                     // mass each body carries in a stack, its own included (kg)
    var supports: [Int] = []                         // shock manifolds each body rests on
    var island: [Int] = []                           // union–find parent per body (sleeping)
    var islandFlag: [Bool] = []                      // per island root: woken / may sleep
    var woken: [Int] = []                            // bodies that wake their island this tick
    var needleContacts: [NeedleContact] = []         // needles against rigid force-model patches this tick
    var tissueGate: [UInt64] = []                    // needle–carrier pairs that do not collide this tick
    var tissueForces: [TissueForce] = []             // last tick's deformable-tissue forces on bodies
}

struct CandidatePair: Sendable {
    var a: Int32, b: Int32                           // shape indices, a < b
    var margin: Double
}

/// One contact point for the tick. The point on A is xA + qA·rA + oA: a core point fixed in the body
/// (its centre-of-mass frame) plus, for rounded shapes, the radius along the normal, which does not
/// turn with the body, so a rolling ball keeps its contact at the bottom (no spurious impulses).
struct ContactPoint: Sendable {
    var a: Int, b: Int
    var rA: Vec3, rB: Vec3
    var oA: Vec3, oB: Vec3
    var normal: Vec3                                 // A → B, world
    var staticFriction: Double, dynamicFriction: Double, restitution: Double
    var lambda: Double = 0                           // normal impulse of the current substep (N·s²… XPBD λ)
    var lambdaTick: Double = 0                       // Σλ over the tick
}
