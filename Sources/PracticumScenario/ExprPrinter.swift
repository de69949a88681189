import PracticumCore

extension Expr: CustomStringConvertible {
    /// The expression as source text that parses back to the same tree (offsets aside): every
    /// operand that is not a single value or call is parenthesised, numbers are written in SI with
    /// the SI symbol of their dimension, and text is quoted. The property tests check
    /// `parse(e.description) == e` for trees the parser produces whose numbers have an SI symbol
    /// (every dimension in `siSymbols`); a rarer compound such as m·s⁻⁸ is written `2[m·s^-8]`,
    /// readable but not parseable.
    public var description: String {
        switch self {
        case let .number(v, d, _): Self.number(v, d)
        case let .bool(b, _): b ? "true" : "false"
        case let .string(s, _): s.contains("\"") ? "'\(s)'" : "\"\(s)\""
        case let .name(n, _): n
        case let .call(f, args, _): "\(f)(\(args.map(\.description).joined(separator: ", ")))"
        case let .unary(.negate, x, _): "-\(x.operand)"
        case let .unary(.not, x, _): "not \(x.operand)"
        case let .binary(op, a, b, _): "\(a.operand) \(op.rawValue) \(b.operand)"
        case let .inRange(x, lo, hi, _): "\(x.operand) in \(lo.operand)...\(hi.operand)"
        }
    }

    /// This expression as an operand of another: in parentheses unless it is a single value.
    var operand: String {
        switch self {
        case .number, .bool, .string, .name, .call: description
        case .unary, .binary, .inRange: "(\(description))"
        }
    }

    /// SI symbols the lexer reads back with scale 1, by dimension.
    static let siSymbols: [Dimension: String] = [
        .none: "", .length: "m", .mass: "kg", .time: "s", .angle: "rad", .rate: "Hz", .velocity: "m/s",
        .acceleration: "m/s2", .angularVelocity: "rad/s", .force: "N", .pressure: "Pa", .stiffness: "N/m",
        .damping: "Ns/m", .density: "kg/m3",
    ]

    /// `v` in SI with its symbol.
    static func number(_ v: Double, _ d: Dimension) -> String {
        // a negative literal is `-x` in the tree, so a printed number is never signed
        let digits = "\(v.magnitude)"
        if let symbol = siSymbols[d] { return v.sign == .minus ? "-\(digits)\(symbol)" : digits + symbol }
        return "\(digits)[\(d)]"
    }
}
