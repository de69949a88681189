/// A 3-vector of `Double`, used for positions (m), velocities (m/s), forces (N) and axes.
///
/// World convention: right-handed, +y up, metres.
public struct Vec3: Hashable, Sendable, Codable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public var z: Double

    @inlinable public init(_ x: Double, _ y: Double, _ z: Double) { self.x = x; self.y = y; self.z = z }
    @inlinable public init(x: Double, y: Double, z: Double) { self.x = x; self.y = y; self.z = z }

    public static let zero = Vec3(0, 0, 0)
    public static let unitX = Vec3(1, 0, 0)
    public static let unitY = Vec3(0, 1, 0)
    public static let unitZ = Vec3(0, 0, 1)

    @inlinable public static func + (a: Vec3, b: Vec3) -> Vec3 { Vec3(a.x + b.x, a.y + b.y, a.z + b.z) }
    @inlinable public static func - (a: Vec3, b: Vec3) -> Vec3 { Vec3(a.x - b.x, a.y - b.y, a.z - b.z) }
    @inlinable public static prefix func - (a: Vec3) -> Vec3 { Vec3(-a.x, -a.y, -a.z) }
    @inlinable public static func * (a: Vec3, s: Double) -> Vec3 { Vec3(a.x * s, a.y * s, a.z * s) }
    @inlinable public static func * (s: Double, a: Vec3) -> Vec3 { Vec3(a.x * s, a.y * s, a.z * s) }
    @inlinable public static func / (a: Vec3, s: Double) -> Vec3 { Vec3(a.x / s, a.y / s, a.z / s) }
    @inlinable public static func += (a: inout Vec3, b: Vec3) { a = a + b }
    @inlinable public static func -= (a: inout Vec3, b: Vec3) { a = a - b }
    @inlinable public static func *= (a: inout Vec3, s: Double) { a = a * s }

    @inlinable public func dot(_ b: Vec3) -> Double { x * b.x + y * b.y + z * b.z }
    @inlinable public func cross(_ b: Vec3) -> Vec3 { Vec3(y * b.z - z * b.y, z * b.x - x * b.z, x * b.y - y * b.x) }
    @inlinable public var lengthSquared: Double { dot(self) }
    @inlinable public var length: Double { lengthSquared.squareRoot() }
    /// Component-wise product.
    @inlinable public func scaled(by b: Vec3) -> Vec3 { Vec3(x * b.x, y * b.y, z * b.z) }
    /// The unit vector in this direction, or `.zero` for a (near-)zero vector.
    @inlinable public var normalized: Vec3 {
        let l = length
        return l > 1e-300 ? self / l : .zero
    }
    @inlinable public var isFinite: Bool { x.isFinite && y.isFinite && z.isFinite }
    @inlinable public func distance(to b: Vec3) -> Double { (self - b).length }
    @inlinable public static func min(_ a: Vec3, _ b: Vec3) -> Vec3 { Vec3(Swift.min(a.x, b.x), Swift.min(a.y, b.y), Swift.min(a.z, b.z)) }
    @inlinable public static func max(_ a: Vec3, _ b: Vec3) -> Vec3 { Vec3(Swift.max(a.x, b.x), Swift.max(a.y, b.y), Swift.max(a.z, b.z)) }
    @inlinable public func lerp(to b: Vec3, _ t: Double) -> Vec3 { self + (b - self) * t }
    /// Components by index 0...2.
    @inlinable public subscript(i: Int) -> Double {
        get { i == 0 ? x : (i == 1 ? y : z) }
        set { if i == 0 { x = newValue } else if i == 1 { y = newValue } else { z = newValue } }
    }
    /// Angle between two vectors in radians, in [0, π]; robust near 0 and π (atan2 form).
    @inlinable public func angle(to b: Vec3) -> Double { atan2Compat(cross(b).length, dot(b)) }

    public var description: String { "(\(x), \(y), \(z))" }
}

@usableFromInline func atan2Compat(_ y: Double, _ x: Double) -> Double {
    #if canImport(Glibc)
    return Glibc.atan2(y, x)
    #else
    return Foundation.atan2(y, x)
    #endif
}

#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
