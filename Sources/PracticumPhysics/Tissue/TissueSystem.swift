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

    public init(tissues: [TissueDef], needles: [NeedleDef]) {
        self.needles = needles
        self.tissues = tissues.map {
            switch $0 {
            case .deformable(let d): return .deformable(LayeredTissueModel(d, needles: needles))
            case .slab(let d, let frame): return .slab(LayeredSlabModel(d, needles: needles), frame: frame)
            }
        }
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
            case (.deformable(let m), .deformable(var s)):
                m.step(&s, dt: dt, tools: tools, needles: inputs, anchor: attach)
                state.tissues[i] = .deformable(s)
            case (.slab(let m, _), .slab(var s)):
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
    /// A needle is reported in the first tissue it is inserted into, else the first it presses, else none.
    /// `needleIDs` renames needle indices (e.g. to scene body indices); by default they are 0, 1, 2, ….
    public func observations(_ state: TissueSystemState, needleIDs: [Int]? = nil)
        -> (punctures: [Observations.Puncture], needles: [Observations.NeedleState], tissueForces: [Double]) {
        let ids = needleIDs ?? Array(needles.indices)
        var punctures: [Observations.Puncture] = []
        var forces: [Double] = []
        for (t, s) in state.tissues.enumerated() {
            for n in needles.indices { punctures += s.needles[n].punctureObservations(needle: ids[n], tissue: t) }
            switch s {
            case .deformable(let d): forces.append(d.contactForce)
            case .slab(let d): forces.append(d.needles.reduce(0) { $0 + abs($1.axialForce) })
            }
        }
        var out: [Observations.NeedleState] = []
        for n in needles.indices {
            let inside = state.tissues.firstIndex { $0.needles[n].inserted }
            let pressing = state.tissues.firstIndex { $0.needles[n].axialForce != 0 }
            if let t = inside ?? pressing {
                out.append(state.tissues[t].needles[n].observation(needle: ids[n], tissue: t, stack: stack(t)))
            } else {
                out.append(Observations.NeedleState(needle: ids[n]))
            }
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
