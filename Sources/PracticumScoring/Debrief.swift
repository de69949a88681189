import PracticumCore

// The debrief: one self-contained HTML page (inline CSS and SVG, no scripts, no network) that a
// trainee and an instructor read together after a run. Sections in reading order: verdict,
// how the score was computed, the step timeline with errors at their moments, metrics against
// targets, errors with feedback, then the plots (tip path in two projections, forces, state
// variables, CPR depth waveform when the rubric scores CPR).

private let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"]
private let statusColor: [StepStatus: String] = [.completed: "#2e9d58", .failed: "#d33c3c", .skipped: "#9aa3ad", .active: "#3b7dd8", .pending: "#d7dce2"]

extension Report {
    /// The debrief page; `programme` adds each metric's expert benchmark and the attempt's place in
    /// the trainee's history (neither is part of the scored report).
    public func debriefHTML(programme: DebriefProgramme = DebriefProgramme()) -> String {
        var h = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <title>Debrief — \(html(title))</title>
        <style>
        body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0;background:#f4f6f8;color:#1d2733;font-size:14px}
        main{max-width:1120px;margin:0 auto;padding:20px}
        section{background:#fff;border-radius:8px;padding:14px 18px;margin:0 0 14px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
        h1{font-size:22px;margin:0 0 4px} h2{font-size:16px;margin:0 0 10px;color:#334} .sub{color:#667;font-size:12px}
        .verdict{display:flex;align-items:center;gap:22px;flex-wrap:wrap}
        .badge{font-weight:700;font-size:20px;padding:8px 18px;border-radius:6px;color:#fff}
        .pass{background:#2e9d58} .fail{background:#d33c3c}
        .big{font-size:34px;font-weight:700} .kv{color:#556} .kv b{color:#1d2733}
        table{border-collapse:collapse;width:100%} th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e6e9ee;vertical-align:top}
        th{font-size:12px;color:#667;font-weight:600} td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        .ok{color:#2e9d58;font-weight:700} .no{color:#d33c3c;font-weight:700} .na{color:#99a}
        .crit{background:#d33c3c;color:#fff;border-radius:3px;padding:0 5px;font-size:11px;margin-left:6px}
        .grid2{display:grid;grid-template-columns:1fr 1fr;gap:14px}
        .fails{color:#b02a2a;margin:8px 0 0;padding-left:18px}
        svg text{font-family:inherit} .tick{font-size:10px;fill:#667} .axislabel{font-size:11px;fill:#445} .label{font-size:11px;fill:#1d2733}
        .marker{font-size:10px;font-weight:700} .bandlabel{font-size:10px;fill:#2e7d4f}
        .grid{stroke:#eef0f3} .axis{stroke:#99a} .frame{fill:none;stroke:#c5cbd3}
        .legend span{display:inline-block;margin-right:14px;font-size:12px} .legend i{display:inline-block;width:12px;height:3px;margin-right:5px;vertical-align:middle}
        .muted{color:#889;font-size:12px}
        </style></head><body><main>

        """
        h += summarySection()
        h += programme.history.map(historySection) ?? ""
        h += breakdownSection()
        h += timelineSection()
        h += metricsSection(benchmark: programme.benchmark)
        h += errorsSection()
        h += plotsSection()
        h += "<p class=\"muted\">Schema \(Report.schema) · engine \(html(context.engineVersion)) · scenario hash \(html(context.scenarioHash))"
        h += context.traceHash.map { " · trace hash \(html($0))" } ?? ""
        h += "</p>\n</main></body></html>\n"
        return h
    }

    private var title: String { context.scenarioTitle.isEmpty ? context.scenarioID : context.scenarioTitle }

    private func summarySection() -> String {
        var s = "<section><h1>\(html(title))</h1>"
        s += "<div class=\"sub\">\(html(context.scenarioID))\(context.scenarioVersion.isEmpty ? "" : " v" + html(context.scenarioVersion))</div>\n"
        s += "<div class=\"verdict\" style=\"margin-top:12px\"><span class=\"badge \(passed ? "pass" : "fail")\">\(passed ? "PASSED" : "NOT PASSED")</span>"
        s += "<span class=\"big\">\(Format.fixed(score, decimals: 1))<span style=\"font-size:16px;color:#667\"> / 100</span></span>"
        s += "<span class=\"kv\">Outcome <b>\(html(outcome))</b></span>"
        s += "<span class=\"kv\">Procedure <b>\(complete ? "complete" : "incomplete")</b></span>"
        s += "<span class=\"kv\">Time <b>\(Format.time(duration))</b></span>"
        s += "<span class=\"kv\">Errors <b>\(evaluation.errors.count)</b>"
        let critical = evaluation.errors.filter(\.critical).count
        if critical > 0 { s += " <span class=\"crit\">\(critical) critical</span>" }
        s += "</span></div>\n"
        if !evaluation.failedCriteria.isEmpty {
            s += "<ul class=\"fails\">" + evaluation.failedCriteria.map { "<li>\(html($0))</li>" }.joined() + "</ul>\n"
        }
        if !inputComplete { s += "<p class=\"no\">The input ended before the procedure did: this report covers part of the run.</p>\n" }
        if numericalWarnings > 0 || !notes.isEmpty {
            s += "<p class=\"muted\">Numerical warnings: \(numericalWarnings)" + notes.map { " · \(html($0))" }.joined() + "</p>\n"
        }
        return s + "</section>\n"
    }

    private func breakdownSection() -> String {
        let e = evaluation
        var s = "<section><h2>How the score was computed</h2><table><tr><th>Item</th><th>Detail</th><th class=\"num\">Points</th><th class=\"num\">of</th></tr>\n"
        for l in e.lines {
            let cls = l.points < 0 ? "no" : (l.maxPoints > 0 && l.points >= l.maxPoints ? "ok" : "")
            s += "<tr><td>\(html(l.title))</td><td>\(html(l.detail))</td><td class=\"num \(cls)\">\(Format.number(l.points))</td><td class=\"num\">\(l.maxPoints > 0 ? Format.number(l.maxPoints) : "")</td></tr>\n"
        }
        s += "<tr><td colspan=\"2\"><b>Score</b> = \(html(e.formulaText)), clamped to 0–100</td>"
        s += "<td class=\"num\"><b>\(Format.fixed(score, decimals: 1))</b></td><td class=\"num\">100</td></tr></table></section>\n"
        return s
    }

    private func timelineSection() -> String {
        let steps = evaluation.steps
        guard !steps.isEmpty else { return "" }
        let end = max(duration, 1e-3)
        let rowH = 26.0
        let height = Double(steps.count) * rowH + 58
        let labels = steps.enumerated().map { i, s in
            (Double(steps.count - 1 - i), clipped(s.info.title, 60) + (s.info.required ? "" : " (optional)"))
        }
        var p = SVGPlot(x: 0...end, y: -0.5...(Double(steps.count) - 0.5), xLabel: "time (s)", width: 1080, height: height)
        // room for the longest label at about 5.6 px per character of the 10 px tick font
        p.margin.left = min(420, 16 + 5.6 * Double(labels.map(\.1.count).max() ?? 0))
        for (i, s) in steps.enumerated() {
            let row = Double(steps.count - 1 - i)
            let t = s.timeline
            if let start = t.startTime {
                let stop = t.endTime ?? duration
                p.bar(x0: start, x1: stop, row: row, height: 16, color: statusColor[t.status] ?? "#999",
                      title: "\(s.info.title): \(t.status.rawValue), \(Format.time(start)) – \(Format.time(stop))")
            }
            if t.outOfOrder { p.text(t.endTime ?? t.startTime ?? 0, row + 0.05, "  out of order", cls: "marker") }
        }
        for (k, o) in evaluation.errors.enumerated() { p.vline(at: o.time, color: o.critical ? "#b00020" : "#e8590c", label: "E\(k + 1)") }
        var s = "<section><h2>Step timeline</h2>\(p.svg(yTicks: labels))<div class=\"legend\">"
        for (status, label) in [(StepStatus.completed, "completed"), (.failed, "failed"), (.skipped, "skipped"), (.active, "still running")] {
            s += "<span><i style=\"background:\(statusColor[status]!)\"></i>\(label)</span>"
        }
        s += "<span><i style=\"background:#e8590c\"></i>error (E1, E2… below)</span> <span class=\"muted\">Bar colour: the step's final status.</span></div></section>\n"
        return s
    }

    private func metricsSection(benchmark: BenchmarkFile?) -> String {
        let ms = evaluation.metrics
        guard !ms.isEmpty else { return "" }
        var s = "<section><h2>Metrics against targets\(benchmark == nil ? "" : " and the expert benchmark")</h2><table><tr><th>Metric</th>"
        s += "<th class=\"num\">Value</th><th class=\"num\">Target</th><th></th>"
        if benchmark != nil { s += "<th class=\"num\">Expert benchmark</th><th></th>" }
        s += "<th>Where the value sits</th><th class=\"num\">Points</th></tr>\n"
        for m in ms {
            let b = benchmark?.metrics.first { $0.id == m.id }
            let value = m.result.defined ? Format.quantity(m.result.value, m.dimension) : "—"
            let verdict = m.met.map { $0 ? "<span class=\"ok\">✓ met</span>" : "<span class=\"no\">✗ not met</span>" } ?? "<span class=\"na\">info</span>"
            s += "<tr><td>\(html(m.title))\(m.result.note.map { "<div class=\"muted\">\(html($0))</div>" } ?? "")</td>"
            s += "<td class=\"num\">\(html(value))</td><td class=\"num\">\(m.target.map { html(Format.target($0, m.dimension)) } ?? "")</td>"
            s += "<td>\(verdict)</td>"
            if benchmark != nil { s += benchmarkCells(m, b) }
            s += "<td>\(gauge(m, benchmark: b?.benchmark))</td>"
            s += "<td class=\"num\">\(Format.number(m.points)) / \(Format.number(m.target == nil ? 0 : m.weight))</td></tr>\n"
        }
        return s + "</table></section>\n"
    }

    /// The benchmark's value and whether this run's value is at least as good.
    private func benchmarkCells(_ m: MetricScore, _ b: BenchmarkValue?) -> String {
        guard let b else { return "<td class=\"num na\">—</td><td></td>" }
        let verdict = switch m.meets(b) {
        case true?: "<span class=\"ok\">✓ as good</span>"
        case false?: "<span class=\"no\">✗ short of it</span>"
        case nil: m.result.defined ? "<span class=\"na\">no direction</span>" : "<span class=\"na\">not measured</span>"
        }
        let spread = "mean of \(b.used) of \(b.runs) expert run\(b.runs == 1 ? "" : "s"), SD \(Format.quantity(b.sd, m.dimension))"
        return "<td class=\"num\" title=\"\(html(spread))\">\(html(Format.quantity(b.benchmark, m.dimension)))</td><td>\(verdict)</td>"
    }

    /// A small bar: the target's band in green, the value as a dot, the expert benchmark as a black tick.
    private func gauge(_ m: MetricScore, benchmark: Double? = nil) -> String {
        guard m.result.defined else { return "" }
        let v = m.result.value
        let benchmark = benchmark.flatMap { $0.isFinite ? $0 : nil }
        var lo = min(v, benchmark ?? v), hi = max(v, benchmark ?? v)
        switch m.target {
        case let .range(a, b)?: lo = min(lo, a); hi = max(hi, b)
        case let .atMost(b)?: lo = min(lo, 0, b); hi = max(hi, b)
        case let .atLeast(a)?: lo = min(lo, a, 0); hi = max(hi, a)
        case nil: lo = min(lo, 0)
        }
        let pad = max((hi - lo) * 0.15, abs(hi) * 0.05, 1e-9)
        lo -= pad; hi += pad
        let w = 220.0
        func px(_ t: Double) -> Double { 4 + (t - lo) / (hi - lo) * (w - 8) }
        func x(_ t: Double) -> String { Format.fixed(px(t), decimals: 1) }
        var s = "<svg width=\"\(Int(w))\" height=\"18\" viewBox=\"0 0 \(Int(w)) 18\"><rect x=\"4\" y=\"7\" width=\"\(Int(w - 8))\" height=\"4\" fill=\"#e6e9ee\"/>"
        if let t = m.target {
            let (a, b): (Double, Double) = switch t { case let .range(a, b): (a, b); case let .atMost(b): (lo, b); case let .atLeast(a): (a, hi) }
            s += "<rect x=\"\(x(a))\" y=\"4\" width=\"\(Format.fixed(max(1, (b - a) / (hi - lo) * (w - 8)), decimals: 1))\" height=\"10\" fill=\"#bfe5cc\"/>"
        }
        if let benchmark { s += "<rect x=\"\(Format.fixed(px(benchmark) - 1, decimals: 1))\" y=\"1\" width=\"2\" height=\"16\" fill=\"#1d2733\"><title>expert benchmark</title></rect>" }
        s += "<circle cx=\"\(x(v))\" cy=\"9\" r=\"5\" fill=\"\(m.met == false ? "#d33c3c" : (m.met == true ? "#2e9d58" : "#3b7dd8"))\"/></svg>"
        return s
    }

    /// This attempt among the trainee's attempts at the scenario: counts against the rule and the scores, this one ringed.
    private func historySection(_ h: DebriefHistory) -> String {
        var s = "<section><h2>\(html(h.trainee))'s progress at this procedure</h2><div class=\"verdict\">"
        s += "<span class=\"kv\">Attempt <b>\(h.current + 1)</b> of \(h.attempts.count)</span>"
        s += "<span class=\"kv\">Qualifying so far <b>\(h.qualifyingSoFar)</b> of \(h.requiredTotal) needed</span>"
        s += "<span class=\"kv\">In a row <b>\(h.run)</b> of \(h.requiredConsecutive) needed</span>"
        if let p = h.proficientAt {
            s += "<span class=\"badge pass\" style=\"font-size:14px\">Proficient since attempt \(p)</span>"
        } else {
            s += "<span class=\"kv\"><b>Not yet proficient</b></span>"
        }
        s += "</div>\n<p>" + (h.shortfalls.isEmpty ? "<span class=\"ok\">This attempt qualifies.</span>"
            : "<span class=\"no\">This attempt does not qualify:</span> " + html(h.shortfalls.joined(separator: "; "))) + "</p>\n"
        if h.attempts.count > 1 {
            var p = SVGPlot(x: 0.5...(Double(h.attempts.count) + 0.5), y: 0...100, xLabel: "attempt", yLabel: "score", width: 1080, height: 200)
            p.wholeXTicks = true
            p.line(h.attempts.indices.map { Double($0 + 1) }, h.attempts.map(\.score), color: "#99a", width: 1)
            for (i, a) in h.attempts.enumerated() {
                let label = "attempt \(i + 1)\(a.id.isEmpty ? "" : " (" + a.id + ")")\(a.started.map { ", " + $0 } ?? ""): score \(Format.fixed(a.score, decimals: 1)), "
                    + (a.qualifies ? "qualifies" : "does not qualify")
                if i == h.current { p.dot(Double(i + 1), a.score, color: "#1d2733", r: 7, title: "this attempt") }
                p.dot(Double(i + 1), a.score, color: a.qualifies ? "#2e9d58" : "#d33c3c", r: 4.5, title: label)
            }
            s += p.svg()
            s += "<div class=\"legend\"><span><i style=\"background:#2e9d58\"></i>qualifies</span><span><i style=\"background:#d33c3c\"></i>does not</span>"
            s += "<span class=\"muted\">Ringed: this attempt.</span></div>"
        }
        return s + "<p class=\"muted\">Rule: \(html(h.rule)).</p></section>\n"
    }

    private func errorsSection() -> String {
        var s = "<section><h2>Errors</h2>"
        if evaluation.errors.isEmpty { return s + "<p class=\"ok\">No errors.</p></section>\n" }
        s += "<table><tr><th>#</th><th class=\"num\">Time</th><th>Error</th><th>Feedback</th><th class=\"num\">Penalty</th></tr>\n"
        for (k, o) in evaluation.errors.enumerated() {
            s += "<tr><td>E\(k + 1)</td><td class=\"num\">\(Format.time(o.time))</td><td>\(html(o.title))\(o.critical ? "<span class=\"crit\">critical</span>" : "")</td>"
            s += "<td>\(html(o.feedback))</td><td class=\"num\">\(Format.number(-o.penalty))</td></tr>\n"
        }
        if !messages.isEmpty {
            s += "</table><h2 style=\"margin-top:14px\">Messages shown</h2><table>"
            for m in messages { s += "<tr><td class=\"num\" style=\"width:80px\">\(Format.time(m.time))</td><td>\(html(m.text))</td></tr>\n" }
        }
        return s + "</table></section>\n"
    }

    private func plotsSection() -> String {
        var s = ""
        let path = series.path
        if path.count > 1 {
            s += "<section><h2>Instrument and hand paths</h2><div class=\"grid2\">"
            s += pathPlot(axes: (0, 2), labels: ("x (cm)", "z (cm)"), title: "Top view (x–z)")
            s += pathPlot(axes: (0, 1), labels: ("x (cm)", "y (cm)"), title: "Front view (x–y)")
            s += "</div>" + legend(context.tracked.map(\.name)) + "</section>\n"
        }
        let anyForce = (0..<series.force.count * series.force.channels).contains { series.force.values[$0] != 0 }
        if series.force.count > 1, !anyForce {
            s += "<section><h2>Force over time</h2><p class=\"muted\">No force was recorded on \(html(series.forceNames.joined(separator: ", "))).</p></section>\n"
        } else if series.force.count > 1 {
            s += "<section><h2>Force over time</h2>" + timePlot(series.force, channels: Array(0..<series.force.channels), scale: 1, yLabel: "force (N)")
            s += legend(series.forceNames) + errorNote() + "</section>\n"
        }
        // only variables with a clinical unit (a vital sign, a dose): a unit-less variable is the
        // procedure's own bookkeeping (a phase counter), not something to show a trainee
        let plotted = context.variables.indices.filter { $0 < series.variables.channels && !context.variables[$0].hidden }
        if series.variables.count > 1, !plotted.isEmpty {
            s += "<section><h2>State variables</h2><div class=\"grid2\">"
            for i in plotted {
                let v = context.variables[i]
                let u = v.unit.map { (symbol: $0, scale: v.unitScale > 0 ? 1 / v.unitScale : 1) } ?? Format.displayUnit(v.dimension)
                s += "<div><b>\(html(v.name))</b>" + timePlot(series.variables, channels: [i], scale: u.scale, yLabel: u.symbol, width: 530, height: 180) + "</div>"
            }
            s += "</div></section>\n"
        }
        if let cpr = series.cprDepth, cpr.count > 1 {
            var p = SVGPlot(x: 0...max(duration, 1e-3), y: min(-0.5, minValue(cpr, 0) * 100)...max(7, maxValue(cpr, 0) * 100 + 0.5),
                            xLabel: "time (s)", yLabel: "depth (cm)", width: 1080, height: 240)
            p.band(y: 5, 6, color: "#d6f0de", label: "AHA 5–6 cm")
            p.line(cpr.times, (0..<cpr.count).map { cpr.value($0, channel: 0) * 100 }, color: palette[0], width: 1)
            s += "<section><h2>CPR compression depth</h2>\(p.svg())</section>\n"
        }
        return s
    }

    private func clipped(_ s: String, _ n: Int) -> String { s.count <= n ? s : String(s.prefix(n - 1)) + "…" }

    private func errorNote() -> String { evaluation.errors.isEmpty ? "" : "<div class=\"muted\">Vertical lines: errors.</div>" }

    private func legend(_ names: [String]) -> String {
        "<div class=\"legend\">" + names.enumerated().map { "<span><i style=\"background:\(palette[$0 % palette.count])\"></i>\(html($1))</span>" }.joined() + "</div>"
    }

    private func minValue(_ s: Series, _ c: Int) -> Double { (0..<s.count).map { s.value($0, channel: c) }.min() ?? 0 }
    private func maxValue(_ s: Series, _ c: Int) -> Double { (0..<s.count).map { s.value($0, channel: c) }.max() ?? 0 }

    private func pathPlot(axes: (Int, Int), labels: (String, String), title: String) -> String {
        let s = series.path
        var xs: [[Double]] = [], ys: [[Double]] = []
        for t in context.tracked.indices {
            xs.append((0..<s.count).map { s.value($0, channel: 3 * t + axes.0) * 100 })
            ys.append((0..<s.count).map { s.value($0, channel: 3 * t + axes.1) * 100 })
        }
        let allX = xs.flatMap { $0 }, allY = ys.flatMap { $0 }
        let rx = (allX.min() ?? 0)...(allX.max() ?? 1), ry = (allY.min() ?? 0)...(allY.max() ?? 1)
        let padX = (rx.upperBound - rx.lowerBound) * 0.05 + 0.5, padY = (ry.upperBound - ry.lowerBound) * 0.05 + 0.5
        var p = SVGPlot(x: (rx.lowerBound - padX)...(rx.upperBound + padX), y: (ry.lowerBound - padY)...(ry.upperBound + padY),
                        xLabel: labels.0, yLabel: labels.1, width: 530, height: 330, equalAspect: true)
        for t in xs.indices {
            p.line(xs[t], ys[t], color: palette[t % palette.count], width: 1.2)
            if let x0 = xs[t].first, let y0 = ys[t].first { p.dot(x0, y0, color: palette[t % palette.count], r: 3, title: "start") }
            if let x1 = xs[t].last, let y1 = ys[t].last { p.dot(x1, y1, color: "#1d2733", r: 3, title: "end") }
        }
        // errors where the first tracked instrument was when they happened
        for (k, mark) in series.errorMarks.enumerated() {
            guard let mark, k < evaluation.errors.count else { continue }
            let a = mark.position[axes.0] * 100, b = mark.position[axes.1] * 100
            let o = evaluation.errors[k]
            p.dot(a, b, color: o.critical ? "#b00020" : "#e8590c", r: 4.5, title: "E\(k + 1) \(o.title) at \(Format.time(o.time))")
            p.text(a, b, "  E\(k + 1)", cls: "marker")
        }
        return "<div><b>\(html(title))</b> <span class=\"muted\">(coloured dot: start, black: end, orange: errors)</span>\(p.svg())</div>"
    }

    private func timePlot(_ s: Series, channels: [Int], scale: Double, yLabel: String, width: Double = 1080, height: Double = 240) -> String {
        var lo = Double.infinity, hi = -Double.infinity
        for c in channels { for i in 0..<s.count { let v = s.value(i, channel: c) * scale; lo = min(lo, v); hi = max(hi, v) } }
        if !(lo <= hi) { lo = 0; hi = 1 }
        let pad = max((hi - lo) * 0.08, abs(hi) * 0.02, 1e-6)
        var p = SVGPlot(x: 0...max(duration, 1e-3), y: min(lo - pad, lo >= 0 ? 0 : lo - pad)...(hi + pad), xLabel: "time (s)", yLabel: yLabel,
                        width: width, height: height)
        if channels.count > 1 || width > 600 { for o in evaluation.errors { p.vline(at: o.time, color: o.critical ? "#b00020" : "#f4a261") } }
        for (k, c) in channels.enumerated() {
            p.line(s.times, (0..<s.count).map { s.value($0, channel: c) * scale }, color: palette[(channels.count > 1 ? k : c) % palette.count])
        }
        return p.svg()
    }
}
