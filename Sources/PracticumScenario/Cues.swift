import PracticumCore
import PracticumScoring

/// What the trainee sees and hears while practising, as the instructor declared it (`cues:`).
///
/// Cues are display only: they never change physics, the procedure or the score, so a scenario
/// with cues scores a trace exactly as the same scenario without them. Their expressions are
/// evaluated once per tick by the runner (stateful queries such as `held(…)` and `since(…)` need
/// every tick) into `ProcedureFrame.cues`, at the index each cue names.
public struct Cues: Sendable {
    /// When rubric errors show their feedback to the trainee.
    public enum ErrorFeedback: String, Sendable, CaseIterable {
        /// A toast with the error's title and feedback the moment it occurs (and in the debrief).
        case live
        /// Only in the debrief after the run.
        case debrief
    }

    public var errors: ErrorFeedback = .live
    public var gauges: [Gauge] = []
    public var parts: [Part] = []
    public var appearance: [Appearance] = []
    public var sounds: [Sound] = []
    /// Keys for the named buttons the scenario's expressions query (`button("…")`), declared and
    /// assigned; sorted by button name.
    public var buttons: [ButtonKey] = []
    /// Where the trainee's head (the viewer's camera) starts: an eye point and the point it looks at,
    /// world m; nil for the viewer's default.
    public var viewpoint: (eye: Vec3, target: Vec3)?
    /// What is drawn as each tracked hand (e.g. laparoscopic graspers); nil for the viewer's own hands.
    public var hands: HandLook?
    /// The expressions all cues read, evaluated every tick in this order.
    public var expressions: [CompiledExpr] = []

    public init() {}

    /// A mesh drawn as each tracked hand, in two poses: `open` at grip 0 and `closed` at grip 1 (the
    /// viewer blends between them), both placed in the hand's frame (origin at the grip point, +y the
    /// back of the hand, fingers along −z). The left hand is drawn mirrored in x.
    public struct HandLook: Sendable, Equatable {
        public var open: MeshVisual
        public var closed: MeshVisual
    }

    /// A HUD gauge: a live value against its target band.
    public struct Gauge: Sendable {
        public var id: String
        public var title: String
        /// Index in `expressions` of the value (SI).
        public var value: Int
        /// Index in `expressions` of the condition under which it is shown (nil: always).
        public var shownWhen: Int?
        /// Display unit (e.g. `cm`, `/min`, `deg`) and its SI scale; "" and 1 for a plain number.
        public var unit: String
        public var unitScale: Double
        /// The dial's span, SI.
        public var low: Double, high: Double
        /// The band the value should be in (SI), nil for none.
        public var target: Target?
        /// An assist: shown only when the trainee turns assists on (G), for a first practice run.
        public var assist: Bool
        /// When set, the gauge shows the largest value of the last `peak` seconds (the depth of the
        /// last compression, the peak force of a push) instead of the value now.
        public var peak: Double?
    }

    /// A shape drawn on a body that does not collide (a flashback chamber, a depth mark, a label plate).
    public struct Part: Sendable {
        public var id: String
        public var body: Int
        public var shape: Shape
        /// Pose in the body's frame.
        public var pose: Pose
        public var color: [Double]
    }

    /// What a body or part looks like while a condition holds.
    public struct Appearance: Sendable {
        public enum Target: Sendable, Equatable { case body(Int), part(Int) }
        public var target: Target
        /// Index in `expressions` of the condition (nil: always).
        public var when: Int?
        public var color: [Double]?
        public var visible: Bool?
    }

    /// A sound: a metronome while a condition holds, or a tone when one becomes true.
    public struct Sound: Sendable {
        public enum Kind: Sendable, Equatable {
            /// Clicks at `rate` beats per second.
            case metronome(rate: Double)
            /// A sine tone of `frequency` Hz for `duration` s.
            case tone(frequency: Double, duration: Double)
        }
        public var kind: Kind
        /// Index in `expressions`: the metronome plays while it holds; the tone sounds on its rising edge.
        public var condition: Int?
        /// 0…1.
        public var gain: Double
    }

    /// A named input button and the desktop key that presses it.
    public struct ButtonKey: Sendable, Equatable {
        public var button: String
        /// The key, as a single upper-case letter or digit.
        public var key: String
        public var title: String
        /// Declared in the file (false: assigned by the loader to a free key).
        public var declared: Bool
    }

    /// Keys the viewer itself uses; a scenario cannot bind a button to them.
    public static let reservedKeys: Set<String> = ["W", "A", "S", "D", "R", "F", "Q", "E", "T", "H", "P", "C", "V", "G", "X"]
    /// Keys free for scenario buttons, in the order the loader assigns them.
    public static let freeKeys: [String] = ["B", "N", "M", "J", "K", "L", "U", "I", "O", "Y", "Z",
                                            "1", "2", "3", "4", "5", "6", "7", "8", "9", "0"]
}
