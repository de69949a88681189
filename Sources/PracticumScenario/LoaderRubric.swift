import PracticumCore
import PracticumScoring

extension ScenarioCompiler {
    mutating func readError(_ node: YNode, _ path: String) -> (RubricError, CompiledExpr?, CompiledExpr?, Double)? {
        guard let m = r.mapping(node, path, ScenarioCatalog.rubricError) else { return nil }
        let id = r.identifier(m["id"], "\(path).id") ?? ""
        let cond = m["when"].flatMap { expression($0, "\(path).when", expect: .bool) }
        let endCond = m["at_end"].flatMap { expression($0, "\(path).at_end", expect: .bool) }
        let e = RubricError(id: id, title: m["title"].flatMap { r.text($0, "\(path).title") } ?? id,
                            critical: m["critical"].flatMap { r.bool($0, "\(path).critical") } ?? false,
                            penalty: m["penalty"].flatMap { r.number($0, "\(path).penalty", min: 0, max: 100) } ?? 0,
                            maxCount: m["max_count"].flatMap { r.integer($0, "\(path).max_count", min: 1, max: 1000) } ?? 1,
                            feedback: r.text(m["feedback"], "\(path).feedback") ?? "")
        let debounce = readDebounce(m, path, once: false)
        return (e, cond, endCond, debounce)
    }

    mutating func readMetric(_ node: YNode, _ path: String) -> (RubricMetric, Scenario.Sample?)? {
        guard case let .mapping(raw) = node else { _ = r.mapping(node, path, allowed: []); return nil }
        let common = ScenarioCatalog.metric.keyNames
        guard let kindNode = raw["metric"], let kindName = r.text(kindNode, "\(path).metric") else {
            _ = r.mapping(node, path, allowed: common, required: ["id", "metric"]); return nil
        }
        guard let info = MetricCatalog.info(kindName) else {
            r.error("unknown metric '\(kindName.quotedForMessage())'\(r.didYouMean(kindName, MetricCatalog.all.map(\.name)))", kindNode.location, "\(path).metric")
            return nil
        }
        let isSampled = info.name == "sampled"
        let allowed = common.filter { isSampled || ($0 != "value" && $0 != "at") } + info.params.map(\.name)
        let required = ["id", "metric"] + (isSampled ? ["value", "at"] : []) + info.params.filter(\.required).map(\.name)
        guard let m = r.mapping(node, path, allowed: allowed, required: required) else { return nil }
        let id = r.identifier(m["id"], "\(path).id") ?? ""
        var params: [String: MetricArgument] = [:]
        for p in info.params {
            guard let pn = m[p.name] else { continue }
            let pp = "\(path).\(p.name)"
            switch p.kind {
            case .body: if case let .body(b)? = reference(pn, pp, [.body]) { params[p.name] = .body(b) }
            case .hand: if case let .hand(h)? = reference(pn, pp, [.hand]) { params[p.name] = .hand(h) }
            case .bodyOrHand:
                switch reference(pn, pp, [.body, .hand]) {
                case let .body(b)?: params[p.name] = .body(b)
                case let .hand(h)?: params[p.name] = .hand(h)
                default: break
                }
            case .region: if case let .region(x)? = reference(pn, pp, [.region]) { params[p.name] = .region(x) }
            case .tissue: if case let .tissue(x)? = reference(pn, pp, [.tissue]) { params[p.name] = .tissue(x) }
            case .layer: if case let .layer(t, l)? = reference(pn, pp, [.layer]) { params[p.name] = .layer(tissue: t, layer: l) }
            case .step: if case let .step(x)? = reference(pn, pp, [.step]) { params[p.name] = .step(x) }
            case .event: if case let .event(x)? = reference(pn, pp, [.event]) { params[p.name] = .event(x) }
            case .error: if case let .error(x)? = reference(pn, pp, [.error]) { params[p.name] = .error(x) }
            case .variable:
                if let s = r.scalar(pn, pp, what: "a variable id") {
                    if let (vi, _) = symbols.variables[s.text] { params[p.name] = .variable(vi) } else {
                        r.error("unknown variable '\(s.text.quotedForMessage())'\(r.didYouMean(s.text, Array(symbols.variables.keys).sorted()))", s.location, pp)
                    }
                }
            case .text: if let t = r.text(pn, pp) { params[p.name] = .text(t) }
            case let .quantity(d): if let v = r.quantity(pn, pp, d) { params[p.name] = .quantity(v) }
            }
        }
        var dim = info.dimension
        // metrics of a variable take the variable's dimension (e.g. a heart rate in bpm)
        if dim == .none, case let .variable(vi)? = params["variable"] ?? params["of"] {
            dim = variableDimension(vi)
        }
        var sample: Scenario.Sample?
        if isSampled {
            let value = expression(m["value"], "\(path).value", expect: nil)
            let at = expression(m["at"], "\(path).at", expect: .bool)
            if let value {
                if case let .number(d) = value.type { dim = d } else {
                    r.error("a sampled value must be a number (e.g. angle(needle, skin)), but this is \(value.type)", m["value"]!.location, "\(path).value")
                }
            }
            if let value, let at { sample = Scenario.Sample(value: value, at: at) }
        }
        var target: Target?
        if let tn = m["target"] { target = readTarget(tn, "\(path).target", dim) }
        let weight = m["weight"].flatMap { r.number($0, "\(path).weight", min: 0, max: 100) } ?? 0
        // no free points: a count is 0 in a run where nothing happens, so a target that 0 meets pays
        // a trainee who does nothing (other metrics are then undefined and earn nothing)
        if let idle = info.idleValue, weight > 0, let target, target.isMet(by: idle), let tn = m["target"] {
            func shown(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e9 ? String(Int(x)) : "\(x)" }
            r.warning("a run in which nothing happens has \(info.name) = \(shown(idle)), which meets this target, so a trainee "
                      + "who does nothing would earn its \(shown(weight)) points; use a target that \(shown(idle)) does not meet "
                      + "(such as \">= 1\"), or score the mistake as a rubric error with a penalty", tn.location, "\(path).target")
        }
        return (RubricMetric(id: id, title: m["title"].flatMap { r.text($0, "\(path).title") } ?? id,
                             metric: MetricInstance(kind: info.name, params: params), target: target, weight: weight,
                             dimension: dim), sample)
    }

    /// `10deg...30deg`, `<= 40cm`, `>= 80%` (also `<` and `>`), with the metric's dimension.
    mutating func readTarget(_ node: YNode, _ path: String, _ dim: Dimension) -> Target? {
        guard let s = r.scalar(node, path, what: "a target such as \"10deg...30deg\", \"<= 40cm\" or \">= 80%\"") else { return nil }
        let t = s.text.trimmingSpaces
        func q(_ text: String, _ offset: Int) -> Double? {
            r.quantity(.scalar(YScalar(text: text.trimmingSpaces, location: s.location.advanced(by: offset + (s.quoted ? 1 : 0)), quoted: false)), path, dim)
        }
        if let range = t.range(of: "...") {
            let lo = String(t[..<range.lowerBound]), hi = String(t[range.upperBound...])
            guard let l = q(lo, 0), let h = q(hi, lo.count + 3) else { return nil }
            if l > h { r.error("target range is empty: low end above high end", s.location, path); return nil }
            return .range(l, h)
        }
        for (op, isMax) in [("<=", true), (">=", false), ("<", true), (">", false)] where t.hasPrefix(op) {
            guard let v = q(String(t.dropFirst(op.count)), op.count) else { return nil }
            return isMax ? .atMost(v) : .atLeast(v)
        }
        r.error("expected a target such as \"10deg...30deg\", \"<= 40cm\" or \">= 80%\", found '\(r.clip(t))'", s.location, path)
        return nil
    }

    mutating func readPass(_ node: YNode, _ path: String, metricIds: [String]) -> PassCriteria {
        var pc = PassCriteria()
        guard let m = r.mapping(node, path, ScenarioCatalog.pass) else { return pc }
        if let n = m["min_score"], let v = r.number(n, "\(path).min_score", min: 0, max: 100) { pc.minScore = v }
        if let n = m["no_critical_errors"], let v = r.bool(n, "\(path).no_critical_errors") { pc.noCriticalErrors = v }
        if let n = m["require_complete"], let v = r.bool(n, "\(path).require_complete") { pc.requireComplete = v }
        if let n = m["metrics"] {
            let items: [YNode] = if case .sequence = n { r.list(n, "\(path).metrics") } else { [n] }
            for (i, item) in items.enumerated() {
                guard let s = r.scalar(item, "\(path).metrics[\(i)]", what: "a metric id") else { continue }
                if metricIds.contains(s.text) { pc.metricsMet.append(s.text) } else {
                    r.error("unknown metric '\(s.text.quotedForMessage())'\(r.didYouMean(s.text, metricIds))", s.location, "\(path).metrics[\(i)]")
                }
            }
        }
        return pc
    }

    func variableDimension(_ vi: Int) -> Dimension {
        symbols.variables.values.first { $0.0 == vi }?.1 ?? .none
    }
}
