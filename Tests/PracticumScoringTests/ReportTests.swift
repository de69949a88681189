import Foundation
import Testing
import PracticumCore
import PracticumTestSupport
@testable import PracticumScoring

@Suite struct ReportTests {
    @Test func recorderScoresTheSyntheticRun() throws {
        let r = try SyntheticRun.report()
        #expect(r.outcome == "completed" && r.complete && r.ticks == 950 && isClose(r.duration, 9.5))
        #expect(r.numericalWarnings == 1)
        #expect(r.messages == [ReportMessage(tick: 100, time: 1, text: "Check the landmarks.")])
        let m = r.evaluation.metrics
        #expect(m.map(\.id) == ["time", "path", "angle", "rate", "depth", "wall_force"])
        #expect(m[0].result.value == 9.5 && m[0].met == true)
        #expect(m[2].result.value == 0.7)
        #expect(isClose(m[3].result.value * 60, 110, abs: 1))
        #expect(isClose(m[4].result.value, 0.055, abs: 1e-9))
        #expect(isClose(m[5].result.value, 2, abs: 1e-3) && m[5].met == true)
        // path: needle goes ~1 m around the curve → over the 1 m target
        #expect(m[1].met == false)
        // steps: prep 0.01–3 s, look skipped at 2 s, insert 3–9 s
        let s = r.evaluation.steps
        #expect(s[0].timeline.startTick == 1 && s[0].timeline.endTick == 300)
        #expect(s[2].timeline.startTick == 300 && s[2].timeline.endTick == 900 && s[2].done)
        #expect(s[1].timeline.status == .skipped && !s[1].missed)
        // 2 touches charged 5 each; earned = 20 (time) + 10 + 10 + 10 + 60 (steps); attainable 130
        #expect(r.evaluation.penalty == 10)
        #expect(isClose(r.score, 100 * (110 - 10) / 130.0, abs: 1e-12))
        #expect(r.passed)
    }

    @Test func jsonIsByteIdenticalAndValid() throws {
        let a = try SyntheticRun.report().json(includeSeries: true)
        let b = try SyntheticRun.report().json(includeSeries: true)
        #expect(a == b)
        #expect(!a.contains("nan") && !a.contains("inf"))
        let object = try JSONSerialization.jsonObject(with: Data(a.utf8)) as! [String: Any]
        for key in ["schema", "passed", "score", "complete", "duration_s", "steps", "errors", "metrics", "scenario", "trace_hash",
                    "engine_version", "outcome", "score_breakdown", "warnings", "input_complete", "series"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["schema"] as? String == "practicum-report/1")
        let errors = object["errors"] as! [[String: Any]]
        #expect(errors.count == 2 && errors[0]["time_s"] as? Double == 4 && errors[0]["feedback"] as? String == "Keep clear of the wall.")
        let steps = object["steps"] as! [[String: Any]]
        #expect((steps[2]["start"] as! [String: Any])["tick"] as? Int == 300)
        let metrics = object["metrics"] as! [[String: Any]]
        #expect(metrics[4]["unit"] as? String == "m" && (metrics[4]["target"] as! [String: Any])["max"] as? Double == 0.06)
        // key order is fixed: the first lines of the document
        #expect(a.hasPrefix("{\n  \"schema\": \"practicum-report/1\",\n  \"passed\": true,\n  \"score\": "))
        // our parser reads it back to the same bytes
        #expect(try JSON.parse(a).serialized() == a)
        // without series the document is smaller and has no `series`
        #expect(!(try SyntheticRun.report().json()).contains("\"series\""))
    }

    @Test func incompleteRun() throws {
        var recorder = try ReportRecorder(rubric: SyntheticRun.rubric, steps: sampleSteps, context: SyntheticRun.context)
        for t in SyntheticRun.ticks().prefix(450) { recorder.record(t.obs, t.frame) }
        let r = recorder.report(inputComplete: false)
        #expect(r.outcome == "incomplete" && !r.complete && !r.passed && !r.inputComplete)
        #expect(r.json().contains("\"input_complete\": false"))
    }

    @Test func recordingAFinishFrameOnTheSameTickChangesNoMetric() throws {
        // the runner's finish(at:) gives one more frame for the last observations; recording it must be harmless
        let ticks = SyntheticRun.ticks(seconds: 8)
        var a = try ReportRecorder(rubric: SyntheticRun.rubric, steps: sampleSteps, context: SyntheticRun.context)
        for t in ticks { a.record(t.obs, t.frame) }
        var b = a
        let last = ticks.last!
        b.record(last.obs, frame(last.obs.tick, last.obs.time, steps: last.frame.steps, variables: last.frame.variables, ended: true))
        #expect(a.report().evaluation.metrics == b.report().evaluation.metrics)
    }

    @Test func seriesStayBounded() {
        var s = Series(channels: 2, capacity: 8, merge: .peak)
        for k in 0..<100 { s.append(time: Double(k), [Double(k % 7), k == 37 ? -50 : 0]) }
        #expect(s.count < 8 && s.stride == 16)
        #expect(s.times == [0, 16, 32, 48, 64, 80])
        // the spike at tick 37 survives the merges
        #expect((0..<s.count).map { s.value($0, channel: 1) } == [0, 0, -50, 0, 0, 0])
        var t = Series(channels: 1, capacity: 4)
        for k in 0..<9 { t.append(time: Double(k), [Double(k)]) }
        #expect(t.times == [0, 4] && t.stride == 4)
    }
}
