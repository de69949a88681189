import Foundation
import Testing
import PracticumCore
import PracticumTestSupport
@testable import PracticumScoring

/// A small rubric: two targeted metrics worth 20 each, 60 points for two required steps, an error
/// (5 points, charged at most twice) and a critical error (20 points).
func sampleRubric(outOfOrderPenalty: Double = 0, metricsMet: [String] = []) -> Rubric {
    Rubric(metrics: [
        RubricMetric(id: "time", title: "Completion time", metric: MetricInstance(kind: "completion_time", params: [:]),
                     target: .atMost(60), weight: 20),
        RubricMetric(id: "path", title: "Needle path", metric: MetricInstance(kind: "path_length", params: ["of": .body(0)]),
                     target: .atMost(1), weight: 20),
        RubricMetric(id: "angle", title: "Entry angle", metric: MetricInstance(kind: "sampled", params: [:]), target: nil, weight: 0,
                     dimension: .angle),
    ], errors: [
        RubricError(id: "touch", title: "Touched the wall", critical: false, penalty: 5, maxCount: 2, feedback: "Keep clear of the wall."),
        RubricError(id: "artery", title: "Punctured the artery", critical: true, penalty: 20, feedback: "Aspirate before injecting."),
    ], stepPoints: 60, pass: PassCriteria(minScore: 70, metricsMet: metricsMet), outOfOrderPenalty: outOfOrderPenalty)
}

let sampleSteps = [StepInfo(id: "prep", title: "Prepare"), StepInfo(id: "look", title: "Look around", required: false),
                   StepInfo(id: "insert", title: "Insert the needle")]

func timeline(_ step: Int, _ status: StepStatus, start: Int? = 1, end: Int? = nil, outOfOrder: Bool = false) -> StepTimeline {
    var t = StepTimeline(step: step)
    t.status = status
    t.startTick = start; t.startTime = start.map { Double($0) * 0.1 }
    t.endTick = end; t.endTime = end.map { Double($0) * 0.1 }
    t.outOfOrder = outOfOrder
    return t
}

@Suite struct EvaluatorTests {
    let good = [timeline(0, .completed, end: 5), timeline(1, .skipped, end: 2), timeline(2, .completed, start: 5, end: 9)]
    let goodMetrics = [MetricResult(30), MetricResult(0.5), MetricResult(0.7)]

    func errors(_ kinds: [Int]) -> [ProcedureEvent] {
        kinds.enumerated().map { k, e in ProcedureEvent(tick: 10 + k, time: 1 + Double(k), kind: .error(error: e)) }
    }

    @Test func perfectRun() {
        let e = RubricEvaluator.evaluate(sampleRubric(), steps: sampleSteps, timelines: good, events: [], metrics: goodMetrics)
        #expect(e.score == 100 && e.passed && e.complete)
        #expect(e.earned == 100 && e.attainable == 100 && e.penalty == 0)
        #expect(e.lines.map(\.kind) == [.metric, .metric, .metric, .step, .step])
        #expect(e.metrics[2].met == nil && e.metrics[2].points == 0)
        #expect(e.lines[2].detail == "40.11 deg (no target)")
        #expect(e.lines[0].detail == "30 s vs ≤ 60 s: met")
    }

    @Test func missedRequiredStep() {
        var t = good
        t[2] = timeline(2, .active, start: 5)
        let e = RubricEvaluator.evaluate(sampleRubric(), steps: sampleSteps, timelines: t, events: [], metrics: goodMetrics)
        #expect(e.score == 70 && !e.complete && !e.passed)
        #expect(e.failedCriteria == ["required steps not done: Insert the needle"])
        #expect(e.steps[2].missed && !e.steps[1].missed)
    }

    @Test func branchNotTakenIsNeitherCountedNorMissed() {
        var t = good
        t[0] = timeline(0, .skipped, end: 1)
        let e = RubricEvaluator.evaluate(sampleRubric(), steps: sampleSteps, timelines: t, events: [], metrics: goodMetrics)
        // the one remaining required step carries all 60 step points
        #expect(e.score == 100 && e.complete && e.passed)
        #expect(e.lines.filter { $0.kind == .step }.map(\.maxPoints) == [60])
    }

    @Test func errorsArePenalisedUpToTheirMaximumCount() {
        let e = RubricEvaluator.evaluate(sampleRubric(), steps: sampleSteps, timelines: good, events: errors([0, 0, 1, 0]), metrics: goodMetrics)
        // 5 + 5 (third touch not charged) + 20
        #expect(e.penalty == 30 && e.score == 70)
        #expect(e.errors.map(\.penalty) == [5, 5, 20, 0])
        #expect(e.errors[2].critical && e.errors[2].feedback == "Aspirate before injecting." && e.errors[2].time == 3)
        #expect(e.failedCriteria == ["critical error: Punctured the artery"])
        #expect(e.lines.filter { $0.kind == .error }.map(\.points) == [-10, -20])
    }

    @Test func missedTargetAndUndefinedMetric() {
        let m = [MetricResult(61), MetricResult(0, defined: false, note: "never observed"), MetricResult(0.7)]
        let e = RubricEvaluator.evaluate(sampleRubric(metricsMet: ["path"]), steps: sampleSteps, timelines: good, events: [], metrics: m)
        #expect(e.score == 60 && !e.passed)
        #expect(e.metrics.map(\.met) == [false, false, nil])
        #expect(e.failedCriteria == ["score 60 is below 70", "metric not met: Needle path"])
    }

    @Test func outOfOrderPenalty() {
        var t = good
        t[2].outOfOrder = true
        let e = RubricEvaluator.evaluate(sampleRubric(outOfOrderPenalty: 4), steps: sampleSteps, timelines: t, events: [], metrics: goodMetrics)
        #expect(e.score == 96 && e.passed)
        #expect(e.lines.last == ScoreLine(kind: .order, id: "insert", title: "Insert the needle", points: -4, maxPoints: 0, detail: "done out of order"))
    }

    @Test func scoreIsClampedAndNothingAttainable() {
        let e = RubricEvaluator.evaluate(Rubric(errors: sampleRubric().errors), steps: [], timelines: [], events: errors([0, 0]),
                                         metrics: [])
        #expect(e.score == 90 && e.attainable == 0)
        #expect(!e.complete) // no steps and no `ended(completed)`
        let worse = RubricEvaluator.evaluate(sampleRubric(), steps: sampleSteps, timelines: [], events: errors([1, 1, 0, 0]), metrics: [])
        #expect(worse.score == 0)
    }
}

@Suite struct FormatTests {
    @Test(arguments: [(0.055, "0.055"), (1234.5678, "1235"), (0.1 + 0.2, "0.3"), (-0.0, "0"), (Double.nan, "0"), (-2.5, "-2.5"),
                      (1e-9, "0"), (99.99999, "100")])
    func numbers(value: Double, text: String) { #expect(Format.number(value) == text) }

    @Test func quantities() {
        #expect(Format.quantity(0.055, .length) == "5.5 cm")
        #expect(Format.quantity(110.0 / 60, .rate) == "110 /min")
        #expect(Format.target(.range(0.05, 0.06), .length) == "5–6 cm")
        #expect(Format.time(125.96) == "2:06.0")
        #expect(Format.time(59.999) == "60 s")
        #expect(Format.time(7.5) == "7.5 s")
    }

    @Test func jsonNumbers() {
        #expect(JSON.format(3) == "3" && JSON.format(-0.0) == "0" && JSON.format(.infinity) == "null" && JSON.format(0.1) == "0.1")
        #expect(JSON.array([.string("a\"\n\u{1}"), .object([])]).serialized() == "[\n  \"a\\\"\\n\\u0001\",\n  {}\n]\n")
    }
}
