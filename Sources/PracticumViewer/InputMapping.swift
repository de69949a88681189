// Keyboard and mouse → InputFrame: the desktop stand-in for two tracked controllers.
//
// Held keys move the active hand at a fixed speed per simulated tick (not per drawn frame),
// so the same key timeline gives the same hand path at any frame rate. Whatever this
// produces is exactly what a trace records and a replay feeds back.
import PracticumCore

/// The keys the viewer reacts to, by their US-layout name (the window layer maps key codes to these).
public enum ViewerKey: String, Sendable, Hashable, CaseIterable {
    case w, a, s, d, r, f, q, e, t, h, p, c, space, tab, up, down, left, right, shift
    case f1, f2, f3, escape, leftBracket, rightBracket, comma, period, home
}

/// What a key press asks the viewer (not the simulation) to do.
public enum ViewerCommand: Sendable, Equatable {
    case toggleHelp, toggleFrameTime, togglePause, toggleCamera, toggleStereo, quit, restart
    /// Multiply the replay speed.
    case speed(factor: Double)
    /// Jump in the replay by this many seconds of simulated time.
    case seek(seconds: Double)
}

/// One documented key binding, as the F1 overlay and docs/viewer.md list it.
public struct KeyBinding: Sendable, Equatable {
    public var keys: String
    public var action: String
}

/// Turns key presses, held keys and mouse motion into hand poses, grips, buttons and viewer commands.
public struct InputMapper: Sendable, Equatable {
    /// Current state of both hands; index 0 left, 1 right.
    public var hands: [HandInput]
    /// The hand the keyboard moves.
    public var activeHand: Int = 1
    /// Hand speed, m/s (Shift divides by `fineDivisor`).
    public var linearSpeed = 0.15
    /// Hand turn rate, rad/s.
    public var angularSpeed = 1.2
    public var fineDivisor = 5.0
    /// Mouse drag rotation, rad per pixel.
    public var mouseRotation = 0.005
    /// Buttons pressed since the last emitted frame: latched so a tap shorter than a tick still counts.
    var latched: [String] = []

    public init(hands: [HandInput] = [HandInput(pose: Pose(position: Vec3(-0.2, 1.0, 0.3))),
                                      HandInput(pose: Pose(position: Vec3(0.2, 1.0, 0.3)))]) {
        self.hands = hands
    }

    /// The key map (also shown by F1 and written in docs/viewer.md).
    public static let keyMap: [KeyBinding] = [
        KeyBinding(keys: "W / S", action: "move hand forward / back"),
        KeyBinding(keys: "A / D", action: "move hand left / right"),
        KeyBinding(keys: "R / F", action: "move hand up / down"),
        KeyBinding(keys: "Arrows", action: "turn hand (yaw, pitch)"),
        KeyBinding(keys: "Q / E", action: "roll hand"),
        KeyBinding(keys: "Right drag", action: "turn hand with the mouse"),
        KeyBinding(keys: "Shift", action: "fine movement (1/5 speed)"),
        KeyBinding(keys: "Space", action: "grasp / release (grip)"),
        KeyBinding(keys: "T (hold)", action: "trigger (e.g. plunger)"),
        KeyBinding(keys: "Tab", action: "switch hand (blue left, orange right)"),
        KeyBinding(keys: "H", action: "ask for a hint"),
        KeyBinding(keys: "Left drag / wheel", action: "orbit / zoom camera"),
        KeyBinding(keys: "C", action: "orbit / first-person camera"),
        KeyBinding(keys: "F2", action: "mono / stereo"),
        KeyBinding(keys: "P", action: "pause"),
        KeyBinding(keys: "[ / ]", action: "replay slower / faster"),
        KeyBinding(keys: ", / .", action: "replay seek -5 s / +5 s"),
        KeyBinding(keys: "Home", action: "restart (recording: a new trace)"),
        KeyBinding(keys: "F1 / F3", action: "this help (pauses) / frame times"),
        KeyBinding(keys: "Esc", action: "quit"),
    ]

    /// Handles a key going down: changes grip or hand, latches buttons, or returns a viewer command.
    public mutating func press(_ key: ViewerKey) -> ViewerCommand? {
        switch key {
        case .space:
            hands[activeHand].grip = hands[activeHand].grip > 0.5 ? 0 : 1
        case .tab: activeHand = 1 - activeHand
        case .h: if !latched.contains("hint") { latched.append("hint") }
        case .p: return .togglePause
        case .c: return .toggleCamera
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

    /// Moves the active hand for one tick of `dt` s with `held` keys down and `mouse` drag (pixels, right button).
    /// `view` is the camera orientation: W moves away from the viewer, D to the viewer's right.
    public mutating func advance(held: Set<ViewerKey>, mouse: (dx: Double, dy: Double) = (0, 0), dt: Double, view: Quat) {
        func axis(_ plus: ViewerKey, _ minus: ViewerKey) -> Double {
            (held.contains(plus) ? 1 : 0) - (held.contains(minus) ? 1 : 0)
        }
        let fine = held.contains(.shift) ? 1 / fineDivisor : 1
        // translation in the camera's horizontal frame so W is "into the scene" whatever the pitch
        var forward = view.rotate(Vec3(0, 0, -1)); forward.y = 0
        forward = forward.lengthSquared > 1e-12 ? forward.normalized : Vec3(0, 0, -1)
        let right = forward.cross(.unitY).normalized
        let move = forward * axis(.w, .s) + right * axis(.d, .a) + Vec3.unitY * axis(.r, .f)
        hands[activeHand].pose.position += move * (linearSpeed * fine * dt)
        // rotation: yaw about world up, pitch about the camera's right, roll about the hand's pointer
        let step = angularSpeed * fine * dt
        let yaw = axis(.left, .right) * step - mouse.dx * mouseRotation
        let pitch = axis(.up, .down) * step - mouse.dy * mouseRotation
        let pointer = hands[activeHand].pose.orientation.rotate(Vec3(0, 0, -1))
        let roll = axis(.q, .e) * step
        var q = hands[activeHand].pose.orientation
        if yaw != 0 { q = Quat(axis: .unitY, angle: yaw) * q }
        if pitch != 0 { q = Quat(axis: right, angle: pitch) * q }
        if roll != 0 { q = Quat(axis: pointer, angle: roll) * q }
        hands[activeHand].pose.orientation = q.normalized
        hands[activeHand].trigger = held.contains(.t) ? 1 : 0
    }

    /// The input frame for simulated `time` s with the camera as the head; clears latched buttons.
    public mutating func frame(time: Double, head: Pose, held: Set<ViewerKey>) -> InputFrame {
        var buttons = latched
        if held.contains(.h), !buttons.contains("hint") { buttons.append("hint") }
        latched = []
        return InputFrame(time: time, head: head, hands: hands, buttons: buttons.sorted())
    }
}
