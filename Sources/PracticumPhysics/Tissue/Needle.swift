#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
import PracticumCore

// Needle insertion through layered tissue.
//
// Force model after Okamura, Simone & O'Leary 2004 ("Force modeling for needle insertion into soft
// tissue", IEEE TBME 51(10)): the axial force is the sum of a stiffness force before each membrane is
// punctured, friction along the inserted shaft, and a cutting force at the tip. Puncture states after
// iMSTK's needle/puncture model: per layer, untouched → touching (the layer's boundary is pushed ahead of
// the tip and the force grows as stiffness × deflection) → punctured once that force reaches the layer's
// puncture force; afterwards the needle is held to the track it entered along.
//
// Layers are planar in the tissue's rest frame (thickness along the outward normal). The tip's path over
// one tick is swept, not sampled at its end, so a needle that moves farther than a layer's thickness in
// one tick still meets, pushes and punctures that layer at the force where it gives way (no tunnelling).
// When a layer gives, the tissue ahead springs back and the tip is where it is in rest coordinates: if
// that is already past the next boundary, that layer is pressed at once (a thin wall over a soft lumen
// can be punctured in the same tick — the back-wall mistake is real).

/// One layer of tissue along the insertion depth.
public struct TissueLayerDef: Hashable, Sendable {
    /// What the layer is, for flashback and back-wall detection.
    public enum Kind: String, Hashable, Sendable {
        /// Skin, fat, muscle, fascia, pleura, ligament …
        case tissue
        /// The wall of a vessel: one before its lumen (front wall), one after (back wall).
        case vesselWall
        /// The inside of a vessel: a tip here gives flashback.
        case lumen
        /// A space with no resistance (pleural or epidural space).
        case cavity
    }

    public var name: String
    public var kind: Kind
    /// Thickness along the surface normal (m). Skin 1.5–3 mm, fat 5–30 mm, vessel wall 0.5–1 mm.
    public var thickness: Double
    /// Stiffness of the layer's surface against the tip before it gives (N/m). Skin 300–1,500, fat 100–400.
    public var stiffness: Double
    /// Axial force at which the tip punctures the layer (N). Skin 0.5–3 N, vessel wall 0.3–1 N; 0 for a lumen.
    public var punctureForce: Double
    /// Friction per metre of shaft inside the layer (N/m). Typical 5–50 N/m.
    public var friction: Double
    /// Force to cut through the layer while advancing after puncture (N). Typical 0–0.5 N.
    public var cuttingForce: Double

    public init(name: String, kind: Kind = .tissue, thickness: Double, stiffness: Double = 500, punctureForce: Double = 1,
                friction: Double = 20, cuttingForce: Double = 0) {
        self.name = name; self.kind = kind; self.thickness = thickness; self.stiffness = stiffness
        self.punctureForce = punctureForce; self.friction = friction; self.cuttingForce = cuttingForce
    }
}

extension TissueLayerDef {
    /// Names with typical parameters (`skin`, `fat`, …): the names of `TissuePreset.all`, the table the
    /// scenario loader's `preset:` reads too (values and their sources are there).
    public static var presetNames: [String] { TissuePreset.all.map(\.name) }

    /// A layer named `name` from ``presetNames`` with `thickness` (m), or nil for an unknown name.
    public static func preset(_ name: String, thickness: Double) -> TissueLayerDef? {
        guard let p = TissuePreset.named(name) else { return nil }
        return TissueLayerDef(name: name, kind: Kind(p.kind), thickness: thickness, stiffness: p.stiffness, punctureForce: p.punctureForce,
                              friction: p.friction, cuttingForce: p.cuttingForce)
    }
}

extension TissueLayerDef.Kind {
    /// The kind a scenario's layer names.
    public init(_ kind: TissueLayerKind) {
        switch kind {
        case .tissue: self = .tissue
        case .vesselWall: self = .vesselWall
        case .lumen: self = .lumen
        case .cavity: self = .cavity
        }
    }
}

/// The layers of a tissue from its outer surface inward, with their boundary depths.
public struct LayerStack: Hashable, Sendable {
    public let layers: [TissueLayerDef]
    /// Depth of the outer boundary of layer i (m); `top[layers.count]` is the total thickness.
    public let top: [Double]

    public init(_ layers: [TissueLayerDef]) {
        self.layers = layers
        var t = [0.0]
        for l in layers { t.append(t[t.count - 1] + max(0, l.thickness)) }
        top = t
    }

    /// Index of the layer containing depth `d`, nil above the surface. The last layer extends downward
    /// without end (a needle that goes deeper than the declared layers stays in the last one).
    public func layer(atDepth d: Double) -> Int? {
        guard d >= 0, !layers.isEmpty else { return nil }
        var i = 0
        while i + 1 < layers.count && d >= top[i + 1] { i += 1 }
        return i
    }

    /// Length of [a, b] inside layer i (m); the last layer has no bottom.
    func overlap(_ i: Int, _ a: Double, _ b: Double) -> Double {
        max(0, min(b, i + 1 < layers.count ? top[i + 1] : .infinity) - max(a, top[i]))
    }
}

/// How to build a needle.
public struct NeedleDef: Hashable, Sendable {
    /// Shaft length from hub to tip (m). 21 G cannula ≈ 0.03–0.05 m; spinal needle ≈ 0.09 m.
    public var length: Double
    /// Stiffness holding the needle to its insertion track once inserted (N/m of lateral deviation).
    public var trackStiffness: Double
    /// Radius of the tip used for contact with deformable tissue before it punctures (m).
    public var tipRadius: Double

    public init(length: Double = 0.04, trackStiffness: Double = 300, tipRadius: Double = 0.0005) {
        self.length = length; self.trackStiffness = trackStiffness; self.tipRadius = tipRadius
    }
}

/// Where a needle is this tick: tip position (m) and unit direction from hub to tip, both in the world.
public struct NeedleInput: Hashable, Sendable {
    public var tip: Vec3
    public var direction: Vec3
    public init(tip: Vec3, direction: Vec3) { self.tip = tip; self.direction = direction.normalized }
    /// From a needle body's pose, with the tip at `tipLocal` and the shaft along `axisLocal` (hub → tip).
    public init(pose: Pose, tipLocal: Vec3, axisLocal: Vec3) {
        self.init(tip: pose.transform(tipLocal), direction: pose.transformDirection(axisLocal))
    }
}

/// A puncture found during a tick (tissue and needle indices are added by whoever reports it).
public struct PunctureEvent: Hashable, Sendable {
    public var layer: Int
    /// Axial force when the layer gave (N).
    public var force: Double
    /// Angle between the needle axis and the surface plane (rad); π/2 is perpendicular.
    public var angle: Double
    /// Where the needle axis crosses the layer's rest boundary (m, world).
    public var point: Vec3
}

/// One needle's progress through one tissue. A value; part of the tissue's state.
public struct NeedleContactState: Hashable, Sendable {
    /// Which layers are punctured on this attempt; the first unpunctured one is the one the tip meets next.
    public var punctured: [Bool]
    /// Insertion attempts: each time the tip breaks the outer surface.
    public var attempts: Int = 0
    /// True while the tip is past the punctured outer surface.
    public var inserted: Bool = false
    /// True while the tip may break the outer surface: it was last on the outer side of the surface
    /// plane and has stayed over the patch since. A tip that reaches the layers from the side, or
    /// starts inside, neither presses nor punctures them.
    public var armed: Bool = false
    /// Entry point on the outer surface and track direction of the current attempt (world).
    public var entryPoint: Vec3 = .zero
    public var trackDirection: Vec3 = .zero
    /// Tip depth below the surface along the normal, in rest coordinates (m), 0 when outside.
    public var depth: Double = 0
    /// Layer the tip is in (nil outside or when touching the surface without puncture).
    public var layer: Int?
    /// Axial force of the tissue on the needle this tick (N), positive resisting insertion.
    public var axialForce: Double = 0
    /// Lateral force holding the needle to its track (N, world).
    public var lateralForce: Vec3 = .zero
    /// Tip is in a lumen layer.
    public var flashback: Bool = false
    /// A vessel's back wall was punctured on this attempt.
    public var backWallPunctured: Bool = false
    /// Punctures that happened during the last tick.
    public var events: [PunctureEvent] = []
    /// Deepest depth reached on this attempt (m), for the cutting force.
    var deepest: Double = 0

    public init(layerCount: Int) { punctured = [Bool](repeating: false, count: layerCount) }

    /// Depth of the tip inside each layer (m).
    public func layerDepths(_ stack: LayerStack) -> [Double] {
        stack.layers.indices.map { stack.overlap($0, 0, depth) }
    }

    /// The observation for needle index `needle` in tissue `tissue`.
    public func observation(needle: Int, tissue: Int, stack: LayerStack) -> Observations.NeedleState {
        var s = Observations.NeedleState(needle: needle, tissue: inserted || axialForce != 0 ? tissue : nil, layer: layer,
                                         depth: depth, layerDepths: layerDepths(stack), attempts: attempts,
                                         axialForce: axialForce)
        s.flashback = flashback
        s.backWallPunctured = backWallPunctured
        s.lateralForce = lateralForce.length
        return s
    }

    /// This tick's punctures as observations.
    public func punctureObservations(needle: Int, tissue: Int) -> [Observations.Puncture] {
        events.map { Observations.Puncture(needle: needle, tissue: tissue, layer: $0.layer, force: $0.force, angle: $0.angle, point: $0.point) }
    }

    func hash(into h: inout StateHash) {
        for p in punctured { h.combine(p) }
        h.combine(attempts); h.combine(inserted); h.combine(entryPoint); h.combine(trackDirection); h.combine(depth)
        h.combine(layer ?? -1); h.combine(axialForce); h.combine(lateralForce); h.combine(flashback)
        h.combine(backWallPunctured); h.combine(deepest); h.combine(armed)
        for e in events { h.combine(e.layer); h.combine(e.force); h.combine(e.angle); h.combine(e.point) }
    }

    /// Ends the attempt: the tip has left through the outer surface.
    mutating func withdraw() {
        punctured = punctured.map { _ in false }
        inserted = false; layer = nil; depth = 0; deepest = 0; flashback = false; backWallPunctured = false
        entryPoint = .zero; trackDirection = .zero
    }

    /// How far a tip must come back out above the outer surface to end an attempt (m): tremor at the
    /// surface is not a new attempt.
    public static let reentryClearance = 0.001

    /// One tick of the tip moving from `from` to `to` (world), with depths `d0`, `d1` below the outer surface
    /// in rest coordinates and `normal` the outward surface normal (world). With `geometric`, each layer
    /// gives the moment the tip crosses its top and the tissue exerts no force.
    /// Deformable tissue handles its outer surface by contact and marks layer 0 punctured itself.
    mutating func advance(stack: LayerStack, needle: NeedleDef, from: NeedleInput, to: NeedleInput, d0: Double, d1: Double,
                          normal: Vec3, inFootprint: Bool, dt: Double, geometric: Bool = false) {
        events = []
        let cosIn = -to.direction.dot(normal)
        let sinTheta = max(1e-3, min(1, cosIn))
        let angle = asinClamped(cosIn)
        // leaving: a tip back out above the outer surface (by the clearance) ends the attempt
        if inserted && d1 < -Self.reentryClearance { withdraw() }
        let armedBefore = armed || d0 <= 0
        // puncture sweep: press the first unpunctured layer along the path; give way at its puncture force
        var sigma = 0.0
        while inFootprint, let front = punctured.firstIndex(of: false), inserted || armedBefore {
            let l = stack.layers[front]
            let boundary = stack.top[front]
            let k = max(l.stiffness, 1e-9)
            // normal depth where the force reaches puncture (at the boundary itself when geometric)
            let need = geometric ? boundary : boundary + l.punctureForce * sinTheta / k
            if d1 < need || (cosIn <= 0 && !geometric) || (geometric && d1 <= boundary) { break }
            let s = d1 != d0 ? min(1, max(sigma, (need - d0) / (d1 - d0))) : 1
            let tip = from.tip.lerp(to: to.tip, s)
            let point = tip - to.direction * ((need - boundary) / sinTheta)
            // a layer that offers no resistance (lumen, cavity) is entered, not punctured; the geometric
            // model counts every layer it crosses
            if l.punctureForce > 0 || geometric {
                events.append(PunctureEvent(layer: front, force: geometric ? 0 : k * (need - boundary) / sinTheta, angle: angle,
                                            point: point))
            }
            if front == 0 {
                attempts += 1
                inserted = true
                entryPoint = point
                trackDirection = to.direction
            }
            // through the far side of a vessel: any layer that resists, beyond a lumen
            if l.punctureForce > 0 && stack.layers[..<front].contains(where: { $0.kind == .lumen }) { backWallPunctured = true }
            punctured[front] = true
            sigma = s
        }
        // where the tip is: held at the first unpunctured boundary while pressing it
        let front = punctured.firstIndex(of: false) ?? stack.layers.count
        let limit = front < stack.layers.count ? stack.top[front] : Double.infinity
        depth = inserted ? max(0, min(d1, limit)) : 0
        let pressing = inFootprint && cosIn > 0 && front < stack.layers.count && d1 > limit && (inserted || armedBefore)
        armed = !inserted && (d1 <= 0 || (armedBefore && inFootprint))
        layer = inserted && d1 < limit ? stack.layer(atDepth: depth) : (inserted && front > 0 ? front - 1 : nil)
        flashback = layer.map { stack.layers[$0].kind == .lumen } ?? false
        if geometric { lateralForce = .zero; axialForce = 0; deepest = max(deepest, depth); return }
        // forces: stiffness while pressing, friction along the shaft, cutting at a new tip position
        var force = pressing ? stack.layers[front].stiffness * (d1 - limit) / sinTheta : 0
        let axialSpeed = (to.tip - from.tip).dot(to.direction) / dt
        if inserted {
            let shallowest = max(0, depth - needle.length * sinTheta)
            var friction = 0.0
            for i in 0..<front { friction += stack.layers[i].friction * stack.overlap(i, shallowest, depth) / sinTheta }
            // Karnopp-like: full friction above 1 mm/s, proportional below, so a still needle feels none
            force += friction * max(-1, min(1, axialSpeed / 1e-3))
            if axialSpeed > 0, depth > deepest, let l = layer { force += stack.layers[l].cuttingForce }
            // track: the shaft must pass through the entry point along the entry direction
            let toEntry = entryPoint - to.tip
            let offEntry = toEntry - to.direction * toEntry.dot(to.direction)
            let alongTrack = to.tip - entryPoint
            let offTip = trackDirection * alongTrack.dot(trackDirection) - alongTrack
            lateralForce = (offEntry + offTip) * needle.trackStiffness
        } else {
            lateralForce = .zero
        }
        deepest = max(deepest, depth)
        axialForce = force
    }
}

/// Arc sine of `x` clamped to [−1, 1] (rad).
func asinClamped(_ x: Double) -> Double { atan2(max(-1, min(1, x)), (1 - min(1, x * x)).squareRoot()) }

/// A rigid layered tissue: planar layers under a surface patch attached to a rigid frame (forearm,
/// chest wall). Needles puncture and are tracked without a tetrahedral mesh.
public struct LayeredSlabDef: Hashable, Sendable {
    public var layers: [TissueLayerDef]
    /// Half extents of the surface patch along the frame's local x and z (m).
    public var halfExtentX: Double
    public var halfExtentZ: Double
    /// Puncture on crossing each layer's top, with no forces (`NeedleModel.geometric`).
    public var geometric: Bool

    public init(layers: [TissueLayerDef], halfExtentX: Double = 0.05, halfExtentZ: Double = 0.05, geometric: Bool = false) {
        self.layers = layers; self.halfExtentX = halfExtentX; self.halfExtentZ = halfExtentZ; self.geometric = geometric
    }
}

extension LayeredSlabDef {
    /// The surface frame for a patch centred at `center` with outward `normal`, both in `body`'s frame:
    /// `body * surfaceFrame(center:normal:)` is the slab's frame in the world.
    public static func surfaceFrame(center: Vec3, normal: Vec3) -> Pose {
        Pose(position: center, orientation: Quat(from: .unitY, to: normal))
    }
}

/// State of a slab: the needles' progress and the frame it is attached to.
public struct LayeredSlabState: Hashable, Sendable {
    /// Surface frame (world): origin on the outer surface, local +y the outward normal.
    public var frame: Pose
    public var needles: [NeedleContactState]
    /// Needle inputs of the last tick (where each needle moves from).
    public var lastInputs: [NeedleInput] = []
    public var tick: Int = 0

    public var stateHash: StateHash {
        var h = StateHash()
        h.combine(frame); h.combine(tick)
        for n in needles { n.hash(into: &h) }
        for i in lastInputs { h.combine(i.tip); h.combine(i.direction) }
        return h
    }
}

/// The runtime model of a rigid layered slab.
public struct LayeredSlabModel: Sendable {
    public let def: LayeredSlabDef
    public let stack: LayerStack
    public let needles: [NeedleDef]

    public init(_ def: LayeredSlabDef, needles: [NeedleDef]) {
        self.def = def; self.stack = LayerStack(def.layers); self.needles = needles
    }

    public func makeState(frame: Pose) -> LayeredSlabState {
        LayeredSlabState(frame: frame, needles: needles.map { _ in NeedleContactState(layerCount: stack.layers.count) })
    }

    /// Advances one tick: needles move to `inputs` (one per needle, in order); the slab's frame is `frame`
    /// (nil keeps it). Read punctures and needle states from the returned state.
    public func step(_ state: inout LayeredSlabState, dt: Double, inputs: [NeedleInput], frame: Pose? = nil) {
        if let frame { state.frame = frame }
        let f = state.frame
        let normal = f.transformDirection(.unitY)
        for i in 0..<min(inputs.count, state.needles.count) {
            let to = inputs[i]
            let from = i < state.lastInputs.count ? state.lastInputs[i] : to
            let l0 = f.inverseTransform(from.tip), l1 = f.inverseTransform(to.tip)
            let inside = abs(l1.x) <= def.halfExtentX && abs(l1.z) <= def.halfExtentZ
            state.needles[i].advance(stack: stack, needle: needles[i], from: from, to: to, d0: -l0.y, d1: -l1.y,
                                     normal: normal, inFootprint: inside, dt: dt, geometric: def.geometric)
        }
        state.lastInputs = inputs
        state.tick += 1
    }
}
