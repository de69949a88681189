// Proficiency-based progression: a trainee is proficient at a scenario once their attempts meet
// the expert benchmark (made by `practicum benchmark`) on N consecutive attempts and M in total,
// each with at most K critical errors — the FLS programme's rule is N = 2, M = 10, K = 0
// (Scott et al. 2008; Gallagher et al. 2005). The rule and the benchmark file are named per
// scenario in a programme file (docs/progress.md).
import Foundation
import PracticumScoring
import Yams

/// When a trainee is proficient.
public struct ProgressionRule: Sendable, Equatable {
    /// Qualifying attempts needed in a row.
    public var consecutive: Int
    /// Qualifying attempts needed in all (the consecutive ones count).
    public var total: Int
    /// Most critical errors a qualifying attempt may have.
    public var maxCriticalErrors: Int

    public init(consecutive: Int = 2, total: Int = 10, maxCriticalErrors: Int = 0) {
        self.consecutive = consecutive; self.total = total; self.maxCriticalErrors = maxCriticalErrors
    }

    public var description: String {
        "benchmark met on \(consecutive) consecutive attempt\(consecutive == 1 ? "" : "s") and \(total) in total, "
            + "at most \(maxCriticalErrors) critical error\(maxCriticalErrors == 1 ? "" : "s")"
    }
}

/// One scenario of a programme: its rule and, when named, its expert benchmark.
public struct Progression: Sendable, Equatable {
    public var rule: ProgressionRule
    /// Without a benchmark, an attempt qualifies when it passed.
    public var benchmark: BenchmarkFile?

    public init(rule: ProgressionRule = ProgressionRule(), benchmark: BenchmarkFile? = nil) { self.rule = rule; self.benchmark = benchmark }

    /// Why `a` does not qualify (empty when it does). A benchmarked metric is met when the value is
    /// at least as good as the benchmark, "good" read from the rubric's target: below it for a
    /// target with only a maximum, above it for one with only a minimum, inside the target for a range.
    public func shortfalls(_ a: AttemptRecord) -> [String] {
        var out: [String] = []
        if a.criticalErrors > rule.maxCriticalErrors {
            out.append("\(a.criticalErrors) critical error\(a.criticalErrors == 1 ? "" : "s")")
        }
        guard let benchmark else {
            if !a.passed { out.append("did not pass") }
            return out
        }
        for b in benchmark.metrics {
            guard let m = a.metrics.first(where: { $0.id == b.id }) else { out.append("\(b.id) not measured"); continue }
            guard m.defined else { out.append("\(b.id) undefined"); continue }
            switch b.isMet(by: m.value, targetMin: m.targetMin, targetMax: m.targetMax, metTarget: m.met) {
            case false?:
                let (value, bench) = (Format.quantity(m.value, unitSymbol: m.unit), Format.quantity(b.benchmark, unitSymbol: m.unit))
                out.append(m.targetMin != nil && m.targetMax != nil ? "\(b.id) \(value) outside the target"
                           : "\(b.id) \(value), benchmark \(m.targetMax != nil ? "≤" : "≥") \(bench)")
            case true?, nil: break // nil: no direction to judge by
            }
        }
        return out
    }

    /// Each attempt's standing, in order, and where proficiency was reached.
    public func evaluate(_ attempts: [AttemptRecord]) -> ProgressReport {
        var standings: [AttemptStanding] = []
        var run = 0, longest = 0, total = 0
        var reached: Int?
        for (i, a) in attempts.enumerated() {
            let why = shortfalls(a)
            if why.isEmpty { run += 1; total += 1 } else { run = 0 }
            longest = max(longest, run)
            if reached == nil, longest >= rule.consecutive, total >= rule.total { reached = i + 1 }
            standings.append(AttemptStanding(record: a, qualifies: why.isEmpty, shortfalls: why, run: run, qualifyingSoFar: total))
        }
        return ProgressReport(rule: rule, standings: standings, proficientAt: reached, longestRun: longest, qualifying: total)
    }
}

/// One attempt in the light of the rule.
public struct AttemptStanding: Sendable, Equatable {
    public var record: AttemptRecord
    public var qualifies: Bool
    public var shortfalls: [String]
    /// Qualifying attempts in a row ending here.
    public var run: Int
    /// Qualifying attempts up to and including this one.
    public var qualifyingSoFar: Int
}

/// A trainee's history at one scenario and whether they are proficient.
public struct ProgressReport: Sendable, Equatable {
    public var rule: ProgressionRule
    public var standings: [AttemptStanding]
    /// The attempt (1-based) at which proficiency was reached; nil when not yet.
    public var proficientAt: Int?
    public var longestRun: Int
    public var qualifying: Int

    /// One line: "proficient at attempt 12" or "not yet proficient: 3 of 10 …".
    public var verdict: String {
        if let p = proficientAt { return "proficient since attempt \(p) (\(rule.description))" }
        return "not yet proficient: \(qualifying) of \(rule.total) qualifying attempts, longest run \(longestRun) of \(rule.consecutive) "
            + "(\(rule.description))"
    }
}

/// A training programme: per scenario, the progression rule and the benchmark file.
public struct Programme: Sendable, Equatable {
    public var name: String
    public var scenarios: [String: Progression]

    public init(name: String = "", scenarios: [String: Progression] = [:]) { self.name = name; self.scenarios = scenarios }

    /// The progression for `scenario`: the programme's, or the default rule (FLS: 2 consecutive, 10 in total, no critical error) on passing.
    public func progression(for scenario: String) -> Progression { scenarios[scenario] ?? Progression() }

    /// Reads a programme file:
    ///
    /// ```yaml
    /// programme: Basic life support 2027
    /// scenarios:
    ///   cpr-adult:
    ///     benchmark: cpr-adult.benchmark.json   # from `practicum benchmark … -o`, relative to this file
    ///     rule: {consecutive: 2, total: 10, critical_errors: 0}
    /// ```
    public static func load(path: String) throws(StoreError) -> Programme {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw StoreError("\(path): cannot read the programme file") }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw StoreError("\(path): not YAML: \(error)") }
        guard let top = root?.mapping else { throw StoreError("\(path): expected a mapping with 'programme' and 'scenarios'") }
        for (k, _) in top where !["programme", "scenarios"].contains(k.string ?? "") {
            throw StoreError("\(path):\(k.mark.map { "\($0.line):\($0.column)" } ?? "1:1"): error: unknown key '\(k.string ?? "")' (expected programme, scenarios)")
        }
        var p = Programme(name: top["programme"]?.string ?? "")
        let dir = (path as NSString).deletingLastPathComponent
        for (k, v) in top["scenarios"]?.mapping ?? [:] {
            guard let id = k.string, let entry = v.mapping else { throw StoreError("\(path): each scenario is 'ID: {benchmark: FILE, rule: {…}}'") }
            var prog = Progression()
            if let rule = entry["rule"]?.mapping {
                func int(_ key: String, _ fallback: Int) throws(StoreError) -> Int {
                    guard let n = rule[key] else { return fallback }
                    guard let i = n.int, i >= 0 else { throw StoreError("\(path): scenarios.\(id).rule.\(key): expected a whole number ≥ 0") }
                    return i
                }
                for (rk, _) in rule where !["consecutive", "total", "critical_errors"].contains(rk.string ?? "") {
                    throw StoreError("\(path): scenarios.\(id).rule: unknown key '\(rk.string ?? "")' (expected consecutive, total, critical_errors)")
                }
                prog.rule = ProgressionRule(consecutive: try int("consecutive", 2), total: try int("total", 10),
                                            maxCriticalErrors: try int("critical_errors", 0))
            }
            if let file = entry["benchmark"]?.string {
                let full = file.hasPrefix("/") ? file : (dir as NSString).appendingPathComponent(file)
                guard let json = try? String(contentsOfFile: full, encoding: .utf8) else { throw StoreError("\(full): cannot read the benchmark file") }
                do { prog.benchmark = try BenchmarkFile.parse(json) } catch { throw StoreError("\(full): not a benchmark file: \(error)") }
            }
            p.scenarios[id] = prog
        }
        return p
    }
}

extension Progression {
    /// What the debrief page shows for `record`: the benchmark, and its place among `attempts` (the
    /// trainee's attempts at the scenario as the store orders them). The attempt is found by the
    /// store's key (trainee, scenario, trace hash, attempt id); without it there is no history.
    public func debrief(_ record: AttemptRecord, among attempts: [AttemptRecord]) -> DebriefProgramme {
        let mine = attempts.filter { $0.trainee == record.trainee && $0.scenarioID == record.scenarioID }
        let key = { (a: AttemptRecord) in [a.trainee, a.scenarioID, a.traceHash, a.attempt] }
        guard let current = mine.firstIndex(where: { key($0) == key(record) }) else { return DebriefProgramme(benchmark: benchmark) }
        let report = evaluate(mine)
        let here = report.standings[current]
        let history = DebriefHistory(
            trainee: record.trainee,
            attempts: report.standings.map { .init(id: $0.record.attempt, started: $0.record.started, score: $0.record.score,
                                                   passed: $0.record.passed, qualifies: $0.qualifies) },
            current: current, rule: rule.description, requiredConsecutive: rule.consecutive, requiredTotal: rule.total,
            run: here.run, qualifyingSoFar: here.qualifyingSoFar, shortfalls: here.shortfalls, proficientAt: report.proficientAt)
        return DebriefProgramme(benchmark: benchmark, history: history)
    }
}
