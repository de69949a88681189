import PracticumCore

// Rubric evaluation in the Proficiency-Based Progression sense (Gallagher et al. 2005, Ann Surg
// 241(2):364–372): metrics judged against targets, required steps done or missed, errors and
// critical errors counted, and a pass decision. The score is the rubric's points earned, less
// penalties, normalised to 0–100 by the points attainable:
//
//   earned   = Σ weight of metrics whose target is met + stepPoints × (required steps completed / required steps)
//              (a required step the procedure skipped — a branch not taken — is left out of both counts)
//   penalty  = Σ_errors penalty × min(count, maxCount) + outOfOrderPenalty × (steps done out of order)
//   score    = clamp(100 × (earned − penalty) / attainable, 0, 100),  attainable = Σ weight of targeted metrics + stepPoints
//
// (with nothing attainable, score = clamp(100 − penalty, 0, 100)). Every term is one line of the
// breakdown the report prints. docs/metrics.md has the same formula for instructors.

/// One line of the score's computation.
public struct ScoreLine: Sendable, Equatable {
    public enum Kind: String, Sendable { case metric, step, order, error }
    public var kind: Kind
    public var id: String
    public var title: String
    /// Points this line adds (negative for penalties).
    public var points: Double
    /// Points the line could add at best (0 for penalties and untargeted metrics).
    public var maxPoints: Double
    public var detail: String
}

/// A metric's value judged against its target.
public struct MetricScore: Sendable, Equatable {
    public var id: String
    public var title: String
    public var kind: String
    /// Dimension of the value (SI).
    public var dimension: Dimension
    public var result: MetricResult
    public var target: Target?
    /// nil when the metric has no target.
    public var met: Bool?
    public var points: Double
    public var weight: Double
}

/// One occurrence of a rubric error.
public struct ErrorOccurrence: Sendable, Equatable {
    public var error: Int
    public var id: String
    public var title: String
    public var critical: Bool
    public var tick: Int
    public var time: Double
    /// Penalty charged for this occurrence (0 beyond `maxCount`).
    public var penalty: Double
    public var feedback: String
}

/// A step's outcome.
public struct StepResult: Sendable, Equatable {
    public var info: StepInfo
    public var timeline: StepTimeline
    public var done: Bool { timeline.status == .completed }
    /// Skipped by the procedure itself (a branch not taken, an event): it neither counts nor misses.
    public var notTaken: Bool { timeline.status == .skipped }
    public var missed: Bool { info.required && !done && !notTaken }
}

/// The rubric's verdict on one run.
public struct Evaluation: Sendable, Equatable {
    public var score: Double
    public var passed: Bool
    /// Every required step completed.
    public var complete: Bool
    public var earned: Double
    public var penalty: Double
    public var attainable: Double
    public var lines: [ScoreLine]
    public var metrics: [MetricScore]
    public var steps: [StepResult]
    public var errors: [ErrorOccurrence]
    /// Why the run did not pass (empty when it passed).
    public var failedCriteria: [String]

    /// The score's computation with this run's numbers, e.g. `100 × (earned 110 − penalties 10) / attainable 130`.
    public var formulaText: String {
        attainable > 0
            ? "100 × (earned \(Format.number(earned)) − penalties \(Format.number(penalty))) / attainable \(Format.number(attainable))"
            : "100 − penalties \(Format.number(penalty)) (nothing attainable)"
    }
}

public enum RubricEvaluator {
    /// Judges a run.
    /// - Parameters:
    ///   - steps: the scenario's steps in declaration order, with `timelines[i]` for step i.
    ///   - events: every procedure event of the run, in order.
    ///   - metrics: the finished value of each rubric metric, in rubric order.
    public static func evaluate(_ rubric: Rubric, steps: [StepInfo], timelines: [StepTimeline], events: [ProcedureEvent],
                                metrics: [MetricResult]) -> Evaluation {
        var lines: [ScoreLine] = []

        // metrics against targets
        var metricScores: [MetricScore] = []
        for (i, m) in rubric.metrics.enumerated() {
            let result = i < metrics.count ? metrics[i] : MetricResult(0, defined: false, note: "not measured")
            let met = m.target.map { result.defined && $0.isMet(by: result.value) }
            let points = met == true ? m.weight : 0
            metricScores.append(MetricScore(id: m.id, title: m.title, kind: m.metric.kind, dimension: m.valueDimension, result: result, target: m.target, met: met,
                                            points: points, weight: m.weight))
            let d = m.valueDimension
            let detail = m.target.map { "\(Format.quantity(result.value, d)) vs \(Format.target($0, d)): \(met == true ? "met" : "not met")" }
                ?? "\(Format.quantity(result.value, d)) (no target)"
            lines.append(ScoreLine(kind: .metric, id: m.id, title: m.title, points: points, maxPoints: m.target == nil ? 0 : m.weight,
                                   detail: result.defined ? detail : "not measured: \(result.note ?? "no value")"))
        }

        // required steps and order
        let stepResults = steps.enumerated().map { i, s in StepResult(info: s, timeline: i < timelines.count ? timelines[i] : StepTimeline(step: i)) }
        let required = stepResults.filter { $0.info.required && !$0.notTaken }
        let share = required.isEmpty ? 0 : rubric.stepPoints / Double(required.count)
        for s in required {
            lines.append(ScoreLine(kind: .step, id: s.info.id, title: s.info.title, points: s.done ? share : 0, maxPoints: share,
                                   detail: s.done ? "done" : "missed (\(s.timeline.status.rawValue))"))
        }
        var orderPenalty = 0.0
        for s in stepResults where s.timeline.outOfOrder {
            orderPenalty += rubric.outOfOrderPenalty
            lines.append(ScoreLine(kind: .order, id: s.info.id, title: s.info.title, points: -rubric.outOfOrderPenalty, maxPoints: 0,
                                   detail: "done out of order"))
        }

        // errors: each occurrence, penalised up to maxCount times
        var occurrences: [ErrorOccurrence] = []
        var counts = Array(repeating: 0, count: rubric.errors.count)
        for e in events {
            guard case let .error(i) = e.kind, i >= 0, i < rubric.errors.count else { continue }
            let def = rubric.errors[i]
            counts[i] += 1
            let charged = def.maxCount <= 0 || counts[i] <= def.maxCount
            occurrences.append(ErrorOccurrence(error: i, id: def.id, title: def.title, critical: def.critical, tick: e.tick, time: e.time,
                                               penalty: charged ? def.penalty : 0, feedback: def.feedback))
        }
        var errorPenalty = 0.0
        for (i, def) in rubric.errors.enumerated() where counts[i] > 0 {
            let charged = def.maxCount <= 0 ? counts[i] : min(counts[i], def.maxCount)
            errorPenalty += def.penalty * Double(charged)
            lines.append(ScoreLine(kind: .error, id: def.id, title: def.title, points: -def.penalty * Double(charged), maxPoints: 0,
                                   detail: "\(counts[i])× \(def.critical ? "critical error" : "error"), \(charged) charged × \(Format.number(def.penalty))"))
        }

        // score
        // step points as one product, not a sum of shares (6 × 40/6 is not exactly 40 in binary)
        let stepsDone = required.filter(\.done).count
        let stepEarned = required.isEmpty ? 0 : rubric.stepPoints * Double(stepsDone) / Double(required.count)
        let earned = metricScores.reduce(0) { $0 + $1.points } + stepEarned
        let attainable = metricScores.reduce(0) { $0 + ($1.target == nil ? 0 : $1.weight) } + (required.isEmpty ? 0 : rubric.stepPoints)
        let penalty = errorPenalty + orderPenalty
        let raw = attainable > 0 ? 100 * (earned - penalty) / attainable : 100 - penalty
        // rounded to 1e-9 so that a score meant to sit exactly on `min_score` compares as equal
        let score = raw.isFinite ? min(100, max(0, (raw * 1e9).rounded() / 1e9)) : 0

        // pass criteria
        let complete = required.allSatisfy(\.done) && (!steps.isEmpty || events.contains { $0.kind == .ended(reason: "completed") })
        var failed: [String] = []
        if score < rubric.pass.minScore { failed.append("score \(Format.fixed(score, decimals: 1)) is below \(Format.number(rubric.pass.minScore))") }
        if rubric.pass.noCriticalErrors {
            var seen: [Int] = []
            for o in occurrences where o.critical && !seen.contains(o.error) {
                seen.append(o.error)
                failed.append("critical error: \(o.title)")
            }
        }
        if rubric.pass.requireComplete && !complete {
            let missed = required.filter(\.missed).map(\.info.title)
            failed.append(missed.isEmpty ? "the procedure was not completed" : "required steps not done: \(missed.joined(separator: ", "))")
        }
        for id in rubric.pass.metricsMet {
            if let m = metricScores.first(where: { $0.id == id }), m.met != true { failed.append("metric not met: \(m.title)") }
        }
        return Evaluation(score: score, passed: failed.isEmpty, complete: complete, earned: earned, penalty: penalty, attainable: attainable,
                          lines: lines, metrics: metricScores, steps: stepResults, errors: occurrences, failedCriteria: failed)
    }
}


extension MetricScore {
    /// The value as a person reads it (e.g. `5.4 cm`), "—" when undefined: the same text as the reports.
    public var valueText: String { result.defined ? Format.quantity(result.value, dimension) : "—" }
    /// The target as a person reads it (e.g. `5–6 cm`), "" for none.
    public var targetText: String { target.map { Format.target($0, dimension) } ?? "" }
}
