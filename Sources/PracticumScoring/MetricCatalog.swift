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
    public init(_ name: String, _ kind: MetricParamKind, required: Bool = true, _ summary: String) {
        self.name = name; self.kind = kind; self.required = required; self.summary = summary
    }
}

/// A metric the library offers: its name, what it measures, its result's dimension and parameters.
public struct MetricKindInfo: Sendable, Equatable {
    public var name: String
    public var summary: String
    public var dimension: Dimension
    public var params: [MetricParamSpec]
    public init(name: String, summary: String, dimension: Dimension, params: [MetricParamSpec]) {
        self.name = name; self.summary = summary; self.dimension = dimension; self.params = params
    }
}

/// The metric library's names and parameters (implementations live beside it).
public enum MetricCatalog {
    public static var all: [MetricKindInfo] { catalogEntries }
    public static func info(_ name: String) -> MetricKindInfo? { catalogEntries.first { $0.name == name } }
}

/// Filled in by the metric library implementation.
let catalogEntries: [MetricKindInfo] = [
    MetricKindInfo(name: "completion_time", summary: "Simulated time from start to the end of the run.", dimension: .time, params: []),
    MetricKindInfo(name: "path_length", summary: "Distance travelled by a body or hand.", dimension: .length,
                   params: [MetricParamSpec("of", .bodyOrHand, "the instrument, body or hand")]),
    MetricKindInfo(name: "sampled", summary: "A quantity captured by the procedure when an event happens (first occurrence).", dimension: .none,
                   params: []),
    MetricKindInfo(name: "error_count", summary: "Times a rubric error occurred.", dimension: .none,
                   params: [MetricParamSpec("error", .error, "the error id")]),
]
