import PracticumCore
import PracticumScoring

/// A compiled, immutable scenario: everything in SI units, every reference resolved to an index.
///
/// Indices follow declaration order in the file: body `i` here is body `i` in physics and in
/// `Observations.bodies`; the same holds for regions, tissues, steps, events and variables.
public struct Scenario: Sendable {
    public var id: String
    public var title: String
    public var version: String
    public var description: String
    public var objectives: [String]
    /// Simulated time after which the run ends (s); nil for none.
    public var timeLimit: Double?
    /// FNV-1a hash of the file's bytes (hex), recorded in traces and reports.
    public var contentHash: String
    /// Path of the file it was loaded from, and the folder assets resolve against.
    public var sourcePath: String
    public var scene: Scene
    public var variables: [Variable]
    public var steps: [Step]
    public var events: [Event]
    public var rubric: Rubric
    /// Conditions of rubric errors, by error index (nil when only events raise it).
    public var errorConditions: [CompiledExpr?]
    /// Conditions checked once when the run ends (`at_end`), by error index.
    public var errorEndConditions: [CompiledExpr?]
    /// For `sampled` rubric metrics: the value to capture and when, by metric index.
    public var samples: [Sample?]
    /// Number of state slots the compiled expressions need (for `held(…)`).
    public var slotCount: Int
    /// The content hash split into scene, procedure and rubric (`ScenarioParts`); set by `loadRunnableScenario`, nil when not computed.
    public var parts: ScenarioParts? = nil
    /// Physics ticks per second (Hz): 240 by default, up to 10 kHz for haptic rendering (`physics: {rate: 1000Hz}`).
    public var tickRate: Double = Scenario.defaultTickRate
    /// What the trainee sees and hears while practising (`cues:`); display only, never scored.
    public var cues = Cues()
    /// The arguments of `prev(…)` and `rate(…)`, by history slot: the runner records their values at
    /// the end of every tick.
    public var history: [CExpr] = []
    /// The window (s) of each history slot that belongs to a `peak(…)`.
    public var peakWindows: [Int: Double] = [:]
    /// Per rubric error (by index): after its `when` raises it, a new rising edge counts only once
    /// the condition has been false for at least this long (s); 0 for none (`debounce:`).
    public var errorDebounce: [Double] = []

    /// Radius (m) of the sphere each empty hand collides as with static and kinematic bodies, so
    /// it rests on anatomy instead of passing through (`physics: {hand_radius: 1cm}`; 0 for none).
    public var handRadius: Double = Scenario.defaultHandRadius

    /// The tick rate of a scenario that names none (Hz).
    public static let defaultTickRate = 240.0
    /// An empty hand's collision radius when the file names none: a fingertip, 1 cm.
    public static let defaultHandRadius = 0.01
    /// Seconds per physics tick.
    public var tickLength: Double { 1 / tickRate }
    /// Whether runs differ by their seed: a variable drawn at random or an event armed by chance.
    public var hasVariation: Bool { variables.contains { $0.draw != nil } || events.contains { $0.probability < 1 } }

    public struct Sample: Sendable { public var value: CompiledExpr; public var at: CompiledExpr }

    public func bodyIndex(_ id: String) -> Int? { scene.bodies.firstIndex { $0.id == id } }
}

/// The physical scene: bodies, tissues, regions and the two hands.
public struct Scene: Sendable {
    public var gravity: Vec3
    public var bodies: [Body]
    public var tissues: [Tissue]
    public var regions: [Region]
    /// The mesh assets the bodies use, parsed when the scenario loaded, by resolved path.
    public var meshes: [String: OBJModel] = [:]
    /// How the glTF meshes among them look (colours per vertex, a texture), by the same keys.
    public var meshLooks: [String: MeshLook] = [:]
    /// Joints between bodies (the parts of compound instruments), in file order (see SceneJoints.swift).
    public var joints: [Joint] = []

    /// The physics joint of the scene's joint `k`: each body on a spring slides on a joint of its
    /// own, and those come first.
    public func worldJointIndex(_ k: Int) -> Int { bodies.count { $0.spring != nil } + k }
}

/// How a body moves.
public enum BodyKind: String, Sendable, CaseIterable {
    /// Never moves (anatomy, table).
    case `static`
    /// Moves under gravity and contacts.
    case dynamic
    /// A dynamic body that hands can grasp.
    case instrument
    /// Moved only by scenario events.
    case kinematic
}

public enum Shape: Sendable, Equatable {
    case sphere(radius: Double)
    /// Along the body's local y axis; `halfLength` excludes the end caps.
    case capsule(radius: Double, halfLength: Double)
    case box(halfExtents: Vec3)
    case mesh(path: String, scale: Double)
}

public struct Material: Sendable, Equatable {
    public var staticFriction: Double
    public var dynamicFriction: Double
    public var restitution: Double
    public init(staticFriction: Double = 0.6, dynamicFriction: Double = 0.5, restitution: Double = 0) {
        self.staticFriction = staticFriction; self.dynamicFriction = dynamicFriction; self.restitution = restitution
    }
}

public struct Body: Sendable {
    public var id: String
    public var title: String
    public var kind: BodyKind
    public var shape: Shape
    /// Mass (kg); derived from density and shape volume when the file gives density.
    public var mass: Double
    public var material: Material
    public var pose: Pose
    /// Reference point in the body frame (an instrument's tip), used by distance, depth and angle queries.
    public var tip: Vec3
    /// Unit axis in the body frame (an instrument's shaft direction).
    public var axis: Vec3
    /// RGBA 0…1 for the viewer.
    public var color: [Double]
    /// A spring holding the body to its initial pose along one axis, for e.g. a CPR chest; nil for none.
    public var spring: Spring?
    public var isNeedle: Bool
    /// True if both hands may hold it at once (`two_handed: true`); see `BodyDef.twoHanded`.
    public var twoHanded: Bool = false
    /// What the viewer draws instead of the collision shape, if the file gives one (`visual:`).
    public var visual: Visual? = nil

    public typealias Visual = MeshVisual

    public struct Spring: Sendable, Equatable {
        /// Along the axis: stiffness (N/m; 0 for a free slide) and damping (N·s/m).
        public var stiffness: Double
        public var damping: Double
        /// Unit axis (world) along which the body moves; it is held across it and cannot turn.
        public var axis: Vec3
    }
}

/// A mesh drawn for a body, region or tissue (`visual:`): `mesh` keys `Scene.meshes` (and
/// `Scene.meshLooks`); its vertices × `scale`, placed at `offset` in the owner's frame. It never
/// collides; a body's `shape` does.
public struct MeshVisual: Sendable, Equatable {
    public var mesh: String
    public var scale: Double
    public var offset: Pose
    /// True when the file gives its owner a `color`: the mesh is drawn in that one colour, not in
    /// the colours and texture of its glTF file.
    public var tinted: Bool = false
}

/// A layered tissue patch on a body: a planar surface with layers beneath it.
public struct Tissue: Sendable {
    public var id: String
    public var body: Int
    /// Surface centre and outward normal in the body frame; extent is the half-size of the patch (m).
    public var center: Vec3
    public var normal: Vec3
    public var halfSize: Vec3
    public var layers: [Layer]
    /// Optional deformable block (XPBD): Young's modulus (Pa) and Poisson ratio.
    public var deformable: Deformable?
    /// How needles interact with it: `force` (puncture when the axial force reaches each layer's
    /// puncture force; physics reports the needle state) or `geometric` (puncture on crossing each
    /// layer's top; no forces).
    public var needleModel: NeedleModel = .force
    /// A mesh the viewer draws for the patch (skin over a vein, an intercostal space), placed in
    /// the frame of its body with the origin at the patch's centre; nil for none (layered tissue only:
    /// a deformable block draws its own surface).
    public var visual: MeshVisual? = nil
    public enum NeedleModel: String, Sendable, CaseIterable { case force, geometric }

    /// One layer, from the surface inwards, in SI units (`preset:` already applied).
    public struct Layer: Sendable, Equatable {
        public var id: String
        /// Thickness along the normal (m).
        public var thickness: Double
        /// Resistance to the tip before puncture (N/m).
        public var stiffness: Double
        /// Axial force that punctures it (N).
        public var punctureForce: Double
        /// Friction per metre of shaft inside it (N/m).
        public var friction: Double
        /// Force to cut through it while advancing after puncture (N).
        public var cuttingForce: Double = 0
        /// What it is: a lumen's tip means flashback (see `TissueLayerKind`).
        public var kind: TissueLayerKind = .tissue
    }
    public struct Deformable: Sendable, Equatable {
        public var youngsModulus: Double
        public var poissonRatio: Double
        public var density: Double
        public var resolution: [Int]
    }
}

/// A named region (landmark) attached to a body frame.
public struct Region: Sendable {
    public var id: String
    public var title: String
    public var body: Int?
    public var center: Vec3
    public var shape: RegionShape
    public var color: [Double]
    /// A mesh the viewer draws in the region's frame (a landmark that looks like itself: a vein, a
    /// rib, a crease), besides its marker; nil for none.
    public var visual: MeshVisual? = nil
    public enum RegionShape: Sendable, Equatable {
        case sphere(radius: Double)
        case box(halfExtents: Vec3)
    }
}

/// A state variable (e.g. a vital sign): SI value with bounds and a trend.
public struct Variable: Sendable {
    public var id: String
    public var title: String
    /// Display unit symbol (e.g. `bpm`) and its SI scale.
    public var unit: String
    public var unitScale: Double
    public var dimension: Dimension
    public var initial: Double
    public var min: Double
    public var max: Double
    /// Rate of change per second (SI / s).
    public var trend: Double
    /// Bookkeeping, not a sign to show: kept off the viewer's monitor and the debrief plots.
    /// Authored as `hidden:`; by default a variable with neither unit nor dimension is hidden.
    public var hidden: Bool = false
    /// Drawn per run from the run's seed instead of `initial` (`initial: {uniform: …}` etc.).
    public var draw: RandomDraw? = nil
}

/// A value drawn once per run from the run's seed (SI), kept within the variable's min…max.
public enum RandomDraw: Sendable, Equatable {
    /// Uniform in [lo, hi).
    case uniform(Double, Double)
    /// Normal with this mean and standard deviation.
    case normal(mean: Double, sd: Double)
    /// One of these, each as likely.
    case choice([Double])

    /// The value for the next draw of `rng`.
    public func value(_ rng: inout SeededRandom) -> Double {
        switch self {
        case let .uniform(lo, hi): return rng.uniform(lo, hi)
        case let .normal(mean, sd): return mean + sd * rng.gaussian()
        case let .choice(xs): return xs[Int(rng.next() % UInt64(xs.count))]
        }
    }
}

public struct Step: Sendable {
    public var id: String
    public var title: String
    public var instructions: String
    public var hints: [String]
    public var completeWhen: CompiledExpr
    public var failWhen: CompiledExpr?
    /// Extra condition that must hold before the step becomes active.
    public var precondition: CompiledExpr?
    /// All of these must be settled first.
    public var after: [Int]
    /// At least one of these must be completed first (a join after alternative branches).
    public var afterAny: [Int]
    /// Steps sharing a choice group are alternatives: when one completes, the others are not taken.
    public var choice: String?
    public var optional: Bool
    public var enabled: Bool
    /// Seconds the step may stay active before it fails.
    public var timeLimit: Double?
    /// Region ids the viewer highlights while this step is active.
    public var highlights: [Int]
}

public struct Event: Sendable {
    public var id: String
    public var when: CompiledExpr
    public var once: Bool
    public var effects: [Effect]
    /// After it fires, a new rising edge of the trigger fires it only once the trigger has been
    /// false for at least this long (s); 0 for none (`debounce:`).
    public var debounce: Double = 0
    /// Chance (0…1) that the event is armed in a run, drawn from the run's seed; an event not armed
    /// never fires (`probability:`; 1: always).
    public var probability: Double = 1
    /// An instructor may fire it during a live session (`instructor: true`): it then also fires at
    /// every tick whose input holds the button `instructor.<id>` (`Event.instructorButtonPrefix`),
    /// which is how a trace records the trigger. Without another trigger it fires only that way.
    public var instructor: Bool = false

    /// Buttons named with this prefix and an event id fire that instructor-triggerable event.
    public static let instructorButtonPrefix = "instructor."
    /// The button that fires this event, when it is instructor-triggerable.
    public var instructorButton: String { Self.instructorButtonPrefix + id }
}

/// What an event does when it fires.
public enum Effect: Sendable {
    case setVariable(Int, Double)
    /// `set` with an expression: evaluated when the effect runs (SI, the variable's kind), then clamped.
    case setVariableTo(Int, CompiledExpr)
    case trendVariable(Int, Double)
    case message(String)
    case enableSteps([Int])
    case skipSteps([Int])
    /// Back to pending for another attempt, with every step waiting on them that is not completed;
    /// each step at most `max` times (nil: no limit).
    case retrySteps([Int], max: Int?)
    case moveBody(Int, Pose)
    case setMaterial(Int, Material)
    case raiseError(Int)
    case end(reason: String, failed: Bool)
}
