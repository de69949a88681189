import Testing
import PracticumCore
@testable import PracticumScenario
import PracticumTestSupport

/// A scenario exercising sequence, any-order group, optional step, branch + join, events and trends.
let flowScenario = """
id: flow
title: Flow
version: "1"
scene:
  bodies:
    - {id: a, kind: instrument, shape: {sphere: {radius: 1cm}}}
    - {id: b, kind: instrument, shape: {sphere: {radius: 1cm}}}
  regions:
    - {id: r1, position: [1m, 0, 0], radius: 10cm}
    - {id: r2, position: [2m, 0, 0], radius: 10cm}
    - {id: r3, position: [3m, 0, 0], radius: 10cm}
variables:
  - {id: hr, unit: bpm, initial: 80, min: 40, max: 180, trend: 0}
procedure:
  steps:
    - {id: first, title: First, complete_when: 'inside(a, r1)'}
    - {id: left, title: Left, complete_when: 'inside(a, r2)', after: [first]}
    - {id: right, title: Right, complete_when: 'inside(b, r2)', after: [first]}
    - {id: extra, title: Extra, complete_when: 'button("x")', after: [first], optional: true}
    - {id: branch_a, title: Branch A, complete_when: 'inside(a, r3)', after: [left, right], choice: path}
    - {id: branch_b, title: Branch B, complete_when: 'inside(b, r3)', after: [left, right], choice: path}
    - {id: after_b, title: After B, complete_when: 'inside(b, r3)', after: [branch_b]}
    - {id: join, title: Join, complete_when: 'held(inside(a, r1), 0.5s)', after_any: [branch_a, after_b]}
events:
  - id: worsen
    at: 1s
    do:
      - trend: {hr: 60bpm/min}
      - message: Heart rate rising
  - id: calm
    on_complete: join
    do:
      - set: {hr: 70bpm}
rubric:
  errors:
    - {id: early, when: "inside(b, r3) and not completed(right)", penalty: 5, feedback: Too early}
"""

struct Driver {
    var runner: ProcedureRunner
    var tick = 0
    let dt = 0.1
    var log: [String] = []

    init(_ text: String) throws {
        let r = load(text)
        guard let s = r.scenario else { throw TestFailure(message: "\(r.diagnostics)") }
        runner = ProcedureRunner(scenario: s, dt: 0.1)
    }

    /// Runs `n` ticks with bodies at the given positions; returns the events as readable strings.
    mutating func run(_ n: Int = 1, a: Vec3 = .zero, b: Vec3 = .zero, buttons: [String] = []) {
        for _ in 0..<n {
            tick += 1
            let obs = Observations(tick: tick, time: Double(tick) * dt,
                                   bodies: [.init(pose: Pose(position: a)), .init(pose: Pose(position: b))], buttons: buttons)
            let out = runner.tick(obs)
            for e in out.frame.events { log.append(describe(e)) }
        }
    }

    func describe(_ e: ProcedureEvent) -> String {
        let s = runner.scenario
        switch e.kind {
        case let .stepStarted(i): return "\(e.tick) start \(s.steps[i].id)"
        case let .stepCompleted(i): return "\(e.tick) done \(s.steps[i].id)"
        case let .stepFailed(i, r): return "\(e.tick) fail \(s.steps[i].id) \(r)"
        case let .stepSkipped(i): return "\(e.tick) skip \(s.steps[i].id)"
        case let .stepOutOfOrder(i): return "\(e.tick) early \(s.steps[i].id)"
        case let .stepRetried(i): return "\(e.tick) retry \(s.steps[i].id)"
        case let .error(i): return "\(e.tick) error \(s.rubric.errors[i].id)"
        case let .eventFired(i): return "\(e.tick) event \(s.events[i].id)"
        case let .message(t): return "\(e.tick) message \(t)"
        case let .sample(m, v): return "\(e.tick) sample \(m) \(v)"
        case let .ended(r): return "\(e.tick) end \(r)"
        }
    }
}

struct TestFailure: Error { var message: String }

@Suite struct RunnerTests {
    let r1 = Vec3(1, 0, 0), r2 = Vec3(2, 0, 0), r3 = Vec3(3, 0, 0)

    @Test func sequenceGroupOptionalBranchJoinAndEvents() throws {
        var d = try Driver(flowScenario)
        d.run(1)                        // tick 1: first starts
        d.run(1, a: r1)                 // tick 2: first done; left/right/extra start
        d.run(1, a: r2)                 // tick 3: left done
        d.run(1, b: r3)                 // tick 4: b in r3 before right is done: out-of-order + error
        d.run(1, b: r2)                 // tick 5: right done → branches start
        d.run(1, b: r3)                 // tick 6: branch_b done → branch_a not taken; after_b starts and completes
        d.run(4, a: r1)                 // ticks 7–10: held 0.5 s → join done at tick 11? (starts 7: 0.7 s … 1.2 s)
        d.run(2, a: r1)
        #expect(d.log == [
            "1 start first",
            "2 done first", "2 start left", "2 start right", "2 start extra",
            "3 done left",
            "4 early branch_b", "4 early after_b", "4 error early",
            "5 done right", "5 start branch_a", "5 start branch_b",
            "6 done branch_b", "6 skip branch_a", "6 start after_b", "6 done after_b", "6 start join",
            "10 event worsen", "10 message Heart rate rising",
            "12 done join", "12 event calm", "12 end completed"])
        #expect(d.runner.state.steps[3] == .active, "optional step stays open until the run ends")
        #expect(d.runner.state.ended, "all required steps settled")
                // hr: 80 bpm, trend 1 bpm/s from tick 10 (fires after variables update), set to 70 at tick 11
        #expect(isClose(d.runner.state.variables[0] * 60, 70, abs: 1e-9))
    }

    @Test func trendsIntegrateAndClamp() throws {
        let text = """
        id: t
        title: T
        version: "1"
        scene: {}
        variables:
          - {id: spo2, unit: "%", initial: 95, min: 50, max: 100, trend: -1%/s}
        procedure:
          steps:
            - {id: wait, title: Wait, complete_when: "spo2 < 90%"}
        """
        var d = try Driver(text)
        d.run(49)
        #expect(isClose(d.runner.state.variables[0], 0.95 - 0.049, abs: 1e-12))
        #expect(d.runner.state.steps[0] == .active)
        d.run(2)
        #expect(d.runner.state.steps[0] == .completed)
        #expect(d.log.contains("51 done wait"))
    }

    @Test func stepTimeLimitFailsAndEventEnablesAlternative() throws {
        let text = """
        id: t
        title: T
        version: "1"
        scene:
          bodies: [{id: a, shape: {sphere: {radius: 1cm}}}]
          regions: [{id: r, position: [1m, 0, 0], radius: 1cm}]
        procedure:
          steps:
            - {id: try1, title: First try, complete_when: 'inside(a, r)', time_limit: 0.3s}
            - {id: try2, title: Second try, complete_when: 'inside(a, r)', enabled: false, after: [try1]}
            - {id: done, title: Done, complete_when: "completed(try1) or completed(try2)", after_any: [try1, try2]}
        events:
          - {id: retry, on_fail: try1, do: [{enable: [try2]}, {message: Try again}]}
        """
        var d = try Driver(text)
        d.run(3)
        d.run(1)
        d.run(1, a: Vec3(1, 0, 0))
        #expect(d.log == ["1 start try1", "4 fail try1 time limit", "4 event retry", "4 message Try again",
                          "5 start try2", "5 done try2", "5 start done", "5 done done", "5 end completed"])
    }

    @Test func samplesAndEndErrors() throws {
        let text = """
        id: t
        title: T
        version: "1"
        scene:
          bodies:
            - {id: arm, shape: {box: {size: [10cm, 2cm, 10cm]}}}
            - {id: needle, kind: instrument, needle: true, shape: {capsule: {radius: 0.5mm, length: 4cm}}, tip: [0, 2cm, 0]}
          tissues:
            - id: skin
              body: arm
              needle_model: geometric
              position: [0, 1cm, 0]
              size: [10cm, 0, 10cm]
              layers:
                - {id: epidermis, thickness: 2mm}
                - {id: lumen, thickness: 3mm, lumen: true}
        procedure:
          steps:
            - {id: flash, title: Flashback, complete_when: "in_layer(needle, skin.lumen)"}
            - {id: never, title: Never, complete_when: "false"}
        rubric:
          metrics:
            - {id: angle, metric: sampled, value: "puncture_angle(needle, skin.epidermis)", at: "punctured(needle, skin.epidermis)", target: 10deg...30deg, weight: 10}
          errors:
            - {id: unfinished, at_end: not completed(never), critical: true, feedback: Finish}
        """
        var d = try Driver(text)
        // physics reports the needle (both needle models live there): the epidermis punctured at 30° on
        // tick 2, the tip in the lumen on tick 3
        func obs(_ layer: Int?, _ t: Int, puncture: Bool = false) -> Observations {
            var o = Observations(tick: t, time: Double(t) * 0.1, bodies: [.init(pose: .identity), .init(pose: .identity)])
            o.needles = [.init(needle: 1, tissue: layer == nil ? nil : 0, layer: layer, attempts: layer == nil ? 0 : 1)]
            if puncture { o.punctures = [.init(needle: 1, tissue: 0, layer: 0, force: 0, angle: .pi / 6)] }
            return o
        }
        var log: [String] = []
        for (t, layer) in [(1, nil), (2, 0), (3, 1)] as [(Int, Int?)] {
            for e in d.runner.tick(obs(layer, t, puncture: t == 2)).frame.events { log.append(d.describe(e)) }
        }
        let angleSample = log.first { $0.hasPrefix("2 sample 0 ") }
        #expect(angleSample != nil, "\(log)")
        if let a = angleSample.flatMap({ Double($0.split(separator: " ").last!) }) { #expect(isClose(a, .pi / 6, abs: 1e-9)) }
        #expect(log.contains("3 done flash"))
        for e in d.runner.finish(at: obs(1, 4)).frame.events { log.append(d.describe(e)) }
        #expect(Array(log.suffix(2)) == ["4 error unfinished", "4 end input_ended"])
    }

    @Test func sameInputsSameEvents() throws {
        var a = try Driver(flowScenario), b = try Driver(flowScenario)
        for d in [0, 1] {
            _ = d
            a.run(3, a: r1); b.run(3, a: r1)
            a.run(2, a: r2, b: r3); b.run(2, a: r2, b: r3)
        }
        #expect(a.log == b.log)
        #expect(a.runner.state == b.runner.state)
    }

    @Test func forceModelReadsPhysicsNeedleState() throws {
        let text = """
        id: t
        title: T
        version: "1"
        scene:
          bodies:
            - {id: arm, shape: {box: {size: [10cm, 2cm, 10cm]}}}
            - {id: needle, kind: instrument, needle: true, shape: {capsule: {radius: 0.5mm, length: 4cm}}, tip: [0, 2cm, 0]}
          tissues:
            - {id: skin, body: arm, layers: [{id: epidermis, thickness: 2mm, puncture_force: 1N}, {id: lumen, thickness: 3mm, lumen: true}]}
        procedure:
          steps:
            - {id: flash, title: Flashback, complete_when: "in_layer(needle, skin.lumen) and attempts(needle) == 1"}
        rubric:
          metrics:
            - {id: angle, metric: sampled, value: "puncture_angle(needle, skin.epidermis)", at: "punctured(needle, skin.epidermis)", weight: 10}
        """
        var d = try Driver(text)
        // physics says: tip pressing on the skin, then the skin punctured at 1.02 N and 25°, then in the lumen
        let frames: [([Observations.Puncture], Observations.NeedleState)] = [
            ([], .init(needle: 1, tissue: 0, layer: 0, depth: 0.001, layerDepths: [0.001, 0], attempts: 1, axialForce: 0.8)),
            ([.init(needle: 1, tissue: 0, layer: 0, force: 1.02, angle: 25 * .pi / 180)],
             .init(needle: 1, tissue: 0, layer: 0, depth: 0.0015, layerDepths: [0.0015, 0], attempts: 1, axialForce: 0.1)),
            ([], .init(needle: 1, tissue: 0, layer: 1, depth: 0.003, layerDepths: [0.002, 0.001], attempts: 1, axialForce: 0.1)),
        ]
        var log: [String] = []
        for (i, f) in frames.enumerated() {
            // poses say nothing (the needle far away): only the physics needle state may count
            let obs = Observations(tick: i + 1, time: Double(i + 1) * 0.1,
                                   bodies: [.init(pose: .identity), .init(pose: Pose(position: Vec3(5, 5, 5)))],
                                   punctures: f.0, needles: [f.1])
            for e in d.runner.tick(obs).frame.events { log.append(d.describe(e)) }
        }
        #expect(log.contains("2 sample 0 \(25 * Double.pi / 180)"), "\(log)")
        #expect(log.contains("3 done flash"), "\(log)")
    }
}
