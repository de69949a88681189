import Foundation

/// A fresh empty folder under the system's temporary folder.
func temporaryFolder(_ name: String = #function) throws -> String {
    let base = FileManager.default.temporaryDirectory.path
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let path = "\(base)/practicum-audio-\(safe)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func contents(of folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
}

func bytes(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

func u32(_ b: [UInt8], _ at: Int) -> Int {
    Int(b[at]) | Int(b[at + 1]) << 8 | Int(b[at + 2]) << 16 | Int(b[at + 3]) << 24
}

/// The samples of a 16-bit PCM WAV: of its `data` chunk, wherever it is (OpenAL Soft's wave writer
/// uses a 40-byte extensible `fmt ` chunk).
func pcm16(_ b: [UInt8]) -> [Int16] {
    var at = 12
    while at + 8 <= b.count {
        let size = u32(b, at + 4)
        if b[at..<at + 4].elementsEqual("data".utf8) {
            let end = min(b.count, at + 8 + size)
            return stride(from: at + 8, to: end - 1, by: 2).map { Int16(bitPattern: UInt16(b[$0]) | UInt16(b[$0 + 1]) << 8) }
        }
        at += 8 + size + size % 2
    }
    return []
}
