/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zlib and PNG compute it.
///
/// Chosen over FNV for trace lines because a CRC detects every single-byte error and every burst
/// shorter than 32 bits, which is exactly the damage a flipped byte or torn write leaves.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { i in
        var c = UInt32(i)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { buf in
            table.withUnsafeBufferPointer { t in
                var c: UInt32 = 0xFFFF_FFFF
                for b in buf { c = t[Int((c ^ UInt32(b)) & 0xff)] ^ (c >> 8) }
                return c ^ 0xFFFF_FFFF
            }
        }
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 { checksum(bytes[...]) }
}
