import Foundation
import Testing
import PracticumCore
@testable import PracticumSession

/// Trace read speed, a benchmark rather than a test: it only prints, and runs only when asked:
/// `PRACTICUM_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter traceReadSpeed`
/// (and without `-c release …` to compare the synthesised-bytes hash between debug and release).
@Test(.enabled(if: ProcessInfo.processInfo.environment["PRACTICUM_BENCH"] != nil))
func traceReadSpeed() throws {
    let script = """
    scenario: {id: cpr-adult, version: 1}
    sample_rate: 90Hz
    seed: 7
    tremor: 0.5mm
    head: {start: {position: [0, 1.5, 0.3], rotation: [-40, 0, 0]}}
    hands:
      left:
        start: {position: [-0.3, 1.0, 0.3]}
        motion:
          - move: {position: [0, 0.55, 0], rotation: [0, 0, 0], duration: 2s, ease: smooth}
          - oscillate: {direction: [0, -1, 0], depth: 5.5cm, rate: 110/min, duration: 58s}
      right:
        start: {position: [0.3, 1.0, 0.3]}
        motion:
          - move: {position: [0, 0.56, 0], duration: 2s, ease: smooth}
          - oscillate: {direction: [0, -1, 0], depth: 5.5cm, rate: 110/min, duration: 58s}
    """
    let bytes = try MotionScript.parse(yaml: script).traceBytes()
    let runs = 10
    let start = Date()
    var frames = 0
    for _ in 0..<runs { frames += try TraceReader.read(bytes: bytes).frames.count }
    let perRead = Date().timeIntervalSince(start) / Double(runs)
    // the hash lets debug and release builds be compared: they must synthesise identical bytes
    print("trace read: synthesised hash \(StateHash.of(bytes: bytes).hex), \(bytes.count) bytes, \(frames / runs) frames (60 s at 90 Hz) in \(perRead * 1000) ms = \(Int(60 / perRead))x real time")
}
