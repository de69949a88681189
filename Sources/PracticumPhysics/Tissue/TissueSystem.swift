import PracticumCore

/// One tissue of a scene: deformable (tet mesh + layers) or a rigid layered slab.
public enum TissueDef: Sendable {
    /// A soft body with layers; its pinned points follow the anchor pose given each tick.
    case deformable(LayeredTissueDef)
    /// Planar layers under a surface patch; its frame (origin on the surface, +y outward) is given each tick.
    case slab(LayeredSlabDef, frame: Pose)
}

/// All the tissues and needles of a scene, stepped together: the entry point the session calls.
///
/// Each tick: pass the tool shapes touching tissue (capsules, spheres at their end-of-tick poses), one
/// ``NeedleInput`` per needle, and optionally the pose each tissue is attached to; then read
/// ``observations(_:needleIDs:)`` for `Observations.punctures`, `.needles` and `.tissueForces`.
public struct TissueSystemModel: Sendable {
    public enum Tissue: Sendable {
        case deformable(LayeredTissueModel)
        case slab(LayeredSlabModel, frame: Pose)
    }

    public let tissues: [Tissue]
    public let needles: [NeedleDef]
    /// In a world: the bodies that press on deformable tissue (non-static spheres and capsules that are
    /// not needles), and their shapes, in body order. Empty without deformable tissue.
    public let toolBodies: [Int]
    let toolGeometry: [(geometry: ToolShape.Geometry, friction: Double)]
    /// In a world: the needles' body indices, the rigid force-model patches (they push back inside the
    /// substeps) and the deformable ones, by tissue index.
    let needleBodies: [Int]
    let forceSlabs: [Int]
    let deformables: [Int]

    public init(tissues: [TissueDef], needles: [NeedleDef]) {
        self.init(tissues: tissues, needles: needles, toolBodies: [], toolGeometry: [], needleBodies: Array(needles.indices))
    }

    init(tissues: [TissueDef], needles: [NeedleDef], toolBodies: [Int], toolGeometry: [(geometry: ToolShape.Geometry, friction: Double)],
         needleBodies: [Int]) {
        self.toolBodies = toolBodies; self.toolGeometry = toolGeometry; self.needleBodies = needleBodies
        forceSlabs = tissues.indices.filter { if case let .slab(d, _) = tissues[$0] { return !d.geometric }; return false }
        deformables = tissues.indices.filter { if case .deformable = tissues[$0] { return true }; return false }
        self.needles = needles
        self.tissues = tissues.map {
            switch $0 {
            case .deformable(let d): return .deformable(LayeredTissueModel(d, needles: needles))
            case .slab(let d, let frame): return .slab(LayeredSlabModel(d, needles: needles), frame: frame)
            }
        }
    }

    /// The tissue system of a world: its patches, in their carrying bodies' initial poses, and its needles.
    init(world def: WorldDef) {
        let defs: [TissueDef] = def.tissues.map { p in
            let frame = def.bodies[p.body].pose * p.surfaceFrame
            let (hx, hz) = p.tangentHalfExtents
            if let d = p.deformable {
                // an XPBD tetrahedral block under the patch, bottom pinned to the carrying body
                return .deformable(LayeredTissueDef.block(layers: p.layers, halfExtentX: hx, halfExtentZ: hz,
                                                          counts: d.resolution, youngsModulus: d.youngsModulus,
                                                          poissonRatio: d.poissonRatio, density: d.density, pose: frame))
            }
            return .slab(LayeredSlabDef(layers: p.layers, halfExtentX: hx, halfExtentZ: hz, geometric: p.needleModel == .geometric),
                         frame: frame)
        }
        var tools: [Int] = [], geometry: [(geometry: ToolShape.Geometry, friction: Double)] = []
        if def.tissues.contains(where: { $0.deformable != nil }) {
            let needles = Set(def.needles.map(\.body))
            for (b, body) in def.bodies.enumerated() where body.kind != .static && !needles.contains(b) {
                guard let shape = body.shapes.first, shape.pose == .identity else { continue }
                switch shape.geometry {
                case let .sphere(r): tools.append(b); geometry.append((.sphere(radius: r), shape.material.dynamicFriction))
                case let .capsule(r, h): tools.append(b); geometry.append((.capsule(radius: r, halfLength: h), shape.material.dynamicFriction))
                default: break
                }
            }
        }
        self.init(tissues: defs, needles: def.needles.map(\.needle), toolBodies: tools, toolGeometry: geometry,
                  needleBodies: def.needles.map(\.body))
    }

    public func makeState() -> TissueSystemState {
        TissueSystemState(tissues: tissues.map {
            switch $0 {
            case .deformable(let m): return .deformable(m.makeState())
            case .slab(let m, let frame): return .slab(m.makeState(frame: frame))
            }
        })
    }

    /// Advances every tissue one tick.
    ///
    /// - Parameters:
    ///   - tools: kinematic instrument shapes; every deformable tissue collides with all of them (keep
    ///     their number and order stable from tick to tick).
    ///   - needles: one input per needle, in creation order.
    ///   - attachments: per tissue, the pose it is attached to this tick (a rigid body's pose), or nil to
    ///     keep the last one. Shorter than `tissues` means nil for the rest.
    public func step(_ state: inout TissueSystemState, dt: Double, tools: [ToolShape] = [], needles inputs: [NeedleInput],
                     attachments: [Pose?] = []) {
        for i in tissues.indices {
            let attach = i < attachments.count ? attachments[i] : nil
            switch (tissues[i], state.tissues[i]) {
            // each tissue's state is moved out of the array while it steps (no copy on write)
            case (.deformable(let m), .deformable(var s)):
                state.tissues[i] = .slab(LayeredSlabState(frame: .identity, needles: []))
                m.step(&s, dt: dt, tools: tools, needles: inputs, anchor: attach)
                state.tissues[i] = .deformable(s)
            case (.slab(let m, _), .slab(var s)):
                state.tissues[i] = .slab(LayeredSlabState(frame: .identity, needles: []))
                m.step(&s, dt: dt, inputs: inputs, frame: attach)
                state.tissues[i] = .slab(s)
            default:
                break
            }
        }
        state.tick += 1
    }

    /// This tick's punctures, each needle's state, and the contact force on each tissue (N).
    ///
    /// A needle is reported in the first tissue it is inserted into, else the first it presses, else none;
    /// its `attempts` count the attempts in every tissue.
    /// `needleIDs` renames needle indices (e.g. to scene body indices); by default they are 0, 1, 2, ….
    public func observations(_ state: TissueSystemState, needleIDs: [Int]? = nil)
        -> (punctures: [Observations.Puncture], needles: [Observations.NeedleState], tissueForces: [Double]) {
        let ids = needleIDs ?? Array(needles.indices)
        var punctures: [Observations.Puncture] = []
        var forces: [Double] = []
        for (t, s) in state.tissues.enumerated() {
            for n in needles.indices where !s.needles[n].events.isEmpty {
                punctures += s.needles[n].punctureObservations(needle: ids[n], tissue: t)
            }
            switch s {
            case .deformable(let d): forces.append(d.contactForce)
            case .slab(let d): forces.append(d.needles.reduce(0) { $0 + abs($1.axialForce) })
            }
        }
        var out: [Observations.NeedleState] = []
        for n in needles.indices {
            let inside = state.tissues.firstIndex { $0.needles[n].inserted }
            let pressing = state.tissues.firstIndex { $0.needles[n].axialForce != 0 }
            var o = Observations.NeedleState(needle: ids[n])
            if let t = inside ?? pressing { o = state.tissues[t].needles[n].observation(needle: ids[n], tissue: t, stack: stack(t)) }
            o.attempts = state.tissues.reduce(0) { $0 + $1.needles[n].attempts }
            out.append(o)
        }
        return (punctures, out, forces)
    }

    func stack(_ t: Int) -> LayerStack {
        switch tissues[t] {
        case .deformable(let m): return m.stack
        case .slab(let m, _): return m.stack
        }
    }
}

/// The changing part of a ``TissueSystemModel``.
public struct TissueSystemState: Hashable, Sendable {
    public enum Tissue: Hashable, Sendable {
        case deformable(LayeredTissueState)
        case slab(LayeredSlabState)

        /// Ticks on which a deformable tissue's solver had to keep its last good state.
        var solverWarnings: Int {
            if case let .deformable(s) = self { return s.soft.warnings }
            return 0
        }

        public var needles: [NeedleContactState] {
            switch self {
            case .deformable(let s): return s.needles
            case .slab(let s): return s.needles
            }
        }
    }

    public var tissues: [Tissue]
    public var tick: Int = 0

    public var stateHash: StateHash {
        var h = StateHash()
        h.combine(tick)
        for t in tissues {
            switch t {
            case .deformable(let s): h.combine(s.stateHash.value)
            case .slab(let s): h.combine(s.stateHash.value)
            }
        }
        return h
    }
}
