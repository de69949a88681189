// Scoring overhead: how much the report recorder (every rubric metric plus the debrief series)
// adds to a physics tick. Runs the sphere-pile bench scene; each tick it times `World.step` +
// `observations()` (what a headless replay does anyway) and, separately, `ReportRecorder.record`
// with a 16-metric rubric over the scene's bodies. Build and run with tools/bench/scoring-overhead.sh.
import Foundation
import PracticumCore
import PracticumPhysics
import PracticumScoring

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

let n = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 20
let ticks = Int(CommandLine.arguments.dropFirst(2).first ?? "") ?? 4800

func metric(_ id: String, _ kind: String, _ params: [String: MetricArgument] = [:], _ target: Target? = .atMost(1e9)) -> RubricMetric {
    RubricMetric(id: id, title: id, metric: MetricInstance(kind: kind, params: params), target: target, weight: 5)
}
let rubric = Rubric(metrics: [
    metric("time", "completion_time"),
    metric("step", "step_time", ["step": .step(0)]),
    metric("path", "path_length", ["of": .body(1)]),
    metric("angular", "angular_path_length", ["of": .body(1)]),
    metric("economy", "economy_of_motion", ["of": .body(2)]),
    metric("idle", "idle_time", ["of": .body(3)]),
    metric("moves", "movement_count", ["of": .body(3)]),
    metric("ldlj", "log_dimensionless_jerk", ["of": .body(4)]),
    metric("peak", "peak_contact_force", ["of": .body(5), "against": .body(0)]),
    metric("mean", "mean_contact_force", ["of": .body(5)]),
    metric("above", "contact_time_above_force", ["of": .body(6), "threshold": .quantity(0.1)]),
    metric("tissue", "peak_tissue_force", ["tissue": .tissue(0)]),
    metric("rate", "cpr_compression_rate", ["of": .body(7)]),
    metric("depth", "cpr_compression_depth", ["of": .body(7)]),
    metric("errors", "error_count", ["error": .error(0)]),
    metric("punctures", "puncture_count"),
], errors: [RubricError(id: "e", title: "e", critical: false, penalty: 1, feedback: "")], stepPoints: 20)
let context = ReportContext(scenarioID: "bench", tracked: [TrackedSource(name: "a", source: .body(1)), TrackedSource(name: "b", source: .body(2))],
                            variables: [VariableInfo(name: "hr"), VariableInfo(name: "spo2"), VariableInfo(name: "bp")], tissues: ["skin"])
var recorder = try ReportRecorder(rubric: rubric, steps: [StepInfo(id: "s", title: "s")], context: context)
var world = try World(SpherePile.def(n: n))
var physics: [Double] = [], scoring: [Double] = []
for k in 1...ticks {
    let t0 = now()
    world.step()
    var o = world.observations()
    let t1 = now()
    o.tissueForces = [Double(k % 50) * 0.01]
    let f = ProcedureFrame(tick: k, time: o.time, variables: [1.2, 0.97, 12000], steps: [k < ticks / 2 ? .active : .completed],
                           events: k % 1000 == 0 ? [ProcedureEvent(tick: k, time: o.time, kind: .error(error: 0))] : [], ended: false)
    let t2 = now()
    recorder.record(o, f)
    let t3 = now()
    physics.append(t1 - t0); scoring.append(t3 - t2)
}
let t4 = now()
let report = recorder.report()
let json = report.json()
let finish = now() - t4
func median(_ a: [Double]) -> Double { let s = a.sorted(); return s[s.count / 2] }
let p = physics.reduce(0, +), s = scoring.reduce(0, +)
print("sphere-pile n=\(n) ticks=\(ticks), rubric \(rubric.metrics.count) metrics + debrief series")
print("physics step+observe: median \(median(physics) * 1e6) µs/tick, total \(p) s")
print("scoring record:       median \(median(scoring) * 1e6) µs/tick, total \(s) s")
print("report + JSON at end: \(finish * 1e3) ms (\(json.utf8.count) bytes)")
print("overhead: \(100 * (s + finish) / p) % of physics time")
