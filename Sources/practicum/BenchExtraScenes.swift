import Foundation
import PracticumCore
import PracticumPhysics
import PracticumScenario
import PracticumSession

/// Every scene `practicum bench` knows: the physics scenes plus one `load-<id>` scene per shipped
/// scenario, which times loading, validating and compiling that file (one load per tick).
func benchSceneList() -> [BenchScene] {
    BenchScenes.all + [TissueBenchScenes.tissuePoke, TissueBenchScenes.tissueNeedle, NeedleInsertionScene.bench] + loadScenes() + replayScenes()
        + hapticScenes() + [storeBenchScene()]
}

/// `replay-<id>`: headless replay of the shipped expert trace (physics + procedure + scoring),
/// timed per tick; `extra` has `realtime_factor` (simulated seconds per wall second), `score`, the
/// tick rate and the mean time per tick of every stage (`stage_solve_ms`, …, from one more, profiled replay).
func replayScenes() -> [BenchScene] {
    shippedScenarioPaths().compactMap { id, path in
        replayScene(name: "replay-\(id)", id: id, path: path, rate: nil,
                    summary: "headless replay of scenarios/\(id)/traces/expert.trace with scoring (n: repetitions)")
    }
}

/// `haptic-<id>`: the same replay with physics ticked at 1 kHz, the rate a haptic device needs, for
/// each shipped procedure with a needle or tissue.
func hapticScenes() -> [BenchScene] {
    shippedScenarioPaths().compactMap { id, path in
        guard let scenario = try? loadScenarioForScoring(path).get(),
              !scenario.scene.tissues.isEmpty || scenario.scene.bodies.contains(where: \.isNeedle) else { return nil }
        return replayScene(name: "haptic-\(id)", id: id, path: path, rate: 1000,
                           summary: "headless replay of scenarios/\(id)/traces/expert.trace ticked at 1 kHz (haptic rate; n: repetitions)")
    }
}

/// A replay of `id`'s expert trace at the scenario's tick rate, or at `rate` Hz.
func replayScene(name: String, id: String, path: String, rate: Double?, summary: String) -> BenchScene? {
    let trace = "scenarios/\(id)/traces/expert.trace"
    guard FileManager.default.fileExists(atPath: trace) else { return nil }
    return BenchScene(name: name, summary: summary, defaultN: 1, defaultTicks: 1) { n, _, clock in
        guard let scenario = try? loadScenarioForScoring(path).get(),
              let t = try? TraceReader.read(contentsOf: trace),
              var session = try? Session(scenario: scenario, dt: rate.map { 1 / $0 }) else {
            return BenchResult(scene: name, n: n, ticks: 0, dt: 0, secondsPerTick: [], kineticEnergyFinal: 0, stateHash: "unavailable")
        }
        var times: [Double] = []
        var total = 0.0, simulated = 0.0
        var score = 0.0
        for _ in 0..<max(1, n) {
            session = try! Session(scenario: scenario, dt: rate.map { 1 / $0 })
            var source = Resampler(samples: t.frames)
            let start = clock()
            while true {
                let t0 = clock()
                guard Replay.step(&session, source: &source, until: t.duration) else { break }
                times.append(clock() - t0)
            }
            session.finish()
            score = session.report().score
            total += clock() - start
            simulated += session.time
        }
        // stage times from one more replay, profiled (reading the clock between stages costs about as
        // much as a tick, so the timed repetitions above run without it)
        var profiled = try! Session(scenario: scenario, dt: rate.map { 1 / $0 })
        profiled.startProfiling(clock: clock)
        var again = Resampler(samples: t.frames)
        while Replay.step(&profiled, source: &again, until: t.duration) {}
        return BenchResult(scene: name, n: n, ticks: session.tick, dt: session.dt, secondsPerTick: times,
                           kineticEnergyFinal: session.world.kineticEnergy, stateHash: session.world.state.hash().hex,
                           extra: [("realtime_factor", simulated / max(total, 1e-12)), ("score", score), ("tick_hz", 1 / session.dt)]
                               + (profiled.profile?.extras ?? []))
    }
}

func loadScenes() -> [BenchScene] {
    shippedScenarioPaths().map { id, path in
        BenchScene(name: "load-\(id)", summary: "load, validate and compile scenarios/\(id)/scenario.yaml (one load per tick)",
                   defaultN: 1, defaultTicks: 200) { _, ticks, clock in
            var times: [Double] = []
            var hash = ""
            for _ in 0..<ticks {
                let t0 = clock()
                let r = ScenarioLoader.load(path: path)
                times.append(clock() - t0)
                hash = r.scenario?.contentHash ?? "invalid"
            }
            return BenchResult(scene: "load-\(id)", n: 1, ticks: ticks, dt: 0, secondsPerTick: times,
                               kineticEnergyFinal: 0, stateHash: hash)
        }
    }
}

/// Shipped scenarios under `scenarios/` in the current directory, sorted by id.
func shippedScenarioPaths() -> [(String, String)] {
    let ids = (try? FileManager.default.contentsOfDirectory(atPath: "scenarios")) ?? []
    return ids.sorted().compactMap { id in
        let p = "scenarios/\(id)/scenario.yaml"
        return FileManager.default.fileExists(atPath: p) ? (id, p) : nil
    }
}
