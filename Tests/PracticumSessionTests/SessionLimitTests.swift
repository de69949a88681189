import Foundation
import Testing
import PracticumCore
@testable import PracticumSession
import PracticumTestSupport

/// Motion scripts meet the same bar as scenarios: every value that could trap, hang or allocate
/// without bound is an error at its line and column.
@Suite struct MotionScriptLimitTests {
    static let base = """
    scenario: {id: demo, version: 1.0.0}
    sample_rate: 90Hz
    hands:
      right:
        start: {position: [0, 1m, 0]}
        motion:
          - MOTION

    """

    /// `line:col: path: message` of the parse error, or "ok".
    func outcome(motion: String, extra: String = "", rate: String = "90Hz") -> String {
        let yaml = Self.base.replacingOccurrences(of: "MOTION", with: motion).replacingOccurrences(of: "90Hz", with: rate) + extra
        do {
            _ = try MotionScript.parse(yaml: yaml)
            return "ok"
        } catch {
            return "\(error.line):\(error.column): \(error.path): \(error.message)"
        }
    }

    @Test func twoHoursAtNinetyHertzIsTheLongestScript() throws {
        #expect(outcome(motion: "hold: 7200s") == "ok")
        let script = try MotionScript.parse(yaml: Self.base.replacingOccurrences(of: "MOTION", with: "hold: 7200s"))
        #expect(script.frameCount == Limits.scriptFrames)
        #expect(outcome(motion: "hold: 7201s") == "7:15: hands.right.motion[0].hold: must be at most 7200 s")
        #expect(outcome(motion: "hold: 4000s\n      - hold: 4000s")
                == "8:15: hands.right.motion[1].hold: the motion would last past 7200 s (two hours), the longest a trace may be")
        #expect(outcome(motion: "hold: 7200s", rate: "100Hz")
                == "2:14: sample_rate: the script would produce more than 648001 frames (two hours at 90 Hz); lower the sample rate or shorten the motion")
    }

    @Test(arguments: [
        ("hold: 1e-300s", "ok"),
        ("hold: .nan s", "7:15: hands.right.motion[0].hold: '.nan s' is not a number"),
        ("hold: -1s", "7:15: hands.right.motion[0].hold: must not be negative"),
        ("hold: 1" + String(repeating: "0", count: 200) + "s", "7:15: hands.right.motion[0].hold: number too long; numbers have at most 64 characters"),
        ("move: {position: [1, 1, 0], speed: 1e-300m/s}", "7:44: hands.right.motion[0].move.speed: so slow that the move lasts more than two hours"),
        ("move: {position: [1, 1, 0], speed: 1e300m/s}", "7:44: hands.right.motion[0].move.speed: must be at most 1000 m/s"),
        ("move: {position: [1e300, 1, 0], duration: 1s}", "7:27: hands.right.motion[0].move.position[0]: must be within ±1000 m"),
        ("oscillate: {direction: [0, -1, 0], depth: 5cm, rate: 1e9/min, cycles: 3}", "7:62: hands.right.motion[0].oscillate.rate: must be at most 1000 Hz"),
        ("oscillate: {direction: [0, -1, 0], depth: 5cm, rate: 100/min, cycles: 1e300}", "7:79: hands.right.motion[0].oscillate.cycles: must be at most 1e+07"),
        ("oscillate: {direction: [0, -1, 0], depth: 5cm, rate: 100/min, cycles: 1e6}",
         "7:20: hands.right.motion[0].oscillate: the motion would last past 7200 s (two hours), the longest a trace may be"),
        ("repeat: {times: 100000, motion: [{repeat: {times: 100000, motion: [{hold: 1ms}]}}]}",
         "7:17: hands.right.motion[0].repeat: expands to more than 100000 motions"),
    ])
    func valuesThatOnceTrappedOrHungAreErrors(_ motion: String, _ expected: String) {
        #expect(outcome(motion: motion) == expected)
    }

    @Test func nestedRepeatsFinish() {
        // empty loops end at once; loops of instant motions count every motion they expand to
        let empty = String(repeating: "repeat: {times: 100000, motion: [{", count: 8) + "repeat: {times: 100000, motion: []}" + String(repeating: "}]}", count: 8)
        #expect(outcome(motion: empty) == "ok")
        let instant = String(repeating: "repeat: {times: 100000, motion: [{", count: 8) + "hold: 0s" + String(repeating: "}]}", count: 8)
        #expect(outcome(motion: instant).hasSuffix(".repeat: expands to more than 100000 motions"))
    }

    @Test func buttonsAreBounded() {
        let many = "buttons:\n" + (0..<33).map { "  - {name: b\($0), from: 0s, to: 1s}\n" }.joined()
        #expect(outcome(motion: "hold: 1s", extra: many) == "41:12: buttons[32].name: more than 32 different buttons")
        let presses = "buttons:\n" + (0...10_000).map { "  - {name: a, from: \($0)ms, to: \($0)ms}\n" }.joined()
        #expect(outcome(motion: "hold: 1s", extra: presses) == "9:3: buttons: more than 10000 presses")
        #expect(outcome(motion: "hold: 1s", extra: "buttons:\n  - {name: \(String(repeating: "n", count: 65)), from: 0s, to: 1s}\n")
                == "9:12: buttons[0].name: button names are letters, digits, '_', '.' or '-', at most 64")
    }

    @Test func headerFieldsAreBounded() {
        let yaml = Self.base.replacingOccurrences(of: "MOTION", with: "hold: 1s")
        func parse(_ text: String) -> String {
            do { _ = try MotionScript.parse(yaml: text); return "ok" } catch { return "\(error.line):\(error.column): \(error.path): \(error.message)" }
        }
        #expect(parse(yaml.replacingOccurrences(of: "id: demo", with: "id: " + String(repeating: "x", count: 70_000)))
                == "1:16: scenario.id: scenario ids have at most 64 characters")
        let meta = "metadata:\n" + (0..<65).map { "  k\($0): v\n" }.joined()
        #expect(parse(yaml + meta) == "9:3: metadata: at most 64 entries")
    }
}

/// A trace is read only as far as its values are plausible: every column is checked, not just the
/// ones scoring happens to use.
@Suite struct TracePlausibilityTests {
    /// A valid one-hand trace with the `index`-th token of its first frame line replaced by `value`
    /// (tokens: `f`, time, head x y z w qx qy qz, hand x y z w qx qy qz grip trigger, buttons).
    func trace(replacing index: Int, with value: String) throws -> [UInt8] {
        let h = TraceHeader(scenarioID: "s", handCount: 1)
        let frames = [InputFrame(time: 0, hands: [HandInput(grip: 0.5)]), InputFrame(time: 0.5, hands: [HandInput(grip: 0.5)])]
        let text = String(decoding: try TraceWriter.encode(header: h, frames: frames), as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let i = try #require(lines.firstIndex { $0.hasPrefix("f ") })
        var tokens = lines[i].split(separator: " ").dropLast().map(String.init)  // drop the checksum
        tokens[index] = value
        lines[i] = String(decoding: TraceCodec.line(tokens.joined(separator: " ")), as: UTF8.self).trimmingCharacters(in: .newlines)
        return Array(lines.joined(separator: "\n").utf8)
    }

    @Test(arguments: [
        (1, "1e5", "time 100000.0 s is outside 0 … 7200 s (two hours)"),
        (2, "1e9", "head position 1000000000.0 m is farther than 1000 m from the origin"),
        (5, "2", "head orientation is not a unit quaternion (length 2.0)"),
        (12, "0.5", "hand 0 orientation is not a unit quaternion (length 0.5)"),
        (16, "1.5", "hand 0 grip 1.5 is outside 0 … 1"),
        (17, "-0.1", "hand 0 trigger -0.1 is outside 0 … 1"),
    ])
    func implausibleValuesAreDamageAtTheirLine(_ index: Int, _ value: String, _ reason: String) throws {
        let bytes = try trace(replacing: index, with: value)
        let lenient = try TraceReader.read(bytes: bytes, mode: .lenient)
        #expect(lenient.frames.isEmpty)
        let d = try #require(lenient.damage)
        #expect(d.kind == .corrupt && d.line == 8 && d.reason == reason, "\(d)")
        #expect(throws: TraceError.damaged(d)) { try TraceReader.read(bytes: bytes) }
    }

    @Test func nonFiniteNumbersAreDamage() throws {
        for bad in ["nan", "inf", "-inf", "1e999"] {
            let d = try TraceReader.read(bytes: try trace(replacing: 16, with: bad), mode: .lenient).damage
            #expect(d?.kind == .corrupt, "\(bad)")
        }
    }

    @Test func theWriterRefusesWhatTheReaderWould() {
        let h = TraceHeader(scenarioID: "s", handCount: 1)
        #expect(throws: TraceError.invalidInput(reason: "frame at t=0.0: hand 0 grip 1.5 is outside 0 … 1")) {
            try TraceWriter.encode(header: h, frames: [InputFrame(time: 0, hands: [HandInput(grip: 1.5)])])
        }
        #expect(throws: TraceError.self) {
            try TraceWriter.encode(header: h, frames: [InputFrame(time: 0, hands: [HandInput()], buttons: (0..<33).map { "b\($0)" })])
        }
    }

    @Test func tooManyMetadataLinesIsABadHeader() throws {
        var header = TraceHeader(scenarioID: "s", handCount: 1)
        for i in 0..<64 { header.metadata["k\(i)"] = "v" }
        let ok = try TraceWriter.encode(header: header, frames: [])
        #expect(try TraceReader.read(bytes: ok).header.metadata.count == 64)
        header.metadata["k64"] = "v"
        #expect(throws: TraceError.self) { try TraceWriter.encode(header: header, frames: []) }
    }
}

/// Replay streams the trace; the stream must see exactly what the whole-file reader sees, wherever
/// its chunks happen to split lines.
@Suite struct TraceStreamTests {
    func write(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-stream-\(UUID().uuidString).trace").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The trace hash as reports give it: every byte but the header's `meta` lines.
    static func hash(_ bytes: [UInt8]) -> String {
        var h = StateHash()
        var start = 0, inHeader = true
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0a).map { $0 + 1 } ?? bytes.count
            let line = bytes[start..<end]
            if inHeader && line.starts(with: "frames".utf8) { inHeader = false }
            if !(inHeader && line.starts(with: "meta ".utf8)) { h.combine(bytes: line) }
            start = end
        }
        return h.hex
    }

    func streamed(_ path: String, chunkSize: Int) throws -> ([InputFrame], TraceDamage?, String) {
        let stream = try TraceStream(path: path, chunkSize: chunkSize)
        var frames: [InputFrame] = []
        while let f = stream.next() { frames.append(f) }
        let hash = stream.finish()
        return (frames, stream.damage, hash)
    }

    @Test(arguments: [1, 2, 3, 7, 64, 1000, 1 << 20])
    func everyChunkSizeGivesTheSameFrames(chunkSize: Int) throws {
        let bytes = try TraceWriter.encode(header: sampleHeader, frames: sampleFrames(count: 120))
        let path = try write(bytes)
        defer { unlink(path) }
        let whole = try TraceReader.read(bytes: bytes)
        let (frames, damage, hash) = try streamed(path, chunkSize: chunkSize)
        #expect(frames == whole.frames && damage == nil)
        #expect(hash == Self.hash(bytes))
    }

    @Test func damageIsFoundAtTheSamePlace() throws {
        let bytes = try TraceWriter.encode(header: sampleHeader, frames: sampleFrames(count: 40))
        var rng = SeededRandom(seed: 13)
        var variants: [[UInt8]] = [bytes + Array("trailing\n".utf8)]
        for _ in 0..<12 { variants.append(Array(bytes[..<Int(rng.uniform(Double(bytes.count / 3), Double(bytes.count)))])) }
        for _ in 0..<12 {
            var v = bytes
            v[Int(rng.uniform(Double(bytes.count / 3), Double(bytes.count - 1)))] ^= 0x04
            variants.append(v)
        }
        for v in variants {
            let path = try write(v)
            defer { unlink(path) }
            let whole = try TraceReader.read(bytes: v, mode: .lenient)
            for chunk in [5, 4096] {
                let (frames, damage, hash) = try streamed(path, chunkSize: chunk)
                #expect(frames == whole.frames)
                #expect(damage == whole.damage, "\(String(describing: damage)) vs \(String(describing: whole.damage))")
                #expect(hash == Self.hash(v))
            }
        }
    }

    @Test func aShippedTraceStreamsLikeItReads() throws {
        let path = repositoryRoot() + "/scenarios/cpr-adult/traces/do-nothing.trace"
        let whole = try TraceReader.read(contentsOf: path)
        let (frames, damage, hash) = try streamed(path, chunkSize: 4093)
        #expect(frames == whole.frames && damage == nil)
        #expect(hash == Replay.traceHash(contentsOf: path))
    }
}
