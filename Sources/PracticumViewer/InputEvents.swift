// Raw input: the events a window delivers, collected between two polls.
//
// GLFW's callbacks and a test's synthetic events both go into an `InputSink`; the viewer polls it
// once per drawn frame into an `InputSnapshot`. Everything after that (commands, camera, hands)
// is the same code whichever fed the sink, so a scripted test drives exactly what a person drives.
import PracticumCore

/// A mouse button.
public enum MouseButton: Sendable, Hashable, CaseIterable { case left, right, middle }

/// One frame's worth of input, as the viewer reads it.
public struct InputSnapshot: Sendable, Equatable {
    /// Keys that went down since the last poll, in order (a tap inside one frame is not lost).
    public var pressed: [ViewerKey] = []
    /// Keys down now.
    public var held: Set<ViewerKey> = []
    /// Pointer motion since the last poll, px (x right, y down).
    public var pointerDelta: (x: Double, y: Double) = (0, 0)
    /// Mouse buttons down now.
    public var buttons: Set<MouseButton> = []
    /// Buttons that went down since the last poll (a click inside one frame still grips for a frame).
    public var clicked: Set<MouseButton> = []
    /// Wheel notches since the last poll (positive: away from the user).
    public var scroll = 0.0
    /// The first connected gamepad, if any.
    public var gamepad: GamepadInput?
    public init() {}

    public static func == (a: InputSnapshot, b: InputSnapshot) -> Bool {
        a.pressed == b.pressed && a.held == b.held && a.pointerDelta == b.pointerDelta && a.buttons == b.buttons
            && a.clicked == b.clicked && a.scroll == b.scroll && a.gamepad == b.gamepad
    }
}

/// Collects window events between polls. A class: GLFW's C callbacks reach it through the window's user pointer.
public final class InputSink {
    private var pressed: [ViewerKey] = []
    private var held: Set<ViewerKey> = []
    private var buttons: Set<MouseButton> = []
    private var clicked: Set<MouseButton> = []
    private var scroll = 0.0
    private var cursor: (x: Double, y: Double)?
    private var polledCursor: (x: Double, y: Double)?
    private var gamepad: GamepadInput?

    public init() {}

    /// A key went down (`down`) or up. Auto-repeat is not a new press.
    public func key(_ key: ViewerKey, down: Bool) {
        if down {
            if !held.contains(key) { pressed.append(key) }
            held.insert(key)
        } else {
            held.remove(key)
        }
    }

    /// The pointer is at (`x`, `y`) window pixels.
    public func cursor(x: Double, y: Double) {
        guard x.isFinite, y.isFinite else { return }
        cursor = (x, y)
    }

    public func mouseButton(_ b: MouseButton, down: Bool) {
        if down { buttons.insert(b); clicked.insert(b) } else { buttons.remove(b) }
    }

    /// Wheel motion in notches.
    public func scroll(_ dy: Double) { if dy.isFinite { scroll += dy } }

    /// The gamepad's state now (nil: none connected).
    public func gamepad(_ state: GamepadInput?) { gamepad = state }

    /// Everything since the last poll; the pointer delta is measured from the last poll's position.
    public func poll() -> InputSnapshot {
        var s = InputSnapshot()
        s.pressed = pressed; s.held = held; s.buttons = buttons; s.clicked = clicked; s.scroll = scroll; s.gamepad = gamepad
        if let c = cursor, let p = polledCursor { s.pointerDelta = (c.x - p.x, c.y - p.y) }
        polledCursor = cursor
        pressed = []; clicked = []; scroll = 0
        return s
    }
}
