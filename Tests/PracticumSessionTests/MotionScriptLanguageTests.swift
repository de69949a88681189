import Testing
import PracticumCore
@testable import PracticumSession
import PracticumTestSupport
import Foundation

/// Poses, relative moves, sequences with parameters, pace, and sync points (docs/trace-format.md,
/// "Poses, sequences and sync points").
@Suite struct MotionScriptLanguageTests {
    static func frames(_ yaml: String) throws -> [InputFrame] { try MotionScript.parse(yaml: yaml).frames() }

    static func error(_ yaml: String) -> MotionScriptError? {
        do { _ = try MotionScript.parse(yaml: yaml); return nil } catch { return error }
    }

    /// The left hand arrives at the meeting point after 1 s, the right after 2 s: the left waits
    /// there until 2 s, then both go on together.
    static let meeting = """
    scenario: {id: x}
    sample_rate: 4Hz
    poses:
      meet: {position: [0, 1, 0]}
    hands:
      left:
        start: {position: [-1, 1, 0]}
        motion:
          - move: {to: meet, duration: 1s}
          - sync: handover
          - move: {by: [0, 0, 1], duration: 1s}
      right:
        start: {position: [1, 1, 0]}
        motion:
          - move: {to: meet, offset: [0.5, 0, 0], duration: 2s}
          - sync: handover
          - grasp: 0.5s
    """

    @Test func aSyncPointHoldsTheEarlyHandUntilTheLateOneArrives() throws {
        let f = try Self.frames(Self.meeting)
        #expect(f.count == 13) // 3 s at 4 Hz, the left hand's move after the wait ends last
        let left = f.map { $0.hands[0].pose.position }, right = f.map { $0.hands[1].pose.position }
        #expect(left[4] == Vec3(0, 1, 0) && left[6] == Vec3(0, 1, 0) && left[8] == Vec3(0, 1, 0)) // waits 1 s to 2 s
        #expect(left[10] == Vec3(0, 1, 0.5) && left[12] == Vec3(0, 1, 1))
        #expect(right[8] == Vec3(0.5, 1, 0) && f[8].hands[1].grip == 0 && f[10].hands[1].grip == 1)
    }

    @Test func relativeMovesAndPoses() throws {
        let f = try Self.frames("""
        scenario: {id: x}
        sample_rate: 1Hz
        poses:
          top: {position: [0, 2, 0], grip: 0.5}
        hands:
          right:
            start: {pose: top, rotation: [0, 90, 0]}
            motion:
              - move: {along: 1, duration: 1s}
              - move: {along: {axis: [0, 1, 0], distance: 2}, duration: 1s}
              - move: {by: [0, 0, 3], duration: 1s}
        """)
        let p = f.map { $0.hands[1].pose.position }
        // −z turned 90° about y points along −x
        #expect(abs(p[1].x + 1) < 1e-12 && abs(p[1].y - 2) < 1e-12 && abs(p[1].z) < 1e-12)
        #expect(abs(p[2].y - 4) < 1e-12 && abs(p[3].z - 3) < 1e-12)
        #expect(f[0].hands[1].grip == 0.5)
    }

    @Test func sequencesTakeParametersAndPaceScalesTheirDurations() throws {
        let script = """
        scenario: {id: x}
        sample_rate: 2Hz
        pace: 2
        sequences:
          go:
            - move: {position: [$(x), 0, 0], duration: 1s}
            - hold: 0.5s
        hands:
          right:
            motion:
              - play: {sequence: go, with: {x: 4}}
              - play: {sequence: go, with: {x: 8}, pace: 0.5}
        """
        let s = try MotionScript.parse(yaml: script)
        #expect(s.duration == 4.5) // (1 + 0.5) × 2, then (1 + 0.5) × 2 × 0.5
        let x = s.frames().map { $0.hands[1].pose.position.x }
        #expect(x == [0, 1, 2, 3, 4, 4, 4, 6, 8, 8])
    }

    @Test(arguments: [
        ("- play: {sequence: go, with: {x: 4}}", "- play: {sequence: went, with: {x: 4}}", 8, "hands.right.motion[0].play.sequence",
         "unknown sequence 'went'; sequences: go"),
        ("- play: {sequence: go, with: {x: 4}}", "- play: {sequence: go}", 8, "hands.right.motion[0].play",
         "sequence 'go' needs a value for 'x' (give it under with:)"),
        ("- play: {sequence: go, with: {x: 4}}", "- play: {sequence: go, with: {x: 4, y: 1}}", 8, "hands.right.motion[0].play.with",
         "sequence 'go' has no parameter 'y'; its parameters: x"),
        ("duration: 1s}", "duration: 1mm}", 4, "sequences.go[0].move.duration", "'1mm' is a length, expected a time"),
        ("- play: {sequence: go, with: {x: 4}}", "- move: {to: nowhere, duration: 1s}", 8, "hands.right.motion[0].move.to",
         "unknown pose 'nowhere'; define it under poses:"),
        ("- play: {sequence: go, with: {x: 4}}", "- move: {by: [1, 0, 0], position: [0, 0, 0], duration: 1s}", 8, "hands.right.motion[0].move",
         "give at most one of position, to, by, along (found position and by)"),
        ("- play: {sequence: go, with: {x: 4}}", "- move: {offset: [1, 0, 0], duration: 1s}", 8, "hands.right.motion[0].move.offset",
         "offset shifts a pose; use it with to"),
    ])
    func sequenceAndPoseErrorsSayWhereAndWhat(_ c: (String, String, Int, String, String)) throws {
        let base = """
        scenario: {id: x}
        sequences:
          go:
            - move: {position: [$(x), 0, 0], duration: 1s}
        hands:
          right:
            motion:
              - play: {sequence: go, with: {x: 4}}
        """
        let text = base.replacingOccurrences(of: c.0, with: c.1)
        #expect(text != base)
        let e = try #require(Self.error(text))
        #expect(e.line == c.2 && e.path == c.3 && e.message == c.4, "\(e)")
    }

    @Test func syncsThatCannotMeetAreErrors() throws {
        let once = Self.meeting.replacingOccurrences(of: "      - grasp: 0.5s", with: "      - grasp: 0.5s\n      - sync: handover")
        let e = try #require(Self.error(once))
        #expect(e.description == "18:15: error: hands.right.motion[3].sync: the right hand waits at sync 'handover' for the 2nd time, which the left hand reaches only 1 time")
        let crossed = """
        scenario: {id: x}
        hands:
          left:
            motion: [{sync: a}, {sync: b}]
          right:
            motion: [{sync: b}, {sync: a}]
        """
        let d = try #require(Self.error(crossed))
        #expect(d.message == "the hands wait for each other: the left hand at 'a', the right hand at 'b'; every track must reach its sync points in the same order", "\(d)")
        #expect(d.line == 4 && d.path == "hands.left.motion[0].sync")
    }

    @Test func theShippedFLSScriptsMeetAtEveryHandOver() throws {
        let text = try String(contentsOfFile: repositoryRoot() + "/scenarios/fls-peg-transfer/traces/expert.yaml", encoding: .utf8)
        let f = try MotionScript.parse(yaml: text).frames()
        // whenever the right hand closes on an object in mid-air, the left hand is 1 cm away, holding it
        var meetings = 0
        for (a, b) in zip(f, f.dropFirst()) where a.hands[1].grip == 0 && b.hands[1].grip > 0 && b.hands[1].pose.position.y > 0.99 {
            meetings += 1
            #expect(abs(b.hands[0].pose.position.distance(to: b.hands[1].pose.position) - 0.01) < 2e-3)
            #expect(b.hands[0].grip == 1)
        }
        #expect(meetings == 6)
    }
}
