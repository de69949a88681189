import Foundation
import Testing
import PracticumScenario
import PracticumScoring
@testable import PracticumSession
import PracticumTestSupport

/// No free points (issue 19): for every shipped procedure, a run in which the trainee does nothing
/// (hands still until the time limit) and one in which they idle and quit (the trace ends early)
/// earn no metric points and fail. The traces are fixtures beside the others in each scenario's
/// `traces/` folder (`do-nothing`, `idle-quit`); their golden reports are checked by `GoldenReportTests`.
@Suite struct NoFreePointsTests {
    static let cases: [(String, String)] = ["iv-cannulation", "cpr-adult", "needle-decompression", "fls-peg-transfer"]
        .flatMap { id in [(id, "do-nothing"), (id, "idle-quit")] }

    @Test(arguments: cases)
    func earnsNothingAndFails(_ id: String, _ fixture: String) throws {
        let root = repositoryRoot()
        let scenario = try loadScenarioForScoring("\(root)/scenarios/\(id)/scenario.yaml").get()
        let report = try scoreTraceFile(scenario, tracePath: "\(root)/scenarios/\(id)/traces/\(fixture).trace", partial: false).get()
        #expect(!report.passed)
        for m in report.evaluation.metrics {
            #expect(m.points == 0, "\(id)/\(fixture): metric \(m.id) earned \(m.points) points")
            // the catalog's idle value is what the validator's free-points warning relies on: a
            // metric with one is defined when nothing happens; one without is not (except values
            // sampled at a moment, or of a variable, that a still run also reaches)
            let info = try #require(MetricCatalog.info(m.kind))
            if info.idleValue != nil {
                #expect(m.result.defined, "\(id)/\(fixture): count \(m.id) undefined")
            } else if !["sampled", "variable_min", "variable_max", "variable_final"].contains(m.kind) {
                #expect(!m.result.defined, "\(id)/\(fixture): \(m.id) (\(m.kind)) has a value in a run where nothing happened")
            }
        }
    }
}
