import Foundation
import PracticumCore
import PracticumScenario
import PracticumScoring
import PracticumSession

/// The parsers that take user input, each as a function of raw bytes that must return (never
/// crash, hang or exhaust memory) and must keep the promises the docs make about bad input.
///
/// libFuzzer drives these through `tools/fuzz` (built with `-sanitize=fuzzer,address`); the test
/// suite replays every file under `Tests/fuzz-corpus/<target>/` through the same functions, so a
/// crasher once found and saved there stays fixed.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// A whole scenario file; one that loads is also built and run for a moment.
    case scenario
    /// A `complete_when` expression inside a small scene with bodies, regions and variables.
    case expression
    /// A trace file; what reads is written again and must read back the same.
    case trace
    /// A motion script for `practicum synth`; what parses must synthesise a trace that reads back.
    case motionScript = "motion-script"
    /// A Wavefront OBJ mesh.
    case mesh
    /// A glTF 2.0 mesh, binary (`.glb`, by its magic) or JSON with `data:` buffers; external
    /// buffers are refused, as nothing beside a fuzzed file may be read.
    case gltf

    /// Runs one input. A broken promise (an error without a place, a NaN in a report, a trace the
    /// writer produces but the reader refuses) is a `preconditionFailure`, which the fuzzer
    /// reports like a crash.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .scenario: Self.scenario(bytes)
        case .expression: Self.expression(bytes)
        case .trace: Self.trace(bytes)
        case .motionScript: Self.motionScript(bytes)
        case .mesh: Self.mesh(bytes)
        case .gltf: Self.gltf(bytes)
        }
    }

    /// Ticks run for a scenario that loads: enough to evaluate every condition a few times.
    static let ticks = 24
    /// Motion scripts are synthesised up to this many frames (10 s at 90 Hz); longer ones are only parsed.
    static let longestSynthesis = 900
    /// Scoring a fuzzed trace is skipped past this duration, to keep one input well under a second.
    static let longestScoredTrace = 2.0

    static func scenario(_ bytes: [UInt8]) {
        // an empty folder: assets are fuzzed through `mesh`, and nothing outside may be read
        let r = ScenarioLoader.load(bytes: bytes, file: "fuzz.yaml", directory: "/nonexistent/fuzz")
        check(r)
        if let s = r.scenario { simulate(s) }
    }

    /// The scene the `expression` target's inputs are compiled in.
    static let expressionScene = """
    id: fuzz
    title: Fuzz
    version: 1
    variables:
      - {id: count, initial: 0}
      - {id: pressure, initial: 2kPa}
    scene:
      bodies:
        - {id: probe, kind: instrument, shape: {sphere: {radius: 1cm}}, position: [0, 1m, 0]}
        - {id: block, kind: static, shape: {box: {size: [10cm, 10cm, 10cm]}}, position: [0, 0.9m, 0]}
      regions:
        - {id: target, position: [0, 1m, 0], radius: 2cm}
    procedure:
      steps:
        - id: first
          title: First
          complete_when: inside(probe, target)
        - id: fuzzed
          title: Fuzzed
          complete_when: |-

    """

    static func expression(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let indented = text.split(separator: "\n", omittingEmptySubsequences: false).map { "        " + $0 }.joined(separator: "\n")
        let r = ScenarioLoader.load(bytes: Array((expressionScene + indented + "\n").utf8), file: "fuzz.yaml", directory: "/nonexistent/fuzz")
        check(r)
        if let s = r.scenario { simulate(s) }
    }

    static func trace(_ bytes: [UInt8]) {
        guard let t = try? TraceReader.read(bytes: bytes, mode: .lenient) else { return }
        if let d = t.damage {
            precondition(d.line >= 1 && d.byteOffset >= 0 && d.byteOffset <= bytes.count, "damage outside the file: \(d)")
        }
        // what reads, writes; and what is written reads back bit for bit
        let again: [UInt8]
        do { again = try TraceWriter.encode(header: t.header, frames: t.frames) } catch {
            preconditionFailure("a trace that reads cannot be written again: \(error)")
        }
        do {
            let back = try TraceReader.read(bytes: again)
            // values are finite (the reader checks), so == compares them exactly, up to the sign of zero
            precondition(back.header == t.header && back.frames == t.frames, "a rewritten trace reads back differently")
        } catch {
            preconditionFailure("a rewritten trace does not read back: \(error)")
        }
        if t.duration <= longestScoredTrace, let s = scoringScenario {
            if let report = try? Replay.score(scenario: s, trace: t, traceHash: "fuzz") { checkReport(report) }
        }
    }

    /// A scenario any one-hand or two-hand trace can be scored against.
    static let scoringScenario: Scenario? = {
        let text = expressionScene + "        distance(probe, target) < 1cm\n"
        return ScenarioLoader.load(bytes: Array(text.utf8), file: "fuzz.yaml", directory: "/nonexistent/fuzz").scenario
    }()

    static func motionScript(_ bytes: [UInt8]) {
        guard let script = try? MotionScript.parse(yaml: String(decoding: bytes, as: UTF8.self)) else { return }
        precondition(script.frameCount >= 1 && script.frameCount <= Limits.scriptFrames, "frame count \(script.frameCount) outside its bound")
        // synthesising is linear in frames and allocation-heavy under the address sanitizer (about
        // 1.3 ms a frame: a 42 s seed script took 5 s, past libFuzzer's 2 s timeout); past 10 s at
        // 90 Hz it only costs the fuzzer time
        guard script.frameCount <= Self.longestSynthesis else { return }
        do {
            let bytes = try script.traceBytes()
            let t = try TraceReader.read(bytes: bytes)
            precondition(t.frames.count == script.frameCount, "synthesised \(t.frames.count) frames, expected \(script.frameCount)")
        } catch {
            preconditionFailure("a script that parses synthesises a trace that does not read: \(error)")
        }
    }

    static func mesh(_ bytes: [UInt8]) {
        guard let m = try? OBJModel.parse(String(decoding: bytes, as: UTF8.self)) else { return }
        precondition(m.positions.count <= Limits.meshVertices, "more vertices than the limit")
        let hull = m.hullPoints()
        precondition(hull.count <= 64 && hull.allSatisfy { $0.x.isFinite && $0.y.isFinite && $0.z.isFinite }, "hull points not finite")
        _ = m.enclosedVolume
    }

    static func gltf(_ bytes: [UInt8]) {
        let binary = bytes.starts(with: Array("glTF".utf8))
        guard let r = try? GLTFReader.read(bytes, binary: binary, buffer: { _ throws(GLTFError) in throw GLTFError("no files") }) else { return }
        let m = r.model
        precondition(m.positions.count <= Limits.meshVertices && m.corners.count / 3 <= Limits.meshTriangles, "more than the limits")
        precondition(m.positions.allSatisfy(\.isFinite) && m.normals.allSatisfy(\.isFinite), "a vertex not finite")
        precondition(m.corners.allSatisfy { $0.position < m.positions.count && ($0.normal ?? 0) < max(m.normals.count, 1) }, "an index out of range")
    }

    /// Every diagnostic has a place and a message; a file without a scenario says why.
    static func check(_ r: LoadResult) {
        precondition(r.scenario != nil || !r.errors.isEmpty, "no scenario and no error")
        for d in r.diagnostics {
            precondition(!d.message.isEmpty, "an empty message")
            precondition(d.location.line >= 1 && d.location.column >= 1 || d.location == .unknown, "a diagnostic without a place: \(d)")
            precondition(!d.message.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "a control character in a message: \(d)")
        }
    }

    /// What loads must build and run; its report carries no NaN.
    static func simulate(_ s: Scenario) {
        var session: Session
        do { session = try Session(scenario: s, traceHash: "fuzz") } catch {
            preconditionFailure("a scenario that loads cannot be simulated: \(error)")
        }
        var input = InputFrame(time: 0, hands: [HandInput(), HandInput()])
        for k in 1...ticks where !session.ended {
            input.time = Double(k) * session.dt
            session.step(input)
        }
        session.finish()
        checkReport(session.report())
    }

    static func checkReport(_ report: Report) {
        precondition(report.score.isFinite && (0...100).contains(report.score), "score \(report.score)")
        precondition(report.duration.isFinite, "duration \(report.duration)")
        // the JSON writer turns a non-finite number into null, so the bytes must be well formed
        _ = report.json()
    }
}
