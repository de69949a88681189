import PracticumCore
import PracticumScoring

/// Typed access to the YAML tree with diagnostics: the authored view of a scenario.
///
/// Every accessor reports what was expected at the node's exact position and returns nil on a
/// problem, so loading continues and all errors in a file are found in one pass.
struct Reader {
    var bag: DiagnosticBag

    mutating func error(_ msg: String, _ loc: SourceLocation, _ path: String) { bag.error(msg, at: loc, path: path) }
    mutating func warning(_ msg: String, _ loc: SourceLocation, _ path: String) { bag.warning(msg, at: loc, path: path) }

    /// "; did you mean 'x'?" for a misspelt word, or "" — also once the file has more errors than
    /// are shown, so that thousands of unknown names cannot make loading quadratic.
    func didYouMean(_ word: String, _ candidates: @autoclosure () -> [String]) -> String {
        bag.isFull ? "" : PracticumScenario.didYouMean(word, candidates())
    }

    /// Checks that `node` is a mapping with only the catalog entry's keys and all its required ones.
    mutating func mapping(_ node: YNode?, _ path: String, _ entry: SchemaObject) -> YMapping? {
        mapping(node, path, allowed: entry.keyNames, required: entry.required)
    }

    /// Checks that `node` is a mapping with only `allowed` keys and all `required` ones.
    mutating func mapping(_ node: YNode?, _ path: String, allowed: [String], required: [String] = []) -> YMapping? {
        guard let node else { return nil }
        guard case let .mapping(m) = node else {
            if case let .scalar(s) = node, s.isNull, required.isEmpty { return YMapping(entries: [], location: s.location) }
            error("expected a mapping with keys such as \(allowed.prefix(4).map { "'\($0)'" }.joined(separator: ", ")), found \(node.kindName)", node.location, path)
            return nil
        }
        for e in m.entries where !allowed.contains(e.key) {
            error("unknown key '\(e.key.quotedForMessage())'\(didYouMean(e.key, allowed))", e.keyLocation, path.isEmpty ? e.key : "\(path).\(e.key)")
        }
        for r in required where m[r] == nil {
            error("missing required key '\(r.quotedForMessage())'", m.location, path)
        }
        checkFlowValues(m, path)
        return m
    }

    /// In a `{ … }` mapping an unquoted comma ends the value: `{when: inside(a, r)}` reads as
    /// `when: "inside(a"` and a key `r)`. A value left with an open parenthesis is such a cut.
    mutating func checkFlowValues(_ m: YMapping, _ path: String) {
        guard m.flow else { return }
        for (i, e) in m.entries.enumerated() {
            guard case let .scalar(s) = e.value, !s.quoted, i + 1 < m.entries.count else { continue }
            let open = s.text.unicodeScalars.filter { $0 == "(" }.count, close = s.text.unicodeScalars.filter { $0 == ")" }.count
            guard open > close else { continue }
            let p = path.isEmpty ? e.key : "\(path).\(e.key)"
            warning("'\(clip(s.text))' looks like an expression cut at a comma: in a { } mapping an unquoted comma ends the value; quote it ('\(clip(s.text)), …')", s.location, p)
        }
    }

    mutating func list(_ node: YNode?, _ path: String) -> [YNode] {
        guard let node else { return [] }
        switch node {
        case let .sequence(items, _): return items
        case let .scalar(s) where s.isNull: return []
        default:
            error("expected a list (lines starting with '- '), found \(node.kindName)", node.location, path)
            return []
        }
    }

    mutating func scalar(_ node: YNode?, _ path: String, what: String) -> YScalar? {
        guard let node else { return nil }
        guard case let .scalar(s) = node else {
            error("expected \(what), found \(node.kindName)", node.location, path)
            return nil
        }
        return s
    }

    mutating func text(_ node: YNode?, _ path: String) -> String? {
        guard let s = scalar(node, path, what: "text") else { return nil }
        guard !s.isNull else { return "" }
        // folded and literal blocks end with a newline that no reader of the text wants
        var t = s.text
        while t.hasSuffix("\n") { t.removeLast() }
        return t
    }

    /// A list of text items, or a single text item.
    mutating func texts(_ node: YNode?, _ path: String) -> [String] {
        guard let node else { return [] }
        if case .scalar = node { return text(node, path).map { $0.isEmpty ? [] : [$0] } ?? [] }
        return list(node, path).enumerated().compactMap { text($0.element, "\(path)[\($0.offset)]") }
    }

    static let idPattern = "letters, digits, '_' and '-', starting with a letter"

    mutating func identifier(_ node: YNode?, _ path: String) -> String? {
        guard let s = scalar(node, path, what: "an id (\(Reader.idPattern))") else { return nil }
        let ok = s.text.first.map { $0.isLetter && $0.isASCII } == true &&
            s.text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }
        guard ok, s.text.count <= 64 else {
            error("'\(s.text.quotedForMessage())' is not a valid id; use \(Reader.idPattern), at most 64 characters", s.location, path)
            return nil
        }
        return s.text
    }

    mutating func bool(_ node: YNode?, _ path: String) -> Bool? {
        guard let s = scalar(node, path, what: "true or false") else { return nil }
        switch s.text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            error("expected true or false, found '\(s.text.quotedForMessage())'", s.location, path)
            return nil
        }
    }

    mutating func number(_ node: YNode?, _ path: String, min: Double? = nil, max: Double? = nil) -> Double? {
        quantity(node, path, .none, min: min, max: max)
    }

    mutating func integer(_ node: YNode?, _ path: String, min: Int = 0, max: Int = 1_000_000) -> Int? {
        guard let s = scalar(node, path, what: "a whole number") else { return nil }
        guard let v = Int(s.text), v >= min, v <= max else {
            error("expected a whole number from \(min) to \(max), found '\(s.text.quotedForMessage())'", s.location, path)
            return nil
        }
        return v
    }

    /// A number with a unit of dimension `dim`, converted to SI. A bare number is taken in `defaultUnit`
    /// when given (e.g. degrees for rotations), otherwise it must be dimensionless.
    mutating func quantity(_ node: YNode?, _ path: String, _ dim: Dimension, defaultUnit: UnitDef? = nil,
                           min: Double? = nil, max: Double? = nil) -> Double? {
        guard let s = scalar(node, path, what: dim.spoken) else { return nil }
        let q: Quantity
        switch Quantity.parse(s.text) {
        case let .success(v): q = v
        case .failure(.notANumber):
            error("expected \(describe(dim)), found '\(clip(s.text))'", s.location, path); return nil
        case let .failure(.unknownUnit(u)):
            let cands = Units.all.filter { $0.dimension == dim }.map(\.symbol)
            error("unknown unit '\(clip(u))'\(didYouMean(u, cands.isEmpty ? Units.all.map(\.symbol) : cands))", s.location, path); return nil
        case .failure(.notFinite):
            error("number out of range: '\(clip(s.text))'", s.location, path); return nil
        case .failure(.tooLong):
            error("number too long: '\(clip(s.text))'; numbers have at most \(Limits.numberLength) characters", s.location, path); return nil
        }
        var value = q.value
        if let du = defaultUnit, Double(s.text.trimmingSpaces) != nil {
            value *= du.scale
        } else if q.dimension == .none, q.value == 0 {
            value = 0 // a bare 0 means zero in any unit
        } else if q.dimension != dim {
            if q.dimension == .none && dim != .none {
                error("'\(clip(s.text))' needs a unit: expected \(describe(dim))", s.location, path)
            } else {
                error("expected \(describe(dim)), found \(q.dimension.spoken) ('\(clip(s.text))')", s.location, path)
            }
            return nil
        }
        if let min, value < min {
            error("'\(clip(s.text))' is below the smallest allowed value (\(fmt(min, dim)))", s.location, path); return nil
        }
        if let max, value > max {
            error("'\(clip(s.text))' is above the largest allowed value (\(fmt(max, dim)))", s.location, path); return nil
        }
        return value
    }

    /// `[x, y, z]` with each component a quantity of `dim`.
    mutating func vector(_ node: YNode?, _ path: String, _ dim: Dimension, defaultUnit: UnitDef? = nil) -> Vec3? {
        guard let node else { return nil }
        guard case let .sequence(items, loc) = node, items.count == 3 else {
            error("expected a list of three values [x, y, z] (\(describe(dim)) each), found \(node.kindName)", node.location, path)
            return nil
        }
        _ = loc
        var v = Vec3.zero
        var ok = true
        for i in 0..<3 {
            if let c = quantity(items[i], "\(path)[\(i)]", dim, defaultUnit: defaultUnit) { v[i] = c } else { ok = false }
        }
        return ok ? v : nil
    }

    /// `#rrggbb` or `#rrggbbaa` to RGBA 0…1.
    mutating func color(_ node: YNode?, _ path: String) -> [Double]? {
        guard let s = scalar(node, path, what: "a colour like \"#cc8866\"") else { return nil }
        var hex = s.text
        if hex.hasPrefix("#") { hex.removeFirst() }
        guard hex.count == 6 || hex.count == 8, let v = UInt32(hex, radix: 16) else {
            error("expected a colour like \"#cc8866\" (quote it: '#' starts a comment), found '\(clip(s.text))'", s.location, path)
            return nil
        }
        let full = hex.count == 6 ? (v << 8) | 0xff : v
        return [24, 16, 8, 0].map { Double((full >> $0) & 0xff) / 255 }
    }

    func describe(_ d: Dimension) -> String {
        if d == .none { return "a number" }
        let examples = Units.all.filter { $0.dimension == d }.prefix(3).map { "2\($0.symbol)" }
        return examples.isEmpty ? d.spoken : "\(d.spoken) such as \(examples.joined(separator: " or "))"
    }

    /// A bound in a unit an instructor writes: the largest of the table's units in which it is
    /// at least 0.1 (`0.1 mm`, `1 h`), angles in degrees and rates in hertz; never an SI
    /// dimension string, never an exponent.
    func fmt(_ v: Double, _ d: Dimension) -> String {
        if d == .none { return Format.number(v) }
        let preferred = d == .rate ? "Hz" : d == .angle ? "deg" : nil
        var units = Units.all.filter { $0.dimension == d && (preferred == nil || $0.symbol == preferred) }
        // a compound unit only where the kind has no plain one (N/m, Ns/m)
        if units.contains(where: { !$0.symbol.contains("/") }) { units.removeAll { $0.symbol.contains("/") } }
        guard let smallest = units.min(by: { $0.scale < $1.scale }) else { return Format.number(v) }
        let si = units.first { $0.scale == 1 } ?? smallest
        let unit = v == 0 ? si : units.filter { abs(v) / $0.scale >= 0.1 }.max(by: { $0.scale < $1.scale }) ?? smallest
        return "\(Format.number(v / unit.scale)) \(unit.symbol)"
    }

    /// Input quoted safely for a message: control characters escaped, long values cut.
    func clip(_ s: String) -> String { s.quotedForMessage() }
}
