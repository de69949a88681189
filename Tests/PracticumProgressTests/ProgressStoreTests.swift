import Foundation
import Testing
@testable import PracticumScoring
@testable import PracticumProgress
import PracticumTestSupport

func scratchStore() throws -> (SQLiteProgressStore, String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-store-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return (try SQLiteProgressStore(path: "\(dir)/progress.db"), dir)
}

func attempt(_ trainee: String, _ n: Int, score: Double, passed: Bool = true, critical: Int = 0, time: Double = 100, started: String? = nil,
             scenario: String = "fls-peg-transfer") -> AttemptRecord {
    AttemptRecord(trainee: trainee, scenarioID: scenario, attempt: String(n), started: started, tracePath: "t\(n).trace",
                  traceHash: String(format: "%016x", n), scenarioHash: "00000000000000aa", rubricHash: "00000000000000bb",
                  passed: passed, score: score, duration: time, complete: true, errors: critical, criticalErrors: critical,
                  metrics: [AttemptMetric(id: "time", kind: "completion_time", value: time, unit: "s", met: time <= 120, targetMax: 120),
                            AttemptMetric(id: "transfers", kind: "count", value: 6, unit: "", met: true, targetMin: 6),
                            AttemptMetric(id: "smooth", kind: "path_length", value: 1, unit: "m", defined: false, met: nil)])
}

/// The stores the shared tests run against: a fresh SQLite file always; the PostgreSQL server that
/// `PRACTICUM_TEST_POSTGRES` names (tools/test starts one on loopback when CI is set) when given.
/// With CI set and no server, the PostgreSQL case fails instead of being skipped.
enum Backend: String, CaseIterable, CustomStringConvertible {
    case sqlite, postgres
    var description: String { rawValue }

    /// A fresh, empty store, and a cleanup; nil when this backend is not available here.
    func open() throws -> (any ProgressStore, () -> Void)? {
        switch self {
        case .sqlite:
            let (store, dir) = try scratchStore()
            return (store, { try? FileManager.default.removeItem(atPath: dir) })
        case .postgres:
            let env = ProcessInfo.processInfo.environment
            guard let url = env["PRACTICUM_TEST_POSTGRES"], !url.isEmpty else {
                if env["CI"] != nil { Issue.record("CI is set but PRACTICUM_TEST_POSTGRES names no server (tools/test starts one)") }
                return nil
            }
            let store = try PostgresProgressStore(url: url)
            try store.removeEverything()
            return (store, {})
        }
    }
}

/// Shared by both backends, one test at a time (the PostgreSQL database is shared).
@Suite(.serialized) struct ProgressStoreTests {
    @Test(arguments: Backend.allCases)
    func attemptsRoundTripExactlyInTheOrderMade(backend: Backend) throws {
        guard let (store, cleanup) = try backend.open() else { return }
        defer { cleanup() }
        let a = attempt("t-1", 1, score: 61.5, started: "2026-12-03T09:00:00Z")
        let b = attempt("t-1", 2, score: 70, started: "2026-12-02T09:00:00Z")
        let c = attempt("t-1", 3, score: 80)
        let other = attempt("t-2", 1, score: 90, scenario: "cpr-adult")
        for x in [a, b, c, other] { try store.record(x) }
        #expect(try store.attempts(trainee: "t-1", scenario: nil) == [b, a, c])
        #expect(try store.attempts(trainee: "t-1", scenario: "cpr-adult") == [])
        #expect(try store.attempts(trainee: "t-2", scenario: "cpr-adult") == [other])
        #expect(try store.trainees(scenario: nil) == ["t-1", "t-2"])
        #expect(try store.trainees(scenario: "cpr-adult") == ["t-2"])
    }

    @Test(arguments: Backend.allCases)
    func aReScoreReplacesTheAttempt(backend: Backend) throws {
        guard let (store, cleanup) = try backend.open() else { return }
        defer { cleanup() }
        var a = attempt("t-1", 1, score: 50)
        try store.record(a)
        a.score = 75; a.rubricHash = "00000000000000cc"; a.metrics.removeLast()
        try store.record(a)
        #expect(try store.attempts(trainee: "t-1", scenario: nil) == [a])
    }

    @Test(arguments: Backend.allCases)
    func manyWritersLoseNothing(backend: Backend) throws {
        guard let (store, cleanup) = try backend.open() else { return }
        defer { cleanup() }
        DispatchQueue.concurrentPerform(iterations: 100) { i in try? store.record(attempt("t-\(i % 7)", i, score: Double(i))) }
        let all = try store.trainees(scenario: nil).flatMap { try store.attempts(trainee: $0, scenario: nil) }
        #expect(all.count == 100)
        #expect(Set(all.map(\.score)) == Set((0..<100).map(Double.init)))
    }
}

@Suite struct SQLiteStoreTests {
    @Test func oneFileInWALModeWithItsMigrations() throws {
        let (store, dir) = try scratchStore()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try store.journalMode() == "wal")
        #expect(try store.appliedMigrations() == ["v1: attempts and their metrics"])
        let a = attempt("t-1", 1, score: 50)
        try store.record(a)
        let reopened = try SQLiteProgressStore(path: "\(dir)/progress.db")
        #expect(try reopened.attempts(trainee: "t-1", scenario: nil) == [a])
        #expect(try reopened.appliedMigrations() == ["v1: attempts and their metrics"])
    }

    @Test func urlsSelectTheStore() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-url-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try openProgressStore("sqlite:\(dir)/a.db") is SQLiteProgressStore)
        #expect(try openProgressStore("\(dir)/b.db") is SQLiteProgressStore)
        #expect(throws: StoreError("postgres:///db: expected postgres://user[:password]@host[:port]/database")) {
            try openProgressStore("postgres:///db")
        }
        #expect(throws: StoreError.self) { try openProgressStore("\(dir)/no/such/folder/c.db") }
    }
}

@Suite struct ProgressionTests {
    static let benchmark = BenchmarkFile(scenarioID: "fls-peg-transfer", scenarioVersion: "1", scenarioHash: "", runs: 5, metrics: [
        BenchmarkValue(id: "time", kind: "completion_time", unit: "s", benchmark: 90, mean: 92, sd: 8, runs: 5, used: 5, excluded: []),
        BenchmarkValue(id: "transfers", kind: "count", unit: "", benchmark: 6, mean: 6, sd: 0, runs: 5, used: 5, excluded: []),
    ])

    /// FLS style: benchmark time met (≤ 90 s), all six transfers, no critical error; 2 in a row and 5 in all.
    @Test func aScriptedHistoryReachesProficiencyExactlyWhereTheRuleSays() {
        let times: [Double] = [140, 95, 88, 120, 85, 91, 80, 79, 82, 70]
        var history = times.enumerated().map { attempt("t-1", $0.offset + 1, score: 50 + Double($0.offset) * 5, time: $0.element) }
        history[6].criticalErrors = 1
        let p = Progression(rule: ProgressionRule(consecutive: 2, total: 5, maxCriticalErrors: 0), benchmark: Self.benchmark)
        let r = p.evaluate(history)
        #expect(r.standings.map(\.qualifies) == [false, false, true, false, true, false, false, true, true, true])
        #expect(r.standings.map(\.run) == [0, 0, 1, 0, 1, 0, 0, 1, 2, 3])
        #expect(r.standings.map(\.qualifyingSoFar) == [0, 0, 1, 1, 2, 2, 2, 3, 4, 5])
        #expect(r.proficientAt == 10)
        #expect(r.standings[0].shortfalls == ["time 140 s, benchmark ≤ 90 s"])
        #expect(r.standings[6].shortfalls == ["1 critical error"])
        #expect(r.verdict == "proficient since attempt 10 (benchmark met on 2 consecutive attempts and 5 in total, at most 0 critical errors)")
        let early = p.evaluate(Array(history.prefix(9)))
        #expect(early.proficientAt == nil)
        #expect(early.verdict == "not yet proficient: 4 of 5 qualifying attempts, longest run 2 of 2 "
                + "(benchmark met on 2 consecutive attempts and 5 in total, at most 0 critical errors)")
    }

    @Test func withoutABenchmarkPassingQualifies() {
        let h = [attempt("t", 1, score: 90), attempt("t", 2, score: 40, passed: false), attempt("t", 3, score: 95), attempt("t", 4, score: 99)]
        let r = Progression(rule: ProgressionRule(consecutive: 2, total: 3)).evaluate(h)
        #expect(r.standings.map(\.shortfalls) == [[], ["did not pass"], [], []])
        #expect(r.proficientAt == 4)
    }

    /// The debrief's history: this attempt found by the store's key among the trainee's attempts, with
    /// the standing at that attempt and the proficiency of the whole history.
    @Test func theDebriefPlacesTheAttemptInTheHistory() {
        let times: [Double] = [140, 88, 85, 95]
        let h = times.enumerated().map { attempt("t-1", $0.offset + 1, score: 60 + Double($0.offset) * 10, time: $0.element) }
        let p = Progression(rule: ProgressionRule(consecutive: 2, total: 2), benchmark: Self.benchmark)
        let d = p.debrief(h[1], among: h + [attempt("t-2", 1, score: 99)])
        #expect(d.benchmark == Self.benchmark)
        let history = try! #require(d.history)
        #expect(history.trainee == "t-1" && history.current == 1 && history.attempts.count == 4)
        #expect(history.attempts.map(\.qualifies) == [false, true, true, false])
        #expect(history.attempts.map(\.score) == [60, 70, 80, 90])
        #expect((history.run, history.qualifyingSoFar, history.proficientAt) == (1, 1, 3))
        #expect(history.shortfalls.isEmpty && history.requiredConsecutive == 2 && history.requiredTotal == 2)
        #expect(p.debrief(h[3], among: h).history?.shortfalls == ["time 95 s, benchmark ≤ 90 s"])
        // an attempt the store does not hold: the benchmark only
        #expect(p.debrief(attempt("t-1", 9, score: 1), among: h) == DebriefProgramme(benchmark: Self.benchmark))
    }

    @Test func aProgrammeFileNamesTheBenchmarkAndTheRule() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-prog-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.benchmark.json().write(toFile: "\(dir)/peg.json", atomically: true, encoding: .utf8)
        try """
        programme: Laparoscopic skills 2027
        scenarios:
          fls-peg-transfer:
            benchmark: peg.json
            rule: {consecutive: 2, total: 10, critical_errors: 0}
          cpr-adult:
            rule: {total: 3}
        """.write(toFile: "\(dir)/programme.yaml", atomically: true, encoding: .utf8)
        let p = try Programme.load(path: "\(dir)/programme.yaml")
        #expect(p.name == "Laparoscopic skills 2027")
        #expect(p.progression(for: "fls-peg-transfer") == Progression(rule: ProgressionRule(consecutive: 2, total: 10, maxCriticalErrors: 0),
                                                                       benchmark: Self.benchmark))
        #expect(p.progression(for: "cpr-adult") == Progression(rule: ProgressionRule(consecutive: 2, total: 3, maxCriticalErrors: 0)))
        #expect(p.progression(for: "iv-cannulation") == Progression())
        try "scenarios:\n  x:\n    rule: {total: -1}\n".write(toFile: "\(dir)/bad.yaml", atomically: true, encoding: .utf8)
        #expect(throws: StoreError("\(dir)/bad.yaml: scenarios.x.rule.total: expected a whole number ≥ 0")) { try Programme.load(path: "\(dir)/bad.yaml") }
    }
}
