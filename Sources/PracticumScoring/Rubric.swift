import PracticumCore

/// A compiled rubric: what the scenario's `rubric:` section says, with ids resolved to indices and
/// every quantity in SI. Produced by the scenario compiler, evaluated by `RubricEvaluator`.
public struct Rubric: Sendable, Equatable {
    public var metrics: [RubricMetric]
    public var errors: [RubricError]
    /// Points awarded for completing required steps (0 when the rubric scores metrics only).
    public var stepPoints: Double
    public var pass: PassCriteria
    /// Points subtracted for each step done out of order (a `stepOutOfOrder` event).
    public var outOfOrderPenalty: Double

    public init(metrics: [RubricMetric] = [], errors: [RubricError] = [], stepPoints: Double = 0, pass: PassCriteria = PassCriteria(),
                outOfOrderPenalty: Double = 0) {
        self.metrics = metrics; self.errors = errors; self.stepPoints = stepPoints; self.pass = pass
        self.outOfOrderPenalty = outOfOrderPenalty
    }
}

/// One metric of the rubric: which library metric, on what, against which target, for how many points.
public struct RubricMetric: Sendable, Equatable {
    public var id: String
    public var title: String
    public var metric: MetricInstance
    public var target: Target?
    /// Points this metric is worth when its target is met.
    public var weight: Double
    /// Dimension of the value when the catalog cannot know it (`sampled`, `variable_*`); nil: the catalog's.
    public var dimension: Dimension?
    public init(id: String, title: String, metric: MetricInstance, target: Target?, weight: Double, dimension: Dimension? = nil) {
        self.id = id; self.title = title; self.metric = metric; self.target = target; self.weight = weight; self.dimension = dimension
    }
}

/// A library metric with its parameters bound (indices resolved by the scenario compiler).
public struct MetricInstance: Sendable, Equatable {
    /// Name in `MetricCatalog` (e.g. `path_length`).
    public var kind: String
    /// Parameters by name, in the order the catalog lists them.
    public var params: [String: MetricArgument]
    public init(kind: String, params: [String: MetricArgument]) { self.kind = kind; self.params = params }
}

/// A bound metric parameter.
public enum MetricArgument: Sendable, Equatable {
    case body(Int)
    case hand(Int)
    case region(Int)
    case tissue(Int)
    case layer(tissue: Int, layer: Int)
    case step(Int)
    case variable(Int)
    case event(Int)
    case error(Int)
    case quantity(Double)
    case text(String)
}

/// A target a metric value is judged against, in SI.
public enum Target: Sendable, Equatable {
    case range(Double, Double)
    case atMost(Double)
    case atLeast(Double)

    public func isMet(by value: Double) -> Bool {
        switch self {
        case let .range(lo, hi): value >= lo && value <= hi
        case let .atMost(hi): value <= hi
        case let .atLeast(lo): value >= lo
        }
    }
}

/// An error or critical error in the Proficiency-Based-Progression sense.
public struct RubricError: Sendable, Equatable {
    public var id: String
    public var title: String
    public var critical: Bool
    /// Points subtracted each time it occurs (at most `maxCount` times; 0 or less: no limit).
    public var penalty: Double
    public var maxCount: Int
    public var feedback: String
    public init(id: String, title: String, critical: Bool, penalty: Double, maxCount: Int = 1, feedback: String) {
        self.id = id; self.title = title; self.critical = critical; self.penalty = penalty; self.maxCount = maxCount; self.feedback = feedback
    }
}

/// When a run passes.
public struct PassCriteria: Sendable, Equatable {
    public var minScore: Double
    public var noCriticalErrors: Bool
    public var requireComplete: Bool
    /// Ids of metrics whose targets must be met.
    public var metricsMet: [String]
    public init(minScore: Double = 70, noCriticalErrors: Bool = true, requireComplete: Bool = true, metricsMet: [String] = []) {
        self.minScore = minScore; self.noCriticalErrors = noCriticalErrors; self.requireComplete = requireComplete; self.metricsMet = metricsMet
    }
}
