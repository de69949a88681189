import Foundation
import PracticumPhysics
import PracticumProgress

/// `progress-store`: records n attempts (default 1,000; six metrics each, 50 trainees) into a fresh
/// SQLite progress store, one transaction per attempt as `score --store` does, timing each;
/// `extra` has `attempts_per_second` (wall clock, including the fsync of each commit).
func storeBenchScene() -> BenchScene {
    BenchScene(name: "progress-store", summary: "n attempts recorded into a fresh SQLite progress store (one transaction each)",
               defaultN: 1000, defaultTicks: 1) { n, _, clock in
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-bench-store-\(getpid())").path
        try? FileManager.default.removeItem(atPath: dir)
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        guard let store = try? SQLiteProgressStore(path: "\(dir)/bench.db") else {
            return BenchResult(scene: "progress-store", n: n, ticks: 0, dt: 0, secondsPerTick: [], kineticEnergyFinal: 0, stateHash: "unavailable")
        }
        let metrics = (0..<6).map { AttemptMetric(id: "m\($0)", kind: "completion_time", value: Double($0), unit: "s", met: true, targetMax: 10) }
        var times: [Double] = []
        let start = clock()
        for i in 0..<n {
            let a = AttemptRecord(trainee: "t-\(i % 50)", scenarioID: "cpr-adult", attempt: String(i), tracePath: "t\(i).trace",
                                  traceHash: String(format: "%016x", i), scenarioHash: "1a451918b228121d", passed: i % 3 != 0,
                                  score: Double(i % 100), duration: 60, metrics: metrics)
            let t0 = clock()
            try? store.record(a)
            times.append(clock() - t0)
        }
        let total = clock() - start
        let stored = (try? store.trainees(scenario: nil).reduce(0) { $0 + ((try? store.attempts(trainee: $1, scenario: nil).count) ?? 0) }) ?? 0
        return BenchResult(scene: "progress-store", n: n, ticks: n, dt: 0, secondsPerTick: times, kineticEnergyFinal: 0,
                           stateHash: stored == n ? "all-\(n)-stored" : "lost-\(n - stored)",
                           extra: [("attempts_per_second", Double(n) / total)])
    }
}
