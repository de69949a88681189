// A scripted trainee: drives the viewer through the same input layer a person uses.
//
// Every action becomes window events (pointer positions, wheel notches, key and button presses)
// fed into an `InputSink`, polled once per 1/90 s frame and handed to `ViewerController`, exactly
// as `ViewerApp` does with GLFW's callbacks. Like a person looking at the screen, the script aims
// at points in the scene: it moves the pointer by the pixels that separate the hand from the point
// (at the hand's depth), turns the wheel for depth, and holds Shift for the last two centimetres.
import Foundation
import PracticumCore
import PracticumScoring
import PracticumTestSupport
@testable import PracticumViewer

struct ScriptedTrainee {
    var controller: ViewerController<ScenarioSimulation>
    let sink = InputSink()
    var cursor = (x: 640.0, y: 360.0)
    let frameSeconds = 1.0 / 90
    let width = 1280, height = 720
    /// Fractions of a pixel and of a wheel notch not yet sent (a person's hand does not round away).
    private var carry = (x: 0.0, y: 0.0, wheel: 0.0)

    init(scenario id: String) throws {
        let path = repositoryRoot() + "/scenarios/\(id)/scenario.yaml"
        let first = try ScenarioSimulation(path: path)
        var options = ViewerOptions(fontPath: "")
        options.camera = first.camera
        let driver = ViewerDriver(makeSimulation: { (try? ScenarioSimulation(path: path)) ?? first })
        controller = ViewerController(driver: driver, options: options)
        sink.cursor(x: cursor.x, y: cursor.y)
        frame()
    }

    var simulation: ScenarioSimulation { controller.driver.simulation }
    var ended: Bool { controller.driver.isAtEnd }
    var hand: Int { controller.driver.mapper.activeHand }
    var target: Vec3 { controller.driver.mapper.targets[hand].position }
    /// Everything the session was fed, one frame per tick (what a recording would hold).
    var recorded: [InputFrame] { controller.driver.recorded }

    mutating func frame() {
        _ = controller.frame(sink.poll(), realSeconds: frameSeconds, viewportHeight: height)
    }

    mutating func wait(_ seconds: Double) {
        for _ in 0..<Int((seconds / frameSeconds).rounded()) where !ended { frame() }
    }

    mutating func tap(_ key: ViewerKey) {
        sink.key(key, down: true); frame()
        sink.key(key, down: false); frame()
    }

    /// Space: grip or release the active hand.
    mutating func grip() { tap(.space); wait(0.15) }

    /// Tab: the other hand.
    mutating func switchHand() { tap(.tab) }

    /// Metres per pixel at the active hand's depth, and the camera's axes: what a person judges by eye.
    private func screen() -> (perPixel: Double, right: Vec3, up: Vec3, forward: Vec3) {
        let head = controller.head
        let right = head.orientation.rotate(.unitX), up = head.orientation.rotate(.unitY), forward = head.orientation.rotate(Vec3(0, 0, -1))
        let depth = max((target - head.position).dot(forward), 0.05)
        return (depth * 2 * tan(controller.lens.fovY / 2) / Double(height), right, up, forward)
    }

    private mutating func movePointer(dx: Double, dy: Double) {
        carry.x += dx; carry.y += dy
        let px = carry.x.rounded(.towardZero), py = carry.y.rounded(.towardZero)
        carry.x -= px; carry.y -= py
        cursor.x += px; cursor.y += py
        sink.cursor(x: cursor.x, y: cursor.y)
    }

    /// Moves the active hand to `point` (world m) at up to `speed` m/s with the pointer and the wheel.
    mutating func reach(_ point: Vec3, speed: Double = 0.3) {
        for _ in 0..<2000 where !ended {
            let d = point - target
            let fine = d.length < 0.02
            sink.key(.shift, down: fine)
            let scale = fine ? 1 / controller.driver.mapper.fineDivisor : 1
            let s = screen()
            let step = d.length > speed * frameSeconds ? d * (speed * frameSeconds / d.length) : d
            let px = step.dot(s.right) / (s.perPixel * scale), py = -step.dot(s.up) / (s.perPixel * scale)
            let notches = step.dot(s.forward) / (controller.wheelStep * scale)
            carry.wheel += notches
            let wheel = carry.wheel.rounded(.towardZero)
            carry.wheel -= wheel
            if wheel != 0 { sink.scroll(wheel) }
            movePointer(dx: px, dy: py)
            frame()
            // done when what is left is below a pixel and a notch of the precision mode
            let left = point - target
            if fine && abs(left.dot(s.right)) < s.perPixel * scale && abs(left.dot(s.up)) < s.perPixel * scale
                && abs(left.dot(s.forward)) < controller.wheelStep * scale { break }
        }
        sink.key(.shift, down: false)
        carry = (0, 0, 0)
        settle()
    }

    /// Waits until the hand has caught up with where the input put it.
    mutating func settle() {
        for _ in 0..<90 where !ended {
            let p = controller.driver.mapper.hands[hand].pose.position
            if p.distance(to: target) < 1e-4 { break }
            frame()
        }
    }

    /// Right-drag: tilts the held instrument's nose down by `degrees` (up if negative) over `seconds`.
    mutating func tilt(_ degrees: Double, seconds: Double = 0.5) { rightDrag(dx: 0, dy: degrees * .pi / 180 / controller.turnRate, seconds: seconds) }

    /// Right-drag sideways: turns the hand about world up by `degrees` (anticlockwise seen from above).
    mutating func yaw(_ degrees: Double, seconds: Double = 0.5) { rightDrag(dx: -degrees * .pi / 180 / controller.turnRate, dy: 0, seconds: seconds) }

    private mutating func rightDrag(dx: Double, dy: Double, seconds: Double) {
        sink.mouseButton(.right, down: true)
        let n = max(Int((seconds / frameSeconds).rounded()), 1)
        for _ in 0..<n where !ended { movePointer(dx: dx / Double(n), dy: dy / Double(n)); frame() }
        sink.mouseButton(.right, down: false)
        frame()
        carry = (0, 0, 0)
    }

    /// Ctrl + pointer down: pushes the held instrument `distance` m along its axis (negative pulls back),
    /// in precision mode, over `seconds`.
    mutating func push(_ distance: Double, seconds: Double, fine: Bool = true) {
        sink.key(.control, down: true)
        sink.key(.shift, down: fine)
        let scale = fine ? 1 / controller.driver.mapper.fineDivisor : 1
        let n = max(Int((seconds / frameSeconds).rounded()), 1)
        let pixels = distance / (screen().perPixel * scale)
        for _ in 0..<n where !ended { movePointer(dx: 0, dy: pixels / Double(n)); frame() }
        sink.key(.control, down: false); sink.key(.shift, down: false)
        frame()
        carry = (0, 0, 0)
        settle()
    }

    /// Ctrl + pointer up and down: `cycles` strokes of `depth` m straight down and back at `rate` per
    /// second (compressions, or any pressing task).
    mutating func pump(depth: Double, rate: Double, cycles: Int) {
        sink.key(.control, down: true)
        let pixels = depth / screen().perPixel
        let framesPerCycle = 1 / (rate * frameSeconds)
        var previous = 0.0
        let total = Int((Double(cycles) * framesPerCycle).rounded())
        for k in 1...total where !ended {
            let phase = 2 * Double.pi * Double(k) / framesPerCycle
            let offset = pixels * (1 - cos(phase)) / 2
            movePointer(dx: 0, dy: offset - previous)
            previous = offset
            frame()
        }
        sink.key(.control, down: false)
        frame()
    }

    /// Esc: ends the run (the debrief shows) if it has not ended.
    mutating func finish() {
        if !ended { tap(.escape) }
    }

    var report: Report { simulation.session.report() }

    /// The fastest hand speed (m/s) and acceleration (m/s²) in what was fed to the session, from the
    /// positions tick by tick.
    func peaks() -> (speed: Double, acceleration: Double) {
        let frames = recorded, dt = controller.driver.simulation.dt
        var speed = 0.0, acceleration = 0.0
        for h in 0..<2 {
            var previousVelocity: Vec3?
            for i in 1..<frames.count {
                let v = (frames[i].hands[h].pose.position - frames[i - 1].hands[h].pose.position) * (1 / dt)
                speed = max(speed, v.length)
                if let pv = previousVelocity { acceleration = max(acceleration, (v - pv).length / dt) }
                previousVelocity = v
            }
        }
        return (speed, acceleration)
    }
}
