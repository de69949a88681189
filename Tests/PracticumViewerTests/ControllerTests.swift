import Foundation
import Testing
import PracticumCore
import PracticumTestSupport
@testable import PracticumViewer

@Suite struct InputSinkTests {
    @Test func aTapInsideOneFrameIsStillAPressAndAClick() {
        let sink = InputSink()
        sink.key(.space, down: true); sink.key(.space, down: false)
        sink.mouseButton(.left, down: true); sink.mouseButton(.left, down: false)
        let s = sink.poll()
        #expect(s.pressed == [.space] && s.held.isEmpty)
        #expect(s.clicked == [.left] && s.buttons.isEmpty)
        #expect(sink.poll() == InputSnapshot())
    }

    @Test func aHeldKeyIsPressedOnceAndTheDeltaIsSinceTheLastPoll() {
        let sink = InputSink()
        sink.cursor(x: 100, y: 100)
        _ = sink.poll()
        sink.key(.w, down: true); sink.key(.w, down: true)   // auto-repeat is not a new press
        sink.cursor(x: 110, y: 95); sink.cursor(x: 120, y: 90)
        let s = sink.poll()
        #expect(s.pressed == [.w] && s.held == [.w])
        #expect(s.pointerDelta == (20, -10))
        sink.cursor(x: .nan, y: 0)   // ignored
        #expect(sink.poll().pointerDelta == (0, 0))
    }
}

@Suite struct ControllerTests {
    func controller() -> ViewerController<DemoSimulation> {
        var options = ViewerOptions(fontPath: "")
        options.camera = DemoSimulation.camera
        return ViewerController(driver: ViewerDriver(makeSimulation: { DemoSimulation() }), options: options)
    }

    @Test func theFirstEscEndsTheRunIntoTheDebriefTheSecondQuits() throws {
        let path = repositoryRoot() + "/scenarios/iv-cannulation/scenario.yaml"
        var options = ViewerOptions(fontPath: "")
        options.camera = try ScenarioSimulation(path: path).camera
        var c = ViewerController(driver: ViewerDriver(makeSimulation: { try! ScenarioSimulation(path: path) }), options: options)
        var input = InputSnapshot()
        _ = c.frame(input, realSeconds: 0.1, viewportHeight: 720)
        input.pressed = [.escape]
        _ = c.frame(input, realSeconds: 0.1, viewportHeight: 720)
        let ended = c.driver.isAtEnd, quit = c.quitRequested, debrief = c.scene.hud.debrief != nil
        #expect(ended && !quit && debrief)
        _ = c.frame(input, realSeconds: 0.1, viewportHeight: 720)
        let quitNow = c.quitRequested
        #expect(quitNow)
    }

    @Test func theHandMovesWithThePointerAtItsDepthAndTheWheelMovesItInDepth() {
        var c = controller()
        let head = c.head, start = c.driver.mapper.targets[1].position
        let forward = head.orientation.rotate(Vec3(0, 0, -1)), right = head.orientation.rotate(.unitX)
        let depth = (start - head.position).dot(forward)
        var input = InputSnapshot()
        input.pointerDelta = (10, 0)
        input.scroll = 2
        _ = c.frame(input, realSeconds: 0.1, viewportHeight: 720)
        let moved = c.driver.mapper.targets[1].position - start
        // 10 px at the hand's depth in a 60° view 720 px tall, and 2 wheel notches of 1 cm
        #expect(isClose(moved.dot(right), 10 * depth * 2 * tan(.pi / 6) / 720, abs: 1e-12))
        #expect(isClose(moved.dot(forward), 0.02, abs: 1e-12))
    }

    @Test func orbitingTheCameraLeavesTheHandAloneAndVPutsTheCameraBack() {
        var c = controller()
        let start = c.driver.mapper.targets[1].position, home = c.orbit
        var input = InputSnapshot()
        input.buttons = [.middle]; input.pointerDelta = (200, 50)
        _ = c.frame(input, realSeconds: 0.1, viewportHeight: 720)
        let moved = c.orbit != home, still = c.driver.mapper.targets[1].position == start
        #expect(moved && still)
        input = InputSnapshot(); input.pressed = [.v]
        _ = c.frame(input, realSeconds: 0.1, viewportHeight: 720)
        let back = c.orbit == home
        #expect(back)
    }

    @Test func helpStopsTheClock() {
        var c = controller()
        var input = InputSnapshot()
        input.pressed = [.f1]
        _ = c.frame(input, realSeconds: 0.5, viewportHeight: 720)
        let tick = c.driver.simulation.tick
        _ = c.frame(InputSnapshot(), realSeconds: 0.5, viewportHeight: 720)
        let same = c.driver.simulation.tick == tick, paused = c.control.paused
        #expect(same && paused)
    }
}
