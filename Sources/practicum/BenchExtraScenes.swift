import Foundation
import PracticumCore
import PracticumPhysics
import PracticumScenario

/// Every scene `practicum bench` knows: the physics scenes plus one `load-<id>` scene per shipped
/// scenario, which times loading, validating and compiling that file (one load per tick).
func benchSceneList() -> [BenchScene] {
    BenchScenes.all + shippedScenarioPaths().map { id, path in
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
