import Foundation
import Testing
import PracticumCore
@testable import PracticumSession
import PracticumTestSupport

@Suite struct MotionScriptTests {
    static let pegTransfer = """
    scenario: {id: fls-peg-transfer, version: 2, hash: abc123}
    sample_rate: 4Hz
    seed: 1
    metadata: {trainee: synthetic}
    hands:
      right:
        start: {position: [0, 1m, 0]}
        motion:
          - move: {position: [1, 1, 0], duration: 1s}
          - grasp: 0.5s
          - hold: 500ms
          - move: {position: [1, 100cm, 2m], duration: 0.5}
          - release: 0s
    buttons:
      - {name: menu, from: 0.5s, to: 1s}
    """

    @Test func scriptProducesExactlyTheExpectedFrames() throws {
        let script = try MotionScript.parse(yaml: Self.pegTransfer)
        #expect(script.header == TraceHeader(scenarioID: "fls-peg-transfer", scenarioVersion: "2", scenarioHash: "abc123",
                                             sampleRate: 4, metadata: ["trainee": "synthetic"]))
        #expect(script.duration == 2.5)
        // time, right position, right grip
        let expected: [(Double, Vec3, Double, [String])] = [
            (0, Vec3(0, 1, 0), 0, []), (0.25, Vec3(0.25, 1, 0), 0, []), (0.5, Vec3(0.5, 1, 0), 0, ["menu"]),
            (0.75, Vec3(0.75, 1, 0), 0, ["menu"]), (1, Vec3(1, 1, 0), 0, []), (1.25, Vec3(1, 1, 0), 0.5, []),
            (1.5, Vec3(1, 1, 0), 1, []), (1.75, Vec3(1, 1, 0), 1, []), (2, Vec3(1, 1, 0), 1, []),
            (2.25, Vec3(1, 1, 1), 1, []), (2.5, Vec3(1, 1, 2), 0, []),
        ]
        let want = expected.map { t, p, g, b in
            InputFrame(time: t, hands: [HandInput(), HandInput(pose: Pose(position: p), grip: g)], buttons: b)
        }
        #expect(script.frames() == want)
        let trace = try TraceReader.read(bytes: script.traceBytes())
        #expect(trace.frames == want && trace.header == script.header)
    }

    static let cpr = """
    scenario: {id: cpr-adult}
    sample_rate: 8Hz
    hands:
      left:
        start: {position: [0, 0.5, 0], rotation: {axis: [0, 1, 0], angle: 90deg}}
        motion:
          - oscillate: {direction: [0, -2, 0], depth: 5cm, rate: 120/min, cycles: 2}
    """

    @Test func oscillationCompressesToDepthAndReturnsEachCycle() throws {
        let frames = try MotionScript.parse(yaml: Self.cpr).frames()
        #expect(frames.count == 9)
        let y = frames.map { $0.hands[0].pose.position.y }
        for (i, want) in [0.5, 0.475, 0.45, 0.475, 0.5, 0.475, 0.45, 0.475, 0.5].enumerated() {
            #expect(isClose(y[i], want, abs: 1e-15), "frame \(i): \(y[i])")
        }
        let q = frames[3].hands[0].pose.orientation
        #expect(isClose(q.w, 0.5.squareRoot(), abs: 1e-15) && isClose(q.y, 0.5.squareRoot(), abs: 1e-15))
    }

    static func shakyScript(seed: Int, tremor: String = "1mm", noise: String = "0") -> String {
        """
        scenario: {id: iv-cannulation}
        seed: \(seed)
        duration: 30s
        tremor: \(tremor)
        noise: \(noise)
        head: {start: {position: [0, 1.6, 0], rotation: [-20, 0, 0]}}
        hands:
          right: {motion: [{move: {position: [0.1, 1, 0.3], rotation: [0, 0, 90], duration: 2s, ease: smooth}}]}
        """
    }

    /// The right hand's x offsets from its resting place once the move is over (t > 2.2 s).
    func restingOffsets(_ frames: [InputFrame]) -> [Double] { frames.dropFirst(200).map { $0.hands[1].pose.position.x - 0.1 } }
    func rms(_ xs: [Double]) -> Double { (xs.map { $0 * $0 }.reduce(0, +) / Double(xs.count)).squareRoot() }
    /// Correlation of successive samples: near 1 for smooth tremor, near 0 for white noise.
    func lagOneCorrelation(_ xs: [Double]) -> Double { zip(xs, xs.dropFirst()).map { $0 * $1 }.reduce(0, +) / xs.map { $0 * $0 }.reduce(0, +) }

    @Test func sameSeedGivesIdenticalBytes() throws {
        let a = try MotionScript.parse(yaml: Self.shakyScript(seed: 42, noise: "0.1mm")).traceBytes()
        let b = try MotionScript.parse(yaml: Self.shakyScript(seed: 42, noise: "0.1mm")).traceBytes()
        let c = try MotionScript.parse(yaml: Self.shakyScript(seed: 43, noise: "0.1mm")).traceBytes()
        #expect(a == b)
        #expect(a != c)
        let frames = try TraceReader.read(bytes: a).frames
        #expect(frames.count == 2701)
        #expect(frames.allSatisfy { $0.head.position == Vec3(0, 1.6, 0) })
    }

    @Test func noiseIsWhiteWithItsStandardDeviation() throws {
        let xs = restingOffsets(try MotionScript.parse(yaml: Self.shakyScript(seed: 1, tremor: "0", noise: "1mm")).frames())
        #expect(rms(xs) > 0.00095 && rms(xs) < 0.00105, "rms \(rms(xs))")
        #expect(abs(lagOneCorrelation(xs)) < 0.1)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func tremorIsSmoothEightToTwelveHertzWithItsRMS(seed: UInt64) throws {
        let xs = restingOffsets(try MotionScript.parse(yaml: Self.shakyScript(seed: Int(seed))).frames())
        #expect(rms(xs) > 0.0007 && rms(xs) < 0.0013, "rms \(rms(xs))")
        // cos(2π · f / 90 Hz) for f in 8...12 Hz lies in 0.67...0.85
        let r = lagOneCorrelation(xs)
        #expect(r > 0.62 && r < 0.9, "lag-1 correlation \(r)")
    }

    @Test func moveAtASpeedTakesDistanceOverSpeed() throws {
        let s = try MotionScript.parse(yaml: """
        scenario: {id: x}
        sample_rate: 2
        hands: {left: {motion: [{move: {position: [3, 4, 0], speed: 5m/s}}, {move: {position: [3, 4, 0.5], speed: 50cm/s}}]}}
        """)
        #expect(s.duration == 2)
        #expect(s.frames().map { $0.hands[0].pose.position } == [Vec3(0, 0, 0), Vec3(1.5, 2, 0), Vec3(3, 4, 0), Vec3(3, 4, 0.25), Vec3(3, 4, 0.5)])
    }

    @Test func repeatsExpandInOrder() throws {
        let s = try MotionScript.parse(yaml: """
        scenario: {id: x}
        sample_rate: 2
        hands:
          left:
            motion:
              - repeat:
                  times: 3
                  motion:
                    - move: {position: [1, 0, 0], duration: 0.5}
                    - move: {position: [0, 0, 0], duration: 0.5}
        """)
        #expect(s.duration == 3)
        #expect(s.frames().map { $0.hands[0].pose.position.x } == [0, 1, 0, 1, 0, 1, 0])
    }

    @Test(arguments: [
        ("scenario: {id: x}\nhands:\n  right:\n    motion:\n      - move: {position: [0, 1, 0], duration: 2mm}\n",
         5, "hands.right.motion[0].move.duration", "'2mm' is a length, expected a time"),
        ("scenario: {id: x}\nhands:\n  middle: {}\n", 3, "hands", "unknown key 'middle'; expected one of left, right"),
        ("scenario: {id: x}\nseed: -1\n", 2, "seed", "expected a whole number 0 ... 2^64-1"),
        ("scenario: {id: x}\nhands:\n  left:\n    motion:\n      - hold: 1 furlong\n", 5, "hands.left.motion[0].hold", "unknown unit 'furlong' in '1 furlong'"),
        ("sample_rate: 90\n", 1, "", "missing 'scenario'"),
        ("scenario: {id: x}\nhands:\n  left:\n    motion:\n      - hold: 1\n        grasp: 1\n", 5, "hands.left.motion[0]",
         "each motion is exactly one of move, hold, grasp, release, oscillate, repeat, sync, play"),
    ])
    func errorsSayWhereAndWhat(yaml: String, line: Int, path: String, message: String) {
        do {
            _ = try MotionScript.parse(yaml: yaml)
            Issue.record("no error for \(yaml)")
        } catch {
            #expect(error.line == line && error.path == path && error.message == message, "\(error)")
        }
    }

    @Test func hostileScriptsAreRefusedQuickly() {
        var nested = "[{hold: 1}]"
        for _ in 0..<20 { nested = "[{repeat: {times: 2, motion: \(nested)}}]" }
        let scripts = [
            "scenario: {id: x}\nhands: {left: {motion: [{repeat: {times: 1000000000, motion: []}}]}}\n",
            "scenario: {id: x}\nhands: {left: {motion: [{repeat: {times: 1000000, motion: [{hold: 1}, {hold: 1}]}}]}}\n",
            "scenario: {id: x}\nhands: {left: {motion: \(nested)}}\n",
            "scenario: {id: x}\nhands: {left: {motion: [{hold: 1e308s}, {hold: 1e308s}]}}\n",
            "scenario: {id: x}\nduration: 1e6 s\n",
            "scenario: &a {id: x}\nhead: *a\n",
        ]
        for yaml in scripts {
            #expect(throws: MotionScriptError.self, "\(yaml)") { try MotionScript.parse(yaml: yaml) }
        }
    }

    @Test func yamlSyntaxErrorsHaveAPlace() {
        do {
            _ = try MotionScript.parse(yaml: "scenario: {id: x\nseed: [1, 2\n")
            Issue.record("no error")
        } catch {
            #expect(error.line >= 1 && error.message.hasPrefix("YAML:"))
        }
    }
}
