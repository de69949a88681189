// The view model: everything the viewer draws in one frame, as plain values.
//
// The viewer never reads physics, scenario or procedure types directly. Whoever owns the
// session fills a `ViewScene` from its state (poses, tissue vertices, step statuses, vitals),
// and the viewer turns it into draw calls. That keeps the viewer testable without a session
// and lets a headset front end consume the same model later.
import PracticumCore
import PracticumScenario

/// An RGBA colour with components in 0...1 (linear, not premultiplied).
public struct RGBA: Sendable, Equatable, Hashable, Codable {
    public var r: Double, g: Double, b: Double, a: Double
    public init(_ r: Double, _ g: Double, _ b: Double, _ a: Double = 1) { self.r = r; self.g = g; self.b = b; self.a = a }
    /// The same colour with alpha replaced.
    public func withAlpha(_ a: Double) -> RGBA { RGBA(r, g, b, a) }
    /// Linear blend towards `o` by `t` (0 = self, 1 = o), alpha included.
    public func mixed(with o: RGBA, _ t: Double) -> RGBA {
        RGBA(r + (o.r - r) * t, g + (o.g - g) * t, b + (o.b - b) * t, a + (o.a - a) * t)
    }
    public static let white = RGBA(1, 1, 1)
    public static let black = RGBA(0, 0, 0)
}

/// A triangle mesh in its local frame: metres, counter-clockwise front faces.
///
/// `id` identifies the geometry for GPU caching: two meshes with the same `id` must have the
/// same vertices. Arrays are copy-on-write, so putting a mesh in every frame's scene is cheap.
public struct TriangleMesh: Sendable, Equatable {
    public var id: Int
    public var positions: [Vec3]
    /// One unit normal per position; empty means "compute smooth normals from the faces".
    public var normals: [Vec3]
    /// Three indices per triangle.
    public var indices: [UInt32]
    /// RGBA per position, multiplied with the drawable's colour; empty means white.
    public var colors: [SIMD4<Float>] = []
    /// Texture coordinate per position (u, v, w: 1 where `texture` is sampled, 0 where not); empty
    /// means untextured.
    public var uvs: [SIMD3<Float>] = []
    /// The base-colour texture `uvs` sample.
    public var texture: MeshTexture?
    /// False when the faces turned away from the eye need not be drawn (a glTF file's single-sided
    /// materials, wound counter-clockwise outward); true draws both sides (OBJ, `doubleSided`).
    public var doubleSided = true
    public init(id: Int, positions: [Vec3], normals: [Vec3] = [], indices: [UInt32]) {
        self.id = id; self.positions = positions; self.normals = normals; self.indices = indices
    }
}

/// The shape of a drawable, in its local frame (centred at the origin).
public enum Shape: Sendable, Equatable {
    /// Radius in m.
    case sphere(radius: Double)
    /// Capsule along local +y: radius and half the length of the cylindrical part, in m.
    case capsule(radius: Double, halfHeight: Double)
    /// Box with half extents in m.
    case box(halfExtents: Vec3)
    /// A square in the local x–z plane facing +y, half size in m.
    case plane(halfSize: Double)
    /// A static triangle mesh (anatomy, instruments loaded from assets).
    case mesh(TriangleMesh)
}

/// One thing to draw with a rigid pose.
public struct Drawable: Sendable, Equatable {
    /// Stable identity across frames; used to interpolate between two states.
    public var id: Int
    public var shape: Shape
    public var pose: Pose
    /// Per-axis scale applied in the local frame before the pose.
    public var scale: Vec3
    public var color: RGBA
    /// Drawn with an emissive pulse and rim so the trainee sees what the current step concerns.
    public var highlighted: Bool
    /// Drawn at least `DrawList.minimumPixelWidth` wide however far away (needles, wires): a 0.6 mm
    /// needle is under a pixel across at arm's length.
    public var thin: Bool
    /// What a hand would grasp now (drawn with a grasp rim), or holds.
    public var graspable: GraspMark?
    public init(id: Int, shape: Shape, pose: Pose = .identity, scale: Vec3 = Vec3(1, 1, 1), color: RGBA, highlighted: Bool = false,
                thin: Bool = false, graspable: GraspMark? = nil) {
        self.id = id; self.shape = shape; self.pose = pose; self.scale = scale; self.color = color; self.highlighted = highlighted
        self.thin = thin; self.graspable = graspable
    }
}

/// How a drawable relates to the hands: a hand would grasp it if its grip closed now, or holds it.
public enum GraspMark: Sendable, Equatable { case candidate, held }

/// A soft dark disc on the surface under a held instrument (or a hand), so the trainee can judge
/// height above the skin without stereo.
public struct ContactShadow: Sendable, Equatable {
    /// Centre on the surface below, world m.
    public var position: Vec3
    /// Surface normal there (world up for now).
    public var normal: Vec3
    /// Height of the caster above the surface, m: the disc shrinks and darkens as it comes down.
    public var height: Double
    /// The point casting the shadow (an instrument's tip), for the drop line.
    public var caster: Vec3
    public init(position: Vec3, normal: Vec3 = .unitY, height: Double, caster: Vec3) {
        self.position = position; self.normal = normal; self.height = height; self.caster = caster
    }
}

/// A mesh whose vertices change every frame (soft tissue). Topology is fixed for the run.
public struct DynamicMesh: Sendable, Equatable {
    public var id: Int
    /// World-space vertex positions in m.
    public var positions: [Vec3]
    /// Three indices per triangle; must not change between frames.
    public var indices: [UInt32]
    public var color: RGBA
    public var highlighted: Bool
    public init(id: Int, positions: [Vec3], indices: [UInt32], color: RGBA, highlighted: Bool = false) {
        self.id = id; self.positions = positions; self.indices = indices; self.color = color; self.highlighted = highlighted
    }
}

/// A tracked hand as the viewer shows it: a small palm gizmo with a pointer.
public struct HandMarker: Sendable, Equatable {
    /// 0 left, 1 right (the `InputFrame.hands` index).
    public var index: Int
    public var pose: Pose
    /// 0...1; drawn closed above 0.5.
    public var grip: Double
    /// The hand the keyboard currently moves.
    public var active: Bool
    /// The drawable this hand holds, if any.
    public var holding: Int?
    /// The drawable this open hand would grasp if its grip closed now (highlighted before the grip closes).
    public var candidate: Int?
    /// The held instrument's axis in world space (the push gesture moves along it), nil when it has none.
    public var heldAxis: Vec3?
    public init(index: Int, pose: Pose, grip: Double = 0, active: Bool = false, holding: Int? = nil, candidate: Int? = nil, heldAxis: Vec3? = nil) {
        self.index = index; self.pose = pose; self.grip = grip; self.active = active
        self.holding = holding; self.candidate = candidate; self.heldAxis = heldAxis
    }
}

/// A named anatomical region (insertion zone, danger zone): drawn translucent.
public struct RegionMarker: Sendable, Equatable {
    public var id: Int
    public var name: String
    public var shape: Shape
    public var pose: Pose
    public var color: RGBA
    public var highlighted: Bool
    public init(id: Int, name: String, shape: Shape, pose: Pose, color: RGBA, highlighted: Bool = false) {
        self.id = id; self.name = name; self.shape = shape; self.pose = pose; self.color = color; self.highlighted = highlighted
    }
}

/// A named anatomical landmark (a point the trainee should palpate or target): a small sphere.
public struct LandmarkMarker: Sendable, Equatable {
    public var id: Int
    public var name: String
    /// World position in m.
    public var position: Vec3
    /// Drawn radius in m (typically 5–10 mm).
    public var radius: Double
    public var color: RGBA
    public var highlighted: Bool
    public init(id: Int, name: String, position: Vec3, radius: Double = 0.008, color: RGBA, highlighted: Bool = false) {
        self.id = id; self.name = name; self.position = position; self.radius = radius; self.color = color; self.highlighted = highlighted
    }
}

/// What to draw this frame: the 3-D scene plus the HUD.
public struct ViewScene: Sendable, Equatable {
    /// Simulated time of this state in s.
    public var time: Double
    public var drawables: [Drawable]
    public var dynamicMeshes: [DynamicMesh]
    public var hands: [HandMarker]
    public var regions: [RegionMarker]
    public var landmarks: [LandmarkMarker]
    public var shadows: [ContactShadow]
    public var hud: HUDModel
    /// The mesh drawn as each hand; nil draws the palm-and-pointer gizmo.
    public var handModel: HandModel?
    public init(time: Double = 0, drawables: [Drawable] = [], dynamicMeshes: [DynamicMesh] = [], hands: [HandMarker] = [],
                regions: [RegionMarker] = [], landmarks: [LandmarkMarker] = [], shadows: [ContactShadow] = [], hud: HUDModel = HUDModel()) {
        self.time = time; self.drawables = drawables; self.dynamicMeshes = dynamicMeshes; self.hands = hands
        self.regions = regions; self.landmarks = landmarks; self.shadows = shadows; self.hud = hud
    }
}

/// One line of the step checklist.
public struct ChecklistItem: Sendable, Equatable {
    public var title: String
    public var status: StepStatus
    public init(title: String, status: StepStatus) { self.title = title; self.status = status }
}

/// One row of the patient monitor (a scenario state variable), already in display units.
public struct MonitorRow: Sendable, Equatable {
    public var name: String
    public var value: Double
    /// Display unit, e.g. `/min`, `mmHg`, `%`.
    public var unit: String
    /// Digits after the decimal point.
    public var decimals: Int
    /// Outside its normal range: drawn in the alarm colour.
    public var alarm: Bool
    public init(name: String, value: Double, unit: String, decimals: Int = 0, alarm: Bool = false) {
        self.name = name; self.value = value; self.unit = unit; self.decimals = decimals; self.alarm = alarm
    }
}

/// A message for the trainee (event fired, error made), shown for a while after `time`.
public struct HUDMessage: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case info, warning, error }
    public var text: String
    /// Simulated time it was emitted, s.
    public var time: Double
    public var kind: Kind
    public init(text: String, time: Double, kind: Kind = .info) { self.text = text; self.time = time; self.kind = kind }
}

/// One error in the debrief with the feedback the rubric gives for it.
public struct DebriefError: Sendable, Equatable {
    public var title: String
    public var feedback: String
    public var critical: Bool
    /// Simulated time it occurred, s (nil: judged at the end).
    public var time: Double?
    public init(title: String, feedback: String, critical: Bool = false, time: Double? = nil) {
        self.title = title; self.feedback = feedback; self.critical = critical; self.time = time
    }
}

/// One rubric metric in the debrief: its value against its target.
public struct DebriefMetric: Sendable, Equatable {
    public var title: String
    /// As reports show it, e.g. `5.4 cm`.
    public var value: String
    /// e.g. `5–6 cm`; empty when the metric has no target.
    public var target: String
    /// nil when it has no target.
    public var met: Bool?
    public init(title: String, value: String, target: String, met: Bool?) {
        self.title = title; self.value = value; self.target = target; self.met = met
    }
}

/// The end-of-run panel.
public struct DebriefModel: Sendable, Equatable {
    public var score: Double
    public var maxScore: Double
    public var passed: Bool
    public var errors: [DebriefError]
    public var metrics: [DebriefMetric]
    /// Why it did not pass (the report's failed criteria), empty when it passed.
    public var reasons: [String]
    /// Where the HTML report of this attempt was written, if it was.
    public var reportPath: String?
    public init(score: Double, maxScore: Double = 100, passed: Bool, errors: [DebriefError] = [], metrics: [DebriefMetric] = [],
                reasons: [String] = [], reportPath: String? = nil) {
        self.score = score; self.maxScore = maxScore; self.passed = passed; self.errors = errors
        self.metrics = metrics; self.reasons = reasons; self.reportPath = reportPath
    }
}

/// A live gauge on the HUD (a scenario's `cues.gauges`), already in display units.
public struct GaugeModel: Sendable, Equatable {
    public var title: String
    public var value: Double
    public var unit: String
    /// The dial's span.
    public var low: Double, high: Double
    /// The target band (either end may be open), nil for none.
    public var targetLow: Double?, targetHigh: Double?
    public var decimals: Int
    /// Shown only while the trainee has assists on (G).
    public var assist: Bool
    public init(title: String, value: Double, unit: String, low: Double, high: Double, targetLow: Double? = nil, targetHigh: Double? = nil,
                decimals: Int = 1, assist: Bool = false) {
        self.title = title; self.value = value; self.unit = unit; self.low = low; self.high = high
        self.targetLow = targetLow; self.targetHigh = targetHigh; self.decimals = decimals; self.assist = assist
    }
    public var hasTarget: Bool { targetLow != nil || targetHigh != nil }
    /// Inside its target band (true when it has none).
    public var inTarget: Bool { value >= (targetLow ?? -.infinity) && value <= (targetHigh ?? .infinity) }
}

/// Everything the HUD shows that comes from the session (the viewer adds help and frame-time overlays itself).
public struct HUDModel: Sendable, Equatable {
    /// Scenario title (top of the step panel).
    public var title: String
    public var stepTitle: String
    public var instructions: String
    public var checklist: [ChecklistItem]
    /// Simulated seconds since the start.
    public var elapsed: Double
    /// Time limit in s, if the scenario has one.
    public var timeLimit: Double?
    /// Shown only while non-nil (the trainee asked for a hint).
    public var hint: String?
    public var monitor: [MonitorRow]
    /// Recent messages, oldest first; the HUD shows the last few.
    public var messages: [HUDMessage]
    /// Present once the run has ended.
    public var debrief: DebriefModel?
    /// A line shown across the top, e.g. a scenario reload error.
    public var banner: String?
    /// Live gauges (only those shown now).
    public var gauges: [GaugeModel] = []
    /// Errors as they happen (title and feedback), when the scenario gives live feedback; shown for `HUDLayout.toastSeconds`.
    public var toasts: [HUDMessage] = []
    /// The loaded scenario's own keys (its buttons), listed by F1 after the viewer's.
    public var keys: [KeyBinding] = []
    public init(title: String = "", stepTitle: String = "", instructions: String = "", checklist: [ChecklistItem] = [],
                elapsed: Double = 0, timeLimit: Double? = nil, hint: String? = nil, monitor: [MonitorRow] = [],
                messages: [HUDMessage] = [], debrief: DebriefModel? = nil, banner: String? = nil) {
        self.title = title; self.stepTitle = stepTitle; self.instructions = instructions; self.checklist = checklist
        self.elapsed = elapsed; self.timeLimit = timeLimit; self.hint = hint; self.monitor = monitor
        self.messages = messages; self.debrief = debrief; self.banner = banner
    }
}

extension ViewScene {
    /// The scene `t` of the way from `a` to `b` (0 = a, 1 = b), for drawing between two physics ticks.
    ///
    /// Rigid poses, hand poses and tissue vertices are interpolated where the item exists in both
    /// states with the same id and size; everything else (HUD, colours, flags) is taken from `b`,
    /// the newer state, so nothing the trainee reads is ever a blend.
    public static func interpolated(from a: ViewScene, to b: ViewScene, _ t: Double) -> ViewScene {
        var out = b
        out.time = a.time + (b.time - a.time) * t
        for i in out.drawables.indices {
            if let j = matchingIndex(a.drawables, i, id: out.drawables[i].id, key: \.id) {
                out.drawables[i].pose = a.drawables[j].pose.interpolated(to: b.drawables[i].pose, t)
            }
        }
        for i in out.dynamicMeshes.indices {
            if let j = matchingIndex(a.dynamicMeshes, i, id: out.dynamicMeshes[i].id, key: \.id),
               a.dynamicMeshes[j].positions.count == b.dynamicMeshes[i].positions.count {
                let pa = a.dynamicMeshes[j].positions, pb = b.dynamicMeshes[i].positions
                out.dynamicMeshes[i].positions = (0..<pb.count).map { pa[$0].lerp(to: pb[$0], t) }
            }
        }
        for i in out.hands.indices {
            if let j = matchingIndex(a.hands, i, id: out.hands[i].index, key: \.index) {
                out.hands[i].pose = a.hands[j].pose.interpolated(to: b.hands[i].pose, t)
            }
        }
        return out
    }

    /// Index in `items` of the element with `id`: the same position when it matches (the usual
    /// case, O(1)), else a linear search in order (deterministic, no hashing).
    private static func matchingIndex<T>(_ items: [T], _ i: Int, id: Int, key: KeyPath<T, Int>) -> Int? {
        if i < items.count, items[i][keyPath: key] == id { return i }
        return items.firstIndex { $0[keyPath: key] == id }
    }
}
