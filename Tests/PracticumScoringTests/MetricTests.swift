import Foundation
import Testing
import PracticumCore
import PracticumTestSupport
@testable import PracticumScoring

@Suite struct CatalogTests {
    @Test func everyCatalogMetricBuildsWithItsRequiredParameters() throws {
        for info in MetricCatalog.all {
            var params: [String: MetricArgument] = [:]
            for p in info.params where p.required {
                switch p.kind {
                case .body, .bodyOrHand: params[p.name] = .body(0)
                case .hand: params[p.name] = .hand(0)
                case .region: params[p.name] = .region(0)
                case .tissue: params[p.name] = .tissue(0)
                case .layer: params[p.name] = .layer(tissue: 0, layer: 0)
                case .step: params[p.name] = .step(0)
                case .variable: params[p.name] = .variable(0)
                case .event: params[p.name] = .event(0)
                case .error: params[p.name] = .error(0)
                case .text: params[p.name] = .text("x")
                case .quantity: params[p.name] = .quantity(1)
                }
            }
            // an empty run gives a finite value for every metric
            let r = try evaluate(info.name, params, [])
            #expect(r.value.isFinite, "\(info.name)")
            let names = info.params.map(\.name)
            #expect(Set(names).count == names.count, "\(info.name) repeats a parameter")
        }
    }

    @Test func missingAndUnknownAreReported() {
        #expect(throws: MetricBuildError.unknownMetric("nope")) { try evaluate("nope", [Tick]()) }
        #expect(throws: MetricBuildError.missingParameter(metric: "path_length", parameter: "of")) { try evaluate("path_length", [Tick]()) }
        #expect(throws: MetricBuildError.wrongArgument(metric: "path_length", parameter: "of")) {
            try evaluate("path_length", ["of": .tissue(0)], [])
        }
    }
}

@Suite struct TimeMetricTests {
    @Test func completionTimeIsTheEndedEventElseTheLastTick() throws {
        var fs = (1...10).map { frame($0, Double($0) * 0.1) }
        #expect(try evaluate("completion_time", frames(fs)).value == 1.0)
        fs[6] = frame(7, 0.7, events: [.ended(reason: "completed")])
        #expect(try evaluate("completion_time", frames(fs)).value == 0.7)
        #expect(try evaluate("completion_time", []).value == 0)
    }

    @Test func stepTimeFromEvents() throws {
        var fs = (1...10).map { frame($0, Double($0) * 0.1) }
        fs[1] = frame(2, 0.2, events: [.stepStarted(step: 1)])
        fs[8] = frame(9, 0.9, events: [.stepCompleted(step: 1)])
        #expect(isClose(try evaluate("step_time", ["step": .step(1)], frames(fs)).value, 0.7))
    }

    @Test func stepTimeFromStatusesAndUnfinished() throws {
        let statuses: [StepStatus] = [.pending, .pending, .active, .active, .active, .completed, .completed]
        let fs = statuses.enumerated().map { k, s in frame(k + 1, Double(k + 1) * 0.5, steps: [s]) }
        #expect(isClose(try evaluate("step_time", ["step": .step(0)], frames(fs)).value, 1.5))
        // still active at the end: measured to the last tick, with a note
        let running = try evaluate("step_time", ["step": .step(0)], frames(Array(fs.prefix(5))))
        #expect(isClose(running.value, 1.0) && running.note != nil)
        let never = try evaluate("step_time", ["step": .step(0)], frames(Array(fs.prefix(2))))
        #expect(never.value == 0 && !never.defined)
    }
}

@Suite struct MotionMetricTests {
    @Test func pathLength() throws {
        let ticks = bodyPath([Vec3(0, 0, 0), Vec3(3, 4, 0), Vec3(3, 4, 12)])
        #expect(try evaluate("path_length", ["of": .body(0)], ticks).value == 17)
        // a hand
        let hands = ticks.map { t in
            var o = Observations(tick: t.obs.tick, time: t.obs.time)
            o.hands = [.init(pose: Pose()), .init(pose: t.obs.bodies[0].pose)]
            return Tick(obs: o, frame: t.frame)
        }
        #expect(try evaluate("path_length", ["of": .hand(1)], hands).value == 17)
        #expect(try evaluate("path_length", ["of": .hand(0)], hands).value == 0)
        #expect(try evaluate("path_length", ["of": .body(5)], ticks).value == 0)
    }

    @Test func angularPathLength() throws {
        let angles = [0.0, 0.1, 0.3, 0.2]
        let ticks = angles.enumerated().map { k, a in
            Tick(obs: Observations(tick: k, time: Double(k), bodies: [.init(pose: Pose(orientation: Quat(axis: .unitZ, angle: a)))]),
                 frame: frame(k, Double(k)))
        }
        #expect(isClose(try evaluate("angular_path_length", ["of": .body(0)], ticks).value, 0.4, abs: 1e-12))
    }

    @Test(arguments: [
        ([Vec3(0, 0, 0), Vec3(3, 4, 0), Vec3(6, 0, 0)], 10.0 / 6),
        ([Vec3(0, 0, 0), Vec3(2, 0, 0)], 1.0),
        // back to the start: the straight-line distance is floored at 1 mm
        ([Vec3(0, 0, 0), Vec3(1, 0, 0), Vec3(0, 0, 0)], 2000.0),
        ([Vec3(1, 1, 1), Vec3(1, 1, 1)], 1.0),
    ])
    func economyOfMotion(path: [Vec3], expected: Double) throws {
        #expect(isClose(try evaluate("economy_of_motion", ["of": .body(0)], bodyPath(path)).value, expected, abs: 1e-9))
    }

    @Test func idleTime() throws {
        // Δt = 0.1 s; speeds 0.005, 0.005, 0.1, 0.1, 0.002 m/s against 0.01 m/s
        let xs = [0, 0.0005, 0.0010, 0.0110, 0.0210, 0.0212]
        let r = try evaluate("idle_time", ["of": .body(0), "threshold": .quantity(0.01)], bodyPath(xs.map { Vec3($0, 0, 0) }))
        #expect(isClose(r.value, 0.3, abs: 1e-12))
    }

    @Test func movementCountWithHysteresis() throws {
        // Δt = 1 s so speeds equal displacements: 0.06 starts #1, 0.03 keeps moving (> 0.025), 0.02 stops,
        // 0.06 starts #2, 0.01 stops, 0.04 is not enough, 0.051 starts #3
        var x = 0.0
        var path = [Vec3(0, 0, 0)]
        for s in [0.06, 0.03, 0.02, 0.06, 0.01, 0.04, 0.051] { x += s; path.append(Vec3(x, 0, 0)) }
        let r = try evaluate("movement_count", ["of": .body(0), "threshold": .quantity(0.05)], bodyPath(path, dt: 1))
        #expect(r.value == 3)
    }

    @Test func logDimensionlessJerkByHand() throws {
        // samples 1 s apart: x = 0, 1, 3, 4, 4 → v = 1, 2, 1, 0; a = 1, −1, −1; j = −2, 0
        // ∫j² = 4, v_peak = 2; the movement spans [0, 3] s (the last interval is at rest) → DLJ = 3³ / 2² · 4 = 27
        let ticks = [0.0, 1, 3, 4, 4].enumerated().map { k, x in
            Tick(obs: Observations(tick: k, time: Double(k), bodies: [.init(pose: Pose(position: Vec3(x, 0, 0)))]), frame: frame(k, Double(k)))
        }
        let r = try evaluate("log_dimensionless_jerk", ["of": .body(0), "sample_interval": .quantity(1)], ticks)
        #expect(isClose(r.value, -log(27.0), abs: 1e-12))
    }

    @Test func logDimensionlessJerkOfMinimumJerkReach() throws {
        // minimum-jerk reach x = D(10τ³ − 15τ⁴ + 6τ⁵): DLJ = 720 / 1.875² = 204.8 analytically;
        // sampled at 1 kHz, resampled at 100 Hz, with 0.2 s of rest on either side
        let d = 0.1, pad = 0.2
        let ticks = (0...1400).map { k in
            let t = Double(k) * 0.001
            let tau = min(max(t - pad, 0), 1)
            let x = d * (10 * pow(tau, 3) - 15 * pow(tau, 4) + 6 * pow(tau, 5))
            return Tick(obs: Observations(tick: k, time: t, bodies: [.init(pose: Pose(position: Vec3(x, 0, 0)))]), frame: frame(k, t))
        }
        let r = try evaluate("log_dimensionless_jerk", ["of": .body(0), "rest_speed": .quantity(1e-6)], ticks)
        #expect(isClose(r.value, -log(204.8), abs: 0.05))
        // still: undefined
        let still = try evaluate("log_dimensionless_jerk", ["of": .body(0)], bodyPath([Vec3.zero, .zero, .zero, .zero]))
        #expect(!still.defined && still.value == 0)
    }
}

@Suite struct ForceMetricTests {
    /// Δt = 0.1 s; contact 1–2 with forces 0, 2, 4, 0, 6 N; contact 1–3 with 1 N on the second tick; tissue 1 the same as 1–2.
    var ticks: [Tick] {
        [0.0, 2, 4, 0, 6].enumerated().map { k, f in
            var contacts = [Observations.Contact(bodyA: 0, bodyB: 4, normalForce: 9)]
            if f > 0 { contacts.append(.init(bodyA: 2, bodyB: 1, normalForce: f)) }
            if k == 1 { contacts.append(.init(bodyA: 1, bodyB: 3, normalForce: 1)) }
            contacts.append(.init(bodyA: 5, bodyB: 6, normalForce: 9))
            contacts.sort { ($0.bodyA, $0.bodyB) < ($1.bodyA, $1.bodyB) }
            let t = Double(k + 1) * 0.1
            return Tick(obs: Observations(tick: k + 1, time: t, contacts: contacts, tissueForces: [0, f]), frame: frame(k + 1, t))
        }
    }

    @Test func pairForces() throws {
        let pair: [String: MetricArgument] = ["of": .body(2), "against": .body(1)]
        #expect(try evaluate("peak_contact_force", pair, ticks).value == 6)
        #expect(isClose(try evaluate("mean_contact_force", pair, ticks).value, 4, abs: 1e-12))
        #expect(isClose(try evaluate("contact_time_above_force", pair.merging(["threshold": .quantity(3)]) { a, _ in a }, ticks).value,
                        0.2, abs: 1e-12))
    }

    @Test func allContactsOfABody() throws {
        // tick 2 sums 2 + 1 = 3 N; mean = (3 + 4 + 6)·0.1 / 0.3
        #expect(isClose(try evaluate("mean_contact_force", ["of": .body(1)], ticks).value, 13.0 / 3, abs: 1e-12))
        #expect(try evaluate("peak_contact_force", ["of": .body(3)], ticks).value == 1)
        let none = try evaluate("mean_contact_force", ["of": .body(7)], ticks)
        #expect(none.value == 0 && none.note != nil)
    }

    @Test func tissueForces() throws {
        #expect(try evaluate("peak_tissue_force", ["tissue": .tissue(1)], ticks).value == 6)
        #expect(isClose(try evaluate("mean_tissue_force", ["tissue": .tissue(1)], ticks).value, 4, abs: 1e-12))
        #expect(isClose(try evaluate("tissue_time_above_force", ["tissue": .tissue(1), "threshold": .quantity(4)], ticks).value, 0.1, abs: 1e-12))
        #expect(try evaluate("peak_tissue_force", ["tissue": .tissue(9)], ticks).value == 0)
    }
}

@Suite struct ProcedureMetricTests {
    @Test func sampledTakesTheFirstFiniteSampleOfItsMetric() throws {
        let fs = frames([
            frame(1, 0.1, events: [.sample(metric: 2, value: .nan), .sample(metric: 1, value: 5)]),
            frame(2, 0.2, events: [.sample(metric: 2, value: 7)]),
            frame(3, 0.3, events: [.sample(metric: 2, value: 9)]),
        ])
        #expect(try evaluate("sampled", rubricIndex: 2, fs) == MetricResult(7))
        let none = try evaluate("sampled", rubricIndex: 3, fs)
        #expect(!none.defined && none.value == 0)
    }

    @Test func variables() throws {
        let fs = frames([frame(1, 0.1, variables: [5, 1]), frame(2, 0.2, variables: [3, .nan]), frame(3, 0.3, variables: [4, 2])])
        #expect(try evaluate("variable_min", ["variable": .variable(0)], fs).value == 3)
        #expect(try evaluate("variable_max", ["variable": .variable(0)], fs).value == 5)
        #expect(try evaluate("variable_final", ["variable": .variable(1)], fs).value == 2)
        #expect(!(try evaluate("variable_final", ["variable": .variable(4)], fs)).defined)
    }

    @Test func errorAndEventCounts() throws {
        let fs = frames([
            frame(1, 0.1, events: [.error(error: 1), .error(error: 0), .eventFired(event: 1)]),
            frame(2, 0.2, events: [.error(error: 1), .eventFired(event: 0)]),
        ])
        #expect(try evaluate("error_count", ["error": .error(1)], fs).value == 2)
        #expect(try evaluate("error_count", ["error": .error(2)], fs).value == 0)
        #expect(try evaluate("event_count", ["event": .event(0)], fs).value == 1)
    }

    @Test func puncturesAndAttempts() throws {
        let o1 = Observations(tick: 1, time: 0.1, punctures: [.init(needle: 3, tissue: 0, layer: 0, force: 1, angle: 1),
                                                              .init(needle: 3, tissue: 0, layer: 1, force: 1, angle: 1)],
                              needles: [.init(needle: 3, attempts: 1), .init(needle: 4, attempts: 2)])
        let o2 = Observations(tick: 2, time: 0.2, punctures: [.init(needle: 4, tissue: 1, layer: 1, force: 1, angle: 1)],
                              needles: [.init(needle: 3, attempts: 2), .init(needle: 4, attempts: 2)])
        let ticks = [Tick(obs: o1, frame: frame(1, 0.1)), Tick(obs: o2, frame: frame(2, 0.2))]
        #expect(try evaluate("puncture_count", [:], ticks).value == 3)
        #expect(try evaluate("puncture_count", ["tissue": .tissue(0)], ticks).value == 2)
        #expect(try evaluate("puncture_count", ["layer": .layer(tissue: 0, layer: 1)], ticks).value == 1)
        #expect(try evaluate("puncture_count", ["of": .body(4)], ticks).value == 1)
        #expect(try evaluate("insertion_attempts", [:], ticks).value == 4)
        #expect(try evaluate("insertion_attempts", ["of": .body(3)], ticks).value == 2)
    }

    @Test func graspDrops() throws {
        // hand 1 holds body 7, drops it (1), grasps again, releases it inside region 2 (not a drop),
        // grasps, switches to body 8 (a drop of 7)
        let grasped: [Int?] = [nil, 7, nil, 7, nil, 7, 8, 8]
        let ticks = grasped.enumerated().map { k, g in
            var o = Observations(tick: k, time: Double(k))
            o.hands = [.init(pose: Pose()), .init(pose: Pose(), grip: g == nil ? 0 : 1, grasped: g)]
            if k == 4 { o.inside = [.init(region: 2, body: 7)] }
            return Tick(obs: o, frame: frame(k, Double(k)))
        }
        #expect(try evaluate("grasp_drops", [:], ticks).value == 3)
        #expect(try evaluate("grasp_drops", ["except_in": .region(2)], ticks).value == 2)
        #expect(try evaluate("grasp_drops", ["of": .hand(0)], ticks).value == 0)
        #expect(try evaluate("grasp_drops", ["body": .body(8)], ticks).value == 0)
    }
}

@Suite struct FLSTests {
    func run(completedAt: Double?, drops: Int, penalty: Double) throws -> Double {
        var fs = [frame(1, 1, events: Array(repeating: .eventFired(event: 2), count: drops) + [.eventFired(event: 1)])]
        fs.append(frame(2, completedAt ?? 300, events: [.ended(reason: completedAt == nil ? "time_limit" : "completed")]))
        return try evaluate("fls_peg_transfer_score", ["penalty": .quantity(penalty), "event": .event(2)], frames(fs)).value
    }

    @Test(arguments: [
        (120.0, 2, 10.0, 160.0),   // 300 − 120 − 2·10
        (48.0, 0, 10.0, 252.0),
        (295.0, 1, 10.0, 0.0),     // negative scores are 0
        (290.0, 1, 10.0, 0.0),
        (289.5, 1, 10.0, 0.5),
    ])
    func formula(time: Double, drops: Int, penalty: Double, expected: Double) throws {
        #expect(try run(completedAt: time, drops: drops, penalty: penalty) == expected)
    }

    @Test func notCompletedScoresZero() throws {
        #expect(try run(completedAt: nil, drops: 0, penalty: 10) == 0)
    }

    @Test func customCutoff() throws {
        let fs = frames([frame(1, 30, events: [.ended(reason: "completed")])])
        #expect(try evaluate("fls_peg_transfer_score", ["cutoff": .quantity(48)], fs).value == 18)
    }
}
