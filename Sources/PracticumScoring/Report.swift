import PracticumCore

/// What the session knows about the run besides the ticks: identities, hashes and names for plots.
public struct ReportContext: Sendable, Equatable {
    public var scenarioID: String
    public var scenarioTitle: String
    public var scenarioVersion: String
    /// Hash of the scenario file's content (hex).
    public var scenarioHash: String
    /// Hash of the input trace (hex); nil for a live session.
    public var traceHash: String?
    public var engineVersion: String
    /// Bodies or hands whose path the debrief draws, with display names.
    public var tracked: [TrackedSource]
    /// State variables by index: name and dimension (for plots and units).
    public var variables: [VariableInfo]
    /// Tissue names by index (for the force plot).
    public var tissues: [String]
    /// Body names by index (for physics warnings); hands are "left hand" and "right hand".
    public var bodies: [String] = []
    /// The content hash split by part (scene and physics, procedure, rubric; hex); nil when not known (a live session).
    public var sceneHash: String?, procedureHash: String?, rubricHash: String?
    /// Which parts changed since the trace was recorded (`scene`, `procedure`, `rubric`, or
    /// `unknown` when the trace records no parts); empty when it was recorded against this content.
    public var changedSinceRecording: [String] = []
    /// The run's seeded variation, for a scenario that has any (nil otherwise, and absent from the JSON).
    public var variation: ReportVariation?

    public init(scenarioID: String, scenarioTitle: String = "", scenarioVersion: String = "", scenarioHash: String = "", traceHash: String? = nil,
                engineVersion: String = "", tracked: [TrackedSource] = [], variables: [VariableInfo] = [], tissues: [String] = [],
                bodies: [String] = []) {
        self.scenarioID = scenarioID; self.scenarioTitle = scenarioTitle; self.scenarioVersion = scenarioVersion
        self.scenarioHash = scenarioHash; self.traceHash = traceHash; self.engineVersion = engineVersion
        self.tracked = tracked; self.variables = variables; self.tissues = tissues; self.bodies = bodies
    }
}

/// Who made the attempt and when: from the trace's metadata, or set when scoring. Never scored:
/// the rest of the report is the same bytes whatever these say.
public struct AttemptInfo: Sendable, Equatable {
    /// The trainee's id as the programme knows them (e.g. `t-0042`); nil when not recorded.
    public var trainee: String?
    /// The attempt's id (e.g. `3`, or a UUID); nil when not recorded.
    public var attempt: String?
    /// Wall-clock start of the session, ISO 8601 (`2026-12-03T15:54:29Z`); nil when not recorded.
    public var started: String?

    public init(trainee: String? = nil, attempt: String? = nil, started: String? = nil) {
        self.trainee = trainee; self.attempt = attempt; self.started = started
    }

    /// These values, each replaced by `other`'s where `other` has one.
    public func overridden(by other: AttemptInfo) -> AttemptInfo {
        AttemptInfo(trainee: other.trainee ?? trainee, attempt: other.attempt ?? attempt, started: other.started ?? started)
    }
}

/// A body or hand whose path the debrief draws.
public struct TrackedSource: Sendable, Equatable {
    public enum Source: Sendable, Equatable { case body(Int), hand(Int) }
    public var name: String
    public var source: Source
    /// Point drawn, in the body or hand frame (e.g. an instrument's tip), m.
    public var offset: Vec3
    public init(name: String, source: Source, offset: Vec3 = .zero) { self.name = name; self.source = source; self.offset = offset }
    var tracked: Tracked {
        switch source {
        case let .body(i): .body(i)
        case let .hand(i): .hand(i)
        }
    }
}

/// A state variable as the debrief plots it.
public struct VariableInfo: Sendable, Equatable {
    public var name: String
    public var dimension: Dimension
    /// Display unit (e.g. `bpm`, `mmHg`, `%`) and its SI scale (value in SI = shown × scale); nil: chosen from the dimension.
    public var unit: String?
    public var unitScale: Double
    /// Bookkeeping (the scenario's `hidden:`): kept out of trainee-facing plots.
    public var hidden: Bool
    public init(name: String, dimension: Dimension = .none, unit: String? = nil, unitScale: Double = 1, hidden: Bool? = nil) {
        self.name = name; self.dimension = dimension; self.unit = unit; self.unitScale = unitScale
        // as the scenario loader decides by default: neither unit nor dimension is bookkeeping
        self.hidden = hidden ?? (unit == nil && dimension == .none)
    }
}

/// A message the procedure showed the trainee.
public struct ReportMessage: Sendable, Equatable {
    public var tick: Int
    /// Simulated time (s).
    public var time: Double
    public var text: String
}

/// A physics warning as the report gives it: its kind, the entity's name, when it first happened, how often.
public struct ReportWarning: Sendable, Equatable {
    public var kind: String
    public var entity: String
    public var tick: Int
    public var time: Double
    public var count: Int
    /// One sentence for the trainee and the instructor.
    public var message: String

    /// The report's form of `w`, naming bodies, hands and tissues from `context`; `dt` turns ticks into seconds.
    public init(_ w: Observations.PhysicsWarning, context: ReportContext, dt: Double) {
        // hands, tissues or bodies, by kind
        let names: [String] = switch w.kind {
        case .handInputNotFinite: ["left hand", "right hand"]
        case .tissueRepaired: context.tissues
        default: context.bodies
        }
        let e = w.entity >= 0 && w.entity < names.count ? names[w.entity] : "#\(w.entity)"
        entity = e
        kind = w.kind.rawValue; tick = w.firstTick; time = Double(w.firstTick) * dt; count = w.count
        let at = Format.fixed(time, decimals: 1) + " s"
        let sentence = switch w.kind {
        case .handInputNotFinite: "the \(e)'s tracking input was not a number at \(at) and was ignored"
        case .commandNotFinite: "a scene change for \(e) was not a number at \(at) and was ignored"
        case .speedClamped: "\(e) moved implausibly fast at \(at) and was slowed down"
        case .bodyRepaired: "\(e)'s motion could not be computed at \(at); it was put back at rest"
        case .leftWorld: "\(e) left the world at \(at)"
        case .tissueRepaired: "tissue \(e) could not be computed at \(at); its last good state was kept"
        }
        // a body leaves the world once; everything else may repeat
        message = sentence + (w.count > 1 && w.kind != .leftWorld ? " (\(w.count) times)" : "")
    }
}

/// The downsampled series the debrief plots.
public struct DebriefSeries: Sendable, Equatable {
    /// Tip path: x, y, z per tracked source (3 channels each, in `ReportContext.tracked` order).
    public var path: Series
    /// Forces (N): one channel per tissue, then one per force metric of the rubric (`forceNames`).
    public var force: Series
    /// Display names of the `force` channels.
    public var forceNames: [String]
    /// State variables (SI), one channel per variable.
    public var variables: Series
    /// CPR depth (m) of the first CPR metric's chest body, when the rubric has one.
    public var cprDepth: Series?
    /// Where the instrument in hand was at each error occurrence (same order as `Evaluation.errors`).
    public var errorMarks: [ErrorMark?] = []
}

/// Where an error happened: the tracked source (index into `ReportContext.tracked`) held by a hand at
/// that moment — or the first tracked source when none was held — and its point's position (m).
public struct ErrorMark: Sendable, Equatable {
    public var source: Int
    public var position: Vec3
}

/// Everything known about a finished (or stopped) run: the JSON report and the debrief render it.
public struct Report: Sendable, Equatable {
    /// Schema identifier written as `schema`; bump the number on any incompatible change.
    public static let schema = "practicum-report/1"

    public var context: ReportContext
    public var passed: Bool
    /// 0–100.
    public var score: Double
    public var complete: Bool
    /// The reason of the `ended` event (`completed`, `failed`, `time_limit`, …) or `incomplete` when the run stopped before ending.
    public var outcome: String
    /// Simulated seconds (time of the last tick).
    public var duration: Double
    public var ticks: Int
    /// False when the input (trace) ended early or was cut.
    public var inputComplete: Bool
    public var evaluation: Evaluation
    public var messages: [ReportMessage]
    /// Numerical warnings counted by physics during the run.
    public var numericalWarnings: Int
    /// The same by kind and entity, each with a sentence ("swab left the world at 41.6 s").
    public var physicsWarnings: [ReportWarning] = []
    /// Remarks from scoring (non-finite values replaced, events dropped, …).
    public var notes: [String]
    public var series: DebriefSeries
    /// Who and when (written as `session`; not scored).
    public var attempt = AttemptInfo()
}

/// What a run's seed drew: each randomly drawn variable's starting value (SI) and whether each
/// complication with a probability was armed.
public struct ReportVariation: Sendable, Equatable {
    public var seed: UInt64
    public var values: [(id: String, value: Double)]
    public var events: [(id: String, armed: Bool)]
    public init(seed: UInt64, values: [(id: String, value: Double)], events: [(id: String, armed: Bool)]) {
        self.seed = seed; self.values = values; self.events = events
    }
    public static func == (a: Self, b: Self) -> Bool {
        a.seed == b.seed && a.values.map(\.id) == b.values.map(\.id) && a.values.map(\.value) == b.values.map(\.value)
            && a.events.map(\.id) == b.events.map(\.id) && a.events.map(\.armed) == b.events.map(\.armed)
    }
}
