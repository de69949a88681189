import Foundation
import Testing
import PracticumCore
@testable import PracticumSession
import PracticumScenario
import PracticumTestSupport

/// Frames with awkward doubles (random bit-rich values), as a tracker would give.
func sampleFrames(count: Int, seed: UInt64 = 7, handCount: Int = 2) -> [InputFrame] {
    var rng = SeededRandom(seed: seed)
    func pose() -> Pose {
        let p = Vec3(rng.uniform(-1, 1), rng.uniform(0, 2), rng.uniform(-1, 1))
        let w = rng.uniform(-1, 1), x = rng.uniform(-1, 1), y = rng.uniform(-1, 1), z = rng.uniform(-1, 1)
        return Pose(position: p, orientation: Quat(w: w, x: x, y: y, z: z).normalized)
    }
    let buttonCycle: [[String]] = [[], ["hint", "menu"], ["menu"], []]
    var frames: [InputFrame] = []
    for i in 0..<count {
        let head = pose()
        var hands: [HandInput] = []
        for _ in 0..<handCount {
            let p = pose(), grip = rng.nextUnit()
            let trigger: Double = i % 3 == 0 ? 0 : rng.nextUnit()
            hands.append(HandInput(pose: p, grip: grip, trigger: trigger))
        }
        frames.append(InputFrame(time: Double(i) / 90, head: head, hands: hands, buttons: buttonCycle[i % 4]))
    }
    return frames
}

let sampleHeader = TraceHeader(scenarioID: "iv-cannulation", scenarioVersion: "3", scenarioHash: "0123456789abcdef",
                               sampleRate: 90, metadata: ["trainee": "A. Nurse", "device": "quest 3 / 72%", "empty": "", "dash": "-"])

/// Start offsets of every line, plus the file length.
func lineStarts(_ bytes: [UInt8]) -> [Int] {
    var starts = [0]
    for (i, b) in bytes.enumerated() where b == 0x0a { starts.append(i + 1) }
    return starts
}

@Suite struct TraceFormatTests {
    @Test func headerRoundTrips() throws {
        let bytes = try TraceWriter.encode(header: sampleHeader, frames: [])
        let trace = try TraceReader.read(bytes: bytes)
        #expect(trace.header == sampleHeader)
        #expect(trace.frames.isEmpty)
        #expect(trace.isComplete)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("meta trainee A.%20Nurse *"))
        #expect(text.contains("meta dash %2D *"))
        #expect(text.contains("meta empty - *"))
        #expect(text.hasPrefix("practicum-trace 1 *"))
    }

    @Test func framesRoundTripBitExactly() throws {
        let frames = sampleFrames(count: 50)
        let trace = try TraceReader.read(bytes: try TraceWriter.encode(header: sampleHeader, frames: frames))
        #expect(trace.frames == frames)
        for (a, b) in zip(trace.frames, frames) { #expect(TraceCodec.fields(a).map(\.bitPattern) == TraceCodec.fields(b).map(\.bitPattern)) }
    }

    @Test(arguments: [
        -0.0, 0.0, 0.1, 1.0 / 3, Double.leastNonzeroMagnitude, 2.2250738585072014e-308, Double.greatestFiniteMagnitude, -1e300,
        123456789.123456789, 1 - Double.ulpOfOne, 1e-7, 90.0, -2.5,
    ])
    func doublesRoundTripExactly(x: Double) throws {
        // the number format itself carries any finite double bit-exactly
        for v in [x, -x, x / 3, x.nextDown] {
            #expect(TraceReader.parseNumber(Array(TraceCodec.format(v).utf8)[...])?.bitPattern == v.bitPattern, "\(v)")
        }
        // and a frame carries every value a tracked session can hold
        let g = min(abs(x), 1)
        var f = InputFrame(time: min(abs(x), Limits.traceDuration), hands: [HandInput(grip: g, trigger: 1 - g)])
        let p = max(-Limits.tracePosition, min(Limits.tracePosition, x))
        f.head.position = Vec3(p, p / 3, p > 0 ? p.nextDown : p.nextUp)
        let h = TraceHeader(scenarioID: "s", handCount: 1)
        let back = try TraceReader.read(bytes: try TraceWriter.encode(header: h, frames: [f])).frames[0]
        #expect(TraceCodec.fields(back).map(\.bitPattern) == TraceCodec.fields(f).map(\.bitPattern))
    }

    @Test func randomBitPatternsRoundTrip() throws {
        var rng = SeededRandom(seed: 99)
        for _ in 0..<2000 {
            var x: Double
            repeat { x = Double(bitPattern: rng.next()) } while !x.isFinite
            #expect(TraceReader.parseNumber(Array(TraceCodec.format(x).utf8)[...])?.bitPattern == x.bitPattern, "\(x)")
        }
        var frames: [InputFrame] = []
        for i in 0..<200 {
            func r(_ lo: Double, _ hi: Double) -> Double { rng.uniform(lo, hi) }
            let q = Quat(w: r(-1, 1), x: r(-1, 1), y: r(-1, 1), z: r(-1, 1)).normalized
            frames.append(InputFrame(time: Double(i) * r(0, 30),
                                     head: Pose(position: Vec3(r(-1000, 1000), r(-1000, 1000), r(-1000, 1000)), orientation: q),
                                     hands: [HandInput(grip: r(0, 1), trigger: r(0, 1))]))
        }
        frames.sort { $0.time < $1.time }
        let h = TraceHeader(scenarioID: "s", handCount: 1)
        let back = try TraceReader.read(bytes: try TraceWriter.encode(header: h, frames: frames)).frames
        #expect(back.map { TraceCodec.fields($0).map(\.bitPattern) } == frames.map { TraceCodec.fields($0).map(\.bitPattern) })
    }

    @Test func unchangedFieldsAreWrittenAsRepeats() throws {
        let f0 = InputFrame(time: 0, hands: [HandInput(grip: 0.25), HandInput()], buttons: ["menu"])
        var f1 = f0; f1.time = 0.5; f1.hands[0].grip = 0.5
        let bytes = try TraceWriter.encode(header: TraceHeader(scenarioID: "s"), frames: [f0, f1])
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        #expect(lines[7].hasPrefix("f 0 0 0 0 1 0 0 0 0 0 0 1 0 0 0 0.25 0 0 0 0 1 0 0 0 0 0 menu *"))
        #expect(lines[8].hasPrefix("f 0.5 = = = = = = = = = = = = = = 0.5 = = = = = = = = = = = *"))
        #expect(try TraceReader.read(bytes: bytes).frames == [f0, f1])
    }

    @Test func wrongScenarioIsDetectedFromTheHeader() throws {
        let trace = try TraceReader.read(bytes: try TraceWriter.encode(header: sampleHeader, frames: sampleFrames(count: 2)))
        #expect(throws: TraceError.wrongScenario(expected: "cpr-adult", found: "iv-cannulation")) {
            try trace.header.check(scenarioID: "cpr-adult")
        }
        try trace.header.check(scenarioID: "iv-cannulation")
    }

    @Test func writerRejectsBadFrames() {
        let h = TraceHeader(scenarioID: "s")
        #expect(throws: TraceError.self) { try TraceWriter.encode(header: h, frames: [InputFrame(time: 0, hands: [HandInput()])]) }
        #expect(throws: TraceError.self) { try TraceWriter.encode(header: h, frames: [InputFrame(time: .nan)]) }
        #expect(throws: TraceError.self) { try TraceWriter.encode(header: h, frames: [InputFrame(time: 0, buttons: ["a b"])]) }
        #expect(throws: TraceError.self) { try TraceWriter.encode(header: h, frames: [InputFrame(time: 1), InputFrame(time: 0)]) }
    }
}

@Suite struct TraceDamageTests {
    let frames = sampleFrames(count: 6)

    @Test func truncationAtEveryOffsetOfTheLastLinesReadsBackToTheLastCompleteFrame() throws {
        let bytes = try TraceWriter.encode(header: sampleHeader, frames: frames)
        let starts = lineStarts(bytes)
        // starts: ..., last frame line, end line, file length.
        let lastFrameStart = starts[starts.count - 3], endStart = starts[starts.count - 2]
        for cut in lastFrameStart..<bytes.count {
            let prefix = Array(bytes[..<cut])
            let trace = try TraceReader.read(bytes: prefix, mode: .lenient)
            let expected = cut < endStart ? frames.count - 1 : frames.count
            #expect(trace.frames == Array(frames.prefix(expected)), "cut at \(cut)")
            let d = try #require(trace.damage)
            #expect(d.kind == .truncated)
            #expect(d.byteOffset == (cut == lastFrameStart || cut == endStart ? cut : (cut < endStart ? lastFrameStart : endStart)))
            #expect(throws: TraceError.damaged(d)) { try TraceReader.read(bytes: prefix, mode: .strict) }
        }
    }

    @Test func truncationAnywhereAfterTheHeaderKeepsTheFramesBeforeIt() throws {
        let bytes = try TraceWriter.encode(header: sampleHeader, frames: frames)
        let starts = lineStarts(bytes)
        let firstFrame = starts[starts.count - 2 - frames.count]
        for cut in firstFrame..<bytes.count {
            let trace = try TraceReader.read(bytes: Array(bytes[..<cut]), mode: .lenient)
            let complete = starts.filter { $0 > firstFrame && $0 <= cut }.count
            #expect(trace.frames == Array(frames.prefix(min(complete, frames.count))))
        }
    }

    @Test func truncatedHeaderIsAnError() throws {
        let bytes = try TraceWriter.encode(header: sampleHeader, frames: frames)
        let firstFrame = lineStarts(bytes)[lineStarts(bytes).count - 2 - frames.count]
        for cut in 1..<firstFrame {
            #expect(throws: TraceError.self) { try TraceReader.read(bytes: Array(bytes[..<cut]), mode: .lenient) }
        }
    }

    @Test(arguments: [UInt8(0x01), 0x20, 0x80, 0xff])
    func aFlippedByteAnywhereIsReportedAtItsLine(mask: UInt8) throws {
        let bytes = try TraceWriter.encode(header: sampleHeader, frames: frames)
        let starts = lineStarts(bytes)
        let firstFrame = starts[starts.count - 2 - frames.count]
        for k in 0..<bytes.count {
            var damaged = bytes
            damaged[k] ^= mask
            let lineIndex = starts.lastIndex { $0 <= k }!
            let (lineStart, lineEnd) = (starts[lineIndex], starts[lineIndex + 1])
            if k < firstFrame {
                // Header damage: never a usable trace.
                let result = Result { () throws(TraceError) -> Trace in try TraceReader.read(bytes: damaged, mode: .lenient) }
                switch result {
                case let .failure(.badHeader(line, offset, _)):
                    #expect(line == lineIndex + 1 && offset == lineStart, "flip at \(k)")
                case .failure(.notATrace):
                    #expect(k < TraceCodec.signature.utf8.count)
                default:
                    Issue.record("flip at \(k) in the header: \(result)")
                }
                continue
            }
            let trace = try TraceReader.read(bytes: damaged, mode: .lenient)
            let d = try #require(trace.damage, "flip at \(k) went unnoticed")
            #expect(d.byteOffset == lineStart && d.line == lineIndex + 1, "flip at \(k): \(d)")
            #expect(k < lineEnd)
            let intact = starts.filter { $0 > firstFrame && $0 <= lineStart }.count
            #expect(trace.frames == Array(frames.prefix(min(intact, frames.count))))
            #expect(throws: TraceError.damaged(d)) { try TraceReader.read(bytes: damaged, mode: .strict) }
        }
    }

    @Test func garbageNeverTraps() throws {
        #expect(throws: TraceError.empty) { try TraceReader.read(bytes: []) }
        var rng = SeededRandom(seed: 5)
        let noise = (0..<10_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        #expect(throws: TraceError.self) { try TraceReader.read(bytes: noise, mode: .lenient) }
        // The signature followed by garbage, and a huge line.
        #expect(throws: TraceError.self) { try TraceReader.read(bytes: Array("practicum-trace".utf8) + noise, mode: .lenient) }
        let header = try TraceWriter.encode(header: sampleHeader, frames: [], complete: false)
        let huge = header + [UInt8](repeating: UInt8(ascii: "1"), count: 200_000) + [0x0a]
        let t = try TraceReader.read(bytes: huge, mode: .lenient)
        #expect(t.damage?.kind == .corrupt && t.damage?.byteOffset == header.count)
        let junk = try TraceReader.read(bytes: header + noise, mode: .lenient)
        #expect(junk.frames.isEmpty && junk.damage?.kind == .corrupt)
        // A checksummed line that is not a frame.
        let odd = try TraceReader.read(bytes: header + TraceCodec.line("f 1 2 3"), mode: .lenient)
        #expect(odd.damage?.kind == .corrupt && odd.damage?.line == lineStarts(header).count)
        #expect(throws: TraceError.unsupportedVersion(2)) { try TraceReader.read(bytes: TraceCodec.line("practicum-trace 2")) }
    }

    @Test func headerProblemsAreReportedWithTheirLine() throws {
        let lines = ["practicum-trace 1", "scenario s", "scenario-version -", "scenario-hash -", "sample-rate 90", "hands 2"]
        var header = lines.flatMap(TraceCodec.line)
        let unsorted = header + TraceCodec.line("meta b 1") + TraceCodec.line("meta a 2") + TraceCodec.line("frames")
        #expect(throws: TraceError.badHeader(line: 8, byteOffset: header.count + TraceCodec.line("meta b 1").count,
                                             reason: "metadata key 'a' is repeated or out of order")) {
            try TraceReader.read(bytes: unsorted)
        }
        // An endless header is refused once it passes the limits, not read to the end: the number
        // of metadata lines, then (with long values) the header's bytes.
        var many = header
        for i in 0..<50_000 { many += TraceCodec.line("meta k\(100_000 + i) v") }
        #expect(throws: TraceError.badHeader(line: 7 + Limits.traceMetadataLines, byteOffset: header.count + Limits.traceMetadataLines * TraceCodec.line("meta k100000 v").count,
                                             reason: "more than \(Limits.traceMetadataLines) metadata lines")) {
            try TraceReader.read(bytes: many, mode: .lenient)
        }
        let long = String(repeating: "v", count: 1000)
        for i in 0..<Limits.traceMetadataLines { header += TraceCodec.line("meta k\(100 + i) \(long)") }
        let result = Result { () throws(TraceError) -> Trace in try TraceReader.read(bytes: header, mode: .lenient) }
        guard case let .failure(.badHeader(_, offset, reason)) = result else { Issue.record("\(result)"); return }
        #expect(offset >= TraceCodec.maxHeaderLength && reason.contains("longer than"))
    }

    @Test func dataAfterTheEndLineIsCorrupt() throws {
        let bytes = try TraceWriter.encode(header: sampleHeader, frames: frames)
        let t = try TraceReader.read(bytes: bytes + TraceCodec.line("end 6"), mode: .lenient)
        #expect(t.frames == frames)
        #expect(t.damage == TraceDamage(kind: .corrupt, byteOffset: bytes.count, line: lineStarts(bytes).count, reason: "data after the 'end' line"))
    }
}

@Suite struct TraceWriterTests {
    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("practicum-\(name)-\(getpid()).trace").path
    }

    @Test func writerFlushesEverySecondOfSamplesAndClosesWithAnEndLine() throws {
        let path = temporaryPath("flush")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let frames = sampleFrames(count: 200) // 0 ... 2.21 s at 90 Hz
        let writer = try TraceWriter(path: path, header: sampleHeader)
        let headerBytes = writer.bytesWritten
        // Killed before a second of samples: only the header is on disk.
        for f in frames.prefix(90) { try writer.append(f) }
        #expect(writer.bytesWritten == headerBytes)
        var onDisk = try TraceReader.read(contentsOf: path, mode: .lenient)
        #expect(onDisk.frames.isEmpty && onDisk.damage?.kind == .truncated)
        // Frame 90 is at t = 1 s: everything so far is flushed.
        try writer.append(frames[90])
        onDisk = try TraceReader.read(contentsOf: path, mode: .lenient)
        #expect(onDisk.frames == Array(frames.prefix(91)))
        for f in frames.dropFirst(91) { try writer.append(f) }
        try writer.close()
        let done = try TraceReader.read(contentsOf: path)
        #expect(done.frames == frames && done.isComplete)
        #expect(done.header == sampleHeader)
        #expect(try TraceReader.readHeader(contentsOf: path) == sampleHeader)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == TraceWriter.encode(header: sampleHeader, frames: frames))
    }

    @Test func unreadableFileIsAnIOError() {
        #expect(throws: TraceError.self) { try TraceReader.read(contentsOf: "/nonexistent/x.trace") }
    }
}

@Suite struct TraceScenarioTests {
    @Test func headerFromAShippedScenarioChecksIdAndContent() throws {
        let loaded = ScenarioLoader.load(path: repositoryRoot() + "/scenarios/iv-cannulation/scenario.yaml")
        let scenario = try #require(loaded.scenario)
        let header = TraceHeader(scenario: scenario, metadata: ["trainee": "t1"])
        let trace = try TraceReader.read(bytes: TraceWriter.encode(header: header, frames: sampleFrames(count: 3)))
        try trace.header.check(scenario: scenario)
        #expect(trace.header.recordedAgainstSameContent(as: scenario))
        var other = trace.header
        other.scenarioID = "cpr-adult"; other.scenarioHash = "0"
        #expect(throws: TraceError.wrongScenario(expected: "iv-cannulation", found: "cpr-adult")) { try other.check(scenario: scenario) }
        #expect(!other.recordedAgainstSameContent(as: scenario))
    }
}
