// The progress store: every scored attempt of every trainee, kept so that a training programme can
// see history and decide proficiency (proficiency-based progression, Gallagher et al. 2005; the FLS
// programme's "benchmark on 2 consecutive and 10 total repetitions"). One protocol, so the embedded
// SQLite file (the default) and a shared server database are interchangeable to the commands.
import Foundation
import PracticumCore
import PracticumScoring

/// One metric of a recorded attempt, with the rubric's target (which way is better).
public struct AttemptMetric: Sendable, Equatable {
    public var id: String
    public var kind: String
    /// SI value (0 when not defined).
    public var value: Double
    public var unit: String
    public var defined: Bool
    /// Whether the rubric's target was met; nil without a target.
    public var met: Bool?
    /// The rubric's target bounds (SI); nil where open.
    public var targetMin: Double?, targetMax: Double?

    public init(id: String, kind: String = "", value: Double, unit: String = "", defined: Bool = true, met: Bool? = nil,
                targetMin: Double? = nil, targetMax: Double? = nil) {
        self.id = id; self.kind = kind; self.value = value; self.unit = unit; self.defined = defined; self.met = met
        self.targetMin = targetMin; self.targetMax = targetMax
    }
}

/// One scored attempt as the store keeps it.
public struct AttemptRecord: Sendable, Equatable {
    public var trainee: String
    public var scenarioID: String
    /// The attempt's id ("" when the trace names none).
    public var attempt: String
    /// Wall-clock start, ISO 8601; nil when not recorded.
    public var started: String?
    public var tracePath: String
    public var traceHash: String
    public var scenarioHash: String
    public var rubricHash: String?
    public var passed: Bool
    /// 0–100.
    public var score: Double
    /// Simulated seconds.
    public var duration: Double
    public var complete: Bool
    public var errors: Int
    public var criticalErrors: Int
    public var metrics: [AttemptMetric]

    public init(trainee: String, scenarioID: String, attempt: String = "", started: String? = nil, tracePath: String = "", traceHash: String = "",
                scenarioHash: String = "", rubricHash: String? = nil, passed: Bool, score: Double, duration: Double = 0, complete: Bool = true,
                errors: Int = 0, criticalErrors: Int = 0, metrics: [AttemptMetric] = []) {
        self.trainee = trainee; self.scenarioID = scenarioID; self.attempt = attempt; self.started = started
        self.tracePath = tracePath; self.traceHash = traceHash; self.scenarioHash = scenarioHash; self.rubricHash = rubricHash
        self.passed = passed; self.score = score; self.duration = duration; self.complete = complete
        self.errors = errors; self.criticalErrors = criticalErrors; self.metrics = metrics
    }

    /// The attempt `report` describes, scored from the trace at `tracePath`; nil when the report names no trainee.
    public init?(report r: Report, tracePath: String) {
        guard let trainee = r.attempt.trainee else { return nil }
        let errors = r.evaluation.errors
        self.init(trainee: trainee, scenarioID: r.context.scenarioID, attempt: r.attempt.attempt ?? "", started: r.attempt.started,
                  tracePath: tracePath, traceHash: r.context.traceHash ?? "", scenarioHash: r.context.scenarioHash, rubricHash: r.context.rubricHash,
                  passed: r.passed, score: r.score, duration: r.duration, complete: r.complete, errors: errors.count,
                  criticalErrors: errors.filter(\.critical).count,
                  metrics: r.evaluation.metrics.map { m in
                      let bounds = m.target?.bounds
                      return AttemptMetric(id: m.id, kind: m.kind, value: m.result.value, unit: Units.displaySymbol(for: m.dimension),
                                           defined: m.result.defined, met: m.met, targetMin: bounds?.min, targetMax: bounds?.max)
                  })
    }
}

/// Something that keeps attempts: the SQLite file (`SQLiteProgressStore`) or a server database.
public protocol ProgressStore: Sendable {
    /// Records `attempt` durably before returning (a crash afterwards loses nothing). The same
    /// trainee, scenario, trace and attempt id recorded again (a re-score) replaces the earlier result.
    func record(_ attempt: AttemptRecord) throws(StoreError)
    /// `trainee`'s attempts (at `scenario`, or at every scenario), in the order they were made:
    /// by wall-clock start, then as recorded.
    func attempts(trainee: String, scenario: String?) throws(StoreError) -> [AttemptRecord]
    /// Every trainee with an attempt (at `scenario`, when given), sorted.
    func trainees(scenario: String?) throws(StoreError) -> [String]
}

/// A store that cannot be opened, read or written, in words.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Opens the store a URL names: `sqlite:PATH` or a plain path (an SQLite file, created with its
/// folder missing only if the folder exists), `postgres://…` or `postgresql://…` (a PostgreSQL server).
public func openProgressStore(_ url: String) throws(StoreError) -> any ProgressStore {
    if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") { return try PostgresProgressStore(url: url) }
    var path = url
    if path.hasPrefix("sqlite://") { path.removeFirst("sqlite://".count) } else if path.hasPrefix("sqlite:") { path.removeFirst("sqlite:".count) }
    guard !path.isEmpty else { throw StoreError("\(url): no file named") }
    return try SQLiteProgressStore(path: path)
}
