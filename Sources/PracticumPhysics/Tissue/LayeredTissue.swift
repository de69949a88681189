import PracticumCore

// Deformable layered tissue: a soft body whose rest shape carries planar layers.
//
// Before the outer layer gives, the needle tip is a small kinematic sphere against the tissue surface, so
// the surface dimples and the axial force is the contact force along the needle (the tissue's own
// elasticity replaces the slab's stiffness × deflection). When that force reaches the outer layer's
// puncture force, the tip is embedded: the material point it punctured is held to the needle line by a
// compliant constraint (the track), and from then on the tip is located in the deformed tets, mapped back
// to rest coordinates and run through the same layer sweep as the rigid slab (`NeedleContactState.advance`).

/// How to build a deformable layered tissue.
public struct LayeredTissueDef: Sendable {
    public var body: SoftBodyDef
    public var layers: [TissueLayerDef]
    /// The outer surface in the body's local (mesh) frame: origin on the surface, +y the outward normal.
    public var surface: Pose

    public init(body: SoftBodyDef = SoftBodyDef(), layers: [TissueLayerDef] = [], surface: Pose = .identity) {
        self.body = body; self.layers = layers; self.surface = surface
    }
}

/// The runtime model of a deformable layered tissue.
public struct LayeredTissueModel: Sendable {
    public let soft: SoftBodyModel
    public let stack: LayerStack
    public let surface: Pose
    public let needles: [NeedleDef]

    public init(_ def: LayeredTissueDef, needles: [NeedleDef]) {
        soft = SoftBodyModel(def.body); stack = LayerStack(def.layers); surface = def.surface; self.needles = needles
    }

    public func makeState() -> LayeredTissueState {
        LayeredTissueState(soft: soft.makeState(),
                           needles: needles.map { _ in NeedleContactState(layerCount: stack.layers.count) },
                           embedded: needles.map { _ in nil }, restDepths: needles.map { _ in 0 })
    }

    /// Depth of local point `p` below the outer surface (m).
    func depth(local p: Vec3) -> Double { -surface.inverseTransform(p).y }

    /// Advances one tick: tools and needles move to their poses for the end of this tick.
    ///
    /// - Parameters:
    ///   - tools: other instruments touching the tissue (see ``SoftBodyModel/step(_:dt:tools:anchor:lines:)``).
    ///   - needles: one input per needle, in the order of `needles` given at creation.
    ///   - anchor: pose of the rigid body the tissue is attached to, if it moves.
    public func step(_ state: inout LayeredTissueState, dt: Double, tools: [ToolShape] = [], needles inputs: [NeedleInput],
                     anchor: Pose? = nil) {
        let count = min(inputs.count, state.needles.count)
        // contact: needles still outside press the surface with their tip
        var allTools = tools
        var tipTool: [Int?] = Array(repeating: nil, count: count)
        for i in 0..<count where state.embedded[i] == nil {
            tipTool[i] = allTools.count
            allTools.append(ToolShape(geometry: .sphere(radius: needles[i].tipRadius), pose: Pose(position: inputs[i].tip),
                                      friction: 0.3))
        }
        // tracks: inserted needles hold the punctured material point to their line
        var lines: [EmbeddedLine] = []
        var lineOf: [Int?] = Array(repeating: nil, count: count)
        for i in 0..<count {
            guard let e = state.embedded[i] else { continue }
            lineOf[i] = lines.count
            lines.append(EmbeddedLine(tet: e.tet, weights: e.weights, point: inputs[i].tip, direction: inputs[i].direction,
                                      compliance: 1 / max(needles[i].trackStiffness, 1e-9)))
        }
        // keep tool slots stable: the soft body moves each tool from its previous pose
        if state.soft.toolPoses.count != allTools.count { state.soft.toolPoses = allTools.map(\.pose) }
        soft.step(&state.soft, dt: dt, tools: allTools, anchor: anchor, lines: lines)
        state.soft.toolPoses = allTools.map(\.pose)

        let anchorPose = state.soft.anchor
        let normal = anchorPose.transformDirection(surface.transformDirection(.unitY))
        for i in 0..<count {
            let to = inputs[i]
            let from = i < state.lastInputs.count ? state.lastInputs[i] : to
            if let slot = tipTool[i] {
                // outside: the surface pushes back on the tip; it gives at the outer layer's puncture force
                var n = state.needles[i]
                n.events = []
                let push = -state.soft.toolForces[slot].dot(to.direction)
                n.axialForce = max(0, push)
                n.layer = nil; n.depth = 0; n.lateralForce = .zero; n.flashback = false
                if let first = stack.layers.first, push >= first.punctureForce, push > 0 {
                    let loc = soft.locate(to.tip, positions: state.soft.positions)
                    let angle = asinClamped(-to.direction.dot(normal))
                    n.events = [PunctureEvent(layer: 0, force: push, angle: angle, point: to.tip)]
                    n.punctured[0] = true
                    n.attempts += 1
                    n.inserted = true
                    n.entryPoint = to.tip
                    n.trackDirection = to.direction
                    state.embedded[i] = EmbeddedPoint(tet: loc.tet, weights: loc.weights)
                    state.restDepths[i] = depth(local: soft.point(tet: loc.tet, weights: loc.weights, positions: soft.restLocal))
                }
                state.needles[i] = n
            } else if let e = state.embedded[i] {
                // inside: locate the tip in the deformed mesh and sweep the layers in rest coordinates
                let loc = soft.locate(to.tip, positions: state.soft.positions)
                let restTip = soft.point(tet: loc.tet, weights: loc.weights, positions: soft.restLocal)
                let d1 = depth(local: restTip)
                var n = state.needles[i]
                n.entryPoint = soft.point(tet: e.tet, weights: e.weights, positions: state.soft.positions)
                n.advance(stack: stack, needle: needles[i], from: from, to: to, d0: state.restDepths[i], d1: d1,
                          normal: normal, inFootprint: true, dt: dt)
                if let k = lineOf[i] { n.lateralForce = state.soft.lineForces[k] }
                state.restDepths[i] = d1
                if !n.inserted { state.embedded[i] = nil }
                state.needles[i] = n
            }
        }
        state.lastInputs = Array(inputs.prefix(count))
    }
}

/// A material point: tet index and barycentric weights.
public struct EmbeddedPoint: Hashable, Sendable {
    public var tet: Int
    public var weights: SIMD4<Double>
}

/// State of a deformable layered tissue: the soft body and each needle's progress.
public struct LayeredTissueState: Hashable, Sendable {
    public var soft: SoftBodyState
    public var needles: [NeedleContactState]
    /// Where each inserted needle entered, as a material point; nil while outside.
    public var embedded: [EmbeddedPoint?]
    /// Each needle's tip depth in rest coordinates at the end of the last tick (m).
    public var restDepths: [Double]
    public var lastInputs: [NeedleInput] = []

    public var stateHash: StateHash {
        var h = soft.stateHash
        for n in needles { n.hash(into: &h) }
        for e in embedded {
            h.combine(e?.tet ?? -1)
            if let w = e?.weights { for k in 0..<4 { h.combine(w[k]) } }
        }
        for d in restDepths { h.combine(d) }
        for i in lastInputs { h.combine(i.tip); h.combine(i.direction) }
        return h
    }

    /// Total force the tissue exerts on tools and needle tips this tick (N), for `Observations.tissueForces`.
    public var contactForce: Double { soft.toolForces.reduce(0) { $0 + $1.length } }
}
