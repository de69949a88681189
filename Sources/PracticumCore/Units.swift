/// A physical dimension as integer exponents of metre, kilogram, second and radian.
///
/// Radians are kept as their own base dimension (though SI treats them as dimensionless) so
/// that `angle > 2mm` is caught at load time. Scenario quantities are converted to SI on load.
public struct Dimension: Hashable, Sendable, Codable, CustomStringConvertible {
    public var metre: Int8
    public var kilogram: Int8
    public var second: Int8
    public var radian: Int8

    public init(m: Int8 = 0, kg: Int8 = 0, s: Int8 = 0, rad: Int8 = 0) {
        metre = m; kilogram = kg; second = s; radian = rad
    }

    public static let none = Dimension()
    public static let length = Dimension(m: 1)
    public static let mass = Dimension(kg: 1)
    public static let time = Dimension(s: 1)
    public static let angle = Dimension(rad: 1)
    public static let rate = Dimension(s: -1)
    public static let velocity = Dimension(m: 1, s: -1)
    public static let acceleration = Dimension(m: 1, s: -2)
    public static let angularVelocity = Dimension(s: -1, rad: 1)
    public static let force = Dimension(m: 1, kg: 1, s: -2)
    public static let pressure = Dimension(m: -1, kg: 1, s: -2)
    public static let stiffness = Dimension(kg: 1, s: -2)
    public static let damping = Dimension(kg: 1, s: -1)
    public static let density = Dimension(m: -3, kg: 1)
    public static let area = Dimension(m: 2)
    public static let volume = Dimension(m: 3)
    public static let energy = Dimension(m: 2, kg: 1, s: -2)
    /// Volume per time: gas or fluid flow (`L/min`, `mL/s`).
    public static let flow = Dimension(m: 3, s: -1)

    /// The product's dimension. Exponents saturate rather than trap; input-facing code uses
    /// `multiplied(by:)`, which refuses powers past `Limits.unitExponent`.
    public static func * (a: Dimension, b: Dimension) -> Dimension { combine(a, b, sign: 1) }
    public static func / (a: Dimension, b: Dimension) -> Dimension { combine(a, b, sign: -1) }

    /// `self * other`, or nil when an exponent would pass ±`Limits.unitExponent` (e.g. `m^9`).
    public func multiplied(by other: Dimension) -> Dimension? { Dimension.combine(self, other, sign: 1).withinLimits }
    /// `self / other`, or nil when an exponent would pass ±`Limits.unitExponent`.
    public func divided(by other: Dimension) -> Dimension? { Dimension.combine(self, other, sign: -1).withinLimits }

    /// Self, if every exponent is within ±`Limits.unitExponent`.
    public var withinLimits: Dimension? {
        let lim = Int8(Limits.unitExponent)
        return [metre, kilogram, second, radian].allSatisfy { (-lim...lim).contains($0) } ? self : nil
    }

    private static func combine(_ a: Dimension, _ b: Dimension, sign: Int) -> Dimension {
        func e(_ x: Int8, _ y: Int8) -> Int8 { Int8(clamping: Int(x) + sign * Int(y)) }
        return Dimension(m: e(a.metre, b.metre), kg: e(a.kilogram, b.kilogram), s: e(a.second, b.second), rad: e(a.radian, b.radian))
    }

    /// A readable name ("length", "force", …) or the SI composition ("m·s^-3").
    public var description: String {
        if let name { return name }
        var parts: [String] = []
        func part(_ sym: String, _ e: Int8) { if e == 1 { parts.append(sym) } else if e != 0 { parts.append("\(sym)^\(e)") } }
        part("kg", kilogram); part("m", metre); part("s", second); part("rad", radian)
        return parts.joined(separator: "·")
    }

    static let names: [(Dimension, String)] = [
        (.none, "a plain number"), (.length, "length"), (.mass, "mass"), (.time, "time"), (.angle, "angle"),
        (.rate, "rate"), (.velocity, "speed"), (.acceleration, "acceleration"), (.angularVelocity, "angular speed"),
        (.force, "force"), (.pressure, "pressure"), (.stiffness, "stiffness"), (.damping, "damping"),
        (.density, "density"), (.area, "area"), (.volume, "volume"), (.energy, "energy"), (.flow, "flow"),
    ]

    /// The name of a named dimension ("pressure", "angle"), nil for a composition such as `kg·m^-1·s^-3`.
    public var name: String? { Dimension.names.first { $0.0 == self }?.1 }
}

/// A unit symbol usable in scenario files, with its SI scale and dimension.
public struct UnitDef: Sendable {
    public let symbol: String
    public let scale: Double
    public let dimension: Dimension
    public init(symbol: String, scale: Double, dimension: Dimension) { self.symbol = symbol; self.scale = scale; self.dimension = dimension }
}

/// The unit table for scenario files. Values convert to SI by multiplying with `scale`.
public enum Units {
    public static let all: [UnitDef] = [
        UnitDef(symbol: "m", scale: 1, dimension: .length),
        UnitDef(symbol: "cm", scale: 0.01, dimension: .length),
        UnitDef(symbol: "mm", scale: 0.001, dimension: .length),
        UnitDef(symbol: "um", scale: 1e-6, dimension: .length),
        UnitDef(symbol: "kg", scale: 1, dimension: .mass),
        UnitDef(symbol: "g", scale: 0.001, dimension: .mass),
        UnitDef(symbol: "s", scale: 1, dimension: .time),
        UnitDef(symbol: "ms", scale: 0.001, dimension: .time),
        UnitDef(symbol: "min", scale: 60, dimension: .time),
        UnitDef(symbol: "h", scale: 3600, dimension: .time),
        UnitDef(symbol: "rad", scale: 1, dimension: .angle),
        UnitDef(symbol: "deg", scale: Double.pi / 180, dimension: .angle),
        UnitDef(symbol: "N", scale: 1, dimension: .force),
        UnitDef(symbol: "mN", scale: 0.001, dimension: .force),
        UnitDef(symbol: "Pa", scale: 1, dimension: .pressure),
        UnitDef(symbol: "kPa", scale: 1000, dimension: .pressure),
        UnitDef(symbol: "MPa", scale: 1e6, dimension: .pressure),
        UnitDef(symbol: "mmHg", scale: 133.322387415, dimension: .pressure),
        // centimetres of water (ventilator and airway pressures): 98.0665 Pa
        UnitDef(symbol: "cmH2O", scale: 98.0665, dimension: .pressure),
        UnitDef(symbol: "Hz", scale: 1, dimension: .rate),
        UnitDef(symbol: "/s", scale: 1, dimension: .rate),
        UnitDef(symbol: "/min", scale: 1.0 / 60, dimension: .rate),
        UnitDef(symbol: "bpm", scale: 1.0 / 60, dimension: .rate),
        UnitDef(symbol: "m/s", scale: 1, dimension: .velocity),
        UnitDef(symbol: "mm/s", scale: 0.001, dimension: .velocity),
        UnitDef(symbol: "cm/s", scale: 0.01, dimension: .velocity),
        UnitDef(symbol: "m/s2", scale: 1, dimension: .acceleration),
        UnitDef(symbol: "deg/s", scale: Double.pi / 180, dimension: .angularVelocity),
        UnitDef(symbol: "rad/s", scale: 1, dimension: .angularVelocity),
        UnitDef(symbol: "N/m", scale: 1, dimension: .stiffness),
        UnitDef(symbol: "N/mm", scale: 1000, dimension: .stiffness),
        UnitDef(symbol: "Ns/m", scale: 1, dimension: .damping),
        UnitDef(symbol: "kg/m3", scale: 1, dimension: .density),
        UnitDef(symbol: "g/cm3", scale: 1000, dimension: .density),
        UnitDef(symbol: "L", scale: 1e-3, dimension: .volume),
        UnitDef(symbol: "mL", scale: 1e-6, dimension: .volume),
        UnitDef(symbol: "L/min", scale: 1e-3 / 60, dimension: .flow),
        UnitDef(symbol: "mL/s", scale: 1e-6, dimension: .flow),
        UnitDef(symbol: "%", scale: 0.01, dimension: .none),
        UnitDef(symbol: "/min/s", scale: 1.0 / 60, dimension: Dimension(s: -2)),
        UnitDef(symbol: "mmHg/s", scale: 133.322387415, dimension: Dimension(m: -1, kg: 1, s: -3)),
        UnitDef(symbol: "mmHg/min", scale: 133.322387415 / 60, dimension: Dimension(m: -1, kg: 1, s: -3)),
        UnitDef(symbol: "%/s", scale: 0.01, dimension: .rate),
        UnitDef(symbol: "%/min", scale: 0.01 / 60, dimension: .rate),
        UnitDef(symbol: "bpm/s", scale: 1.0 / 60, dimension: Dimension(s: -2)),
        UnitDef(symbol: "bpm/min", scale: 1.0 / 3600, dimension: Dimension(s: -2)),
    ]

    private static let bySymbol: [String: UnitDef] = Dictionary(uniqueKeysWithValues: all.map { ($0.symbol, $0) })

    /// Why a unit symbol could not be used.
    public enum LookupError: Error, Sendable, Equatable {
        case unknown
        /// Longer than `Limits.unitLength` characters.
        case tooLong
        /// A compound whose powers pass ±`Limits.unitExponent` (`/s/s/s/s/s/s/s/s/s`).
        case exponentOutOfRange
    }

    /// Looks up a unit symbol (case-sensitive: `mN` is not `MN`); nil where `lookup` fails.
    public static func unit(_ symbol: String) -> UnitDef? { try? lookup(symbol).get() }

    /// Looks up a unit symbol; a compound `A/B/C…` of known units (e.g. `mm/min`, `%/s`) is formed
    /// on the fly, left to right.
    public static func lookup(_ symbol: String) -> Result<UnitDef, LookupError> {
        if let u = bySymbol[symbol] { return .success(u) }
        guard symbol.utf8.count <= Limits.unitLength else { return .failure(.tooLong) }
        // a known head (`m/s2` in `m/s2/um`), then `/known` parts one after another: the shortest
        // head after which every part is known. No recursion; the symbol is short.
        var parts = symbol.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { return .failure(.unknown) }
        // a leading '/' (`/min/s`) belongs to the first part
        if parts[0].isEmpty { parts.removeFirst(); parts[0] = "/" + parts[0] }
        var head = parts.removeFirst()
        var unit = bySymbol[head]
        while !parts.isEmpty, unit == nil || !parts.allSatisfy({ bySymbol[$0] != nil }) {
            head += "/" + parts.removeFirst()
            unit = bySymbol[head]
        }
        guard var u = unit else { return .failure(.unknown) }
        for p in parts {
            guard let d = bySymbol[p] else { return .failure(.unknown) }
            guard let dim = u.dimension.divided(by: d.dimension) else { return .failure(.exponentOutOfRange) }
            u = UnitDef(symbol: u.symbol + "/" + p, scale: u.scale / d.scale, dimension: dim)
        }
        guard u.scale.isFinite, u.scale > 0 else { return .failure(.exponentOutOfRange) }
        return .success(UnitDef(symbol: symbol, scale: u.scale, dimension: u.dimension))
    }

    /// A symbol to show for a dimension in reports (SI, or the customary unit for pressure).
    public static func displaySymbol(for d: Dimension) -> String {
        switch d {
        case .length: "m"; case .mass: "kg"; case .time: "s"; case .angle: "rad"; case .rate: "1/s"
        case .velocity: "m/s"; case .force: "N"; case .pressure: "Pa"; case .none: ""
        default: d.description
        }
    }
}

/// A number with a dimension, already in SI units.
public struct Quantity: Hashable, Sendable, Codable, CustomStringConvertible {
    public var value: Double
    public var dimension: Dimension
    public init(_ value: Double, _ dimension: Dimension = .none) { self.value = value; self.dimension = dimension }

    public enum ParseError: Error, Equatable, Sendable {
        case notANumber
        case unknownUnit(String)
        case notFinite
        /// The number has more than `Limits.numberLength` characters.
        case tooLong
    }

    /// Parses `2mm`, `30 deg`, `1.5N`, `110/min`, `-3e-2 m`, `95%` or a bare number into SI.
    public static func parse(_ text: String) -> Result<Quantity, ParseError> {
        let s = text.trimmingSpaces
        var idx = s.startIndex
        let numberChars = Set("0123456789.+-eE")
        // Split the longest numeric prefix that parses; an `e` may start a unit only if no digits follow.
        var end = idx
        var length = 0
        while idx < s.endIndex, numberChars.contains(s[idx]) {
            length += 1
            // checked before parsing: `Double` on every prefix of a huge literal is quadratic
            if length > Limits.numberLength { return .failure(.tooLong) }
            idx = s.index(after: idx)
            if Double(s[s.startIndex..<idx]) != nil { end = idx }
        }
        guard end > s.startIndex, let v = Double(s[s.startIndex..<end]) else { return .failure(.notANumber) }
        let unitText = String(s[end...]).trimmingSpaces
        guard v.isFinite else { return .failure(.notFinite) }
        if unitText.isEmpty { return .success(Quantity(v, .none)) }
        guard let u = Units.unit(unitText) else { return .failure(.unknownUnit(unitText)) }
        let si = v * u.scale
        guard si.isFinite else { return .failure(.notFinite) }
        return .success(Quantity(si, u.dimension))
    }

    public var description: String {
        let sym = Units.displaySymbol(for: dimension)
        return sym.isEmpty ? "\(value)" : "\(value) \(sym)"
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs (no Foundation needed).
    public var trimmingSpaces: String {
        var sub = Substring(self)
        while let f = sub.first, f == " " || f == "\t" { sub = sub.dropFirst() }
        while let l = sub.last, l == " " || l == "\t" { sub = sub.dropLast() }
        return String(sub)
    }
}
