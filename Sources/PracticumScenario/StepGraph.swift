import PracticumCore

/// Renders a scenario's step graph as a Mermaid flowchart, so an instructor can check the flow.
public enum StepGraph {
    public static func mermaid(_ s: Scenario) -> String {
        var lines = ["flowchart TD", "    start((start))"]
        func node(_ i: Int) -> String { "s\(i)" }
        func label(_ text: String) -> String {
            text.replacingAll("\"", with: "'").replacingAll("\n", with: " ")
        }
        for (i, st) in s.steps.enumerated() {
            var tags: [String] = []
            if st.optional { tags.append("optional") }
            if !st.enabled { tags.append("enabled by event") }
            if let c = st.choice { tags.append("choice: \(c)") }
            if let t = st.timeLimit { tags.append("limit \(formatSeconds(t))") }
            let tagText = tags.isEmpty ? "" : "<br/><i>\(tags.joined(separator: ", "))</i>"
            let shape = st.optional ? ("([", "])") : st.choice != nil ? ("{{", "}}") : ("[", "]")
            lines.append("    \(node(i))\(shape.0)\"\(label(st.id)): \(label(st.title))\(tagText)\"\(shape.1)")
        }
        for (i, st) in s.steps.enumerated() {
            if st.after.isEmpty && st.afterAny.isEmpty { lines.append("    start --> \(node(i))") }
            for p in st.after { lines.append("    \(node(p)) --> \(node(i))") }
            for p in st.afterAny { lines.append("    \(node(p)) -.->|any| \(node(i))") }
        }
        for (e, ev) in s.events.enumerated() {
            var declared = false
            for effect in ev.effects {
                let (steps, verb): ([Int], String)
                switch effect {
                case let .enableSteps(x): (steps, verb) = (x, "enables")
                case let .skipSteps(x): (steps, verb) = (x, "skips")
                case let .retrySteps(x, _): (steps, verb) = (x, "retries")
                default: continue
                }
                if !declared { lines.append("    e\(e)[/\"event \(label(ev.id))\"/]"); declared = true }
                for st in steps { lines.append("    e\(e) -. \(verb) .-> \(node(st))") }
            }
        }
        let ends = s.steps.indices.filter { i in !s.steps.contains { $0.after.contains(i) || $0.afterAny.contains(i) } }
        lines.append("    done((end))")
        for i in ends { lines.append("    \(node(i)) --> done") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func formatSeconds(_ t: Double) -> String {
        t == t.rounded() ? "\(Int(t))s" : "\(t)s"
    }
}

