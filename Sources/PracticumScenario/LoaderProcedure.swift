import PracticumCore
import PracticumScoring

extension ScenarioCompiler {
    mutating func readStep(_ node: YNode, _ path: String, index: Int, stepIds: [String], regionIds: [String]) -> Step? {
        guard let m = r.mapping(node, path, ScenarioCatalog.step) else { return nil }
        let id = r.identifier(m["id"], "\(path).id") ?? ""
        let complete = expression(m["complete_when"], "\(path).complete_when", expect: .bool)
        let fail = m["fail_when"].flatMap { expression($0, "\(path).fail_when", expect: .bool) }
        let pre = m["precondition"].flatMap { expression($0, "\(path).precondition", expect: .bool) }
        // default ordering: a plain sequence (each step after the previous one)
        var after: [Int] = index > 0 && m["after"] == nil && m["after_any"] == nil ? [index - 1] : []
        if let an = m["after"] { after = stepRefs(an, "\(path).after") }
        let afterAny = m["after_any"].map { stepRefs($0, "\(path).after_any") } ?? []
        var highlights: [Int] = []
        if let hn = m["highlight"] {
            let items: [YNode] = if case .sequence = hn { r.list(hn, "\(path).highlight") } else { [hn] }
            for (i, item) in items.enumerated() {
                if case let .region(ri)? = reference(item, "\(path).highlight[\(i)]", [.region]) { highlights.append(ri) }
            }
        }
        let choice = m["choice"].flatMap { r.identifier($0, "\(path).choice") }
        guard let complete else { return nil }
        return Step(id: id, title: r.text(m["title"], "\(path).title") ?? id,
                    instructions: m["instructions"].flatMap { r.text($0, "\(path).instructions") } ?? "",
                    hints: r.texts(m["hints"], "\(path).hints"), completeWhen: complete, failWhen: fail, precondition: pre,
                    after: after, afterAny: afterAny, choice: choice,
                    optional: m["optional"].flatMap { r.bool($0, "\(path).optional") } ?? false,
                    enabled: m["enabled"].flatMap { r.bool($0, "\(path).enabled") } ?? true,
                    timeLimit: m["time_limit"].flatMap { r.quantity($0, "\(path).time_limit", .time, min: 0.001) },
                    highlights: highlights)
    }

    /// A list of step ids (or one id).
    mutating func stepRefs(_ node: YNode, _ path: String) -> [Int] {
        let items: [YNode] = if case .sequence = node { r.list(node, path) } else if case let .scalar(s) = node, s.isNull { [] } else { [node] }
        var out: [Int] = []
        for (i, item) in items.enumerated() {
            let p = items.count == 1 && { if case .sequence = node { return false } else { return true } }() ? path : "\(path)[\(i)]"
            if case let .step(s)? = reference(item, p, [.step]) { out.append(s) }
        }
        return out
    }

    /// Cycles (a step waiting on itself) and unreachable steps (waiting on a step that can never settle).
    mutating func checkGraph(_ steps: [Step], _ nodes: [YNode]) {
        let n = steps.count
        // cycle detection by depth-first search over `after` + `after_any` edges, in index order
        var state = [UInt8](repeating: 0, count: n) // 0 new, 1 on stack, 2 done
        var reported = false
        func visit(_ i: Int, _ stack: inout [Int]) -> [Int]? {
            state[i] = 1; stack.append(i)
            for p in steps[i].after + steps[i].afterAny {
                if state[p] == 1 { return Array(stack[stack.firstIndex(of: p)!...]) }
                if state[p] == 0, let c = visit(p, &stack) { return c }
            }
            state[i] = 2; stack.removeLast()
            return nil
        }
        for i in 0..<n where state[i] == 0 && !reported {
            var stack: [Int] = []
            if let cycle = visit(i, &stack) {
                let names = (cycle + [cycle[0]]).map { steps[$0].id }.joined(separator: " → ")
                let at = cycle.min()!
                r.error("the step order has a cycle: \(names); a step cannot (indirectly) wait for itself", nodes[at].location, "procedure.steps[\(at)].after")
                reported = true
            }
        }
        if reported { return }
        // waiting for two alternatives of one choice means waiting for a branch that is never taken
        for (i, st) in steps.enumerated() {
            let groups = st.after.compactMap { steps[$0].choice }
            if let dup = groups.first(where: { g in groups.filter { $0 == g }.count > 1 }) {
                r.error("step '\(st.id.quotedForMessage())' waits (after) for two alternatives of choice '\(dup.quotedForMessage())', but only one branch is ever taken; use after_any to join branches",
                        nodes[i].location, "procedure.steps[\(i)].after")
            }
        }
    }

    /// A `set` value that is not a number with an optional unit (`20bpm`, `95`) is an expression.
    static func isExpression(_ node: YNode) -> Bool {
        guard case let .scalar(s) = node, !s.isNull else { return false }
        switch Quantity.parse(s.text) {
        case .failure(.notANumber): return true
        case let .failure(.unknownUnit(u)): return u.contains { " *+-(),".contains($0) }
        default: return false
        }
    }

    /// `debounce:` of an event or rubric error: a duration from 0 to `Limits.maximumDebounce`
    /// (0 when absent). A warning where it cannot matter: nothing fires twice without a `when`
    /// that can become true again.
    mutating func readDebounce(_ m: YMapping, _ path: String, once: Bool) -> Double {
        guard let dn = m["debounce"], let d = r.quantity(dn, "\(path).debounce", .time, min: 0, max: Limits.maximumDebounce) else { return 0 }
        if d > 0, once {
            r.warning("debounce has no effect on an event that fires once; add 'once: false' or remove it", dn.location, "\(path).debounce")
        } else if d > 0, m["when"] == nil {
            r.warning("debounce applies only to a 'when' condition, and there is none here; remove it", dn.location, "\(path).debounce")
        }
        return d
    }

    mutating func readEvent(_ node: YNode, _ path: String, stepIds: [String], errorIds: [String]) -> Event? {
        guard let m = r.mapping(node, path, ScenarioCatalog.event) else { return nil }
        let id = r.identifier(m["id"], "\(path).id") ?? ""
        let triggers = ["when", "at", "on_start", "on_complete", "on_fail"].filter { m[$0] != nil }
        var when: CompiledExpr?
        let instructor = m["instructor"].flatMap { r.bool($0, "\(path).instructor") } ?? false
        if instructor, id.utf8.count > Limits.traceName - Event.instructorButtonPrefix.utf8.count {
            r.error("an instructor-triggerable event's id has at most \(Limits.traceName - Event.instructorButtonPrefix.utf8.count) characters (its trigger is recorded as the button '\(Event.instructorButtonPrefix)<id>')",
                    m["id"]?.location ?? m.location, "\(path).id")
        }
        if triggers.isEmpty, instructor {
            // fired only by the instructor
            when = CompiledExpr(code: .const(0), type: .bool, source: "false")
        } else if triggers.count != 1 {
            r.error("an event needs exactly one trigger: 'when' (a condition), 'at' (a time), 'on_start', 'on_complete' or 'on_fail' (a step); 'instructor: true' alone makes one the instructor fires", m.location, path)
        } else {
            let key = triggers[0]
            let p = "\(path).\(key)"
            switch key {
            case "when": when = expression(m[key], p, expect: .bool)
            case "at":
                if let t = r.quantity(m[key], p, .time, min: 0) {
                    when = CompiledExpr(code: .binary(.ge, .time, .const(t)), type: .bool, source: "time >= \(t)s")
                }
            default:
                if case let .step(s)? = reference(m[key], p, [.step]) {
                    let b: Builtin = key == "on_start" ? .started : key == "on_complete" ? .completed : .failed
                    when = CompiledExpr(code: .call(b, [.entity(.step(s))], slot: -1), type: .bool, source: "\(b.rawValue)(\(stepIds[s]))")
                }
            }
        }
        var effects: [Effect] = []
        for (i, en) in r.list(m["do"], "\(path).do").enumerated() {
            let ep = "\(path).do[\(i)]"
            guard let em = r.mapping(en, ep, ScenarioCatalog.effect) else { continue }
            guard em.entries.count == 1, let e = em.entries.first else {
                r.error("each effect is one of \(ScenarioCatalog.effect.keyNames.joined(separator: ", ")), one per list item", em.location, ep); continue
            }
            let p = "\(ep).\(e.key)"
            switch e.key {
            case "set", "trend":
                guard let vm = r.mapping(e.value, p, allowed: Array(symbols.variables.keys).sorted()) else { continue }
                for entry in vm.entries {
                    guard let (vi, dim) = symbols.variables[entry.key] else { continue }
                    let d = e.key == "set" ? dim : dim / .time
                    // a bare number is in the variable's unit (per second for a trend)
                    let scale = variableScales[vi]
                    let du = UnitDef(symbol: "", scale: scale, dimension: d)
                    if e.key == "set", Self.isExpression(entry.value) {
                        // evaluated when the effect runs: relative changes, or latching a value at that moment
                        if let x = expression(entry.value, "\(p).\(entry.key)", expect: .number(dim)) { effects.append(.setVariableTo(vi, x)) }
                        continue
                    }
                    if let v = r.quantity(entry.value, "\(p).\(entry.key)", d, defaultUnit: du) {
                        effects.append(e.key == "set" ? .setVariable(vi, v) : .trendVariable(vi, v))
                    }
                }
            case "message":
                if let t = r.text(e.value, p) { effects.append(.message(t)) }
            case "enable", "skip":
                let s = stepRefs(e.value, p)
                effects.append(e.key == "enable" ? .enableSteps(s) : .skipSteps(s))
            case "retry":
                // `retry: STEP`, `retry: [STEPS]` or `retry: {steps: …, max: N}`
                if case let .mapping(rm) = e.value {
                    guard let rm = r.mapping(.mapping(rm), p, ScenarioCatalog.retryLimit) else { continue }
                    var max: Int?
                    if let n = rm["max"], let v = r.number(n, "\(p).max", min: 1, max: Double(Limits.retries)) {
                        if v == v.rounded() { max = Int(v) } else { r.error("expected a whole number of retries", n.location, "\(p).max") }
                    }
                    // a missing `steps` is already reported by the mapping check
                    if let steps = rm["steps"] { effects.append(.retrySteps(stepRefs(steps, "\(p).steps"), max: max)) }
                } else {
                    effects.append(.retrySteps(stepRefs(e.value, p), max: nil))
                }
            case "move":
                guard let mm = r.mapping(e.value, p, ScenarioCatalog.move) else { continue }
                if case let .body(b)? = reference(mm["body"], "\(p).body", [.body]) {
                    let pos = r.vector(mm["position"], "\(p).position", .length) ?? .zero
                    effects.append(.moveBody(b, Pose(position: pos, orientation: readRotation(mm["rotation"], "\(p).rotation"))))
                }
            case "material":
                guard let mm = r.mapping(e.value, p, ScenarioCatalog.material) else { continue }
                if case let .body(b)? = reference(mm["body"], "\(p).body", [.body]) {
                    let f = mm["friction"].flatMap { r.number($0, "\(p).friction", min: 0, max: 5) } ?? 0.5
                    let rest = mm["restitution"].flatMap { r.number($0, "\(p).restitution", min: 0, max: 1) } ?? 0
                    effects.append(.setMaterial(b, Material(staticFriction: f, dynamicFriction: f, restitution: rest)))
                }
            case "error":
                if case let .error(ei)? = reference(e.value, p, [.error]) { effects.append(.raiseError(ei)) }
            case "end":
                guard let mm = r.mapping(e.value, p, ScenarioCatalog.end) else { continue }
                let reason = r.text(mm["reason"], "\(p).reason") ?? "ended"
                var failed = true
                if let on = mm["outcome"], let o = r.text(on, "\(p).outcome") {
                    if o == "completed" { failed = false } else if o != "failed" {
                        r.error("outcome is 'failed' or 'completed', found '\(o.quotedForMessage())'", on.location, "\(p).outcome")
                    }
                }
                effects.append(.end(reason: reason, failed: failed))
            default: break
            }
        }
        guard let when else { return nil }
        // an event that retries a step fires at every failure it retries, unless told otherwise
        let retries = effects.contains { if case .retrySteps = $0 { true } else { false } }
        let once = m["once"].flatMap { r.bool($0, "\(path).once") } ?? !retries
        let debounce = readDebounce(m, path, once: once)
        return Event(id: id, when: when, once: once, effects: effects, debounce: debounce,
                     probability: readProbability(m["probability"], "\(path).probability"), instructor: instructor)
    }
}
