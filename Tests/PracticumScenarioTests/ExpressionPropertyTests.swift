import Testing
import PropertyBased
import PracticumCore
@testable import PracticumScenario

/// Properties of the expression language over generated trees: printing and parsing are inverse,
/// and what the printer writes the lexer reads back bit for bit.
@Suite struct ExpressionPropertyTests {
    static let keywords: Set<String> = ["and", "or", "not", "in", "true", "false"]
    static let dimensions = Array(Expr.siSymbols.keys).sorted { $0.description < $1.description }

    static func name(_ rng: inout any SeededRandomNumberGenerator) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz_"), rest = Array("abcdefghijklmnopqrstuvwxyz_0123456789")
        while true {
            var n = String(letters[Int.random(in: 0..<letters.count - 1, using: &rng)])
            for _ in 0..<Int.random(in: 0...6, using: &rng) { n.append(rest[Int.random(in: 0..<rest.count, using: &rng)]) }
            // ids with a hyphen or a layer (`novice-steep`, `forearm.skin`) are names too
            switch Int.random(in: 0..<8, using: &rng) {
            case 0: n += "-x" + String(Int.random(in: 0...9, using: &rng))
            case 1: n += ".skin"
            default: break
            }
            if !keywords.contains(n) { return n }
        }
    }

    static func number(_ rng: inout any SeededRandomNumberGenerator) -> Double {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return [0, 0.5, 1, 2.5, 1e-7, 123.456, 1e20, 0.1].randomElement(using: &rng)!
        case 1: return Double(Int.random(in: 0...10_000, using: &rng))
        case 2: return Double.random(in: 0..<1, using: &rng)
        default: return Double.random(in: 0...1e6, using: &rng)
        }
    }

    /// A random tree of at most `depth` levels, shaped as the parser builds them (offsets 0).
    static func tree(_ depth: Int, _ rng: inout any SeededRandomNumberGenerator) -> Expr {
        let leaf = depth <= 1 || Int.random(in: 0..<3, using: &rng) == 0
        if leaf {
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: return .number(number(&rng), dimensions.randomElement(using: &rng)!, offset: 0)
            case 1: return .bool(Bool.random(using: &rng), offset: 0)
            case 2: return .string(["", "left", "a b", "it's"].randomElement(using: &rng)!, offset: 0)
            case 3: return .call(name(&rng), [], offset: 0)
            default: return .name(name(&rng), offset: 0)
            }
        }
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: return .unary(Bool.random(using: &rng) ? .negate : .not, tree(depth - 1, &rng), offset: 0)
        case 1: return .call(name(&rng), (0..<Int.random(in: 1...3, using: &rng)).map { _ in tree(depth - 1, &rng) }, offset: 0)
        case 2: return .inRange(tree(depth - 1, &rng), tree(depth - 1, &rng), tree(depth - 1, &rng), offset: 0)
        default:
            let ops: [BinaryOp] = [.add, .sub, .mul, .div, .lt, .le, .gt, .ge, .eq, .ne, .and, .or]
            return .binary(ops.randomElement(using: &rng)!, tree(depth - 1, &rng), tree(depth - 1, &rng), offset: 0)
        }
    }

    static let trees = Generator<Expr, Shrink.None<Expr>>(run: { rng in tree(6, &rng) })

    /// The tree with every offset 0, to compare shapes.
    static func shape(_ e: Expr) -> Expr {
        switch e {
        case let .number(v, d, _): .number(v, d, offset: 0)
        case let .bool(b, _): .bool(b, offset: 0)
        case let .string(s, _): .string(s, offset: 0)
        case let .name(n, _): .name(n, offset: 0)
        case let .call(f, a, _): .call(f, a.map(shape), offset: 0)
        case let .unary(op, x, _): .unary(op, shape(x), offset: 0)
        case let .binary(op, a, b, _): .binary(op, shape(a), shape(b), offset: 0)
        case let .inRange(x, lo, hi, _): .inRange(shape(x), shape(lo), shape(hi), offset: 0)
        }
    }

    @Test func parsingWhatThePrinterWroteGivesTheSameTree() async {
        await propertyCheck(count: 500, input: Self.trees) { e in
            let text = e.description
            do {
                let back = try ExprParser.parse(text)
                #expect(Self.shape(back) == e, "\(text)")
                // and printing is stable
                #expect(back.description == text)
            } catch {
                Issue.record("\(text): \(error)")
            }
        }
    }

    @Test func sourceTextRoundTripsThroughTheTree() async {
        // print ∘ parse is the identity on printed text, for the expressions the shipped files use
        let samples = ["angle(cannula, forearm) in 10deg...30deg and not contact(glove, site)",
                       "distance(probe, target) < 2mm or time > 5s", "-(a + 2) * b / 3.5N >= 1kPa",
                       "inside(tip, vein.lumen) and speed(needle) < 5mm/s"]
        for s in samples {
            let e = try? ExprParser.parse(s)
            let once = e?.description ?? ""
            #expect((try? ExprParser.parse(once)).map { Self.shape($0) } == e.map { Self.shape($0) }, "\(s) → \(once)")
        }
    }

    @Test func numbersWithAUnitReadAsOneCorrectlyRoundedProduct() async {
        let units = Generator<UnitDef, Shrink.None<UnitDef>>(run: { rng in Units.all.randomElement(using: &rng)! })
        let values = Gen.double(in: 0...1e9)
        await propertyCheck(count: 500, input: values, units) { v, u in
            let text = "\(v)\(u.symbol)"
            guard case let .success(q) = Quantity.parse(text) else { Issue.record("\(text) does not parse"); return }
            #expect(q.value.bitPattern == (v * u.scale).bitPattern && q.dimension == u.dimension, "\(text)")
            // the expression lexer reads the same literal to the same number
            if case let .number(x, d, _)? = try? ExprParser.parse(text) {
                #expect(x.bitPattern == q.value.bitPattern && d == q.dimension, "\(text) in an expression")
            } else {
                Issue.record("\(text) is not one number in an expression")
            }
        }
    }
}

/// Properties of the unit table and dimension algebra.
@Suite struct UnitPropertyTests {
    static let units = Generator<UnitDef, Shrink.None<UnitDef>>(run: { rng in Units.all.randomElement(using: &rng)! })

    @Test func siUnitsConvertExactly() async {
        await propertyCheck(count: 300, input: Gen.double(in: -1e12...1e12)) { v in
            for symbol in ["m", "kg", "s", "rad", "N", "Pa", "Hz", "m/s", "N/m", "kg/m3"] {
                #expect((try? Quantity.parse("\(v)\(symbol)").get())?.value.bitPattern == v.bitPattern, "\(v)\(symbol)")
            }
        }
    }

    @Test func aCompoundIsTheQuotientOfItsParts() async {
        await propertyCheck(count: 300, input: Self.units, Self.units) { a, b in
            guard !a.symbol.hasPrefix("/"), !b.symbol.hasPrefix("/"), !b.symbol.contains("/") else { return }
            let symbol = a.symbol + "/" + b.symbol
            guard case let .success(u) = Units.lookup(symbol) else {
                // refused only when the powers would pass the limit
                #expect(a.dimension.divided(by: b.dimension) == nil, "\(symbol) refused")
                return
            }
            #expect(u.dimension == a.dimension / b.dimension, "\(symbol)")
            // a table entry (`mmHg/min`) may be the correctly rounded ratio; a formed one is exactly a ÷ b
            let ratio = a.scale / b.scale
            #expect(u.scale == ratio || abs(u.scale - ratio) <= ratio.ulp, "\(symbol): \(u.scale) vs \(ratio)")
        }
    }

    @Test func aCompoundWhoseHeadIsItselfACompound() throws {
        // found by `aCompoundIsTheQuotientOfItsParts`: the head `m` was taken, leaving `s2` unknown
        let u = try Units.lookup("m/s2/um").get()
        #expect(u.dimension == Dimension(s: -2) && u.scale == 1 / 1e-6)
    }

    @Test func dimensionsFormAGroupWithinTheirLimits() async {
        let exps = Gen.int(in: -6...6)
        await propertyCheck(count: 300, input: exps, exps, exps, exps) { m, kg, s, rad in
            let d = Dimension(m: Int8(m), kg: Int8(kg), s: Int8(s), rad: Int8(rad))
            #expect(d * .none == d && d / .none == d && d / d == .none)
            #expect((d * .force) / .force == d)
            // a product is refused exactly when a power passes ±8
            let fits = [m, kg, s, rad].allSatisfy { abs(2 * $0) <= Limits.unitExponent }
            #expect((d.multiplied(by: d) != nil) == fits, "\(d)²")
        }
    }
}
