import PracticumCore

// Proficiency benchmarks in the Proficiency-Based Progression method (Gallagher et al. 2005,
// Ann Surg 241(2):364–372): experienced operators perform
// the procedure; for each metric the benchmark is their mean after excluding runs more than
// 1.96 standard deviations from the mean. Trainees repeat until they meet it.

/// One metric's benchmark derived from expert runs.
public struct BenchmarkValue: Sendable, Equatable {
    public var id: String
    public var kind: String
    /// SI unit symbol of the values.
    public var unit: String
    /// Mean of the kept values.
    public var benchmark: Double
    /// Mean and sample standard deviation (n − 1) of all defined values.
    public var mean: Double
    public var sd: Double
    /// Runs with a defined value, and how many of them were kept.
    public var runs: Int
    public var used: Int
    /// Indices (into the run list) of the runs excluded as outliers.
    public var excluded: [Int]
}

/// Derives proficiency benchmarks from expert runs.
public enum Proficiency {
    /// Benchmark of one metric over expert runs; nil values (undefined metrics) are ignored.
    /// Returns nil when no run has a value.
    /// Fewest expert runs from which `practicum benchmark` gives a benchmark without a warning.
    public static let meaningfulExperts = 3

    public static func benchmark(_ values: [Double?], cutoff: Double = 1.96) -> (benchmark: Double, mean: Double, sd: Double, used: Int, excluded: [Int])? {
        let defined = values.enumerated().compactMap { i, v in v.flatMap { $0.isFinite ? (i, $0) : nil } }
        guard !defined.isEmpty else { return nil }
        let n = Double(defined.count)
        let mean = defined.reduce(0) { $0 + $1.1 } / n
        let sd = defined.count > 1 ? (defined.reduce(0) { $0 + ($1.1 - mean) * ($1.1 - mean) } / (n - 1)).squareRoot() : 0
        let kept = defined.filter { abs($0.1 - mean) <= cutoff * sd }
        let excluded = defined.filter { abs($0.1 - mean) > cutoff * sd }.map(\.0)
        let benchmark = kept.isEmpty ? mean : kept.reduce(0) { $0 + $1.1 } / Double(kept.count)
        return (benchmark, mean, sd, kept.count, excluded)
    }

    /// Benchmarks for every rubric metric from the reports of expert runs of one scenario.
    public static func benchmarks(from reports: [Report]) -> BenchmarkFile {
        let first = reports.first?.context ?? ReportContext(scenarioID: "")
        var values: [BenchmarkValue] = []
        for (k, m) in (reports.first?.evaluation.metrics ?? []).enumerated() {
            let column: [Double?] = reports.map { r in
                guard k < r.evaluation.metrics.count, r.evaluation.metrics[k].id == m.id, r.evaluation.metrics[k].result.defined else { return nil }
                return r.evaluation.metrics[k].result.value
            }
            guard let b = benchmark(column) else { continue }
            values.append(BenchmarkValue(id: m.id, kind: m.kind, unit: Units.displaySymbol(for: m.dimension), benchmark: b.benchmark,
                                         mean: b.mean, sd: b.sd, runs: column.compactMap { $0 }.count, used: b.used, excluded: b.excluded))
        }
        return BenchmarkFile(scenarioID: first.scenarioID, scenarioVersion: first.scenarioVersion, scenarioHash: first.scenarioHash,
                             runs: reports.count, metrics: values)
    }
}

/// A benchmark file (`practicum-benchmark/1`, docs/report-format.md) that a rubric refers to.
public struct BenchmarkFile: Sendable, Equatable {
    public static let schema = "practicum-benchmark/1"
    public var scenarioID: String
    public var scenarioVersion: String
    public var scenarioHash: String
    public var runs: Int
    public var metrics: [BenchmarkValue]

    public init(scenarioID: String, scenarioVersion: String, scenarioHash: String, runs: Int, metrics: [BenchmarkValue]) {
        self.scenarioID = scenarioID; self.scenarioVersion = scenarioVersion; self.scenarioHash = scenarioHash; self.runs = runs; self.metrics = metrics
    }

    /// The benchmark of a rubric metric, by id.
    public func value(for id: String) -> Double? { metrics.first { $0.id == id }?.benchmark }

    /// The file's JSON text (keys in a fixed order; identical inputs give identical bytes).
    public func json() -> String {
        JSON.object([
            ("schema", .string(Self.schema)),
            ("scenario", .object([("id", .string(scenarioID)), ("version", .string(scenarioVersion)), ("content_hash", .string(scenarioHash))])),
            ("runs", .int(runs)),
            ("metrics", .array(metrics.map { m in .object([
                ("id", .string(m.id)), ("kind", .string(m.kind)), ("unit", .string(m.unit)), ("benchmark", .number(m.benchmark)),
                ("mean", .number(m.mean)), ("sd", .number(m.sd)), ("runs", .int(m.runs)), ("used", .int(m.used)),
                ("excluded", .array(m.excluded.map(JSON.int))),
            ]) })),
        ]).serialized()
    }

    public enum ParseError: Error, Equatable, Sendable { case notJSON, wrongSchema(String), missing(String) }

    /// Reads a benchmark file (numbers read back bit-exact).
    public static func parse(_ text: String) throws -> BenchmarkFile {
        guard let object = try? JSON.parse(text), case .object = object else { throw ParseError.notJSON }
        guard let schema = object["schema"]?.string, schema == Self.schema else { throw ParseError.wrongSchema(object["schema"]?.string ?? "") }
        let scenario = object["scenario"] ?? .object([])
        guard let list = object["metrics"]?.array else { throw ParseError.missing("metrics") }
        let metrics = try list.map { m -> BenchmarkValue in
            guard let id = m["id"]?.string, let b = m["benchmark"]?.double else { throw ParseError.missing("metrics[].id/benchmark") }
            return BenchmarkValue(id: id, kind: m["kind"]?.string ?? "", unit: m["unit"]?.string ?? "", benchmark: b,
                                  mean: m["mean"]?.double ?? b, sd: m["sd"]?.double ?? 0, runs: m["runs"]?.int ?? 0, used: m["used"]?.int ?? 0,
                                  excluded: m["excluded"]?.array?.compactMap(\.int) ?? [])
        }
        return BenchmarkFile(scenarioID: scenario["id"]?.string ?? "", scenarioVersion: scenario["version"]?.string ?? "",
                             scenarioHash: scenario["content_hash"]?.string ?? "", runs: object["runs"]?.int ?? 0, metrics: metrics)
    }
}

extension BenchmarkFile {
    /// A readable table of the benchmarks; `runNames[i]` names run i in the excluded column.
    public func textSummary(runNames: [String] = []) -> String {
        var out = "Benchmarks for \(scenarioID) v\(scenarioVersion) from \(runs) expert run\(runs == 1 ? "" : "s") (mean after excluding runs beyond 1.96 SD)\n"
        let width = max(6, metrics.map(\.id.count).max() ?? 0)
        for m in metrics {
            let d = Units.dimension(forDisplaySymbol: m.unit)
            let name = m.id + String(repeating: " ", count: max(0, width - m.id.count))
            out += "  \(name)  \(Format.quantity(m.benchmark, d))  (mean \(Format.quantity(m.mean, d)), SD \(Format.quantity(m.sd, d)), \(m.used)/\(m.runs) runs)"
            if !m.excluded.isEmpty {
                out += ", excluded: " + m.excluded.map { $0 < runNames.count ? runNames[$0] : "#\($0 + 1)" }.joined(separator: ", ")
            }
            out += "\n"
        }
        return out
    }
}

extension Units {
    /// The dimension whose SI display symbol is `s`; `.none` for an unknown symbol.
    static func dimension(forDisplaySymbol s: String) -> Dimension {
        for d in [Dimension.length, .time, .angle, .rate, .force, .velocity, .pressure, .angularVelocity] where displaySymbol(for: d) == s { return d }
        return .none
    }
}
