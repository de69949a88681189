import Foundation
import PracticumCore
@testable import PracticumScoring

/// A 10-second run with a moving needle (body 0), a chest under CPR (body 1), a wall (body 2), two
/// hands, a tissue, two state variables, three steps, two errors, a message, a sample and an end.
enum SyntheticRun {
    static let dt = 0.01
    static let cpr = CPRTrace(segments: [.rest(2), .compressions(count: 60, perMinute: 110, depth: 0.055, residual: 0.002)])

    static var rubric: Rubric {
        var r = sampleRubric()
        r.metrics += [
            RubricMetric(id: "rate", title: "Compression rate", metric: MetricInstance(kind: "cpr_compression_rate", params: ["of": .body(1)]),
                         target: .range(100.0 / 60, 120.0 / 60), weight: 10),
            RubricMetric(id: "depth", title: "Compression depth", metric: MetricInstance(kind: "cpr_compression_depth", params: ["of": .body(1)]),
                         target: .range(0.05, 0.06), weight: 10),
            RubricMetric(id: "wall_force", title: "Force on the wall",
                         metric: MetricInstance(kind: "peak_contact_force", params: ["of": .body(0), "against": .body(2)]),
                         target: .atMost(2.5), weight: 10),
        ]
        return r
    }

    static var context: ReportContext {
        ReportContext(scenarioID: "synthetic", scenarioTitle: "Synthetic run", scenarioVersion: "1.0", scenarioHash: "0123456789abcdef",
                      traceHash: "fedcba9876543210", engineVersion: "0.1.0",
                      tracked: [TrackedSource(name: "needle tip", source: .body(0), offset: Vec3(0, 0, 0.02)), TrackedSource(name: "left hand", source: .hand(0))],
                      variables: [VariableInfo(name: "heart_rate", dimension: .rate, unit: "bpm", unitScale: 1.0 / 60),
                                  VariableInfo(name: "spo2", unit: "%", unitScale: 0.01)],
                      tissues: ["skin"])
    }

    static func ticks(seconds: Double = 9.5, critical: Bool = false) -> [Tick] {
        let n = Int((seconds / dt).rounded())
        return (1...n).map { k in
            let t = Double(k) * dt
            let needle = Vec3(0.1 * sin(t), 0.05 * t, 0.1 * cos(t))
            var o = Observations(tick: k, time: t)
            o.bodies = [.init(pose: Pose(position: needle, orientation: Quat(axis: .unitY, angle: 0.1 * t))),
                        .init(pose: Pose(position: Vec3(0, 0.3 - cpr.depth(at: t), 0))),
                        .init(pose: Pose(position: Vec3(0.2, 0, 0)))]
            o.hands = [.init(pose: Pose(position: Vec3(-0.2, 0.1 * sin(2 * t), 0))), .init(pose: Pose(position: needle), grip: 1, grasped: 0)]
            let touch = sin(3 * t)
            if touch > 0.5 { o.contacts = [.init(bodyA: 0, bodyB: 2, normalForce: 1 + touch)] }
            o.tissueForces = [max(0, 3 * sin(0.7 * t))]
            o.warnings = k > 500 ? 1 : 0
            let statuses: [StepStatus] = [t < 3 ? .active : .completed, t < 2 ? .pending : .skipped, t < 3 ? .pending : (t < 9 ? .active : .completed)]
            var events: [ProcedureEvent.Kind] = []
            if k == 1 { events.append(.stepStarted(step: 0)) }
            if k == 100 { events.append(.message(text: "Check the landmarks.")) }
            if k == 200 { events.append(.stepSkipped(step: 1)) }
            if k == 300 { events += [.stepCompleted(step: 0), .stepStarted(step: 2)] }
            if k == 400 || k == 650 { events.append(.error(error: 0)) }
            if critical, k == 700 { events.append(.error(error: 1)) }
            if k == 500 { events.append(.sample(metric: 2, value: 0.7)) }
            if k == 900 { events.append(.stepCompleted(step: 2)) }
            if k == n, t >= 9.5 - 1e-9 { events.append(.ended(reason: "completed")) }
            let f = frame(k, t, events: events, steps: statuses, variables: [1.3 + 0.1 * sin(t), 0.97 - 0.002 * t], ended: k == n)
            return Tick(obs: o, frame: f)
        }
    }

    static func report(seconds: Double = 9.5) throws -> Report {
        var recorder = try ReportRecorder(rubric: rubric, steps: sampleSteps, context: context)
        for t in ticks(seconds: seconds) { recorder.record(t.obs, t.frame) }
        return recorder.report()
    }
}
