// ViewScene → draw list: every GL-free decision about what is drawn, how and in which order.
import PracticumCore

/// One draw call's worth of state.
public struct DrawItem: Sendable, Equatable {
    public var geometry: GeometryKey
    public var model: Mat4
    public var color: RGBA
    public var highlighted: Bool
    /// What a hand would grasp if its grip closed now: drawn with a green rim.
    public var graspCue = false
    /// Back faces can be skipped: a closed primitive (sphere, box, capsule) whose model matrix keeps the
    /// winding (positive determinant), opaque, or translucent and seen from outside (one see-through layer,
    /// its near side, at the item's alpha; from inside, the far side). Halves the fill of such shapes on
    /// software GL, where far faces were shaded or blended before the near faces covered them.
    public var cullBackFaces = false
    /// Corners of a box around the geometry in its own frame (before `model`), m or unit-primitive units.
    public var localMin = Vec3(-1, -1, -1), localMax = Vec3(1, 1, 1)
}

/// The frame's draw calls: opaque first (any order), then translucent back to front.
public struct DrawList: Sendable, Equatable {
    public var opaque: [DrawItem] = []
    /// Sorted farthest first from the eye point the list was built for.
    public var translucent: [DrawItem] = []
    /// Static meshes the renderer may need to upload, by first use.
    public var meshes: [TriangleMesh] = []
    /// Dynamic meshes whose vertices must be re-uploaded this frame.
    public var dynamicMeshes: [DynamicMesh] = []

    /// Colours of the two hands (left, right), as the key map in the help overlay names them.
    public static let handColors = [RGBA(0.25, 0.55, 1.0), RGBA(1.0, 0.55, 0.15)]
    /// Hands holding or over an instrument are drawn see-through: a needle under a 7 cm palm would otherwise be hidden.
    public static let handAlpha = 0.5

    /// Spheres and capsules whose bounding radius is below this fraction of their distance from the eye
    /// (about 15 px in the 60° mono view, 11 px per 80° stereo eye) are drawn with the coarse tessellation.
    public static let coarseBelow = 0.025

    /// Thin drawables (`Drawable.thin`) are widened to at least this many pixels across.
    public static let minimumPixelWidth = 3.0

    /// The eye point the list is built for (world m): sorts translucent items, picks coarse tessellations.
    private var eye = Vec3.zero

    /// Builds the draw list for `scene` seen from `eye` (world m; used to sort translucent items).
    /// `pixelAngle` is the angle one pixel subtends (rad; `Lens.pixelAngle`): thin drawables are widened
    /// to `minimumPixelWidth` pixels at their distance. 0 draws everything at its true size.
    public init(scene: ViewScene, eye: Vec3, pixelAngle: Double = 0) {
        self.eye = eye
        for d in scene.drawables {
            let scale = d.thin ? d.scale.scaled(by: DrawList.widening(d.shape, pose: d.pose, eye: eye, pixelAngle: pixelAngle)) : d.scale
            append(shape: d.shape, model: .model(d.pose, scale: scale), scale: scale, color: d.color, highlighted: d.highlighted,
                   graspCue: d.graspable == .candidate)
        }
        for sh in scene.shadows { appendShadow(sh) }
        for m in scene.dynamicMeshes {
            var item = DrawItem(geometry: .dynamic(id: m.id), model: .identity, color: m.color, highlighted: m.highlighted)
            (item.localMin, item.localMax) = DrawList.bounds(m.positions)
            if m.color.a < 1 { translucent.append(item) } else { opaque.append(item) }
            dynamicMeshes.append(m)
        }
        for l in scene.landmarks {
            let r = l.highlighted ? l.radius * 1.25 : l.radius
            append(shape: .sphere(radius: r), model: .model(Pose(position: l.position), scale: Vec3(1, 1, 1)),
                   scale: Vec3(1, 1, 1), color: l.color, highlighted: l.highlighted)
        }
        for h in scene.hands {
            if let model = scene.handModel { appendHandMesh(h, model) } else { appendHand(h) }
        }
        for r in scene.regions {
            // regions are see-through so the anatomy inside stays visible; more opaque when flagged
            let alpha = r.highlighted ? max(r.color.a, 0.45) : min(r.color.a, 0.3)
            append(shape: r.shape, model: .model(r.pose), scale: Vec3(1, 1, 1), color: r.color.withAlpha(alpha),
                   highlighted: r.highlighted, forceTranslucent: true)
        }
        // opaque front to back so the depth test rejects hidden fragments before shading (software GL
        // is fill-bound); translucent back to front for correct blending. Ties keep insertion order.
        opaque = DrawList.sorted(opaque, eye: eye, farthestFirst: false)
        translucent = DrawList.sorted(translucent, eye: eye, farthestFirst: true)
    }

    /// Items ordered by the distance of their origin from `eye`, stable (total order: distance, then index).
    static func sorted(_ items: [DrawItem], eye: Vec3, farthestFirst: Bool) -> [DrawItem] {
        let keyed = items.enumerated().map { (i, item) -> (Double, Int, DrawItem) in
            let c = item.model.c3
            let d = Vec3(c.x, c.y, c.z).distance(to: eye)
            return (farthestFirst ? -d : d, i, item)
        }
        return keyed.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
    }

    /// The local scale that makes a thin capsule or box at least `minimumPixelWidth` pixels across
    /// (its thin axes only, so a needle keeps its length).
    static func widening(_ shape: Shape, pose: Pose, eye: Vec3, pixelAngle: Double) -> Vec3 {
        guard pixelAngle > 0 else { return Vec3(1, 1, 1) }
        let want = 0.5 * minimumPixelWidth * pixelAngle * pose.position.distance(to: eye)
        switch shape {
        case let .capsule(r, _) where r > 0 && r < want:
            return Vec3(want / r, 1, want / r)
        case let .box(e):
            func f(_ x: Double) -> Double { x > 0 && x < want ? want / x : 1 }
            return Vec3(f(e.x), f(e.y), f(e.z))
        default: return Vec3(1, 1, 1)
        }
    }

    /// A contact shadow: a dark disc on the surface, smaller and darker the closer the caster, and a
    /// faint drop line up to the caster.
    private mutating func appendShadow(_ s: ContactShadow) {
        let closeness = max(0, 1 - s.height / 0.5)
        let r = 0.006 + s.height * 0.12
        append(shape: .sphere(radius: 1), model: .model(Pose(position: s.position), scale: Vec3(r, 0.0004, r)), scale: Vec3(r, 0.0004, r),
               color: RGBA(0, 0, 0, 0.2 + 0.35 * closeness), highlighted: false)
        let length = s.caster.distance(to: s.position)
        guard length > 0.002 else { return }
        let mid = (s.caster + s.position) * 0.5
        let half = Vec3(0.0004, length / 2, 0.0004)
        append(shape: .box(halfExtents: half), model: .model(Pose(position: mid)), scale: Vec3(1, 1, 1),
               color: RGBA(0.1, 0.1, 0.1, 0.45), highlighted: false)
    }

    private mutating func append(shape: Shape, model: Mat4, scale: Vec3, color: RGBA, highlighted: Bool, graspCue: Bool = false,
                                 forceTranslucent: Bool = false) {
        var (key, local) = DrawList.geometry(for: shape)
        if case let .mesh(mesh) = shape, !meshes.contains(where: { $0.id == mesh.id }) { meshes.append(mesh) }
        let world = model * local
        let distance = Vec3(world.c3.x, world.c3.y, world.c3.z).distance(to: eye)
        let radius = DrawList.boundingRadius(key, model: world)
        if key.hasCoarseVariant, let r = radius, r < DrawList.coarseBelow * distance { key = .coarse(key) }
        var item = DrawItem(geometry: key, model: world, color: color, highlighted: highlighted)
        item.graspCue = graspCue
        switch shape {
        case .plane: (item.localMin, item.localMax) = (Vec3(-1, 0, -1), Vec3(1, 0, 1))
        case let .capsule(r, h): (item.localMin, item.localMax) = (Vec3(-r, -h - r, -r), Vec3(r, h + r, r))
        case let .mesh(m): (item.localMin, item.localMax) = DrawList.bounds(m.positions)
        case .sphere, .box: break   // unit primitives scaled by `local`
        }
        // a single-sided mesh (glTF's default) is closed for culling as the primitives are
        var closed = key.isClosed && world.linearDeterminant > 0
        if case let .mesh(m) = shape { closed = !m.doubleSided && world.linearDeterminant > 0 }
        if forceTranslucent || color.a < 1 {
            // fully transparent (a region authored with alpha 0): nothing to see, only fill to pay for
            guard color.a > 0 else { return }
            if let r = radius, distance > r { item.cullBackFaces = closed }
            translucent.append(item)
            return
        }
        item.cullBackFaces = closed
        opaque.append(item)
    }

    /// The smallest box around `points` (a degenerate box at the origin when there are none).
    static func bounds(_ points: [Vec3]) -> (Vec3, Vec3) {
        guard let first = points.first else { return (.zero, .zero) }
        return points.reduce((first, first)) { (Vec3.min($0.0, $1), Vec3.max($0.1, $1)) }
    }

    /// The part of `view`'s viewport the list's items can cover: the pixel rectangle around the projections
    /// of every item's bounding-box corners, one pixel wider for edge samples, clipped to the viewport; the
    /// whole viewport when an item reaches behind the near plane; nil when nothing is in view. The renderer
    /// resolves only this part of the multisampled scene; the rest of the eye is background.
    public func screenRect(in view: EyeView) -> Viewport? {
        let vp = view.viewport
        var x0 = Double.infinity, y0 = Double.infinity, x1 = -Double.infinity, y1 = -Double.infinity
        for items in [opaque, translucent] {
          for item in items {
            let m = view.viewProjection * item.model
            for corner in 0..<8 {
                let p = Vec3(corner & 1 == 0 ? item.localMin.x : item.localMax.x, corner & 2 == 0 ? item.localMin.y : item.localMax.y,
                             corner & 4 == 0 ? item.localMin.z : item.localMax.z)
                let c = m.apply(p)
                guard c.w > 1e-6 else { return vp }
                // window pixels, origin bottom-left as the viewport
                let px = Double(vp.x) + (c.x / c.w + 1) / 2 * Double(vp.width), py = Double(vp.y) + (c.y / c.w + 1) / 2 * Double(vp.height)
                x0 = min(x0, px); x1 = max(x1, px); y0 = min(y0, py); y1 = max(y1, py)
            }
          }
        }
        guard x0 <= x1 else { return nil }   // no items
        let clamp = { (v: Double) in min(max(v, -1e6), 1e6) }
        x0 = clamp(x0); x1 = clamp(x1); y0 = clamp(y0); y1 = clamp(y1)
        let left = max(Int((x0 - 1).rounded(.down)), vp.x), right = min(Int((x1 + 1).rounded(.up)), vp.x + vp.width)
        let bottom = max(Int((y0 - 1).rounded(.down)), vp.y), top = min(Int((y1 + 1).rounded(.up)), vp.y + vp.height)
        guard right > left, top > bottom else { return nil }
        return Viewport(x: left, y: bottom, width: right - left, height: top - bottom)
    }

    /// World bounding-sphere radius (about the model's origin) of a sphere, box or capsule drawn with `model`
    /// (nil for other geometry).
    static func boundingRadius(_ key: GeometryKey, model: Mat4) -> Double? {
        func squaredLength(_ v: SIMD4<Double>) -> Double { v.x * v.x + v.y * v.y + v.z * v.z }
        let squares = [squaredLength(model.c0), squaredLength(model.c1), squaredLength(model.c2)]
        let largest = squares.max()!.squareRoot()
        switch key {
        case .sphere: return largest
        case .box: return squares.reduce(0, +).squareRoot()
        case let .capsule(r, h): return Double(r + h) * 1e-6 * largest
        default: return nil
        }
    }

    /// The cached geometry for a shape and the local scale that sizes the unit primitive.
    static func geometry(for shape: Shape) -> (GeometryKey, Mat4) {
        func scale(_ s: Vec3) -> Mat4 { .model(.identity, scale: s) }
        switch shape {
        case let .sphere(r): return (.sphere, scale(Vec3(r, r, r)))
        case let .box(h): return (.box, scale(h))
        case let .plane(h): return (.plane, scale(Vec3(h, 1, h)))
        case let .capsule(r, h):
            return (.capsule(radiusMicrons: Int((r * 1e6).rounded()), halfHeightMicrons: Int((h * 1e6).rounded())), .identity)
        case let .mesh(m): return (.mesh(id: m.id), .identity)
        }
    }

    /// A hand mesh at the hand's pose, in the grip step nearest its grip; the left hand mirrored in x.
    /// Tinted towards the hand's colour (so left and right stay told apart), see-through while it holds
    /// or could take something, as the gizmo is.
    private mutating func appendHandMesh(_ h: HandMarker, _ model: HandModel) {
        let base = DrawList.handColors[h.index == 0 ? 0 : 1]
        var color = model.colored ? RGBA(1, 1, 1).mixed(with: base, 0.3) : base
        if h.holding != nil || h.candidate != nil { color = color.withAlpha(DrawList.handAlpha) }
        let mirror = Vec3(h.index == 0 ? -1 : 1, 1, 1)
        append(shape: .mesh(model.mesh(grip: h.grip)), model: .model(h.pose, scale: mirror), scale: mirror, color: color, highlighted: h.active)
    }

    /// A hand gizmo: a palm plate (local +y is the back of the hand) and a pointer finger along −z.
    /// A closed grip shortens the finger and darkens the colour; the active hand glows.
    private mutating func appendHand(_ h: HandMarker) {
        let base = DrawList.handColors[h.index == 0 ? 0 : 1]
        let closed = h.grip > 0.5
        // see-through while it holds something or is over something it could take, so that the
        // instrument stays visible; opaque otherwise (blending a palm costs fill on software GL)
        let solid = closed ? base.mixed(with: .black, 0.35) : base
        let color = h.holding != nil || h.candidate != nil ? solid.withAlpha(DrawList.handAlpha) : solid
        let hand = Mat4.model(h.pose)
        append(shape: .box(halfExtents: Vec3(0.035, 0.01, 0.045)), model: hand, scale: Vec3(1, 1, 1), color: color, highlighted: h.active)
        let fingerLength = closed ? 0.015 : 0.035
        let finger = Pose(position: Vec3(0, 0, -0.045 - fingerLength))
        append(shape: .box(halfExtents: Vec3(0.007, 0.007, fingerLength)), model: hand * .model(finger), scale: Vec3(1, 1, 1),
               color: color, highlighted: h.active)
    }
}
