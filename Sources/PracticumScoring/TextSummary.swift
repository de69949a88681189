import PracticumCore

extension Report {
    /// A terminal summary (`--format text`). ANSI colour only when `color` is true: the caller
    /// decides (colour on a TTY, plain in pipes and files).
    public func textSummary(color: Bool = false) -> String {
        func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        func green(_ s: String) -> String { paint(s, "32") }
        func red(_ s: String) -> String { paint(s, "31") }
        func bold(_ s: String) -> String { paint(s, "1") }
        func dim(_ s: String) -> String { paint(s, "2") }
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }

        let e = evaluation
        let title = context.scenarioTitle.isEmpty ? context.scenarioID : context.scenarioTitle
        var out = bold(title) + dim(" (\(context.scenarioID)\(context.scenarioVersion.isEmpty ? "" : " v" + context.scenarioVersion))") + "\n"
        out += (passed ? green(bold("PASSED")) : red(bold("NOT PASSED")))
        out += "  score \(bold(Format.fixed(score, decimals: 1)))/100  ·  \(outcome)  ·  \(complete ? "complete" : "incomplete")  ·  \(Format.time(duration))\n"
        for f in e.failedCriteria { out += red("  ✗ \(f)") + "\n" }
        if !inputComplete { out += red("  input ended before the procedure did") + "\n" }

        if !e.steps.isEmpty {
            out += "\n" + bold("Steps") + "\n"
            for s in e.steps {
                let t = s.timeline
                let mark = s.done ? green("✓") : (s.missed ? red("✗") : dim("·"))
                let when = t.startTime.map { start in "\(Format.time(start)) – \(t.endTime.map(Format.time) ?? "…")" } ?? "not reached"
                out += "  \(mark) \(pad(s.info.title + (s.info.required ? "" : " (optional)"), 34)) \(pad(t.status.rawValue, 10)) \(when)"
                out += t.outOfOrder ? red("  out of order") : ""
                out += "\n"
            }
        }

        if !e.metrics.isEmpty {
            out += "\n" + bold("Metrics") + "\n"
            let width = min(34, e.metrics.map(\.title.count).max() ?? 0)
            for m in e.metrics {
                let value = m.result.defined ? Format.quantity(m.result.value, m.dimension) : "—"
                let target = m.target.map { Format.target($0, m.dimension) } ?? ""
                let mark = m.met.map { $0 ? green("✓") : red("✗") } ?? dim("·")
                out += "  \(mark) \(pad(m.title, width))  \(lpad(value, 12))  \(pad(target, 16)) \(lpad(Format.number(m.points), 4))/\(Format.number(m.target == nil ? 0 : m.weight))"
                if let note = m.result.note { out += dim("  (\(note))") }
                out += "\n"
            }
        }

        out += "\n" + bold("Errors") + "\n"
        if e.errors.isEmpty { out += green("  none") + "\n" }
        for o in e.errors {
            out += "  " + (o.critical ? red("critical") : "error   ") + "  \(lpad(Format.time(o.time), 8))  \(o.title)"
            out += o.penalty != 0 ? dim("  −\(Format.number(o.penalty))") : ""
            out += "\n" + (o.feedback.isEmpty ? "" : "            → \(o.feedback)\n")
        }

        out += "\n" + bold("Score") + ": \(e.formulaText) = \(Format.fixed(score, decimals: 1))\n"
        if numericalWarnings > 0 { out += dim("numerical warnings: \(numericalWarnings)") + "\n" }
        return out
    }
}
