// The viewer's per-frame logic without GL: input → commands, camera, hands → the scene to draw.
//
// `ViewerApp` feeds it what the window's `InputSink` collected; tests feed it synthetic events
// through an `InputSink` of their own, so a scripted trainee exercises the same path a person does.
import Foundation
import PracticumCore

/// Commands, camera and desktop hand control around a `ViewerDriver`.
public struct ViewerController<Sim: ViewerSimulation> {
    public var driver: ViewerDriver<Sim>
    public var orbit: OrbitCamera
    /// The camera V goes back to (the one the viewer opened with).
    public let home: OrbitCamera
    public var firstPerson: FirstPersonCamera
    public var useFirstPerson = false
    public var stereo: Bool
    public var showFrameTimes: Bool
    public var control: RunControl
    /// Assist gauges (`assist: true`) shown; G toggles.
    public var assists = false
    /// Esc on an ended run (or the window asked to close): the loop should stop.
    public private(set) var quitRequested = false
    /// The lens the pointer mapping assumes (the mono view's).
    public var lens = Lens()
    /// Camera orbit, rad per pixel of drag.
    public var orbitRate = 0.003
    /// Right-drag hand turning, rad per pixel.
    public var turnRate = 0.004
    /// Wheel: m of hand depth per notch.
    public var wheelStep = 0.01
    /// The last scene drawn (the push gesture reads the held instrument's axis from it).
    public private(set) var scene: ViewScene
    /// Metres per pixel of the push gesture, fixed when Ctrl goes down so that a stroke is linear
    /// (the hand's depth, and with it the perspective scale, changes as it moves).
    private var pushScale: Double?

    public init(driver: ViewerDriver<Sim>, options: ViewerOptions) {
        self.driver = driver
        orbit = options.camera
        home = options.camera
        firstPerson = FirstPersonCamera(position: options.camera.pose.position, yaw: options.camera.yaw, pitch: -options.camera.pitch)
        stereo = options.stereo
        showFrameTimes = options.showFrameTimes
        assists = options.assists
        control = RunControl(help: options.showHelp)
        self.driver.clock.paused = control.paused
        self.driver.clock.speed = options.speed
        // movement keys keep the opening view's frame whatever the camera does later (docs/viewer.md)
        self.driver.keyFrame = Quat(axis: .unitY, angle: options.camera.yaw)
        scene = driver.simulation.viewScene()
    }

    /// The head (camera) pose this frame.
    public var head: Pose { useFirstPerson ? firstPerson.pose : orbit.pose }

    /// Handles one drawn frame: `input` from the sink, `realSeconds` of wall time, a viewport
    /// `viewportHeight` px tall (the pointer maps to the hand through it). Returns the scene to draw.
    public mutating func frame(_ input: InputSnapshot, realSeconds: Double, viewportHeight: Int) -> ViewScene {
        for key in input.pressed { handle(driver.mapper.press(key)) }
        let alt = input.held.contains(.alt), ctrl = input.held.contains(.control), shift = input.held.contains(.shift)
        // camera: middle drag, or Alt + left drag; Ctrl + wheel zooms
        let orbiting = input.buttons.contains(.middle) || alt && input.buttons.contains(.left)
        if orbiting {
            if useFirstPerson {
                firstPerson.look(yaw: -input.pointerDelta.x * orbitRate, pitch: -input.pointerDelta.y * orbitRate)
            } else {
                orbit.orbit(yaw: -input.pointerDelta.x * orbitRate, pitch: input.pointerDelta.y * orbitRate)
            }
        }
        if ctrl && input.scroll != 0 && !useFirstPerson { orbit.zoom(pow(0.9, input.scroll)) }
        if !ctrl { pushScale = nil }
        let pointer = orbiting ? PointerMotion(grip: false) : handMotion(input, ctrl: ctrl, shift: shift, viewportHeight: viewportHeight)
        var out = driver.frame(realSeconds: realSeconds, held: input.held, pointer: pointer, gamepad: input.gamepad, head: head)
        for i in out.hands.indices { out.hands[i].active = out.hands[i].index == driver.mapper.activeHand }
        if !assists { out.hud.gauges.removeAll { $0.assist } }
        scene = out
        return out
    }

    /// The window is closing.
    public mutating func requestQuit() { quitRequested = true }

    /// What the pointer, wheel and left button ask of the active hand this frame.
    mutating func handMotion(_ input: InputSnapshot, ctrl: Bool, shift: Bool, viewportHeight: Int) -> PointerMotion {
        let cam = head.orientation
        let right = cam.rotate(.unitX), up = cam.rotate(.unitY), forward = cam.rotate(Vec3(0, 0, -1))
        let a = driver.mapper.activeHand
        let handPosition = driver.mapper.targets[a].position
        // metres per pixel at the hand's depth: the hand moves with the pointer on screen
        let depth = max((handPosition - head.position).dot(forward), 0.05)
        let perPixel = depth * 2 * tan(lens.fovY / 2) / Double(max(viewportHeight, 1))
        let fine = shift ? 1 / driver.mapper.fineDivisor : 1
        let (dx, dy) = input.pointerDelta
        var p = PointerMotion(pitchAxis: right, grip: input.buttons.contains(.left) || input.clicked.contains(.left))
        let held = scene.hands.first { $0.index == a }?.heldAxis
        if input.buttons.contains(.right) {
            if ctrl {
                p.roll = dx * turnRate * fine; p.rollAxis = held
            } else {
                p.yaw = -dx * turnRate * fine
                // tilt: an instrument's nose goes down as the pointer goes down (about the horizontal axis
                // across the instrument); an empty hand pitches about the camera's right
                let across = held.map { Vec3.unitY.cross($0) }
                if let across, across.length > 0.2 { p.pitchAxis = across.normalized; p.pitch = dy * turnRate * fine } else { p.pitch = -dy * turnRate * fine }
            }
        } else if ctrl {
            // push along an axis: the held instrument's (towards its tip), or straight down; pointer down pushes
            if pushScale == nil { pushScale = perPixel }
            p.move = (held ?? Vec3(0, -1, 0)) * (dy * pushScale! * fine)
        } else {
            p.move = (right * dx - up * dy) * (perPixel * fine)
        }
        if !ctrl && input.scroll != 0 { p.move += forward * (input.scroll * wheelStep * fine) }
        return p
    }

    mutating func handle(_ command: ViewerCommand?) {
        switch command {
        case .toggleHelp: control.toggleHelp(&driver.clock)
        case .toggleFrameTime: showFrameTimes.toggle()
        case .togglePause: control.togglePause(&driver.clock)
        case .toggleCamera:
            useFirstPerson.toggle()
            if useFirstPerson { firstPerson = FirstPersonCamera(position: orbit.pose.position, yaw: orbit.yaw, pitch: -orbit.pitch) }
        case .toggleStereo: stereo.toggle()
        case .resetView: orbit = home; useFirstPerson = false
        case .toggleAssists: assists.toggle()
        case .quit:
            // the first Esc ends the run and shows the debrief; the next one closes the viewer
            // (a simulation that cannot end early, such as the demo, just closes)
            if driver.isAtEnd { quitRequested = true } else { driver.endRun(); if !driver.isAtEnd { quitRequested = true } }
        case .restart: driver.restart()
        case let .speed(f): driver.clock.speed = min(max(driver.clock.speed * f, 0.125), 16)
        case let .seek(s): driver.seek(seconds: s)
        case nil: break
        }
    }
}
