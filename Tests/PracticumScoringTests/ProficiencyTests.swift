import Foundation
import Testing
import PracticumCore
import PracticumTestSupport
@testable import PracticumScoring

@Suite struct ProficiencyTests {
    @Test func outlierBeyond196SDIsExcluded() throws {
        // ten runs at 10 and one at 30: mean = 130/11 = 11.818…, sample SD = sqrt(400·10/11² · 11/10)…
        let values: [Double?] = Array(repeating: 10, count: 10) + [30]
        let b = try #require(Proficiency.benchmark(values))
        let mean = 130.0 / 11
        let sd = ((10 * (10 - mean) * (10 - mean) + (30 - mean) * (30 - mean)) / 10).squareRoot()
        #expect(isClose(b.mean, mean, abs: 1e-12) && isClose(b.sd, sd, abs: 1e-12))
        // |30 − 11.82| = 18.18 > 1.96 × 6.03 = 11.82 → excluded; benchmark is the mean of the tens
        #expect(b.excluded == [10] && b.used == 10 && b.benchmark == 10)
    }

    @Test func nothingExcludedWithinTheBand() throws {
        let b = try #require(Proficiency.benchmark([1, 2, 3, nil, 4]))
        #expect(b.benchmark == 2.5 && b.excluded.isEmpty && b.used == 4)
        #expect(Proficiency.benchmark([nil, nil]) == nil)
        #expect(try #require(Proficiency.benchmark([7])).benchmark == 7)
    }

    @Test func fileRoundTrip() throws {
        let r1 = try SyntheticRun.report()
        let r2 = try SyntheticRun.report(seconds: 8)
        let file = Proficiency.benchmarks(from: [r1, r2])
        #expect(file.runs == 2 && file.scenarioID == "synthetic")
        #expect(isClose(try #require(file.value(for: "time")), (9.5 + 8) / 2, abs: 1e-12))
        let text = file.json()
        #expect(text == Proficiency.benchmarks(from: [r1, r2]).json())
        let parsed = try BenchmarkFile.parse(text)
        for (a, b) in zip(parsed.metrics, file.metrics) { #expect(a == b) }
        #expect(parsed == file)
        let table = file.textSummary(runNames: ["a.trace", "b.trace"])
        #expect(table.hasPrefix("Benchmarks for synthetic v1.0 from 2 expert runs"))
        #expect(table.contains("  time        8.75 s  (mean 8.75 s, SD 1.061 s, 2/2 runs)\n"))
        #expect(throws: BenchmarkFile.ParseError.wrongSchema("x")) { try BenchmarkFile.parse("{\"schema\": \"x\"}") }
    }
}
