import Foundation
import Testing
import PracticumCore
@testable import PracticumServer

/// The live protocol's codecs (docs/live-protocol.md): what round-trips, and every way a frame can be refused.
@Suite struct LiveProtocolTests {
    static let sample = InputFrame(time: 0, head: Pose(position: Vec3(0, 1.6, 0.4)),
                                   hands: [HandInput(pose: Pose(position: Vec3(-0.2, 1, 0.3)), grip: 0.25, trigger: 0),
                                           HandInput(pose: Pose(position: Vec3(0.2, 1, 0.3), orientation: Quat(w: 0.6, x: 0.8, y: 0, z: 0)), grip: 1, trigger: 0.5)],
                                   buttons: ["call_help", "hint"])

    @Test func inputRoundTripsBitForBit() throws {
        let bytes = LiveProtocol.encodeInput(Self.sample, sequence: 77)
        #expect(bytes.count == 8 + 56 + 2 * 72 + (1 + 9) + (1 + 4))
        let decoded = try LiveProtocol.decodeInput(bytes, handCount: 2).get()
        #expect(decoded.sequence == 77)
        #expect(decoded.sample == Self.sample)
    }

    static func refusal(_ bytes: [UInt8]) -> String? {
        if case let .failure(e) = LiveProtocol.decodeInput(bytes, handCount: 2) { return e.code + ": " + e.message }
        return nil
    }

    @Test func malformedInputFramesAreRefusedWithAReason() {
        let good = LiveProtocol.encodeInput(Self.sample, sequence: 1)
        #expect(Self.refusal([])?.hasPrefix("bad_frame: an input frame is at least 64 bytes") == true)
        var wrongType = good; wrongType[0] = 0x7f
        #expect(Self.refusal(wrongType)?.contains("is not an input frame") == true)
        var oneHand = good; oneHand[1] = 1
        #expect(Self.refusal(oneHand)?.contains("has 1 hands; the session has 2") == true)
        #expect(Self.refusal(Array(good.dropLast(3)))?.contains("runs past the end") == true)
        #expect(Self.refusal(good + [0])?.contains("1 bytes after the last button") == true)
        var manyButtons = good; manyButtons[2] = 200
        #expect(Self.refusal(manyButtons)?.contains("200 buttons held; at most 32") == true)
        var nan = Self.sample; nan.hands[0].grip = .nan
        #expect(Self.refusal(LiveProtocol.encodeInput(nan, sequence: 1))?.contains("non-finite") == true)
        var far = Self.sample; far.head.position.x = 5000
        #expect(Self.refusal(LiveProtocol.encodeInput(far, sequence: 1))?.contains("farther than 1000 m") == true)
        var squashed = Self.sample; squashed.head.orientation = Quat(w: 2, x: 0, y: 0, z: 0)
        #expect(Self.refusal(LiveProtocol.encodeInput(squashed, sequence: 1))?.contains("not a unit quaternion") == true)
        var badName = Self.sample; badName.buttons = ["no spaces"]
        #expect(Self.refusal(LiveProtocol.encodeInput(badName, sequence: 1))?.contains("must be letters, digits") == true)
    }

    @Test func everyTruncationOfAGoodFrameIsRefusedNotCrashed() {
        let good = LiveProtocol.encodeInput(Self.sample, sequence: 1)
        for n in 0..<good.count { #expect(Self.refusal(Array(good.prefix(n))) != nil, "prefix of \(n) bytes") }
        var g = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var b = good
            for _ in 0..<3 { b[Int.random(in: 0..<b.count, using: &g)] = UInt8.random(in: 0...255, using: &g) }
            _ = LiveProtocol.decodeInput(b, handCount: 2) // refused or accepted, never a trap
        }
    }

    @Test(arguments: [
        ("{\"type\":\"hello\",\"protocol\":1,\"token\":\"t\"}", "ok"),
        ("{\"type\":\"start\",\"scenario\":\"cpr-adult\",\"trainee\":\"t1\",\"seed\":42}", "ok"),
        ("not json", "bad_message: a control message is a JSON object"),
        ("[1,2]", "bad_message: a control message is a JSON object"),
        ("{\"kind\":\"hello\"}", "bad_message: a control message has a \"type\" (a string)"),
        ("{\"type\":\"hello\"}", "bad_message: hello needs \"protocol\": 1"),
        ("{\"type\":\"start\"}", "bad_message: start needs \"scenario\": a scenario id of at most 64 characters"),
        ("{\"type\":\"start\",\"scenario\":\"x\",\"seed\":-1}", "bad_message: \"seed\" is a whole number 0 … 2^64−1"),
        ("{\"type\":\"trigger\"}", "bad_message: trigger needs \"event\": an event id"),
        ("{\"type\":\"launch\"}", "bad_message: unknown message type 'launch'"),
    ])
    func controlMessages(text: String, expected: String) {
        switch LiveProtocol.decodeControl(text) {
        case .success: #expect(expected == "ok")
        case let .failure(e): #expect("\(e.code): \(e.message)" == expected)
        }
    }

    @Test func stateFramesCarryTheLayoutTheDocsGive() {
        let f = LiveProtocol.encodeState(tick: 5, time: 5.0 / 240, lastSequence: 9, bodies: [Pose(position: Vec3(1, 2, 3))], couplingForces: [1.5, 0])
        #expect(f.count == 24 + 28 + 8)
        #expect(f[0] == 0x81 && f[1] == 2 && f[2] == 1 && f[4] == 5 && f[8] == 9)
        let patched = LiveProtocol.patchDropped(f, 258)
        #expect(patched[12] == 2 && patched[13] == 1 && patched[14] == 0)
    }

    @Test func aFullOutboxDropsTheOldestAndCountsThem() async {
        let box = Outbox(capacity: 4)
        for i in 0..<10 { box.send(.text("\(i)")) }
        box.finish()
        var seen: [String] = []
        while let m = await box.next() { if case let .text(t) = m { seen.append(t) } }
        #expect(seen == ["6", "7", "8", "9"])
        #expect(box.dropped == 6)
    }

    /// A reply (status, ended, an error) outlives a flood of state frames behind it.
    @Test func repliesSurviveAFloodOfState() async {
        let box = Outbox(capacity: 3)
        box.send(.reply("started"))
        for i in 0..<10 { box.send(.state([UInt8(i)])) }
        box.send(.reply("ended"))
        box.finish()
        var seen: [String] = []
        while let m = await box.next() {
            switch m {
            case let .reply(t): seen.append(t)
            case let .state(b): seen.append("state \(b[0])")
            default: break
            }
        }
        #expect(seen == ["started", "state 9", "ended"])
        #expect(box.dropped == 9)
    }

    /// A writer waiting on an empty queue gets the next message, and nil once finished.
    @Test func aWaitingWriterIsWokenAndFinished() async {
        let box = Outbox(capacity: 8)
        async let first = box.next()
        try? await Task.sleep(for: .milliseconds(50))
        box.send(.reply("hello"))
        if case let .reply(t)? = await first { #expect(t == "hello") } else { Issue.record("no message") }
        async let last = box.next()
        try? await Task.sleep(for: .milliseconds(50))
        box.finish()
        #expect(await last == nil)
    }

    @Test func tokensCompareExactly() {
        #expect(Connection.constantTimeEqual("abc", "abc"))
        #expect(!Connection.constantTimeEqual("abd", "abc"))
        #expect(!Connection.constantTimeEqual("ab", "abc"))
        #expect(!Connection.constantTimeEqual("", ""))
    }

    @Test func latenessQuantilesComeFromTheHistogram() {
        var h = LatenessHistogram()
        for ms in 0..<100 { h.add(.microseconds(ms * 100)) } // 0.0 … 9.9 ms
        #expect(h.count == 100)
        #expect(h.quantile(0.5) == 5.0)
        #expect(h.quantile(0.99) == 9.9)
    }
}
