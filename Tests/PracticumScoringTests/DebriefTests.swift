import Foundation
import Testing
import PracticumCore
@testable import PracticumScoring

@Suite struct DebriefTests {
    @Test func debriefIsSelfContainedAndDeterministic() throws {
        let page = try SyntheticRun.report().debriefHTML()
        #expect(page == (try SyntheticRun.report().debriefHTML()))
        // no scripts, no external resources (the SVG namespace is the only URL)
        #expect(!page.contains("<script") && !page.contains("src=") && !page.contains("href="))
        #expect(page.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http") == false)
        for heading in ["Step timeline", "Metrics against targets", "Errors", "Instrument and hand paths", "Force over time",
                        "State variables", "CPR compression depth", "How the score was computed"] {
            #expect(page.contains(heading), "missing \(heading)")
        }
        #expect(page.contains("Keep clear of the wall.") && page.contains("PASSED"))
        #expect(!page.contains("nan") && !page.contains("inf\""))
        if let out = ProcessInfo.processInfo.environment["PRACTICUM_DEBRIEF_OUT"] {
            try page.write(toFile: out + "/debrief-pass.html", atomically: true, encoding: .utf8)
        }
    }

    @Test func failingRunShowsWhy() throws {
        // stops at 8 s with a critical error at 7 s: the last step is still running
        var recorder = try ReportRecorder(rubric: SyntheticRun.rubric, steps: sampleSteps, context: SyntheticRun.context)
        for t in SyntheticRun.ticks(seconds: 8, critical: true) { recorder.record(t.obs, t.frame) }
        let r = recorder.report(inputComplete: false)
        let page = r.debriefHTML()
        #expect(page.contains("NOT PASSED") && page.contains("critical error: Punctured the artery"))
        #expect(page.contains("required steps not done: Insert the needle"))
        #expect(page.contains("The input ended before the procedure did"))
        if let out = ProcessInfo.processInfo.environment["PRACTICUM_DEBRIEF_OUT"] {
            try page.write(toFile: out + "/debrief-fail.html", atomically: true, encoding: .utf8)
            try r.textSummary(color: true).write(toFile: out + "/summary-fail.txt", atomically: true, encoding: .utf8)
        }
    }
}

@Suite struct TextSummaryTests {
    @Test func plainAndColoured() throws {
        let r = try SyntheticRun.report()
        let plain = r.textSummary()
        #expect(!plain.contains("\u{1B}"))
        #expect(plain.hasPrefix("Synthetic run (synthetic v1.0)\nPASSED  score 76.9/100  ·  completed  ·  complete  ·  9.5 s\n"))
        #expect(plain.contains("  ✗ Needle path"))
        #expect(plain.contains("            → Keep clear of the wall.\n"))
        #expect(plain.contains("Score: 100 × (earned 110 − penalties 10) / attainable 130 = 76.9\n"))
        let coloured = r.textSummary(color: true)
        #expect(coloured.contains("\u{1B}[32m"))
        // stripping the escapes gives the plain text back
        var stripped = coloured
        while let start = stripped.range(of: "\u{1B}[") {
            let end = stripped[start.upperBound...].firstIndex(of: "m")!
            stripped.removeSubrange(start.lowerBound...end)
        }
        #expect(stripped == plain)
        if let out = ProcessInfo.processInfo.environment["PRACTICUM_SUMMARY_OUT"] {
            try coloured.write(toFile: out, atomically: true, encoding: .utf8)
        }
    }
}

@Suite struct EmptyRunTests {
    @Test func emptyRubricAndNoTicksRenderEverywhere() throws {
        let recorder = try ReportRecorder(rubric: Rubric(), steps: [], context: ReportContext(scenarioID: "empty"))
        let r = recorder.report(inputComplete: false)
        #expect(r.score == 100 && !r.complete && r.outcome == "incomplete" && r.duration == 0)
        let json = r.json(includeSeries: true)
        #expect(!json.contains("nan") && !json.contains("inf"))
        #expect(try JSON.parse(json).serialized() == json)
        #expect(r.debriefHTML().contains("NOT PASSED"))
        #expect(r.textSummary().contains("NOT PASSED"))
        if let out = ProcessInfo.processInfo.environment["PRACTICUM_DEBRIEF_OUT"] {
            try r.debriefHTML().write(toFile: out + "/debrief-empty.html", atomically: true, encoding: .utf8)
        }
    }

    @Test func everyMetricOnOneStillTick() throws {
        // a rubric with every catalog metric, fed a single tick: all values finite, report renders
        var metrics: [RubricMetric] = []
        for info in MetricCatalog.all {
            var params: [String: MetricArgument] = [:]
            for p in info.params where p.required {
                switch p.kind {
                case .step: params[p.name] = .step(0)
                case .variable: params[p.name] = .variable(0)
                case .event: params[p.name] = .event(0)
                case .error: params[p.name] = .error(0)
                case .tissue: params[p.name] = .tissue(0)
                case .quantity: params[p.name] = .quantity(1)
                default: params[p.name] = .body(0)
                }
            }
            metrics.append(RubricMetric(id: info.name, title: info.name, metric: MetricInstance(kind: info.name, params: params),
                                        target: .atLeast(0), weight: 1))
        }
        var recorder = try ReportRecorder(rubric: Rubric(metrics: metrics), steps: [StepInfo(id: "s", title: "S")],
                                          context: ReportContext(scenarioID: "one", tracked: [TrackedSource(name: "b", source: .body(0))]))
        let o = Observations(tick: 1, time: 0.01, bodies: [.init(pose: Pose())], tissueForces: [0])
        recorder.record(o, frame(1, 0.01, steps: [.active], variables: [1]))
        let r = recorder.report()
        #expect(r.evaluation.metrics.allSatisfy { $0.result.value.isFinite })
        #expect(!r.json(includeSeries: true).contains("nan"))
        #expect(!r.debriefHTML().contains("nan"))
    }
}
