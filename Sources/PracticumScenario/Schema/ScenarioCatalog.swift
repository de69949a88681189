import PracticumCore
import PracticumScoring

/// One mapping of a scenario file (a body, a step, an effect…): its keys in the reference's order
/// with the JSON Schema of each key's value, and the keys it requires. The loader accepts exactly
/// these keys (`Reader.mapping(_:_:_:)`), and `ScenarioCatalog.schema` prints the JSON Schema from
/// the same entries, so the schema cannot list a key the loader refuses or miss one it accepts.
package struct SchemaObject: Sendable {
    /// JSON text of the members that come before `required` and `properties` (type, description).
    package let head: String
    package let required: [String]
    /// Each key with the JSON text of its value's schema.
    package let keys: [(String, String)]
    /// JSON text of the members after `properties` (`allOf`, `examples`).
    package let tail: String

    package var keyNames: [String] { keys.map(\.0) }
}

/// The catalog of the scenario format: every mapping the loader reads (`ScenarioCatalog+Entries.swift`),
/// the named value schemas, and the metric parameters (from `MetricCatalog`). docs/scenario.schema.json
/// is `practicum schema`'s output, and a test keeps the committed file equal to it.
package enum ScenarioCatalog {
    /// Entries by name, for "@name" in a value schema.
    static let byName: [String: SchemaObject] = [
        "physics": physics, "sphere": sphere, "capsule": capsule, "box": box, "mesh": mesh, "shape": shape, "spring": spring,
        "body": body, "layer": layer, "deformable": deformable, "tissue": tissue, "region": region, "joint": joint, "scene": scene,
        "variable": variable, "step": step, "procedure": procedure, "move": move, "material": material, "end": end,
        "effect": effect, "event": event, "metric": metric, "rubricError": rubricError, "pass": pass, "rubric": rubric,
        "viewpoint": viewpoint, "gauge": gauge, "cuePart": cuePart, "appearance": appearance, "sound": sound, "key": key,
        "cues": cues, "normalDraw": normalDraw, "retryLimit": retryLimit, "visual": visual, "handLook": handLook,
    ]

    /// The JSON Schema (draft 2020-12) of scenario files, as docs/scenario.schema.json holds it.
    package static func schemaText() -> String { schema().serialized() }

    package static func schema() -> JSON {
        var root = object(top)
        var defs = definitions.map { ($0.0, expand(parsed($0.1, "$defs.\($0.0)"))) }
        defs += metricParameterDefinitions().map { ($0.name, $0.schema) }
        if case var .object(ms) = root { ms.append(("$defs", .object(defs))); root = .object(ms) }
        return root
    }

    // MARK: - assembling entries

    static func parsed(_ text: String, _ what: String) -> JSON {
        guard let v = try? JSON.parse(text) else { preconditionFailure("catalog entry \(what) is not valid JSON") }
        return v
    }

    static func members(_ v: JSON) -> [(String, JSON)] { if case let .object(ms) = v { ms } else { [] } }

    static func object(_ o: SchemaObject, extraProperties: [(String, JSON)] = [], extraTail: [(String, JSON)] = []) -> JSON {
        var ms = members(parsed(o.head, "head"))
        if !o.required.isEmpty { ms.append(("required", .array(o.required.map(JSON.string)))) }
        let props = o.keys.map { ($0.0, expand(parsed($0.1, $0.0))) } + extraProperties
        ms.append(("properties", .object(props)))
        ms += members(parsed(o.tail, "tail")).map { ($0.0, expand($0.1)) } + extraTail
        return .object(ms)
    }

    /// Replaces "@name" with that entry and "@units:kind" inside a string with the unit symbols of that kind.
    static func expand(_ v: JSON) -> JSON {
        switch v {
        case let .string(s) where s == "@metricNames":
            return .object([
                ("description", .string("Library metric name (docs/metrics.md).")),
                ("anyOf", .array([.object([("enum", .array(MetricCatalog.all.map { .string($0.name) }))]),
                                       .object([("type", .string("string"))])])),
            ])
        case let .string(s) where s.hasPrefix("@"):
            let name = String(s.dropFirst())
            guard let o = byName[name] else { preconditionFailure("no catalog entry '\(name)'") }
            return name == "metric" ? metricObject() : object(o)
        case let .string(s) where s.contains("@units:"):
            var out = s
            for (name, d) in unitKinds { out = out.replacingAll("@units:\(name)", with: unitAlternatives(d)) }
            return .string(out)
        case let .array(items): return .array(items.map(expand))
        case let .object(ms): return .object(ms.map { ($0.0, expand($0.1)) })
        default: return v
        }
    }

    // MARK: - units

    /// The kinds a value schema names as "@units:kind".
    static let unitKinds: [(String, Dimension)] = [
        ("length", .length), ("mass", .mass), ("time", .time), ("angle", .angle), ("force", .force), ("pressure", .pressure),
        ("stiffness", .stiffness), ("damping", .damping), ("density", .density), ("acceleration", .acceleration), ("speed", .velocity),
    ]

    /// Every symbol the unit parser reads as this kind without an exponent: the table's own, and one
    /// level of `A/B` over its plain units. Longest first, so a regular expression tries `mm` before `m`.
    static func unitSymbols(_ d: Dimension) -> [String] {
        var symbols = Set(Units.all.filter { $0.dimension == d }.map(\.symbol))
        let plain = Units.all.filter { !$0.symbol.contains("/") && $0.symbol != "%" }
        for a in plain { for b in plain where a.dimension.divided(by: b.dimension) == d { symbols.insert("\(a.symbol)/\(b.symbol)") } }
        return symbols.sorted { $0.count != $1.count ? $0.count > $1.count : $0 > $1 }
    }

    static func unitAlternatives(_ d: Dimension) -> String { unitSymbols(d).joined(separator: "|") }

    static func quantityPattern(_ d: Dimension) -> String {
        #"^\s*([-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*("# + unitAlternatives(d) + #")|[-+]?0+(\.0*)?)\s*$"#
    }

    // MARK: - metrics

    /// A metric entry: the common keys, every parameter of any metric, and for each metric an
    /// if/then that allows only its own parameters and requires the required ones.
    static func metricObject() -> JSON {
        var params: [(String, JSON)] = []
        for info in MetricCatalog.all {
            for p in info.params where !params.contains(where: { $0.0 == p.name }) {
                params.append((p.name, parameterSchema(p, prefix: "Parameter of some metrics: ")))
            }
        }
        let defs = metricParameterDefinitions()
        let rules: [JSON] = MetricCatalog.all.map { info in
            let sampled = info.name == "sampled"
            var then: [(String, JSON)] = params.map { name, _ in
                if let p = info.params.first(where: { $0.name == name }) {
                    let def = defs.first { $0.spec == p }!.name
                    return (name, .object([("$ref", .string("#/$defs/\(def)"))]))
                }
                return (name, .bool(false))
            }
            if !sampled { then += [("value", .bool(false)), ("at", .bool(false))] }
            let required = sampled ? ["value", "at"] : info.params.filter(\.required).map(\.name)
            var thenObject: [(String, JSON)] = [("properties", .object(then))]
            if !required.isEmpty { thenObject.append(("required", .array(required.map(JSON.string)))) }
            return .object([
                ("if", .object([("properties", .object([("metric", .object([("const", .string(info.name))]))])),
                                     ("required", .array([.string("metric")]))])),
                ("then", .object(thenObject)),
            ])
        }
        return object(metric, extraProperties: params, extraTail: [("allOf", .array(rules))])
    }

    /// One definition per distinct parameter, named after the first metric that has it.
    static func metricParameterDefinitions() -> [(name: String, spec: MetricParamSpec, schema: JSON)] {
        var out: [(name: String, spec: MetricParamSpec, schema: JSON)] = []
        for info in MetricCatalog.all {
            for p in info.params where !out.contains(where: { $0.spec == p }) {
                out.append(("param_\(info.name)_\(p.name)", p, parameterSchema(p, prefix: "")))
            }
        }
        return out
    }

    static func parameterSchema(_ p: MetricParamSpec, prefix: String) -> JSON {
        let text = prefix + p.summary
        func ref(_ def: String, _ description: String) -> JSON {
            .object([("$ref", .string("#/$defs/\(def)")), ("description", .string(description))])
        }
        switch p.kind {
        case .body: return ref("id", "\(text) (the id of a body)")
        case .hand: return ref("id", "\(text) (the id of a hand)")
        case .bodyOrHand: return ref("id", "\(text) (the id of a body or hand (left_hand, right_hand))")
        case .region: return ref("id", "\(text) (the id of a region)")
        case .tissue: return ref("id", "\(text) (the id of a tissue)")
        case .step: return ref("id", "\(text) (the id of a step)")
        case .variable: return ref("id", "\(text) (the id of a variable)")
        case .event: return ref("id", "\(text) (the id of an event)")
        case .error: return ref("id", "\(text) (the id of an error)")
        case .text: return ref("text", text)
        case .layer:
            return .object([("type", .string("string")), ("pattern", .string(#"^[A-Za-z][A-Za-z0-9_-]*\.[A-Za-z][A-Za-z0-9_-]*$"#)),
                            ("description", .string("\(text) (tissue.layer)"))])
        case let .quantity(d):
            if let named = unitKinds.first(where: { $0.1 == d }), definitions.contains(where: { $0.0 == named.0 }) {
                return ref(named.0, text)
            }
            let examples = Units.all.filter { $0.dimension == d }.map(\.symbol).joined(separator: ", ")
            return .object([
                ("description", .string("\(text) (\(examples))")),
                ("anyOf", .array([.object([("type", .string("string")), ("pattern", .string(quantityPattern(d)))]),
                                       .object([("type", .string("number")), ("const", .int(0))])])),
            ])
        }
    }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation in this target).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = "", rest = self[...]
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]; out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
