import Foundation
import Testing
import PracticumSession
import PracticumCore
import PracticumTestSupport
@testable import PracticumViewer

@Suite struct FixedStepClockTests {
    @Test(arguments: [
        // dt, frame durations, speed, expected ticks per frame
        (0.01, [0.016, 0.016, 0.016], 1.0, [1, 2, 1]),
        (0.01, [0.005, 0.005, 0.005], 1.0, [0, 1, 0]),
        (0.01, [0.016, 0.016], 2.0, [3, 3]),
        (0.01, [0.016, 0.016], 0.5, [0, 1]),
        (0.001, [1.0], 1.0, [64]),   // capped: the run slows down rather than spiralling
    ])
    func paysOutWholeTicks(dt: Double, frames: [Double], speed: Double, expected: [Int]) {
        var clock = FixedStepClock(dt: dt)
        clock.speed = speed
        #expect(frames.map { clock.advance(realSeconds: $0) } == expected)
        #expect(clock.accumulator >= 0 && clock.accumulator < dt)
    }

    @Test func pausedClockOwesNothing() {
        var clock = FixedStepClock(dt: 0.01)
        clock.paused = true
        #expect(clock.advance(realSeconds: 1) == 0)
        #expect(clock.accumulator == 0)
    }

    @Test func alphaIsTheFractionOfATick() {
        var clock = FixedStepClock(dt: 0.01)
        _ = clock.advance(realSeconds: 0.0125)
        #expect(isClose(clock.alpha, 0.25, abs: 1e-9))
    }
}

@Suite struct InputMapperTests {
    @Test func heldKeysMoveTheActiveHandsTargetInTheKeyFrame() {
        var m = InputMapper()
        let start = m.targets[1].position
        // key frame yawed 90° left: "forward" is world −x, "right" is world −z
        let view = Quat(axis: .unitY, angle: .pi / 2)
        m.advance(held: [.w], dt: 0.1, view: view)
        #expect(isClose(m.targets[1].position, start + Vec3(-0.015, 0, 0), abs: 1e-12))
        m.advance(held: [.d, .shift], dt: 0.1, view: view)
        #expect(isClose(m.targets[1].position, start + Vec3(-0.015, 0, -0.001875), abs: 1e-12))
        m.advance(held: [.r], dt: 1, view: view)
        #expect(isClose(m.targets[1].position.y, start.y + 0.15, abs: 1e-12))
        // the other hand never moved
        #expect(m.hands[0] == InputMapper().hands[0] && m.targets[0] == InputMapper().targets[0])
    }

    @Test func theHandFollowsItsTargetWithinHumanLimitsAndStopsOnIt() {
        var m = InputMapper()
        let start = m.hands[1].pose.position, dt = 1.0 / 240
        // a 30 cm jump of the pointer: the hand gets there at ≤ 1 m/s and ≤ 10 m/s², and stops on it
        var previous = start, previousVelocity = Vec3.zero, peakSpeed = 0.0, peakAcceleration = 0.0
        m.advance(held: [], pointer: PointerMotion(move: Vec3(0.3, 0, 0)), dt: dt, view: .identity)
        for _ in 0..<400 {
            let p = m.hands[1].pose.position, v = (p - previous) * (1 / dt)
            peakSpeed = max(peakSpeed, v.length); peakAcceleration = max(peakAcceleration, (v - previousVelocity).length / dt)
            previous = p; previousVelocity = v
            m.advance(held: [], dt: dt, view: .identity)
        }
        #expect(m.hands[1].pose.position == start + Vec3(0.3, 0, 0))
        #expect(peakSpeed <= 1 + 1e-9 && peakSpeed > 0.99)
        #expect(peakAcceleration <= 10 + 1e-6)
    }

    @Test func linkedHandsMoveTogether() {
        var m = InputMapper()
        _ = m.press(.x)
        m.advance(held: [], pointer: PointerMotion(move: Vec3(0, -0.05, 0)), dt: 0.01, view: .identity)
        #expect(m.targets[0].position == InputMapper().targets[0].position + Vec3(0, -0.05, 0))
        #expect(m.targets[1].position == InputMapper().targets[1].position + Vec3(0, -0.05, 0))
    }

    @Test func aScenarioButtonKeyHoldsAndLatchesItsButton() {
        var m = InputMapper()
        m.buttonKeys = [.b: "flush"]
        #expect(m.press(.b) == nil)
        #expect(m.frame(time: 0, head: .identity, held: []).buttons == ["flush"])
        #expect(m.frame(time: 0.01, head: .identity, held: []).buttons == [])
        #expect(m.frame(time: 0.02, head: .identity, held: [.b]).buttons == ["flush"])
    }

    @Test func arrowsAndRollTurnTheHand() {
        var m = InputMapper()
        m.advance(held: [.left], dt: 0.5, view: .identity)
        #expect(isClose(m.hands[1].pose.orientation.angle(to: Quat(axis: .unitY, angle: 0.6)), 0, abs: 1e-9))
        var r = InputMapper()
        r.advance(held: [.q], dt: 0.5, view: .identity)
        // roll is about the pointer (−z): the pointer direction is unchanged
        #expect(isClose(r.hands[1].pose.orientation.rotate(Vec3(0, 0, -1)), Vec3(0, 0, -1), abs: 1e-12))
        #expect(isClose(r.hands[1].pose.orientation.angle, 0.6, abs: 1e-9))
    }

    @Test func spaceTogglesGripTabSwitchesHands() {
        var m = InputMapper()
        #expect(m.press(.space) == nil)
        #expect(m.hands[1].grip == 1)
        _ = m.press(.tab)
        #expect(m.activeHand == 0)
        _ = m.press(.space)
        #expect(m.hands[0].grip == 1)
        _ = m.press(.space)
        #expect(m.hands[0].grip == 0 && m.hands[1].grip == 1)
    }

    @Test func aTappedHintReachesExactlyOneFrame() {
        var m = InputMapper()
        _ = m.press(.h)
        #expect(m.frame(time: 0, head: .identity, held: []).buttons == ["hint"])
        #expect(m.frame(time: 0.01, head: .identity, held: []).buttons == [])
        #expect(m.frame(time: 0.02, head: .identity, held: [.h]).buttons == ["hint"])
    }

    @Test func triggerFollowsTheTKey() {
        var m = InputMapper()
        m.advance(held: [.t], dt: 0.01, view: .identity)
        #expect(m.hands[1].trigger == 1)
        m.advance(held: [], dt: 0.01, view: .identity)
        #expect(m.hands[1].trigger == 0)
    }

    @Test(arguments: [(ViewerKey.f1, ViewerCommand.toggleHelp), (.f3, .toggleFrameTime), (.p, .togglePause), (.f2, .toggleStereo),
                      (.escape, .quit), (.rightBracket, .speed(factor: 2)), (.comma, .seek(seconds: -5)), (.v, .resetView), (.g, .toggleAssists)])
    func commandKeys(key: ViewerKey, command: ViewerCommand) {
        var m = InputMapper()
        #expect(m.press(key) == command)
    }
}

@Suite struct DriverTests {
    /// Holds D then W then grips, as a person would, over `frames` of the given lengths (s).
    func run(frames: [Double]) -> ViewerDriver<DemoSimulation> {
        var d = ViewerDriver(makeSimulation: { DemoSimulation() })
        var t = 0.0
        for f in frames {
            let held: Set<ViewerKey> = t < 0.3 ? [.d] : (t < 0.6 ? [.w, .r] : [])
            _ = d.frame(realSeconds: f, held: held, head: DemoSimulation.camera.pose)
            t += f
        }
        return d
    }

    @Test func frameRateDoesNotChangeWhatIsComputed() {
        // 1.2 s at 120 fps and at 30 fps: same ticks, same key timeline at tick resolution → same state
        let fast = run(frames: Array(repeating: 1.0 / 120, count: 144))
        let slow = run(frames: Array(repeating: 4.0 / 120, count: 36))
        #expect(fast.simulation.tick == slow.simulation.tick)
        #expect(fast.recorded == slow.recorded)
        #expect(fast.simulation.viewScene() == slow.simulation.viewScene())
    }

    @Test func replayReproducesTheLiveRun() {
        let live = run(frames: Array(repeating: 1.0 / 60, count: 80))
        var replay = ViewerDriver(makeSimulation: { DemoSimulation() }, replay: live.recorded)
        while !replay.isAtEnd { _ = replay.frame(realSeconds: 0.05, held: [.a], head: .identity) }
        #expect(replay.simulation.tick == live.simulation.tick)
        #expect(replay.simulation.viewScene() == live.simulation.viewScene())
    }

    @Test func seekingBackAndForthLandsOnTheSameState() {
        let live = run(frames: Array(repeating: 1.0 / 60, count: 80))
        var replay = ViewerDriver(makeSimulation: { DemoSimulation() }, replay: live.recorded)
        replay.seek(seconds: 0.5)
        let at = replay.simulation.viewScene()
        replay.seek(seconds: 0.3)
        replay.seek(seconds: -0.3)
        #expect(replay.simulation.tick == 60)
        #expect(replay.simulation.viewScene() == at)
        replay.seek(seconds: 100)
        #expect(replay.isAtEnd)
    }

    @Test func drawnTimeIsInterpolatedBetweenTicks() {
        var d = ViewerDriver(makeSimulation: { DemoSimulation() })
        let s = d.frame(realSeconds: 2.5 / 120, held: [], head: .identity)
        #expect(d.simulation.tick == 2)
        #expect(isClose(s.time, 1.5 / 120, abs: 1e-12))
    }

    @Test func pausedDriverDoesNotTick() {
        var d = ViewerDriver(makeSimulation: { DemoSimulation() })
        d.clock.paused = true
        _ = d.frame(realSeconds: 1, held: [.w], head: .identity)
        #expect(d.simulation.tick == 0 && d.recorded.isEmpty)
    }

    @Test func demoCanBeCompleted() {
        // carry the right hand onto the needle, grasp, then bring the tip to the landmark
        var sim = DemoSimulation()
        var input = sim.initialInput
        input.hands[1].pose = Pose(position: sim.needle.position)
        input.hands[1].grip = 1
        sim.step(input: input)
        #expect(sim.steps[0] == .completed && sim.held)
        let tipOffset = sim.needleTip - sim.needle.position
        let target = DemoSimulation.landmarkPosition - tipOffset
        let handOffset = sim.needle.position - input.hands[1].pose.position
        input.hands[1].pose.position = target - handOffset
        sim.step(input: input)
        #expect(sim.isFinished)
        #expect(sim.viewScene().hud.debrief == DebriefModel(score: 100, passed: true))
    }
}

/// A demo whose "scenario file" reloads on demand, to test the driver's hot-reload handling.
struct ReloadingDemo: ViewerSimulation {
    var demo = DemoSimulation()
    var outcomes: [ReloadOutcome]
    var dt: Double { demo.dt }
    var tick: Int { demo.tick }
    var initialInput: InputFrame { demo.initialInput }
    var isFinished: Bool { demo.isFinished }
    mutating func step(input: InputFrame) { demo.step(input: input) }
    func viewScene() -> ViewScene { demo.viewScene() }
    mutating func reloadIfChanged() -> ReloadOutcome {
        let o = outcomes.isEmpty ? .unchanged : outcomes.removeFirst()
        if o == .reloaded { demo = DemoSimulation() }
        return o
    }
}

@Suite struct HotReloadTests {
    @Test func failedReloadKeepsRunningAndReportsSuccessfulReloadRestarts() {
        var d = ViewerDriver(makeSimulation: { ReloadingDemo(outcomes: [.unchanged, .failed("steps[2]: unknown region"), .unchanged, .reloaded]) })
        _ = d.frame(realSeconds: 0.1, held: [.w], head: .identity)
        _ = d.frame(realSeconds: 0.1, held: [.w], head: .identity)
        #expect(d.reloadError == "steps[2]: unknown region")
        #expect(d.simulation.tick == 24 && d.recorded.count == 24)
        _ = d.frame(realSeconds: 0.1, held: [], head: .identity)
        #expect(d.reloadError == "steps[2]: unknown region")
        _ = d.frame(realSeconds: 0.1, held: [], head: .identity)
        #expect(d.reloadError == nil)
        #expect(d.simulation.tick == 12 && d.recorded.count == 12)
    }

    @Test func fileWatcherSeesChangesOnce() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-watch-\(getpid()).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "a: 1\n".write(toFile: path, atomically: false, encoding: .utf8)
        var w = FileWatcher(path: path)
        var seen = [w.changed()]
        try "a: 22\n".write(toFile: path, atomically: false, encoding: .utf8)
        seen.append(w.changed())
        seen.append(w.changed())
        try FileManager.default.removeItem(atPath: path)
        seen.append(w.changed())
        #expect(seen == [false, true, false, true])
    }
}

/// Counts `finishNow` calls.
struct FinishCountingDemo: ViewerSimulation {
    var demo = DemoSimulation()
    var finishes = 0
    var dt: Double { demo.dt }
    var tick: Int { demo.tick }
    var initialInput: InputFrame { demo.initialInput }
    var isFinished: Bool { demo.isFinished || finishes > 0 }
    mutating func step(input: InputFrame) { demo.step(input: input) }
    func viewScene() -> ViewScene { demo.viewScene() }
    mutating func finishNow() { finishes += 1 }
}

@Suite struct ReplayResamplingTests {
    @Test func replayFeedsTheTraceResampledAtTickTimesLikeHeadlessScoring() {
        // a 90 Hz trace of 0.5 s (samples at 0, 1/90, ..., 45/90) moving the right hand along x
        let samples = (0...45).map { k -> InputFrame in
            var f = DemoSimulation().initialInput
            f.time = Double(k) / 90
            f.hands[1].pose.position.x = 0.2 + Double(k) * 0.001
            return f
        }
        var d = ViewerDriver(makeSimulation: { FinishCountingDemo() }, replay: samples)
        while !d.isAtEnd { _ = d.frame(realSeconds: 0.05, held: [], head: .identity) }
        // ticks while (k+1)·dt ≤ 0.5 s: 60 at 120 Hz, then the input ran out and the run was finished once
        #expect(d.simulation.tick == 60)
        #expect(d.simulation.finishes == 1)
        var reference = Resampler(samples: samples)
        let dt = DemoSimulation().dt
        let expected = (1...60).map { reference.frame(at: Double($0) * dt) }   // as Replay.run computes tick times
        #expect(d.recorded == expected)
    }

    @Test func liveFramesAreStampedAtTheEndOfTheirTickAndPassThroughTheRecorder() {
        var d = ViewerDriver(makeSimulation: { DemoSimulation() })
        d.recordHook = { (f: InputFrame) -> InputFrame? in
            guard f.time < 2.5 / 120 else { return nil }
            var g = f
            g.buttons = ["rec"]
            return g
        }
        _ = d.frame(realSeconds: 3.0 / 120, held: [], head: .identity)
        let times: [Double] = [1, 2, 3].map { $0 / 120 }
        #expect(d.recorded.map(\.time) == times)
        // the recorder's stored frame is what the simulation gets; a dropped sample holds the previous input
        #expect(d.recorded.map(\.buttons) == [["rec"], ["rec"], ["rec"]])
    }
}

/// F1 and P as the trainee meets them: reading the help costs no simulated time.
@Suite struct RunControlTests {
    @Test func helpPausesAndClosingItRestoresWhatPChose() {
        var clock = FixedStepClock(dt: 0.01)
        var control = RunControl()
        #expect(clock.advance(realSeconds: 0.05) == 5 && control.status == nil)
        control.toggleHelp(&clock)
        #expect(clock.advance(realSeconds: 1) == 0)
        #expect(control.status == "PAUSED (help open, F1 to close)")
        control.toggleHelp(&clock)
        #expect(clock.advance(realSeconds: 0.05) == 5)
        // paused with P, then help opened and closed: still paused
        control.togglePause(&clock)
        control.toggleHelp(&clock)
        control.toggleHelp(&clock)
        #expect(clock.advance(realSeconds: 1) == 0 && control.status == "PAUSED (P)")
        // P while the help is open decides what closing it leaves
        control.toggleHelp(&clock)
        control.togglePause(&clock)
        #expect(clock.advance(realSeconds: 1) == 0)
        control.toggleHelp(&clock)
        #expect(clock.advance(realSeconds: 0.05) == 5)
    }

    @Test func startingWithTheHelpOpenStartsPaused() {
        let control = RunControl(help: true)
        #expect(control.paused && control.help)
    }
}

/// Home during a recorded live run: the abandoned attempt keeps its own complete trace, the new
/// attempt gets the next file, and each trace holds one attempt from tick 1.
@Suite struct RestartRecordingTests {
    @Test func everyAttemptHasItsOwnTrace() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-attempts-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // a file already named like the second attempt is never overwritten
        try "keep".write(toFile: dir + "/run-2.trace", atomically: true, encoding: .utf8)
        var d = ViewerDriver(makeSimulation: { DemoSimulation() })
        let header = TraceHeader(scenarioID: "demo", sampleRate: 1 / d.simulation.dt, handCount: 2)
        let recording = AttemptRecording(try TraceRecorder(path: dir + "/run.trace", header: header))
        d.recordHook = { recording.record($0) }
        d.restartHook = { try? recording.nextAttempt() }
        for _ in 0..<30 { _ = d.frame(realSeconds: 1.0 / 60, held: [.d], head: DemoSimulation.camera.pose) }
        let firstTicks = d.simulation.tick
        d.restart()
        for _ in 0..<20 { _ = d.frame(realSeconds: 1.0 / 60, held: [.w], head: DemoSimulation.camera.pose) }
        try recording.finish()
        #expect(recording.paths == [dir + "/run.trace", dir + "/run-3.trace"])
        let first = try TraceReader.read(contentsOf: recording.paths[0])
        let second = try TraceReader.read(contentsOf: recording.paths[1])
        #expect(first.frames.count == firstTicks && first.isComplete)
        #expect(second.frames == d.recorded && second.isComplete)
        #expect(second.frames.first?.time == d.simulation.dt)
        #expect(try String(contentsOfFile: dir + "/run-2.trace", encoding: .utf8) == "keep")
    }
}
