import PracticumCore

/// The scenario expression language: syntax tree, lexer and parser.
///
/// Conditions (`complete_when`, `when`, …) and measures (`value`) are written in a small, typed
/// language with units: `angle(cannula, forearm) in 10deg...30deg and not contact(glove, site)`.
/// Parsing is a Pratt parser over a token list; every node keeps its column offset in the source
/// text so that type errors point at the exact character.
public indirect enum Expr: Sendable, Equatable {
    case number(Double, Dimension, offset: Int)
    case bool(Bool, offset: Int)
    case string(String, offset: Int)
    /// A name: a variable, `time`, or an entity (body, region, step, …); dotted for layers (`forearm.skin`).
    case name(String, offset: Int)
    case call(String, [Expr], offset: Int)
    case unary(UnaryOp, Expr, offset: Int)
    case binary(BinaryOp, Expr, Expr, offset: Int)
    /// `value in low...high`
    case inRange(Expr, Expr, Expr, offset: Int)

    public var offset: Int {
        switch self {
        case let .number(_, _, o), let .bool(_, o), let .string(_, o), let .name(_, o), let .call(_, _, o),
             let .unary(_, _, o), let .binary(_, _, _, o), let .inRange(_, _, _, o): o
        }
    }
}

public enum UnaryOp: String, Sendable { case negate = "-", not = "not" }
public enum BinaryOp: String, Sendable {
    case add = "+", sub = "-", mul = "*", div = "/"
    case lt = "<", le = "<=", gt = ">", ge = ">=", eq = "==", ne = "!="
    case and, or
}

/// A syntax error in an expression, at a character offset from the expression's start.
public struct ExprSyntaxError: Error, Equatable, Sendable {
    public var offset: Int
    public var message: String
}

struct Token: Equatable {
    enum Kind: Equatable {
        case number(Double, Dimension)
        case ident(String)
        case string(String)
        case op(String)
        case end
    }
    var kind: Kind
    var offset: Int
}

enum Lexer {
    static let ops = ["...", "<=", ">=", "==", "!=", "&&", "||", "<", ">", "+", "-", "*", "/", "(", ")", ",", "!"]

    static func tokens(_ text: String) throws(ExprSyntaxError) -> [Token] {
        let s = Array(text.unicodeScalars)
        guard s.count <= Limits.expressionLength else {
            throw ExprSyntaxError(offset: 0, message: "expression is \(s.count) characters long; expressions have at most \(Limits.expressionLength)")
        }
        var out: [Token] = []
        var i = 0
        func isIdentStart(_ c: Unicode.Scalar) -> Bool { c == "_" || (c.properties.isAlphabetic && c.isASCII) }
        // ids may contain '-' (`novice-steep`, `step-2`): write subtraction with spaces (`a - 2`)
        func isIdent(_ c: Unicode.Scalar) -> Bool { isIdentStart(c) || ("0"..."9").contains(c) || c == "." || c == "-" }
        while i < s.count {
            let c = s[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1; continue }
            let start = i
            if ("0"..."9").contains(c) || (c == "." && i + 1 < s.count && ("0"..."9").contains(s[i + 1]) && !(i + 2 < s.count && s[i + 1] == ".")) {
                // number: digits, '.', exponent; a '...' range operator ends it
                while i < s.count, ("0"..."9").contains(s[i]) || (s[i] == "." && !(i + 1 < s.count && s[i + 1] == ".")) { i += 1 }
                if i < s.count, s[i] == "e" || s[i] == "E" {
                    var j = i + 1
                    if j < s.count, s[j] == "+" || s[j] == "-" { j += 1 }
                    if j < s.count, ("0"..."9").contains(s[j]) {
                        i = j
                        while i < s.count, ("0"..."9").contains(s[i]) { i += 1 }
                    }
                }
                guard i - start <= Limits.numberLength else {
                    throw ExprSyntaxError(offset: start, message: "number too long; numbers have at most \(Limits.numberLength) characters")
                }
                let numText = String(String.UnicodeScalarView(s[start..<i]))
                guard let v = Double(numText), v.isFinite else { throw ExprSyntaxError(offset: start, message: "'\(numText.quotedForMessage())' is not a number") }
                // a unit written right after the number: letters, '%', or '/' + letter
                var j = i
                func unitChar(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || c == "%" || c == "/" || ("0"..."9").contains(c) }
                if j < s.count, s[j].properties.isAlphabetic || s[j] == "%" || (s[j] == "/" && j + 1 < s.count && (s[j + 1].properties.isAlphabetic || s[j + 1] == "%")) {
                    while j < s.count, unitChar(s[j]) { j += 1 }
                    let unitText = String(String.UnicodeScalarView(s[i..<j]))
                    let u: UnitDef
                    switch Units.lookup(unitText) {
                    case let .success(found): u = found
                    case .failure(.unknown): throw ExprSyntaxError(offset: i, message: "unknown unit '\(unitText.quotedForMessage())'")
                    case .failure(.tooLong): throw ExprSyntaxError(offset: i, message: "unit too long; units have at most \(Limits.unitLength) characters")
                    case .failure(.exponentOutOfRange):
                        throw ExprSyntaxError(offset: i, message: "unit '\(unitText.quotedForMessage())' has a power beyond ±\(Limits.unitExponent)")
                    }
                    let si = v * u.scale
                    guard si.isFinite else { throw ExprSyntaxError(offset: start, message: "number out of range") }
                    out.append(Token(kind: .number(si, u.dimension), offset: start))
                    i = j
                } else {
                    out.append(Token(kind: .number(v, .none), offset: start))
                }
                continue
            }
            if isIdentStart(c) {
                while i < s.count, isIdent(s[i]) {
                    // a '-' inside a name only when followed by a letter (ids like `novice-steep`), never '...'
                    if s[i] == "-" && !(i + 1 < s.count && (isIdentStart(s[i + 1]) || ("0"..."9").contains(s[i + 1]))) { break }
                    if s[i] == "." && !(i + 1 < s.count && isIdentStart(s[i + 1])) { break }
                    i += 1
                }
                out.append(Token(kind: .ident(String(String.UnicodeScalarView(s[start..<i]))), offset: start))
                continue
            }
            if c == "\"" || c == "'" {
                i += 1
                while i < s.count, s[i] != c { i += 1 }
                guard i < s.count else { throw ExprSyntaxError(offset: start, message: "text in quotes is not closed") }
                out.append(Token(kind: .string(String(String.UnicodeScalarView(s[(start + 1)..<i]))), offset: start))
                i += 1
                continue
            }
            if let op = ops.first(where: { op in
                let u = Array(op.unicodeScalars)
                return i + u.count <= s.count && Array(s[i..<(i + u.count)]) == u
            }) {
                out.append(Token(kind: .op(op), offset: start))
                i += op.unicodeScalars.count
                continue
            }
            throw ExprSyntaxError(offset: start, message: "unexpected character '\(String(c).quotedForMessage())'")
        }
        out.append(Token(kind: .end, offset: s.count))
        return out
    }
}

/// Parses an expression string into an `Expr`.
public enum ExprParser {
    /// Deepest expression tree accepted: nesting of parentheses and operators, and chains such as
    /// `a + a + …` (each term adds a level), so that nothing later can recurse without bound.
    static let maxDepth = Limits.expressionDepth

    public static func parse(_ text: String) throws(ExprSyntaxError) -> Expr {
        var p = State(tokens: try Lexer.tokens(text))
        if case .end = p.peek.kind { throw ExprSyntaxError(offset: 0, message: "expected an expression, found nothing") }
        let e = try p.expression(0, depth: 0).expr
        guard case .end = p.peek.kind else {
            throw ExprSyntaxError(offset: p.peek.offset, message: "unexpected \(describe(p.peek)) after a complete expression")
        }
        return e
    }

    static func describe(_ t: Token) -> String {
        switch t.kind {
        case let .number(v, _): "number \(v)"
        case let .ident(n): "'\(n.quotedForMessage())'"
        case let .string(s): "text \"\(s.quotedForMessage())\""
        case let .op(o): "'\(o)'"
        case .end: "end of expression"
        }
    }

    /// A parsed subtree and its height (a leaf is 1).
    typealias Node = (expr: Expr, height: Int)

    struct State {
        var tokens: [Token]
        var pos = 0
        var peek: Token { tokens[pos] }
        mutating func next() -> Token { let t = tokens[pos]; if pos < tokens.count - 1 { pos += 1 }; return t }

        func binding(_ t: Token) -> (BinaryOp, Int)? {
            switch t.kind {
            case .ident("or"), .op("||"): (.or, 1)
            case .ident("and"), .op("&&"): (.and, 2)
            case .op("=="): (.eq, 4); case .op("!="): (.ne, 4)
            case .op("<"): (.lt, 4); case .op("<="): (.le, 4); case .op(">"): (.gt, 4); case .op(">="): (.ge, 4)
            case .op("+"): (.add, 5); case .op("-"): (.sub, 5)
            case .op("*"): (.mul, 6); case .op("/"): (.div, 6)
            default: nil
            }
        }

        func checked(_ height: Int, at offset: Int) throws(ExprSyntaxError) -> Int {
            guard height <= ExprParser.maxDepth else {
                throw ExprSyntaxError(offset: offset, message: "expression nested too deeply (more than \(ExprParser.maxDepth) levels); split it into named steps, events or variables")
            }
            return height
        }

        mutating func expression(_ minPrec: Int, depth: Int) throws(ExprSyntaxError) -> Node {
            _ = try checked(depth, at: peek.offset)
            var (lhs, height) = try prefix(depth: depth)
            while true {
                let t = peek
                if case .ident("in") = t.kind, minPrec <= 3 {
                    _ = next()
                    let lo = try expression(5, depth: depth + 1)
                    guard case .op("...") = peek.kind else {
                        throw ExprSyntaxError(offset: peek.offset, message: "expected '...' in a range (e.g. 10deg...30deg), found \(ExprParser.describe(peek))")
                    }
                    _ = next()
                    let hi = try expression(5, depth: depth + 1)
                    lhs = .inRange(lhs, lo.expr, hi.expr, offset: t.offset)
                    height = try checked(max(height, lo.height, hi.height) + 1, at: t.offset)
                    continue
                }
                guard let (op, prec) = binding(t), prec >= minPrec else { break }
                _ = next()
                let rhs = try expression(prec + 1, depth: depth + 1)
                lhs = .binary(op, lhs, rhs.expr, offset: t.offset)
                height = try checked(max(height, rhs.height) + 1, at: t.offset)
            }
            return (lhs, height)
        }

        mutating func prefix(depth: Int) throws(ExprSyntaxError) -> Node {
            let t = next()
            switch t.kind {
            case let .number(v, d): return (.number(v, d, offset: t.offset), 1)
            case let .string(s): return (.string(s, offset: t.offset), 1)
            case .ident("true"): return (.bool(true, offset: t.offset), 1)
            case .ident("false"): return (.bool(false, offset: t.offset), 1)
            case .ident("not"), .op("!"):
                let x = try expression(3, depth: depth + 1)
                return (.unary(.not, x.expr, offset: t.offset), try checked(x.height + 1, at: t.offset))
            case .op("-"):
                let x = try expression(7, depth: depth + 1)
                return (.unary(.negate, x.expr, offset: t.offset), try checked(x.height + 1, at: t.offset))
            case .op("("):
                let e = try expression(0, depth: depth + 1)
                guard case .op(")") = next().kind else {
                    throw ExprSyntaxError(offset: tokens[max(0, pos - 1)].offset, message: "expected ')' to close the '(' at offset \(t.offset)")
                }
                return e
            case let .ident(name):
                if case .op("(") = peek.kind {
                    _ = next()
                    var args: [Expr] = []
                    var height = 1
                    if case .op(")") = peek.kind { _ = next(); return (.call(name, args, offset: t.offset), 1) }
                    while true {
                        let a = try expression(0, depth: depth + 1)
                        args.append(a.expr)
                        height = try checked(max(height, a.height + 1), at: t.offset)
                        let sep = next()
                        if case .op(")") = sep.kind { break }
                        guard case .op(",") = sep.kind else {
                            throw ExprSyntaxError(offset: sep.offset, message: "expected ',' or ')' in the arguments of \(name.quotedForMessage())(…), found \(ExprParser.describe(sep))")
                        }
                    }
                    return (.call(name, args, offset: t.offset), height)
                }
                return (.name(name, offset: t.offset), 1)
            default:
                throw ExprSyntaxError(offset: t.offset, message: "expected a value, a name or '(', found \(ExprParser.describe(t))")
            }
        }
    }
}
