import PracticumCore

/// Deterministic number formatting for reports, summaries and the debrief (no locale, no printf).
package enum Format {
    /// `v` rounded to `significant` significant digits (at most `maxDecimals` decimals), without
    /// exponent, trailing zeros trimmed, −0 shown as 0, non-finite shown as 0.
    package static func number(_ v: Double, significant: Int = 4, maxDecimals: Int = 6) -> String {
        guard v.isFinite, v != 0 else { return "0" }
        var magnitude = 0
        var a = abs(v)
        while a >= 10 { a /= 10; magnitude += 1 }
        while a < 1 { a *= 10; magnitude -= 1 }
        let decimals = min(maxDecimals, max(0, significant - 1 - magnitude))
        return fixed(v, decimals: decimals)
    }

    /// `v` with exactly up to `decimals` decimals (trailing zeros trimmed).
    static func fixed(_ v: Double, decimals: Int) -> String {
        guard v.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(v) * scale).rounded()
        guard scaled < 9e15 else { return String(describing: v) }
        let n = Int64(scaled)
        if n == 0 { return "0" }
        var digits = String(n)
        if decimals > 0 {
            if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
            while digits.hasSuffix("0") { digits.removeLast() }
            if digits.hasSuffix(".") { digits.removeLast() }
        }
        return (v < 0 ? "-" : "") + digits
    }

    /// The unit a person reads for a dimension, and the factor from SI to it.
    static func displayUnit(_ d: Dimension) -> (symbol: String, scale: Double) {
        switch d {
        case .length: ("cm", 100)
        case .time: ("s", 1)
        case .rate: ("/min", 60)
        case .angle: ("deg", 180 / Double.pi)
        case .force: ("N", 1)
        case .velocity: ("cm/s", 100)
        case .pressure: ("mmHg", 1 / 133.322387415)
        case .none: ("", 1)
        default: (Units.displaySymbol(for: d), 1)
        }
    }

    /// A value in its display unit, e.g. `5.5 cm`.
    static func quantity(_ v: Double, _ d: Dimension) -> String {
        let u = displayUnit(d)
        return u.symbol.isEmpty ? number(v * u.scale) : "\(number(v * u.scale)) \(u.symbol)"
    }

    /// A value stored with its SI unit symbol (`Units.displaySymbol`), in its display unit: `1.417`, `Hz` → `85 /min`.
    package static func quantity(_ v: Double, unitSymbol: String) -> String { quantity(v, Units.dimension(forDisplaySymbol: unitSymbol)) }

    static func target(_ t: Target, _ d: Dimension) -> String {
        let u = displayUnit(d)
        let suffix = u.symbol.isEmpty ? "" : " \(u.symbol)"
        switch t {
        case let .range(lo, hi): return "\(number(lo * u.scale))–\(number(hi * u.scale))\(suffix)"
        case let .atMost(hi): return "≤ \(number(hi * u.scale))\(suffix)"
        case let .atLeast(lo): return "≥ \(number(lo * u.scale))\(suffix)"
        }
    }

    /// Seconds as `m:ss.s` for run times over a minute, else `s.ss s`.
    static func time(_ t: Double) -> String {
        guard t.isFinite else { return "0 s" }
        if t < 60 { return "\(fixed(t, decimals: 2)) s" }
        let tenths = Int((t * 10).rounded())
        let m = tenths / 600, rest = tenths % 600
        return "\(m):\(rest < 100 ? "0" : "")\(rest / 10).\(rest % 10)"
    }
}

extension RubricMetric {
    /// The dimension of this metric's value (the rubric's, else the catalog's).
    var valueDimension: Dimension { dimension ?? MetricCatalog.info(metric.kind)?.dimension ?? .none }
}
