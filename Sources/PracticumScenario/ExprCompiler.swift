import PracticumCore

/// The kinds of thing a name in an expression can refer to.
public enum EntityKind: String, Sendable, CaseIterable {
    case body, hand, region, tissue, layer, step, event, error, joint
}

/// The type of an expression: a truth value, a number of some dimension, an entity or text.
public enum ValueType: Sendable, Equatable, CustomStringConvertible {
    case bool
    case number(Dimension)
    case entity(EntityKind)
    case text

    public var description: String {
        switch self {
        case .bool: "a condition (true/false)"
        case let .number(d): d.spoken
        case let .entity(k): withArticle(k.rawValue)
        case .text: "text"
        }
    }
}

/// A resolved reference to something in the scenario.
public enum EntityRef: Sendable, Equatable {
    case body(Int), hand(Int), region(Int), tissue(Int), layer(tissue: Int, layer: Int), step(Int), event(Int), error(Int)
    /// A joint of `scene.joints`, by its index there.
    case joint(Int)
}

/// A type-checked expression ready to evaluate; numbers in SI, booleans as 0/1.
public struct CompiledExpr: Sendable {
    public var code: CExpr
    public var type: ValueType
    /// The source text, for messages and the step graph.
    public var source: String
}

public indirect enum CExpr: Sendable {
    case const(Double)
    case time
    case variable(Int)
    case unary(UnaryOp, CExpr)
    case binary(BinaryOp, CExpr, CExpr)
    case inRange(CExpr, CExpr, CExpr)
    case call(Builtin, [CArg], slot: Int)
}

extension CExpr {
    /// The first query in the expression (depth first, left to right) that reads `ref`, if any.
    func firstQuery(of ref: EntityRef) -> Builtin? {
        switch self {
        case .const, .time, .variable: return nil
        case let .unary(_, x): return x.firstQuery(of: ref)
        case let .binary(_, x, y): return x.firstQuery(of: ref) ?? y.firstQuery(of: ref)
        case let .inRange(x, y, z): return x.firstQuery(of: ref) ?? y.firstQuery(of: ref) ?? z.firstQuery(of: ref)
        case let .call(b, args, _):
            for a in args {
                switch a {
                case let .entity(r) where r == ref: return b
                case let .expr(x): if let q = x.firstQuery(of: ref) { return q }
                default: break
                }
            }
            return nil
        }
    }
}

public enum CArg: Sendable {
    case expr(CExpr)
    case entity(EntityRef)
    case text(String)
}

/// Built-in queries over the simulation's observations and the procedure's state.
public enum Builtin: String, Sendable, CaseIterable {
    case inside, contact, contactForce = "contact_force", grasped, graspedBy = "grasped_by"
    case distance, height, x, y, z, speed, displacement
    case angle, axisAngle = "axis_angle", tiltX = "tilt_x", tiltZ = "tilt_z"
    case depth, layerDepth = "layer_depth", inLayer = "in_layer", punctured, punctures, punctureAngle = "puncture_angle"
    case attempts, tissueForce = "tissue_force", button, grip, trigger
    case completed, failed, active, skipped, started, fired, occurred, count, since, stepTime = "step_time"
    case held, abs, min, max, clamp, sqrt
    case sin, cos, tan, asin, acos, atan2
    case prev, rate, peak
    case couplingForce = "coupling_force", needleForce = "needle_force", lateralForce = "lateral_force"
    case jointPosition = "joint_position"

    /// `value`: a number of any kind or a condition (`prev` keeps what it is given).
    enum Param { case entities([EntityKind]), number, bool, text, value }

    /// Builtins that read the value their argument had at the end of the previous tick: each use
    /// gets a history slot the runner fills once per tick (`Scenario.history`).
    var readsHistory: Bool { self == .prev || self == .rate || self == .peak }

    /// Parameters, result type and a one-line description (the reference doc lists these).
    var signature: (params: [Param], result: ValueType, summary: String) {
        let located: [EntityKind] = [.body, .hand, .region]
        switch self {
        case .inside: return ([.entities([.body, .hand]), .entities([.region])], .bool, "the body (or hand) is inside the region")
        case .contact: return ([.entities([.body]), .entities([.body])], .bool, "the two bodies touch")
        case .contactForce: return ([.entities([.body]), .entities([.body])], .number(.force), "normal force between two bodies (N), 0 when apart")
        case .grasped: return ([.entities([.body])], .bool, "a hand holds the body")
        case .graspedBy: return ([.entities([.body]), .entities([.hand])], .bool, "that hand holds the body")
        case .distance: return ([.entities(located), .entities(located)], .number(.length), "distance between reference points (a body's tip, a region's centre, a hand)")
        case .height, .y: return ([.entities(located)], .number(.length), "world y (up) of the reference point")
        case .x: return ([.entities(located)], .number(.length), "world x of the reference point")
        case .z: return ([.entities(located)], .number(.length), "world z of the reference point")
        case .speed: return ([.entities([.body, .hand])], .number(.velocity), "linear speed")
        case .displacement: return ([.entities([.body])], .number(.length), "distance of the body from its initial position")
        case .angle: return ([.entities([.body]), .entities([.tissue])], .number(.angle), "angle between the body's axis and the tissue surface (90deg = perpendicular)")
        case .axisAngle: return ([.entities([.body]), .entities([.body])], .number(.angle), "angle between two bodies' axes")
        case .tiltX: return ([.entities([.body]), .entities([.body])], .number(.angle), "signed tilt of the first body's axis towards the second body's +x, from pointing straight down its −y")
        case .tiltZ: return ([.entities([.body]), .entities([.body])], .number(.angle), "signed tilt of the first body's axis towards the second body's +z, from pointing straight down its −y")
        case .depth: return ([.entities([.body]), .entities([.tissue])], .number(.length), "depth of a needle's tip below the tissue surface")
        case .layerDepth: return ([.entities([.body]), .entities([.layer])], .number(.length), "length of the needle tip inside a layer")
        case .inLayer: return ([.entities([.body]), .entities([.layer])], .bool, "the needle tip is in the layer now (a lumen: flashback)")
        case .punctured: return ([.entities([.body]), .entities([.layer])], .bool, "the needle has punctured the layer during the run")
        case .punctures: return ([.entities([.body]), .entities([.layer])], .number(.none), "times the needle punctured the layer")
        case .punctureAngle: return ([.entities([.body]), .entities([.layer])], .number(.angle), "entry angle at the latest puncture of the layer (0 if none)")
        case .attempts: return ([.entities([.body])], .number(.none), "insertion attempts of a needle")
        case .tissueForce: return ([.entities([.tissue])], .number(.force), "force applied to the tissue now")
        case .button: return ([.text], .bool, "the named input button is held")
        case .grip: return ([.entities([.hand])], .number(.none), "how far the hand's grip is closed, 0 (open) to 1 (closed)")
        case .trigger: return ([.entities([.hand])], .number(.none), "how far the hand's trigger is pressed, 0 to 1 (e.g. a syringe plunger)")
        case .completed: return ([.entities([.step])], .bool, "the step is completed")
        case .failed: return ([.entities([.step])], .bool, "the step has failed")
        case .active: return ([.entities([.step])], .bool, "the step is the one being worked on")
        case .skipped: return ([.entities([.step])], .bool, "the step was skipped or not taken")
        case .started: return ([.entities([.step])], .bool, "the step has become active at some point")
        case .fired: return ([.entities([.event])], .bool, "the event has fired")
        case .occurred: return ([.entities([.error])], .bool, "the rubric error has occurred")
        case .count: return ([.entities([.event, .error])], .number(.none), "times the event fired or the error occurred")
        case .since: return ([.entities([.step, .event])], .number(.time), "time since the step completed or the event last fired (very large if never)")
        case .stepTime: return ([.entities([.step])], .number(.time), "time the step has been (or was) active")
        case .held: return ([.bool, .number], .bool, "the condition has held continuously for at least the duration")
        case .peak: return ([.number, .number], .number(.none), "largest value of x over the last window (a fixed time, up to 60 s), now included")
        case .couplingForce: return ([.entities([.hand])], .number(.force), "force of the coupling that pulls the held instrument to the hand (N): how hard the trainee pushes or pulls")
        case .needleForce: return ([.entities([.body])], .number(.force), "axial force of the tissue on the needle (N), 0 outside tissue")
        case .lateralForce: return ([.entities([.body])], .number(.force), "sideways force holding the needle to its track (N): levering it")
        case .jointPosition: return ([.entities([.joint])], .number(.none), "how far a joint has moved from its initial pose: a hinge's angle, a slide's extension (a fixed joint does not move)")
        case .abs: return ([.number], .number(.none), "absolute value (keeps the unit)")
        case .min: return ([.number, .number], .number(.none), "smaller of two values of the same unit")
        case .max: return ([.number, .number], .number(.none), "larger of two values of the same unit")
        case .clamp: return ([.number, .number, .number], .number(.none), "the value kept within low and high (all of one unit)")
        case .sqrt: return ([.number], .number(.none), "square root (an area gives a length; 0 for a negative value)")
        case .sin: return ([.number], .number(.none), "sine of an angle")
        case .cos: return ([.number], .number(.none), "cosine of an angle")
        case .tan: return ([.number], .number(.none), "tangent of an angle")
        case .asin: return ([.number], .number(.angle), "angle whose sine is the plain number (clamped to -1…1)")
        case .acos: return ([.number], .number(.angle), "angle whose cosine is the plain number (clamped to -1…1)")
        case .atan2: return ([.number, .number], .number(.angle), "angle of the point (x, y) from the x axis, atan2(y, x), -180deg…180deg")
        case .prev: return ([.value], .number(.none), "the value (or condition) at the end of the previous tick")
        case .rate: return ([.number], .number(.none), "change per second since the previous tick")
        }
    }
}

/// What names mean in a scenario, for resolving and type-checking expressions.
public struct SymbolTable: Sendable {
    public var entities: [String: (EntityKind, EntityRef)] = [:]
    /// Variables: index and dimension.
    public var variables: [String: (Int, Dimension)] = [:]
    /// Groups (`groups:`): a name standing for any of its members in a yes/no query.
    public var groups: [String: [String]] = [:]
    /// Kinds of the scene's joints, by index (`joint_position` is an angle for a hinge, a length for a slide).
    public var jointKinds: [Joint.Kind] = []
    public init() {}

    /// All names, for "did you mean" suggestions (in any order: `suggestion` breaks ties by name).
    var allNames: [String] { Array(entities.keys) + Array(variables.keys) + ["time"] }
}

/// A type error at a character offset of the expression text.
struct ExprTypeError: Error { var offset: Int; var message: String }

/// Resolves names and checks types and units of a parsed expression.
struct ExprCompiler {
    let symbols: SymbolTable
    /// Next free state slot (for stateful builtins such as `held`).
    var slotCount: Int
    /// The arguments of `prev` and `rate`, by history slot: the runner records each one's value at
    /// the end of every tick, whether or not the expression that uses it was evaluated then.
    var history: [CExpr] = []
    /// For the history slots of `peak`: the window (s).
    var peakWindows: [Int: Double] = [:]
    /// Regions some `inside(hand, region)` names: counted as reachable (an empty hand is stopped only by static and kinematic bodies, so it reaches any region not buried deeper than `physics.hand_radius` inside one; not checked).
    var regionsQueriedByHand: Set<Int> = []
    /// False once the file has more errors than are shown: "did you mean" is skipped then, so
    /// thousands of unknown names cannot make loading quadratic.
    var suggest = true
    /// Names of the buttons queried with `button("…")` so far, for the viewer's key assignment.
    var buttons: Set<String> = []
    /// Named conditions and values (`conditions:`) whose definitions compiled: each use compiles the
    /// definition again, as if it were written there (so `held` in one keeps its own state per use).
    var named: [String: Expr] = [:]
    /// Length (characters) and height of each named definition with its own names written out.
    var namedSize: [String: (length: Int, height: Int)] = [:]
    /// Named conditions whose definitions have an error (already reported there).
    var namedFailed: Set<String> = []

    /// Extra characters and tree height of `e` once its named conditions are written out.
    func expandedSize(_ e: Expr) -> (extra: Int, height: Int) {
        func add(_ a: Int, _ b: Int) -> Int { Swift.min(a &+ b, Int.max / 4) }
        switch e {
        case let .name(n, _):
            if let s = namedSize[n] { return (s.length - n.count, s.height) }
            return (0, 1)
        case .number, .bool, .string: return (0, 1)
        case let .unary(_, x, _): let a = expandedSize(x); return (a.extra, a.height + 1)
        case let .binary(_, x, y, _):
            let a = expandedSize(x), b = expandedSize(y)
            return (add(a.extra, b.extra), Swift.max(a.height, b.height) + 1)
        case let .inRange(x, y, z, _):
            let a = expandedSize(x), b = expandedSize(y), c = expandedSize(z)
            return (add(add(a.extra, b.extra), c.extra), Swift.max(a.height, b.height, c.height) + 1)
        case let .call(_, args, _):
            var out = (extra: 0, height: 1)
            for a in args { let s = expandedSize(a); out = (add(out.extra, s.extra), Swift.max(out.height, s.height + 1)) }
            return out
        }
    }

    private func didYouMean(_ word: String, _ candidates: @autoclosure () -> [String]) -> String {
        suggest ? PracticumScenario.didYouMean(word, candidates()) : ""
    }

    mutating func compile(_ e: Expr) throws(ExprTypeError) -> (CExpr, ValueType) {
        switch e {
        case let .number(v, d, _): return (.const(v), .number(d))
        case let .bool(b, _): return (.const(b ? 1 : 0), .bool)
        case let .string(_, o): throw ExprTypeError(offset: o, message: "text in quotes is only allowed as the argument of button(…)")
        case let .name(n, o):
            if n == "time" { return (.time, .number(.time)) }
            if let (i, d) = symbols.variables[n] { return (.variable(i), .number(d)) }
            if let definition = named[n] { return try compile(definition) }
            if namedFailed.contains(n) {
                // already reported at the definition: an empty message is not reported again
                throw ExprTypeError(offset: o, message: "")
            }
            if let (k, _) = symbols.entities[n] {
                throw ExprTypeError(offset: o, message: "'\(n.quotedForMessage())' is \(withArticle(k.rawValue)), not a value; use it inside a query such as \(example(for: k))")
            }
            if Units.unit(n) != nil {
                throw ExprTypeError(offset: o, message: "'\(n.quotedForMessage())' is a unit; write it right after a number (e.g. 2\(n))")
            }
            let minusHint = n.contains("-") ? "; to subtract, put spaces around '-'" : ""
            throw ExprTypeError(offset: o, message: "unknown name '\(n.quotedForMessage())'\(didYouMean(n, symbols.allNames + Array(named.keys)))\(minusHint)")
        case let .unary(op, x, o):
            let (c, t) = try compile(x)
            switch op {
            case .not:
                guard t == .bool else { throw ExprTypeError(offset: x.offset, message: "'not' needs a condition, found \(t)") }
                return (.unary(.not, c), .bool)
            case .negate:
                guard case .number = t else { throw ExprTypeError(offset: o, message: "'-' needs a number, found \(t)") }
                return (.unary(.negate, c), t)
            }
        case let .binary(op, a, b, o):
            let (ca, ta) = try compile(a)
            let (cb, tb) = try compile(b)
            switch op {
            case .and, .or:
                guard ta == .bool else { throw ExprTypeError(offset: a.offset, message: "'\(op.rawValue.quotedForMessage())' needs conditions on both sides, found \(ta)") }
                guard tb == .bool else { throw ExprTypeError(offset: b.offset, message: "'\(op.rawValue.quotedForMessage())' needs conditions on both sides, found \(tb)") }
                return (.binary(op, ca, cb), .bool)
            case .add, .sub:
                let d = try sameDimension(ta, tb, a, b, op: op.rawValue, at: o)
                return (.binary(op, ca, cb), .number(d))
            case .mul, .div:
                guard case let .number(da) = ta else { throw ExprTypeError(offset: a.offset, message: "'\(op.rawValue.quotedForMessage())' needs numbers, found \(ta)") }
                guard case let .number(db) = tb else { throw ExprTypeError(offset: b.offset, message: "'\(op.rawValue.quotedForMessage())' needs numbers, found \(tb)") }
                guard let d = op == .mul ? da.multiplied(by: db) : da.divided(by: db) else {
                    throw ExprTypeError(offset: o, message: "the unit of this \(op == .mul ? "product" : "quotient") has a power beyond ±\(Limits.unitExponent)")
                }
                return (.binary(op, ca, cb), .number(d))
            case .lt, .le, .gt, .ge, .eq, .ne:
                if ta == .bool && tb == .bool && (op == .eq || op == .ne) { return (.binary(op, ca, cb), .bool) }
                _ = try sameDimension(ta, tb, a, b, op: op.rawValue, at: o)
                return (.binary(op, ca, cb), .bool)
            }
        case let .inRange(v, lo, hi, o):
            let (cv, tv) = try compile(v)
            let (cl, tl) = try compile(lo)
            let (ch, th) = try compile(hi)
            _ = try sameDimension(tv, tl, v, lo, op: "in", at: o)
            _ = try sameDimension(tv, th, v, hi, op: "in", at: o)
            return (.inRange(cv, cl, ch), .bool)
        case let .call(name, args, o):
            guard let b = Builtin(rawValue: name) else {
                throw ExprTypeError(offset: o, message: "unknown function '\(name.quotedForMessage())'\(didYouMean(name, Builtin.allCases.map(\.rawValue)))")
            }
            let sig = b.signature
            guard args.count == sig.params.count else {
                throw ExprTypeError(offset: o, message: "\(name)(…) takes \(sig.params.count) argument\(sig.params.count == 1 ? "" : "s"), found \(args.count)")
            }
            if let expanded = try anyOfGroup(b, name, args, o) { return try compile(expanded) }
            var cargs: [CArg] = []
            var numberDims: [Dimension] = []
            var valueType: ValueType = .bool
            for (arg, p) in zip(args, sig.params) {
                switch p {
                case let .entities(kinds):
                    guard case let .name(n, ao) = arg else {
                        throw ExprTypeError(offset: arg.offset, message: "\(name)(…) expects the id of \(withArticle(kinds.map(\.rawValue).joined(separator: " or "))) here")
                    }
                    guard let (k, ref) = symbols.entities[n] else {
                        throw ExprTypeError(offset: ao, message: "unknown \(kinds.map(\.rawValue).joined(separator: " or ")) '\(n.quotedForMessage())'"
                                            + didYouMean(n, symbols.entities.compactMap { kinds.contains($0.value.0) ? $0.key : nil }))
                    }
                    guard kinds.contains(k) else {
                        throw ExprTypeError(offset: ao, message: "\(name)(…) expects \(withArticle(kinds.map(\.rawValue).joined(separator: " or "))) here, but '\(n.quotedForMessage())' is \(withArticle(k.rawValue))")
                    }
                    cargs.append(.entity(ref))
                case .text:
                    guard case let .string(s, _) = arg else { throw ExprTypeError(offset: arg.offset, message: "\(name)(…) expects a name in quotes, e.g. \(name)(\"hint\")") }
                    buttons.insert(s)
                    cargs.append(.text(s))
                case .bool:
                    let (c, t) = try compile(arg)
                    guard t == .bool else { throw ExprTypeError(offset: arg.offset, message: "\(name)(…) expects a condition here, found \(t)") }
                    cargs.append(.expr(c))
                case .number:
                    let (c, t) = try compile(arg)
                    guard case let .number(d) = t else { throw ExprTypeError(offset: arg.offset, message: "\(name)(…) expects a number here, found \(t)") }
                    numberDims.append(d)
                    cargs.append(.expr(c))
                case .value:
                    let (c, t) = try compile(arg)
                    guard t == .bool || { if case .number = t { return true } else { return false } }() else {
                        throw ExprTypeError(offset: arg.offset, message: "\(name)(…) expects a number or a condition here, found \(t)")
                    }
                    valueType = t
                    cargs.append(.expr(c))
                }
            }
            var result = sig.result
            switch b {
            case .held:
                guard numberDims.first == .time || numberDims.first == Dimension.none && isZero(args[1]) else {
                    throw ExprTypeError(offset: args[1].offset, message: "held(…) expects a duration such as 2s, found \(ValueType.number(numberDims.first ?? .none))")
                }
            case .abs: result = .number(numberDims[0])
            case .min, .max:
                if numberDims[1] == .none && isZero(args[1]) { numberDims[1] = numberDims[0] }
                if numberDims[0] == .none && isZero(args[0]) { numberDims[0] = numberDims[1] }
                guard numberDims[0] == numberDims[1] else {
                    throw ExprTypeError(offset: args[1].offset, message: "\(name)(…) needs two values of the same unit, found \(ValueType.number(numberDims[0])) and \(ValueType.number(numberDims[1]))")
                }
                result = .number(numberDims[0])
            case .clamp:
                // a bare 0 takes the kind of the value (clamp(x, 0, 5mm))
                for i in 0..<3 where numberDims[i] == .none && isZero(args[i]) { numberDims[i] = numberDims.first { $0 != .none } ?? .none }
                for i in 1..<3 where numberDims[i] != numberDims[0] {
                    throw ExprTypeError(offset: args[i].offset, message: "clamp(…) needs a value and two bounds of the same unit, found \(ValueType.number(numberDims[0])) and \(ValueType.number(numberDims[i]))")
                }
                result = .number(numberDims[0])
            case .sqrt:
                let d = numberDims[0]
                guard [d.metre, d.kilogram, d.second, d.radian].allSatisfy({ $0 % 2 == 0 }) else {
                    throw ExprTypeError(offset: args[0].offset, message: "sqrt(…) needs a plain number or a squared quantity (such as an area), found \(ValueType.number(d)); its unit has no square root")
                }
                result = .number(Dimension(m: d.metre / 2, kg: d.kilogram / 2, s: d.second / 2, rad: d.radian / 2))
            case .sin, .cos, .tan:
                guard numberDims[0] == .angle || isZero(args[0]) else {
                    let hint = numberDims[0] == .none ? "; give it a unit, e.g. 30deg or 0.5rad" : ""
                    throw ExprTypeError(offset: args[0].offset, message: "\(name)(…) expects an angle, found \(ValueType.number(numberDims[0]))\(hint)")
                }
            case .asin, .acos:
                guard numberDims[0] == .none else {
                    throw ExprTypeError(offset: args[0].offset, message: "\(name)(…) expects a plain number (a ratio from -1 to 1), found \(ValueType.number(numberDims[0])); divide it by a value of the same unit")
                }
            case .atan2:
                if numberDims[1] == .none && isZero(args[1]) { numberDims[1] = numberDims[0] }
                if numberDims[0] == .none && isZero(args[0]) { numberDims[0] = numberDims[1] }
                guard numberDims[0] == numberDims[1] else {
                    throw ExprTypeError(offset: args[1].offset, message: "atan2(…) needs two values of the same unit, found \(ValueType.number(numberDims[0])) and \(ValueType.number(numberDims[1]))")
                }
            case .prev: result = valueType
            case .peak:
                // a fixed window bounds the values kept per use
                guard case let .number(w, d, _) = args[1], d == .time, w > 0, w <= Limits.peakWindow else {
                    throw ExprTypeError(offset: args[1].offset, message: "peak(…) needs a fixed window such as 0.5s, above 0 and at most \(Int(Limits.peakWindow)) s")
                }
                result = .number(numberDims[0])
            case .jointPosition:
                guard case let .entity(.joint(j)) = cargs[0], j < symbols.jointKinds.count else { break }
                switch symbols.jointKinds[j] {
                case .hinge: result = .number(.angle)
                case .slide: result = .number(.length)
                case .fixed: throw ExprTypeError(offset: args[0].offset, message: "a fixed joint does not move, so it has no position; joint_position(…) reads a hinge's angle or a slide's extension")
                }
            case .rate:
                guard let d = numberDims[0].divided(by: .time) else {
                    throw ExprTypeError(offset: o, message: "the unit of this rate has a power beyond ±\(Limits.unitExponent)")
                }
                result = .number(d)
            default: break
            }
            var slot = -1
            if b == .held { slot = slotCount; slotCount += 1 }
            if b.readsHistory, case let .expr(x) = cargs[0] { slot = history.count; history.append(x) }
            if b == .peak, case let .number(w, _, _) = args[1] { peakWindows[slot] = w }
            if b == .inside, case .entity(.hand) = cargs[0], case let .entity(.region(r)) = cargs[1] { regionsQueriedByHand.insert(r) }
            return (.call(b, cargs, slot: slot), result)
        }
    }

    private func isZero(_ e: Expr) -> Bool { if case let .number(v, _, _) = e { return v == 0 }; return false }

    /// Both sides must be numbers of one dimension; a bare 0 matches any.
    private func sameDimension(_ ta: ValueType, _ tb: ValueType, _ a: Expr, _ b: Expr, op: String, at o: Int) throws(ExprTypeError) -> Dimension {
        guard case let .number(da) = ta else { throw ExprTypeError(offset: a.offset, message: "'\(op.quotedForMessage())' needs numbers, found \(ta)") }
        guard case let .number(db) = tb else { throw ExprTypeError(offset: b.offset, message: "'\(op.quotedForMessage())' needs numbers, found \(tb)") }
        if da == db { return da }
        if db == .none && isZero(b) { return da }
        if da == .none && isZero(a) { return db }
        throw ExprTypeError(offset: b.offset, message: "cannot compare or combine \(ta) with \(tb) using '\(op.quotedForMessage())'\(unitHint(da, db))")
    }

    private func unitHint(_ expected: Dimension, _ found: Dimension) -> String {
        guard found == .none, expected != .none else { return "" }
        let sym = Units.all.first { $0.dimension == expected }?.symbol ?? Units.displaySymbol(for: expected)
        return "; give the number a unit, e.g. 5\(sym)"
    }

    private func example(for k: EntityKind) -> String {
        switch k {
        case .body: "contact(a, b) or inside(a, region)"
        case .hand: "grasped_by(body, hand)"
        case .region: "inside(body, region)"
        case .tissue: "angle(needle, tissue)"
        case .layer: "punctured(needle, tissue.layer)"
        case .step: "completed(step)"
        case .event: "fired(event)"
        case .error: "occurred(error)"
        case .joint: "joint_position(joint)"
        }
    }
}

extension ExprCompiler {
    /// A yes/no query with a group where an id goes: the same query for each member, joined by
    /// `or` (a balanced tree, so a large group nests shallowly). Nil when no argument is a group.
    func anyOfGroup(_ b: Builtin, _ name: String, _ args: [Expr], _ o: Int) throws(ExprTypeError) -> Expr? {
        guard let k = args.indices.first(where: { i in
            if case .entities = b.signature.params[i], case let .name(n, _) = args[i] { return symbols.groups[n] != nil }
            return false
        }), case let .name(group, go) = args[k], let members = symbols.groups[group] else { return nil }
        // a group with no valid member was reported where it is declared
        guard !members.isEmpty else { throw ExprTypeError(offset: go, message: "") }
        guard b.signature.result == .bool else {
            throw ExprTypeError(offset: go, message: "'\(group.quotedForMessage())' is a group: it stands for any of its members in a yes/no query "
                                + "(inside, contact, grasped, …), but \(name)(…) gives \(b.signature.result.description)")
        }
        let calls = members.map { m -> Expr in
            var a = args
            a[k] = .name(m, offset: go)
            return .call(name, a, offset: o)
        }
        func join(_ xs: ArraySlice<Expr>) -> Expr {
            if xs.count == 1 { return xs.first! }
            let mid = xs.startIndex + xs.count / 2
            return .binary(.or, join(xs[..<mid]), join(xs[mid...]), offset: o)
        }
        return join(calls[...])
    }
}
