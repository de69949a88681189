// What a debrief can show about a run that the report itself does not carry: the expert benchmark
// of each metric and the attempt's place in the trainee's history under the programme's rule. It
// comes from the programme file and the progress store, which change after the run, so it is never
// part of the scored report (the JSON bytes stay those of scenario + trace) — only of the HTML page.

/// The programme's view of one attempt, for the debrief page.
public struct DebriefProgramme: Sendable, Equatable {
    /// The expert benchmark the programme names for the scenario.
    public var benchmark: BenchmarkFile?
    /// The trainee's attempts at the scenario, with this one among them.
    public var history: DebriefHistory?

    public init(benchmark: BenchmarkFile? = nil, history: DebriefHistory? = nil) { self.benchmark = benchmark; self.history = history }

    public var isEmpty: Bool { benchmark == nil && history == nil }
}

/// A trainee's attempts at one scenario and where the debriefed one stands.
public struct DebriefHistory: Sendable, Equatable {
    /// One attempt of the history.
    public struct Attempt: Sendable, Equatable {
        /// The attempt's id, or "" when the trace named none.
        public var id: String
        /// Wall-clock start (ISO 8601) when recorded.
        public var started: String?
        public var score: Double
        public var passed: Bool
        /// Whether it counts towards proficiency under the rule.
        public var qualifies: Bool
        public init(id: String = "", started: String? = nil, score: Double, passed: Bool, qualifies: Bool) {
            self.id = id; self.started = started; self.score = score; self.passed = passed; self.qualifies = qualifies
        }
    }

    public var trainee: String
    /// Every attempt, in the order made.
    public var attempts: [Attempt]
    /// Index (0-based) of the debriefed attempt in `attempts`.
    public var current: Int
    /// The rule in words ("benchmark met on 2 consecutive attempts and 10 in total, …").
    public var rule: String
    /// Qualifying attempts needed in a row and in all.
    public var requiredConsecutive: Int, requiredTotal: Int
    /// Qualifying attempts in a row ending at, and up to and including, the debriefed attempt.
    public var run: Int, qualifyingSoFar: Int
    /// Why the debriefed attempt does not qualify (empty when it does).
    public var shortfalls: [String]
    /// The attempt (1-based) at which proficiency was reached; nil when not (yet).
    public var proficientAt: Int?

    public init(trainee: String, attempts: [Attempt], current: Int, rule: String, requiredConsecutive: Int, requiredTotal: Int,
                run: Int, qualifyingSoFar: Int, shortfalls: [String], proficientAt: Int?) {
        self.trainee = trainee; self.attempts = attempts; self.current = current; self.rule = rule
        self.requiredConsecutive = requiredConsecutive; self.requiredTotal = requiredTotal
        self.run = run; self.qualifyingSoFar = qualifyingSoFar; self.shortfalls = shortfalls; self.proficientAt = proficientAt
    }
}

extension BenchmarkValue {
    /// Whether `value` is at least as good as the benchmark, "good" read from the rubric's target:
    /// at or below it for a target with only a maximum, at or above it for one with only a minimum;
    /// for a range the target itself decides (`metTarget`). Nil when there is no target, so no
    /// direction to judge by.
    public func isMet(by value: Double, targetMin: Double?, targetMax: Double?, metTarget: Bool?) -> Bool? {
        switch (targetMin, targetMax) {
        case (nil, _?): value <= benchmark
        case (_?, nil): value >= benchmark
        case (_?, _?): metTarget == true
        case (nil, nil): nil
        }
    }
}

extension Target {
    /// The bounds (SI); nil where open.
    public var bounds: (min: Double?, max: Double?) {
        switch self {
        case let .range(a, b): (a, b)
        case let .atLeast(a): (a, nil)
        case let .atMost(b): (nil, b)
        }
    }
}

extension MetricScore {
    /// Whether this metric's value meets `benchmark` (see `BenchmarkValue.isMet`); nil when undefined or undirected.
    public func meets(_ benchmark: BenchmarkValue) -> Bool? {
        guard result.defined else { return nil }
        let b = target?.bounds
        return benchmark.isMet(by: result.value, targetMin: b?.min, targetMax: b?.max, metTarget: met)
    }
}
