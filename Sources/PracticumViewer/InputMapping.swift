// Keyboard and mouse → InputFrame: the desktop stand-in for two tracked controllers.
//
// Held keys move the active hand at a fixed speed per simulated tick (not per drawn frame),
// so the same key timeline gives the same hand path at any frame rate. Whatever this
// produces is exactly what a trace records and a replay feeds back.
import PracticumCore

/// The keys the viewer reacts to, by their US-layout name (the window layer maps key codes to these).
/// Letters and digits the viewer does not use itself are free for a scenario's buttons (`cues.keys`).
public enum ViewerKey: String, Sendable, Hashable, CaseIterable {
    case w, a, s, d, r, f, q, e, t, h, p, c, v, g, space, tab, up, down, left, right, shift, control, alt
    case f1, f2, f3, escape, leftBracket, rightBracket, comma, period, home
    case b, n, m, j, k, l, u, i, o, y, z, x
    case digit0 = "0", digit1 = "1", digit2 = "2", digit3 = "3", digit4 = "4", digit5 = "5", digit6 = "6", digit7 = "7", digit8 = "8", digit9 = "9"

    /// The key a scenario names in `cues.keys` (`"B"`, `"7"`), if the viewer has it.
    public init?(scenarioKey: String) { self.init(rawValue: scenarioKey.lowercased()) }
}

/// What a key press asks the viewer (not the simulation) to do.
public enum ViewerCommand: Sendable, Equatable {
    case toggleHelp, toggleFrameTime, togglePause, toggleCamera, toggleStereo, quit, restart, resetView, toggleAssists
    /// Multiply the replay speed.
    case speed(factor: Double)
    /// Jump in the replay by this many seconds of simulated time.
    case seek(seconds: Double)
}

/// One documented key binding, as the F1 overlay and docs/viewer.md list it.
public struct KeyBinding: Sendable, Equatable {
    public var keys: String
    public var action: String
    public init(keys: String, action: String) { self.keys = keys; self.action = action }
}

/// How fast a desktop-driven hand may move: what a person's hand can do (≤ 1 m/s, ≤ 10 m/s²).
/// CPR needs peaks of about 0.5 m/s; a needle needs sub-millimetre steps (precision mode).
public struct HandMotionLimits: Sendable, Equatable {
    public var maxSpeed = 1.0
    public var maxAcceleration = 10.0
    public init(maxSpeed: Double = 1.0, maxAcceleration: Double = 10.0) { self.maxSpeed = maxSpeed; self.maxAcceleration = maxAcceleration }
}

/// What the mouse asks of the active hand during one tick, already in world terms (the controller
/// turns pixels into metres at the hand's depth, so the hand stays under the pointer).
public struct PointerMotion: Sendable, Equatable {
    /// Requested displacement, world m.
    public var move: Vec3 = .zero
    /// Turns, rad: yaw about world up, pitch about `pitchAxis`, roll about the hand's pointer (or held instrument's axis).
    public var yaw = 0.0, pitch = 0.0, roll = 0.0
    public var pitchAxis: Vec3 = .unitX
    /// Axis to roll about, world (nil: the hand's pointer).
    public var rollAxis: Vec3?
    /// The left button is down: the grip is closed while it is held.
    public var grip = false
    public init(move: Vec3 = .zero, yaw: Double = 0, pitch: Double = 0, roll: Double = 0, pitchAxis: Vec3 = .unitX, rollAxis: Vec3? = nil, grip: Bool = false) {
        self.move = move; self.yaw = yaw; self.pitch = pitch; self.roll = roll; self.pitchAxis = pitchAxis; self.rollAxis = rollAxis; self.grip = grip
    }
}

/// A game controller as GLFW's gamepad API reports it (sticks −1…1, y up; triggers 0…1).
public struct GamepadInput: Sendable, Equatable {
    public var leftStick: (x: Double, y: Double) = (0, 0), rightStick: (x: Double, y: Double) = (0, 0)
    public var leftTrigger = 0.0, rightTrigger = 0.0
    /// Held shoulder buttons switch that stick from forward/back to up/down.
    public var leftShoulder = false, rightShoulder = false
    public init() {}
    public static func == (a: GamepadInput, b: GamepadInput) -> Bool {
        a.leftStick == b.leftStick && a.rightStick == b.rightStick && a.leftTrigger == b.leftTrigger && a.rightTrigger == b.rightTrigger
            && a.leftShoulder == b.leftShoulder && a.rightShoulder == b.rightShoulder
    }
}

/// Turns key presses, held keys, mouse motion and a gamepad into hand poses, grips, buttons and viewer commands.
///
/// Input moves each hand's *target*; the hand itself follows its target within `limits`, braking so
/// that it arrives without overshoot. Whatever this emits is what a trace records and a replay feeds back.
public struct InputMapper: Sendable, Equatable {
    /// Current (emitted) state of both hands; index 0 left, 1 right.
    public var hands: [HandInput]
    /// Where input asks each hand to be.
    public var targets: [Pose]
    var velocities: [Vec3]
    /// The hand the keyboard and mouse move.
    public var activeHand: Int = 1
    /// Both hands move together (X), keeping their offset: two-handed tasks such as chest compressions.
    public var linked = false
    /// Keyboard hand speed, m/s (Shift divides by `fineDivisor`).
    public var linearSpeed = 0.15
    /// Keyboard turn rate, rad/s.
    public var angularSpeed = 1.2
    /// Precision mode (Shift) scales keyboard and mouse motion down by this.
    public var fineDivisor = 8.0
    /// Gamepad stick speed at full deflection, m/s.
    public var stickSpeed = 0.3
    public var limits = HandMotionLimits()
    /// Grip closed by Space (toggled), per hand; the left mouse button closes the active hand's grip while held.
    var gripToggled: [Bool]
    /// The scenario's buttons by key (`cues.keys`): held keys hold the button, taps are latched.
    public var buttonKeys: [ViewerKey: String] = [:]
    /// Buttons pressed since the last emitted frame: latched so a tap shorter than a tick still counts.
    var latched: [String] = []

    public init(hands: [HandInput] = [HandInput(pose: Pose(position: Vec3(-0.2, 1.0, 0.3))),
                                      HandInput(pose: Pose(position: Vec3(0.2, 1.0, 0.3)))]) {
        self.hands = hands
        targets = hands.map(\.pose)
        velocities = hands.map { _ in .zero }
        gripToggled = hands.map { $0.grip > 0.5 }
    }

    /// The viewer's own key map (F1 lists it, then the scenario's keys; docs/viewer.md has the same).
    public static let keyMap: [KeyBinding] = [
        KeyBinding(keys: "Mouse", action: "move the hand under the pointer (facing the camera)"),
        KeyBinding(keys: "Wheel", action: "move the hand towards / away from you"),
        KeyBinding(keys: "Left button", action: "grip while held (Space: grip / release)"),
        KeyBinding(keys: "Right drag", action: "turn the hand: tilt and yaw (Ctrl: roll about the instrument)"),
        KeyBinding(keys: "Ctrl + mouse", action: "push / pull along the instrument's axis (no instrument: straight down)"),
        KeyBinding(keys: "Shift", action: "precision: 1/8 of every motion"),
        KeyBinding(keys: "W / S, A / D, R / F", action: "move the hand forward / back, left / right, up / down"),
        KeyBinding(keys: "Arrows, Q / E", action: "turn the hand (yaw, pitch), roll"),
        KeyBinding(keys: "T (hold)", action: "trigger (e.g. plunger)"),
        KeyBinding(keys: "Tab / X", action: "switch hand (blue left, orange right) / move both hands together"),
        KeyBinding(keys: "H", action: "ask for a hint"),
        KeyBinding(keys: "G", action: "assists on / off (guide gauges)"),
        KeyBinding(keys: "Middle / Alt+left drag", action: "orbit the camera (Ctrl+wheel: zoom)"),
        KeyBinding(keys: "V", action: "reset the camera"),
        KeyBinding(keys: "C / F2", action: "orbit / first-person camera, mono / stereo"),
        KeyBinding(keys: "P", action: "pause"),
        KeyBinding(keys: "[ ] , .", action: "replay slower / faster, seek -5 s / +5 s"),
        KeyBinding(keys: "Home", action: "restart (recording: a new trace)"),
        KeyBinding(keys: "F1 / F3", action: "this help (pauses) / frame times"),
        KeyBinding(keys: "Esc", action: "end the run and show the debrief; Esc again quits"),
    ]

    /// Handles a key going down: changes grip or hand, latches buttons, or returns a viewer command.
    public mutating func press(_ key: ViewerKey) -> ViewerCommand? {
        if let button = buttonKeys[key] {
            if !latched.contains(button) { latched.append(button) }
            return nil
        }
        switch key {
        case .space:
            gripToggled[activeHand].toggle()
            hands[activeHand].grip = gripToggled[activeHand] ? 1 : 0
        case .tab: activeHand = 1 - activeHand
        case .x: linked.toggle()
        case .h: if !latched.contains("hint") { latched.append("hint") }
        case .p: return .togglePause
        case .c: return .toggleCamera
        case .v: return .resetView
        case .g: return .toggleAssists
        case .f1: return .toggleHelp
        case .f2: return .toggleStereo
        case .f3: return .toggleFrameTime
        case .escape: return .quit
        case .home: return .restart
        case .leftBracket: return .speed(factor: 0.5)
        case .rightBracket: return .speed(factor: 2)
        case .comma: return .seek(seconds: -5)
        case .period: return .seek(seconds: 5)
        default: break
        }
        return nil
    }

    /// Advances one tick of `dt` s with `held` keys down, `pointer` motion for the active hand and an
    /// optional gamepad. `view` is the frame the movement keys move in (W away, D right, horizontally);
    /// the viewer passes a fixed frame (the scenario's opening view), so orbiting the camera does not
    /// change which way a key moves the hand.
    public mutating func advance(held: Set<ViewerKey>, pointer: PointerMotion = PointerMotion(), gamepad: GamepadInput? = nil,
                                 dt: Double, view: Quat) {
        func axis(_ plus: ViewerKey, _ minus: ViewerKey) -> Double {
            (held.contains(plus) ? 1 : 0) - (held.contains(minus) ? 1 : 0)
        }
        let fine = held.contains(.shift) ? 1 / fineDivisor : 1
        var forward = view.rotate(Vec3(0, 0, -1)); forward.y = 0
        forward = forward.lengthSquared > 1e-12 ? forward.normalized : Vec3(0, 0, -1)
        let right = forward.cross(.unitY).normalized
        let a = activeHand
        let keys = forward * axis(.w, .s) + right * axis(.d, .a) + Vec3.unitY * axis(.r, .f)
        let move = keys * (linearSpeed * fine * dt) + pointer.move
        for h in targets.indices where h == a || linked { targets[h].position += move }
        // rotation: yaw about world up, pitch about the camera's right, roll about the pointer or the instrument
        let step = angularSpeed * fine * dt
        let yaw = axis(.left, .right) * step + pointer.yaw
        let pitch = axis(.up, .down) * step
        var q = targets[a].orientation
        let pointerAxis = q.rotate(Vec3(0, 0, -1))
        let roll = axis(.q, .e) * step
        if yaw != 0 { q = Quat(axis: .unitY, angle: yaw) * q }
        if pitch != 0 { q = Quat(axis: right, angle: pitch) * q }
        if pointer.pitch != 0 { q = Quat(axis: pointer.pitchAxis, angle: pointer.pitch) * q }
        if roll != 0 { q = Quat(axis: pointerAxis, angle: roll) * q }
        if pointer.roll != 0 { q = Quat(axis: pointer.rollAxis ?? pointerAxis, angle: pointer.roll) * q }
        targets[a].orientation = q.normalized
        for h in hands.indices { hands[h].trigger = h == a && held.contains(.t) ? 1 : 0 }
        var grips = gripToggled
        if pointer.grip { grips[a] = true }
        if let pad = gamepad {
            for (h, stick, trigger, shoulder) in [(0, pad.leftStick, pad.leftTrigger, pad.leftShoulder), (1, pad.rightStick, pad.rightTrigger, pad.rightShoulder)] where h < hands.count {
                let sx = abs(stick.x) > 0.15 ? stick.x : 0, sy = abs(stick.y) > 0.15 ? stick.y : 0   // dead zone
                let along = shoulder ? Vec3.unitY * sy : forward * sy
                targets[h].position += (right * sx + along) * (stickSpeed * fine * dt)
                if trigger > 0.5 { grips[h] = true }
            }
        }
        for h in hands.indices {
            hands[h].grip = grips[h] ? 1 : 0
            follow(h, dt: dt)
        }
    }

    /// Moves hand `h` towards its target within the speed and acceleration limits: it speeds up at
    /// most `maxAcceleration` per tick and brakes on the discrete stopping curve (the fastest speed from
    /// which steps of decreasing speed, a·dt less each tick, end exactly at the target), so it comes to
    /// rest there without overshoot and without a jolt.
    mutating func follow(_ h: Int, dt: Double) {
        let to = targets[h].position - hands[h].pose.position
        let distance = to.length
        var v = velocities[h]
        let maxDv = limits.maxAcceleration * dt
        let arrive = to * (1 / dt)
        if arrive.length <= maxDv && (arrive - v).length <= maxDv {
            v = arrive
        } else {
            let n = -0.5 + (0.25 + 2 * distance / (maxDv * dt)).squareRoot()
            let speed = min(limits.maxSpeed, n * maxDv)
            let desired = distance > 0 ? to * (speed / distance) : .zero
            let dv = desired - v
            v += dv.length > maxDv ? dv * (maxDv / dv.length) : dv
        }
        velocities[h] = v
        hands[h].pose.position += v * dt
        hands[h].pose.orientation = targets[h].orientation
    }

    /// Puts both hands and their targets at `input` (a restart), at rest.
    public mutating func reset(to input: [HandInput]) { self = InputMapper(hands: input).with(keys: buttonKeys) }

    func with(keys: [ViewerKey: String]) -> InputMapper { var m = self; m.buttonKeys = keys; return m }

    /// The input frame for simulated `time` s with the camera as the head; clears latched buttons.
    public mutating func frame(time: Double, head: Pose, held: Set<ViewerKey>) -> InputFrame {
        var buttons = latched
        if held.contains(.h), !buttons.contains("hint") { buttons.append("hint") }
        for (key, button) in buttonKeys where held.contains(key) && !buttons.contains(button) { buttons.append(button) }
        latched = []
        return InputFrame(time: time, head: head, hands: hands, buttons: buttons.sorted())
    }
}
