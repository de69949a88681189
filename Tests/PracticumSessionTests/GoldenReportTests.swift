import Foundation
import Testing
import PracticumCore
import PracticumScenario
import PracticumScoring
@testable import PracticumSession
import PracticumTestSupport

/// Every shipped trace, replayed headlessly, gives its committed golden report byte for byte.
/// After an intended change, `tools/regen-golden` rewrites them (review the diff).
@Suite struct GoldenReportTests {
    static var traces: [String] {
        let root = repositoryRoot()
        let fm = FileManager.default
        var out: [String] = []
        for id in ((try? fm.contentsOfDirectory(atPath: "\(root)/scenarios")) ?? []).sorted() {
            let dir = "\(root)/scenarios/\(id)/traces"
            for f in ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).sorted() where f.hasSuffix(".trace") {
                out.append("\(dir)/\(f)")
            }
        }
        return out
    }

    @Test func shippedTracesExist() { #expect(Self.traces.count >= 4) }

    @Test(arguments: traces)
    func reportMatchesGolden(_ tracePath: String) throws {
        let scenarioPath = URL(fileURLWithPath: tracePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scenario.yaml").path
        let scenario = try loadScenarioForScoring(scenarioPath).get()
        let report = try scoreTraceFile(scenario, tracePath: tracePath, partial: false).get()
        let golden = tracePath.replacingOccurrences(of: ".trace", with: ".report.json")
        let expected = try #require(FileManager.default.contents(atPath: golden), "missing \(golden); run tools/regen-golden")
        #expect(report.json() == String(decoding: expected, as: UTF8.self), "report differs from \(golden)")
        // the score lines say what each trace shows: experts pass with ≥ 90
        if tracePath.hasSuffix("/expert.trace") { #expect(report.passed && report.score >= 90) }
    }
}

@Suite struct SessionDeterminismTests {
    /// Two sessions in lockstep on the same input give identical observations and frames every tick,
    /// and a snapshot taken mid-run, restored and rerun, reaches the same physics state hash.
    @Test func lockstepAndSnapshot() throws {
        let root = repositoryRoot()
        let scenario = try loadScenarioForScoring("\(root)/scenarios/iv-cannulation/scenario.yaml").get()
        let trace = try TraceReader.read(contentsOf: "\(root)/scenarios/iv-cannulation/traces/expert.trace")
        var a = try Session(scenario: scenario), b = try Session(scenario: scenario)
        var src = Resampler(samples: trace.frames)
        var snapshot: Session?
        for k in 1...2400 {
            let input = src.frame(at: Double(k) * a.dt)
            a.step(input); b.step(input)
            #expect(a.observations == b.observations && a.frame == b.frame)
            if k == 1200 { snapshot = a }
            if a.observations != b.observations { break }
        }
        var c = try #require(snapshot)
        var src2 = Resampler(samples: trace.frames)
        for k in 1201...2400 { c.step(src2.frame(at: Double(k) * c.dt)) }
        #expect(c.world.state.hash().hex == a.world.state.hash().hex)
        #expect(c.runner.state == a.runner.state)
    }
}
