import Foundation
import Testing
import PracticumCore
@testable import PracticumSession
import PracticumTestSupport

@Suite struct ResamplerTests {
    let quarterTurn = Quat(axis: .unitZ, angle: .pi / 2)
    var a: InputFrame { InputFrame(time: 0, hands: [HandInput(grip: 0, trigger: 1), HandInput()], buttons: ["menu"]) }
    var b: InputFrame {
        InputFrame(time: 0.5, head: Pose(position: Vec3(1, 2, 4), orientation: quarterTurn),
                   hands: [HandInput(pose: Pose(position: Vec3(-4, 0, 8)), grip: 1, trigger: 0), HandInput()], buttons: ["hint"])
    }

    @Test func interpolatesPositionsGripTriggerLinearlyAndHoldsButtons() {
        var r = Resampler(samples: [a, b])
        let f = r.frame(at: 0.125)
        #expect(f.time == 0.125)
        #expect(f.head.position == Vec3(0.25, 0.5, 1))
        #expect(f.hands[0].pose.position == Vec3(-1, 0, 2))
        #expect(f.hands[0].grip == 0.25 && f.hands[0].trigger == 0.75)
        #expect(f.buttons == ["menu"])
        // slerp a quarter of the way along a 90° turn: 22.5° about z.
        let q = f.head.orientation
        #expect(isClose(q.w, cos(.pi / 16), abs: 1e-15) && isClose(q.z, sin(.pi / 16), abs: 1e-15) && q.x == 0 && q.y == 0)
    }

    @Test func sampleTimesReturnSamplesBitExactlyAndEndsAreHeld() {
        var r = Resampler(samples: [a, b])
        var expectB = b; expectB.time = 0.5
        #expect(r.frame(at: 0.5) == expectB)
        #expect(r.frame(at: 0) == a)
        var late = b; late.time = 3
        #expect(r.frame(at: 3) == late)
        var early = a; early.time = -1
        #expect(r.frame(at: -1) == early)
        var empty = Resampler()
        #expect(empty.frame(at: 2) == InputFrame(time: 2))
    }

    @Test func buttonsAreThoseOfTheLatestSampleAtOrBeforeT() {
        var r = Resampler(samples: [a, b])
        #expect(r.frame(at: 0.4999).buttons == ["menu"])
        #expect(r.frame(at: 0.5).buttons == ["hint"])
    }

    @Test func duplicateSampleTimesUseTheLatest() {
        var a2 = a; a2.buttons = ["grab"]
        var r = Resampler(samples: [a, a2, b])
        #expect(r.frame(at: 0).buttons == ["grab"])
        #expect(r.frame(at: 0.25).head.position == Vec3(0.5, 1, 2))
    }

    @Test(arguments: [72.0, 90, 120])
    func sequentialAndRandomOrderQueriesAgree(rate: Double) {
        let samples = sampleFrames(count: 300).enumerated().map { i, f in var f = f; f.time = Double(i) / rate; return f }
        var seq = Resampler(samples: samples)
        let ticks = (0..<600).map { Double($0) / 240 }
        let inOrder = ticks.map { seq.frame(at: $0) }
        var rng = SeededRandom(seed: 3)
        var shuffled = Resampler(samples: samples)
        for i in ticks.indices.shuffled(using: &rng) { #expect(shuffled.frame(at: ticks[i]) == inOrder[i]) }
    }

    @Test func traceSourceReplaysAndEnds() throws {
        let trace = try TraceReader.read(bytes: TraceWriter.encode(header: TraceHeader(scenarioID: "s"), frames: [a, b]))
        var source = TraceInputSource(trace: trace)
        #expect(source.frame(at: 0.125).head.position == Vec3(0.25, 0.5, 1))
        #expect(!source.isExhausted(at: 0.5) && source.isExhausted(at: 0.51))
    }

    @Test func liveSourceInterpolatesTowardNewerSamplesAndHoldsTheNewest() {
        var live = LiveInputSource()
        live.push(a); live.push(b)
        #expect(live.frame(at: 0.25).head.position == Vec3(0.5, 1, 2))
        var stale = a; stale.time = 0.1
        live.push(stale) // older than the newest: dropped
        #expect(live.frame(at: 0.75).head.position == Vec3(1, 2, 4))
        #expect(!live.isExhausted(at: 1e9))
    }
}
