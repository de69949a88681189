import PracticumCore

// The metric library's runtime: each rubric metric becomes an accumulator that the recorder feeds
// once per tick with that tick's observations and procedure frame. Accumulators keep O(1) state
// (running sums, last sample, a small state machine) so scoring costs a constant per tick whatever
// the run length; nothing is replayed at the end. Formulas and sources: docs/metrics.md.

/// The finished value of a metric.
public struct MetricResult: Sendable, Equatable {
    /// Value in SI units of the metric's dimension; always finite.
    public var value: Double
    /// False when the run gave nothing to measure (no sample, no movement); such a metric never meets its target.
    public var defined: Bool
    /// Why the value is not defined, or another remark for the report.
    public var note: String?
    public init(_ value: Double, defined: Bool = true, note: String? = nil) {
        self.value = value.isFinite ? value : 0
        self.defined = defined && value.isFinite
        self.note = value.isFinite ? note : (note ?? "non-finite value replaced by 0")
    }
}

/// An incremental metric: fed every tick, finished once.
public protocol MetricAccumulator: Sendable {
    /// Takes one tick's facts; O(1) work (or O(contacts/needles) for the ones that scan them).
    mutating func update(_ observations: Observations, _ frame: ProcedureFrame)
    /// The value so far (callable at any time, does not change the state).
    func finish() -> MetricResult
}

/// Why a metric instance could not be built (the scenario compiler normally reports these first).
public enum MetricBuildError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownMetric(String)
    case missingParameter(metric: String, parameter: String)
    case wrongArgument(metric: String, parameter: String)

    public var description: String {
        switch self {
        case let .unknownMetric(m): "unknown metric '\(m)'"
        case let .missingParameter(m, p): "metric '\(m)' needs parameter '\(p)'"
        case let .wrongArgument(m, p): "metric '\(m)': parameter '\(p)' has the wrong kind of value"
        }
    }
}

/// A body or hand whose pose a motion metric follows.
enum Tracked: Sendable, Equatable {
    case body(Int), hand(Int)

    var isHand: Bool { if case .hand = self { true } else { false } }

    func pose(in o: Observations) -> Pose? {
        switch self {
        case let .body(i): i >= 0 && i < o.bodies.count ? o.bodies[i].pose : nil
        case let .hand(i): i >= 0 && i < o.hands.count ? o.hands[i].pose : nil
        }
    }
}

/// Elapsed time per tick: Δt_k = t_k − t_(k−1), with t_(−1) = 0 (every run starts at time 0).
struct TickClock: Sendable {
    var last: Double = 0
    mutating func advance(to t: Double) -> Double {
        let dt = max(0, t - last)
        last = max(last, t)
        return dt
    }
}

/// Parameters of one metric instance with the catalog's defaults applied.
struct MetricArgs {
    let kind: String
    let given: [String: MetricArgument]
    let info: MetricKindInfo

    func argument(_ name: String) -> MetricArgument? {
        given[name] ?? info.params.first { $0.name == name }?.defaultValue
    }
    func required(_ name: String) throws -> MetricArgument {
        guard let a = argument(name) else { throw MetricBuildError.missingParameter(metric: kind, parameter: name) }
        return a
    }
    func tracked(_ name: String = "of") throws -> Tracked {
        switch try required(name) {
        case let .body(i): .body(i)
        case let .hand(i): .hand(i)
        default: throw MetricBuildError.wrongArgument(metric: kind, parameter: name)
        }
    }
    func quantity(_ name: String) throws -> Double {
        guard case let .quantity(v) = try required(name) else { throw MetricBuildError.wrongArgument(metric: kind, parameter: name) }
        return v
    }
    func index(_ name: String, optional: Bool = false) throws -> Int? {
        guard let a = argument(name) else {
            if optional { return nil }
            throw MetricBuildError.missingParameter(metric: kind, parameter: name)
        }
        switch a {
        case let .body(i), let .hand(i), let .region(i), let .tissue(i), let .step(i), let .variable(i), let .event(i), let .error(i): return i
        case let .layer(_, layer): return layer
        case .quantity, .text: throw MetricBuildError.wrongArgument(metric: kind, parameter: name)
        }
    }
    /// A closed range from two quantity parameters (an empty one when min > max, so nothing is inside).
    func band(_ lo: String, _ hi: String) throws -> ClosedRange<Double> {
        let a = try quantity(lo), b = try quantity(hi)
        return a <= b ? a...b : b...b.nextDown
    }
    func layer(_ name: String) throws -> (tissue: Int, layer: Int)? {
        guard let a = argument(name) else { return nil }
        guard case let .layer(t, l) = a else { throw MetricBuildError.wrongArgument(metric: kind, parameter: name) }
        return (t, l)
    }
    func text(_ name: String) throws -> String {
        guard case let .text(s) = try required(name) else { throw MetricBuildError.wrongArgument(metric: kind, parameter: name) }
        return s
    }
}

/// Builds accumulators for the metrics of `MetricCatalog`.
public enum MetricLibrary {
    /// An accumulator for `instance`; `rubricIndex` is the metric's index in the rubric (what
    /// `ProcedureEvent.Kind.sample(metric:)` refers to).
    public static func make(_ instance: MetricInstance, rubricIndex: Int) throws -> any MetricAccumulator {
        guard let info = MetricCatalog.info(instance.kind) else { throw MetricBuildError.unknownMetric(instance.kind) }
        let a = MetricArgs(kind: instance.kind, given: instance.params, info: info)
        switch instance.kind {
        case "completion_time": return CompletionTime()
        case "step_time": return StepTime(step: try a.index("step")!)
        case "path_length": return PathLength(of: try a.tracked())
        case "angular_path_length": return AngularPathLength(of: try a.tracked())
        case "economy_of_motion": return EconomyOfMotion(of: try a.tracked(), minDistance: try a.quantity("min_distance"))
        case "idle_time": return IdleTime(of: try a.tracked(), threshold: try a.quantity("threshold"))
        case "movement_count": return MovementCount(of: try a.tracked(), threshold: try a.quantity("threshold"))
        case "log_dimensionless_jerk": return LogDimensionlessJerk(of: try a.tracked(), interval: try a.quantity("sample_interval"),
                                                                          restSpeed: try a.quantity("rest_speed"))
        case "peak_contact_force", "mean_contact_force", "contact_time_above_force":
            let source = ForceSource.contact(of: try a.index("of")!, against: try a.index("against", optional: true))
            return ForceMetric(source: source, mode: try forceMode(instance.kind, a))
        case "peak_tissue_force", "mean_tissue_force", "tissue_time_above_force":
            return ForceMetric(source: .tissue(try a.index("tissue")!), mode: try forceMode(instance.kind, a))
        case "peak_needle_force":
            let component = try a.text("component")
            guard component == "axial" || component == "lateral" else {
                throw MetricBuildError.wrongArgument(metric: instance.kind, parameter: "component")
            }
            return PeakNeedleForce(needle: try a.index("of", optional: true), lateral: component == "lateral")
        case "sampled": return Sampled(metric: rubricIndex)
        case "variable_min": return VariableValue(variable: try a.index("variable")!, mode: .min)
        case "variable_max": return VariableValue(variable: try a.index("variable")!, mode: .max)
        case "variable_final": return VariableValue(variable: try a.index("variable")!, mode: .final)
        case "error_count": return EventCount(match: .error(try a.index("error")!))
        case "event_count": return EventCount(match: .event(try a.index("event")!))
        case "puncture_count":
            let layer = try a.layer("layer")
            return PunctureCount(tissue: try layer?.tissue ?? a.index("tissue", optional: true), layer: layer?.layer,
                                 needle: try a.index("of", optional: true))
        case "insertion_attempts": return InsertionAttempts(needle: try a.index("of", optional: true))
        case "grasp_drops":
            return GraspDrops(hand: try a.index("of", optional: true), body: try a.index("body", optional: true),
                              exceptIn: try a.index("except_in", optional: true))
        case let k where k.hasPrefix("cpr_"):
            guard let axis = CPRAxis(try a.text("axis")) else { throw MetricBuildError.wrongArgument(metric: k, parameter: "axis") }
            var p = CPRParameters(body: try a.index("of")!, axis: axis.vector, onset: try a.quantity("onset"),
                                  recoilTolerance: try a.quantity("recoil_tolerance"), pauseThreshold: try a.quantity("pause_threshold"))
            if k == "cpr_adequate_depth_fraction" { p.depthBand = try a.band("min_depth", "max_depth") }
            if k == "cpr_adequate_rate_fraction" { p.rateBand = try a.band("min_rate", "max_rate") }
            return CPRMetric(CPRAnalysis(p), output: CPRMetric.Output(rawValue: String(k.dropFirst(4)))!)
        case "fls_peg_transfer_score":
            return FLSPegTransfer(cutoff: try a.quantity("cutoff"), penalty: try a.quantity("penalty"),
                                  drops: EventCount(match: try dropMatch(a)))
        default: throw MetricBuildError.unknownMetric(instance.kind)
        }
    }

    private static func forceMode(_ kind: String, _ a: MetricArgs) throws -> ForceMetric.Mode {
        if kind.hasPrefix("peak") { return .peak }
        if kind.hasPrefix("mean") { return .mean }
        return .timeAbove(try a.quantity("threshold"))
    }

    private static func dropMatch(_ a: MetricArgs) throws -> EventCount.Match {
        if let e = try a.index("event", optional: true) { return .event(e) }
        if let e = try a.index("error", optional: true) { return .error(e) }
        return .none
    }
}
