/// FNV-1a 64-bit hash over exact bit patterns, for determinism checks.
///
/// Never use `Hasher` for this: Swift seeds it per process.
public struct StateHash: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    public init() {}

    public mutating func combine(byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }
    public mutating func combine(_ v: UInt64) {
        var v = v
        for _ in 0..<8 { combine(byte: UInt8(truncatingIfNeeded: v)); v >>= 8 }
    }
    public mutating func combine(_ v: Int) { combine(UInt64(bitPattern: Int64(v))) }
    public mutating func combine(_ v: Bool) { combine(byte: v ? 1 : 0) }
    /// Hashes the IEEE-754 bit pattern; `-0.0` and `0.0` differ, as they should for bit-identity.
    public mutating func combine(_ v: Double) { combine(v.bitPattern) }
    public mutating func combine(_ v: Vec3) { combine(v.x); combine(v.y); combine(v.z) }
    public mutating func combine(_ q: Quat) { combine(q.w); combine(q.x); combine(q.y); combine(q.z) }
    public mutating func combine(_ p: Pose) { combine(p.position); combine(p.orientation) }
    public mutating func combine(_ s: String) { for b in s.utf8 { combine(byte: b) }; combine(byte: 0xff) }
    public mutating func combine<S: Sequence>(bytes: S) where S.Element == UInt8 { for b in bytes { combine(byte: b) } }

    /// The hash as 16 lowercase hex digits.
    public var hex: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// Hash of a byte sequence in one call.
    public static func of<S: Sequence>(bytes: S) -> StateHash where S.Element == UInt8 {
        var h = StateHash(); h.combine(bytes: bytes); return h
    }
}
