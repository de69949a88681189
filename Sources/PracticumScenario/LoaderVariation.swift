import PracticumCore

// Seeded variation: a variable's starting value drawn per run (`initial: {uniform: [a, b]}`,
// `{normal: {mean, sd}}`, `{choice: [a, b, c]}`) and complications armed by chance
// (`probability: 30%` on an event). The run's seed is recorded in its trace, so replaying and
// scoring it draws the same values (docs/scenario-format.md, "Variation between runs").

extension ScenarioCompiler {
    static let drawKinds = ["uniform", "normal", "choice"]

    /// A variable's `initial`: a quantity, or a draw (with its middle as the nominal value).
    /// A variable's `initial`: a quantity, or a draw (with its middle as the nominal value); a nil
    /// value when it could not be read (already reported).
    mutating func readInitial(_ node: YNode?, _ path: String, _ dim: Dimension, _ unit: UnitDef) -> (Double?, RandomDraw?) {
        guard case let .mapping(m)? = node else { return (r.quantity(node, path, dim, defaultUnit: unit), nil) }
        guard let dm = r.mapping(.mapping(m), path, allowed: Self.drawKinds) else { return (nil, nil) }
        guard dm.entries.count == 1, let e = dm.entries.first else {
            r.error("give one of uniform: [low, high], normal: {mean, sd}, choice: [values]", dm.location, path)
            return (nil, nil)
        }
        let p = "\(path).\(e.key)"
        switch e.key {
        case "uniform":
            let items = r.list(e.value, p)
            guard items.count == 2 else { r.error("expected [low, high]", e.value.location, p); return (nil, nil) }
            let lo = r.quantity(items[0], "\(p)[0]", dim, defaultUnit: unit), hi = r.quantity(items[1], "\(p)[1]", dim, defaultUnit: unit)
            guard let lo, let hi else { return (nil, nil) }
            guard lo < hi else { r.error("expected low below high", items[1].location, "\(p)[1]"); return (nil, nil) }
            return ((lo + hi) / 2, .uniform(lo, hi))
        case "normal":
            guard let nm = r.mapping(e.value, p, ScenarioCatalog.normalDraw) else { return (nil, nil) }
            let mean = r.quantity(nm["mean"], "\(p).mean", dim, defaultUnit: unit), sd = r.quantity(nm["sd"], "\(p).sd", dim, defaultUnit: unit)
            guard let mean, let sd else { return (nil, nil) }
            guard sd >= 0 else { r.error("the standard deviation must not be negative", nm["sd"]!.location, "\(p).sd"); return (nil, nil) }
            return (mean, .normal(mean: mean, sd: sd))
        default:
            let items = r.list(e.value, p)
            guard !items.isEmpty, items.count <= Limits.drawChoices else {
                r.error("expected 1 to \(Limits.drawChoices) values", e.value.location, p); return (nil, nil)
            }
            let values = items.enumerated().compactMap { r.quantity($0.element, "\(p)[\($0.offset)]", dim, defaultUnit: unit) }
            guard values.count == items.count else { return (nil, nil) }
            return (values[0], .choice(values))
        }
    }

    /// An event's `probability`: a fraction 0…1 or a percentage; 1 when absent.
    mutating func readProbability(_ node: YNode?, _ path: String) -> Double {
        guard let node, let p = r.quantity(node, path, .none) else { return 1 }
        guard (0...1).contains(p) else { r.error("a probability is from 0 to 1 (0% to 100%)", node.location, path); return 1 }
        return p
    }
}

extension ProcedureRunner {
    /// The run's draws from `seed`, in a fixed order: each drawn variable in declaration order,
    /// then one draw per event with a probability below 1.
    static func draw(_ scenario: Scenario, seed: UInt64) -> (variables: [Double], armed: [Bool]) {
        var rng = SeededRandom(seed: seed)
        let values = scenario.variables.map { v in
            guard let d = v.draw else { return v.initial }
            let x = d.value(&rng)
            return x.isFinite ? Swift.min(v.max, Swift.max(v.min, x)) : v.initial
        }
        let armed = scenario.events.map { e in e.probability >= 1 || rng.nextUnit() < e.probability }
        return (values, armed)
    }
}
