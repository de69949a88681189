import Testing
@testable import PracticumViewer

/// The adaptive multisampling decisions, fed frame times as the viewer's loop would (a frame's time
/// depends on the samples the governor last returned, through `cost`).
@Suite struct MultisampleGovernorTests {
    /// Feeds `frames` frames whose wall time is `cost(samples in use)`; returns the samples after each frame.
    func run(_ g: inout MultisampleGovernor, frames: Int, cost: (Int) -> Double) -> [Int] {
        (0..<frames).map { _ in g.observe(frameSeconds: cost(g.samples)) }
    }

    @Test func keepsMultisamplingWhileFramesKeepToTheBudget() {
        var g = MultisampleGovernor(preferred: 4, budget: 1.0 / 90)
        let used = run(&g, frames: 1000) { $0 > 0 ? 0.010 : 0.004 }
        #expect(used.allSatisfy { $0 == 4 })
        #expect(g.changes.isEmpty)
        #expect(g.phase == .on)
        #expect(g.medianOn == 0.010)
    }

    @Test func dropsMultisamplingWhenItBreaksTheBudgetAndDroppingHelps() {
        var g = MultisampleGovernor(preferred: 4, budget: 1.0 / 90)
        let used = run(&g, frames: 200) { $0 > 0 ? 0.018 : 0.007 }
        // 20 warm-up frames, then a 40-frame measurement at 4x: off from the 61st frame on
        #expect(used.prefix(59).allSatisfy { $0 == 4 })
        #expect(used[59...].allSatisfy { $0 == 0 })
        #expect(g.changes == [MultisampleGovernor.Change(frame: 60, samples: 0, medianSeconds: 0.018)])
        #expect(g.phase == .off)
        #expect(g.medianOff == 0.007)
    }

    @Test func triesAgainLaterAndBacksOffWhileItStillDoesNotFit() {
        var g = MultisampleGovernor(preferred: 4, budget: 1.0 / 90, retryDelay: 1)
        _ = run(&g, frames: 120) { $0 > 0 ? 0.018 : 0.007 }   // dropped at frame 60, measured off until 120
        #expect(g.phase == .off)
        // 1 s of 7 ms frames later it tries 4x again, measures 60 frames, and drops it with a doubled wait
        _ = run(&g, frames: 143) { $0 > 0 ? 0.018 : 0.007 }
        #expect(g.phase == .trialOn)
        _ = run(&g, frames: 60) { $0 > 0 ? 0.018 : 0.007 }
        #expect(g.phase == .off)
        #expect(g.retryDelay == 2)
        #expect(g.changes.map(\.samples) == [0, 4, 0])
    }

    @Test func keepsMultisamplingWhenTheSceneGetsLighter() {
        var g = MultisampleGovernor(preferred: 4, budget: 1.0 / 90, retryDelay: 1)
        _ = run(&g, frames: 250) { $0 > 0 ? 0.018 : 0.007 }
        #expect(g.samples == 0)
        // the trainee looks at a lighter part of the scene: the next try keeps 4x
        let used = run(&g, frames: 400) { $0 > 0 ? 0.009 : 0.005 }
        #expect(used.suffix(100).allSatisfy { $0 == 4 })
        #expect(g.phase == .on)
    }

    @Test func aFrameHeldByTheDisplayKeepsMultisamplingForGood() {
        // vsync at 60 Hz: every frame takes 16.7 ms whatever the samples; dropping them does not help
        var g = MultisampleGovernor(preferred: 4, budget: 1.0 / 90)
        let used = run(&g, frames: 2000) { _ in 1.0 / 60 }
        #expect(g.phase == .settledOn)
        #expect(g.changes.map(\.samples) == [0, 4])
        #expect(used.suffix(1800).allSatisfy { $0 == 4 })
    }

    @Test func doesNothingWithoutMultisamplingOrOnBadTimes() {
        var off = MultisampleGovernor(preferred: 0)
        #expect(run(&off, frames: 200) { _ in 0.05 }.allSatisfy { $0 == 0 })
        #expect(off.changes.isEmpty)
        var g = MultisampleGovernor(preferred: 4, budget: 1.0 / 90)
        #expect(run(&g, frames: 200) { _ in .nan }.allSatisfy { $0 == 4 })
        #expect(run(&g, frames: 200) { _ in -1 }.allSatisfy { $0 == 4 })
        #expect(g.changes.isEmpty && g.medianOn == nil)
    }

    @Test func summarisesWhatTheRunUsed() {
        var stats = RunStats()
        stats.samples = 4
        #expect(stats.multisampleSummary == "4x")
        stats.adaptiveSamples = true
        #expect(stats.multisampleSummary == "4x, adaptive: kept")
        stats.multisampleChanges = [MultisampleGovernor.Change(frame: 60, samples: 0, medianSeconds: 0.0179)]
        #expect(stats.multisampleSummary == "4x, adaptive: off from frame 61 (frames before 17.9 ms)")
        stats.samples = 0
        #expect(stats.multisampleSummary == "off")
    }
}
