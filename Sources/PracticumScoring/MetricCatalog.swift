import PracticumCore

/// What kind of value a metric parameter takes; the scenario compiler resolves names to these.
public enum MetricParamKind: Sendable, Equatable {
    case body, hand, bodyOrHand, region, tissue, layer, step, variable, event, error, text
    case quantity(Dimension)
}

public struct MetricParamSpec: Sendable, Equatable {
    public var name: String
    public var kind: MetricParamKind
    public var required: Bool
    public var summary: String
    /// Value used when the scenario omits the parameter (only for optional parameters).
    public var defaultValue: MetricArgument?
    public init(_ name: String, _ kind: MetricParamKind, required: Bool = true, default defaultValue: MetricArgument? = nil, _ summary: String) {
        self.name = name; self.kind = kind; self.required = required; self.summary = summary; self.defaultValue = defaultValue
    }
}

/// A metric the library offers: its name, what it measures, its result's dimension and parameters.
public struct MetricKindInfo: Sendable, Equatable {
    public var name: String
    public var summary: String
    public var dimension: Dimension
    public var params: [MetricParamSpec]
    /// The value in a run where nothing the metric measures happens: 0 for counts, nil for every
    /// metric that is then undefined (and so earns nothing; docs/metrics.md, "No free points"). The
    /// loader warns about a target this value meets, since a trainee who does nothing would earn it.
    public var idleValue: Double?
    public init(name: String, summary: String, dimension: Dimension, params: [MetricParamSpec], idleValue: Double? = nil) {
        self.name = name; self.summary = summary; self.dimension = dimension; self.params = params; self.idleValue = idleValue
    }
}

/// The metric library's names and parameters (implementations live beside it).
public enum MetricCatalog {
    public static var all: [MetricKindInfo] { catalogEntries }
    public static func info(_ name: String) -> MetricKindInfo? { catalogEntries.first { $0.name == name } }
}

// Every metric of the library, in the order docs/metrics.md lists them. Implementations are in
// Metrics*.swift; `MetricLibrary.make` maps a name to its accumulator.
private func of(_ summary: String = "the instrument (body) or hand") -> MetricParamSpec { MetricParamSpec("of", .bodyOrHand, summary) }
private func optional(_ name: String, _ kind: MetricParamKind, _ summary: String) -> MetricParamSpec {
    MetricParamSpec(name, kind, required: false, summary)
}
private func quantity(_ name: String, _ d: Dimension, _ value: Double, _ summary: String) -> MetricParamSpec {
    MetricParamSpec(name, .quantity(d), required: false, default: .quantity(value), summary)
}
private let cprParams: [MetricParamSpec] = [
    MetricParamSpec("of", .body, "the chest (compression) body"),
    MetricParamSpec("axis", .text, required: false, default: .text("-y"),
                    "compression direction in world axes: x, y, z, -x, -y or -z"),
    quantity("onset", .length, 0.01, "depth at which a compression is detected"),
    quantity("recoil_tolerance", .length, 0.005, "residual depth still counted as full recoil"),
    quantity("pause_threshold", .time, 2, "hands-off gap from which on an interval counts as a pause"),
]

let catalogEntries: [MetricKindInfo] = [
    // time
    MetricKindInfo(name: "completion_time", summary: "Simulated time from start to the end of the run.", dimension: .time, params: []),
    MetricKindInfo(name: "step_time", summary: "Time a step was active: from its start to its completion, failure or skip.", dimension: .time,
                   params: [MetricParamSpec("step", .step, "the step")]),
    // motion
    MetricKindInfo(name: "path_length", summary: "Distance travelled by a body or hand.", dimension: .length, params: [of()]),
    MetricKindInfo(name: "angular_path_length", summary: "Total rotation of a body or hand.", dimension: .angle, params: [of()]),
    MetricKindInfo(name: "economy_of_motion", summary: "Path length divided by the straight-line distance from first to last position (1 is ideal).",
                   dimension: .none, params: [of(), quantity("min_distance", .length, 0.001, "floor of the straight-line distance")]),
    MetricKindInfo(name: "idle_time", summary: "Time the body or hand moved slower than a threshold.", dimension: .time,
                   params: [of(), quantity("threshold", .velocity, 0.01, "speed below which it is idle")]),
    MetricKindInfo(name: "movement_count", summary: "Number of movements: speed rising above a threshold (ending below half of it).",
                   dimension: .none, params: [of(), quantity("threshold", .velocity, 0.05, "speed that starts a movement")], idleValue: 0),
    MetricKindInfo(name: "log_dimensionless_jerk", summary: "Smoothness as log dimensionless jerk (closer to 0 is smoother).",
                   dimension: .none, params: [of(), quantity("sample_interval", .time, 0.01, "resampling interval of the position"),
                                                   quantity("rest_speed", .velocity, 0.01, "speed below which the hand is at rest (bounds the movement's duration)")]),
    // force
    MetricKindInfo(name: "peak_contact_force", summary: "Largest normal force between two bodies.", dimension: .force,
                   params: [MetricParamSpec("of", .body, "the instrument"), optional("against", .body, "the other body (all when omitted)")]),
    MetricKindInfo(name: "mean_contact_force", summary: "Time-weighted mean normal force while in contact.", dimension: .force,
                   params: [MetricParamSpec("of", .body, "the instrument"), optional("against", .body, "the other body (all when omitted)")]),
    MetricKindInfo(name: "contact_time_above_force", summary: "Time the contact force exceeded a threshold.", dimension: .time,
                   params: [MetricParamSpec("of", .body, "the instrument"), optional("against", .body, "the other body (all when omitted)"),
                            MetricParamSpec("threshold", .quantity(.force), "force limit")]),
    MetricKindInfo(name: "peak_tissue_force", summary: "Largest force applied to a tissue.", dimension: .force,
                   params: [MetricParamSpec("tissue", .tissue, "the tissue")]),
    MetricKindInfo(name: "mean_tissue_force", summary: "Time-weighted mean force on a tissue while loaded.", dimension: .force,
                   params: [MetricParamSpec("tissue", .tissue, "the tissue")]),
    MetricKindInfo(name: "tissue_time_above_force", summary: "Time the force on a tissue exceeded a threshold.", dimension: .time,
                   params: [MetricParamSpec("tissue", .tissue, "the tissue"), MetricParamSpec("threshold", .quantity(.force), "force limit")]),
    MetricKindInfo(name: "peak_needle_force", summary: "Largest axial or lateral (levering) force on a needle.", dimension: .force,
                   params: [optional("of", .body, "only this needle"),
                            MetricParamSpec("component", .text, required: false, default: .text("axial"), "axial or lateral")]),
    // sampled values and variables
    MetricKindInfo(name: "sampled", summary: "A quantity captured by the procedure when an event happens (first occurrence).", dimension: .none,
                   params: []),
    MetricKindInfo(name: "variable_min", summary: "Lowest value a state variable reached.", dimension: .none,
                   params: [MetricParamSpec("variable", .variable, "the state variable")]),
    MetricKindInfo(name: "variable_max", summary: "Highest value a state variable reached.", dimension: .none,
                   params: [MetricParamSpec("variable", .variable, "the state variable")]),
    MetricKindInfo(name: "variable_final", summary: "Value of a state variable at the end of the run.", dimension: .none,
                   params: [MetricParamSpec("variable", .variable, "the state variable")]),
    // counts
    MetricKindInfo(name: "error_count", summary: "Times a rubric error occurred.", dimension: .none,
                   params: [MetricParamSpec("error", .error, "the error id")], idleValue: 0),
    MetricKindInfo(name: "event_count", summary: "Times a scenario event fired.", dimension: .none,
                   params: [MetricParamSpec("event", .event, "the event id")], idleValue: 0),
    MetricKindInfo(name: "puncture_count", summary: "Layers punctured (optionally of one tissue, one layer, one needle).", dimension: .none,
                   params: [optional("tissue", .tissue, "only this tissue"), optional("layer", .layer, "only this layer"),
                            optional("of", .body, "only this needle")], idleValue: 0),
    MetricKindInfo(name: "insertion_attempts", summary: "Needle insertion attempts (each new break of the skin surface).", dimension: .none,
                   params: [optional("of", .body, "only this needle")], idleValue: 0),
    MetricKindInfo(name: "grasp_drops", summary: "Times a hand let go of a grasped body outside the allowed region.", dimension: .none,
                   params: [optional("of", .hand, "only this hand"), optional("body", .body, "only this grasped body"),
                            optional("except_in", .region, "releases with the body inside this region do not count")], idleValue: 0),
    // CPR (AHA 2020 guidelines)
    MetricKindInfo(name: "cpr_compression_rate", summary: "Compressions per second between pauses (AHA target 100–120/min).",
                   dimension: .rate, params: cprParams),
    MetricKindInfo(name: "cpr_compression_depth", summary: "Mean peak compression depth (AHA target 5–6 cm).", dimension: .length, params: cprParams),
    MetricKindInfo(name: "cpr_full_recoil_fraction", summary: "Fraction of compressions followed by full chest recoil.", dimension: .none,
                   params: cprParams),
    MetricKindInfo(name: "cpr_compression_fraction", summary: "Chest-compression fraction: share of time not in pauses (AHA target > 80 %).",
                   dimension: .none, params: cprParams),
    MetricKindInfo(name: "cpr_longest_pause", summary: "Longest hands-off interval (AHA target < 10 s).", dimension: .time, params: cprParams),
    MetricKindInfo(name: "cpr_compression_count", summary: "Number of compressions delivered.", dimension: .none, params: cprParams, idleValue: 0),
    MetricKindInfo(name: "cpr_adequate_depth_fraction", summary: "Fraction of compressions with a depth inside the band (AHA 5–6 cm).",
                   dimension: .none, params: cprParams + [quantity("min_depth", .length, 0.05, "shallowest adequate depth"),
                                                         quantity("max_depth", .length, 0.06, "deepest adequate depth")]),
    MetricKindInfo(name: "cpr_adequate_rate_fraction", summary: "Fraction of compression intervals at a rate inside the band (AHA 100–120/min).",
                   dimension: .none, params: cprParams + [quantity("min_rate", .rate, 100.0 / 60, "slowest adequate rate"),
                                                         quantity("max_rate", .rate, 120.0 / 60, "fastest adequate rate")]),
    // FLS
    MetricKindInfo(name: "fls_peg_transfer_score", summary: "FLS peg transfer: cut-off − completion time − penalty × drops, floored at 0.",
                   dimension: .none,
                   params: [quantity("cutoff", .time, 300, "cut-off time"),
                            quantity("penalty", .time, 0, "seconds subtracted per drop"),
                            optional("event", .event, "the event that marks a drop"),
                            optional("error", .error, "the rubric error that marks a drop")],
                   // an uncompleted task scores 0 (the FLS rule), a value like a count's
                   idleValue: 0),
]
