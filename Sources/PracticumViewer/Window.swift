// The GLFW window: an OpenGL 3.3 core context, key and mouse state, PNG screenshots.
import CGL
import CGLFW
import CStb
import Foundation

/// One window with its GL context. Identity matters (it owns the context), hence a class.
final class Window {
    let handle: OpaquePointer
    /// Every event GLFW delivers goes here; `poll()` reads it (tests feed their own sink the same way).
    let sink = InputSink()

    /// GLFW key code → viewer key.
    static let keyCodes: [(Int32, ViewerKey)] = [
        (GLFW_KEY_W, .w), (GLFW_KEY_A, .a), (GLFW_KEY_S, .s), (GLFW_KEY_D, .d), (GLFW_KEY_R, .r), (GLFW_KEY_F, .f),
        (GLFW_KEY_Q, .q), (GLFW_KEY_E, .e), (GLFW_KEY_T, .t), (GLFW_KEY_H, .h), (GLFW_KEY_P, .p), (GLFW_KEY_C, .c),
        (GLFW_KEY_SPACE, .space), (GLFW_KEY_TAB, .tab), (GLFW_KEY_UP, .up), (GLFW_KEY_DOWN, .down),
        (GLFW_KEY_LEFT, .left), (GLFW_KEY_RIGHT, .right), (GLFW_KEY_LEFT_SHIFT, .shift), (GLFW_KEY_RIGHT_SHIFT, .shift),
        (GLFW_KEY_F1, .f1), (GLFW_KEY_F2, .f2), (GLFW_KEY_F3, .f3), (GLFW_KEY_ESCAPE, .escape),
        (GLFW_KEY_LEFT_BRACKET, .leftBracket), (GLFW_KEY_RIGHT_BRACKET, .rightBracket),
        (GLFW_KEY_COMMA, .comma), (GLFW_KEY_PERIOD, .period), (GLFW_KEY_HOME, .home),
        (GLFW_KEY_V, .v), (GLFW_KEY_G, .g), (GLFW_KEY_LEFT_CONTROL, .control), (GLFW_KEY_RIGHT_CONTROL, .control),
        (GLFW_KEY_LEFT_ALT, .alt), (GLFW_KEY_RIGHT_ALT, .alt),
        (GLFW_KEY_B, .b), (GLFW_KEY_N, .n), (GLFW_KEY_M, .m), (GLFW_KEY_J, .j), (GLFW_KEY_K, .k), (GLFW_KEY_L, .l),
        (GLFW_KEY_U, .u), (GLFW_KEY_I, .i), (GLFW_KEY_O, .o), (GLFW_KEY_Y, .y), (GLFW_KEY_Z, .z), (GLFW_KEY_X, .x),
        (GLFW_KEY_0, .digit0), (GLFW_KEY_1, .digit1), (GLFW_KEY_2, .digit2), (GLFW_KEY_3, .digit3), (GLFW_KEY_4, .digit4),
        (GLFW_KEY_5, .digit5), (GLFW_KEY_6, .digit6), (GLFW_KEY_7, .digit7), (GLFW_KEY_8, .digit8), (GLFW_KEY_9, .digit9),
    ]

    static func sink(_ window: OpaquePointer?) -> InputSink? {
        guard let window, let raw = glfwGetWindowUserPointer(window) else { return nil }
        return Unmanaged<InputSink>.fromOpaque(raw).takeUnretainedValue()
    }

    /// Opens a window of `width`×`height` pixels. The window itself is single-sampled: the renderer
    /// multisamples the 3-D scene in its own framebuffer and resolves it into the window.
    init(title: String, width: Int, height: Int, hidden: Bool, vsync: Bool) throws {
        guard glfwInit() == GLFW_TRUE else {
            var desc: UnsafePointer<CChar>?
            glfwGetError(&desc)
            throw ViewerError.window("GLFW could not start: " + (desc.map { String(cString: $0) } ?? "unknown error"))
        }
        glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3)
        glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3)
        glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE)
        glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE)
        glfwWindowHint(GLFW_SAMPLES, 0)
        glfwWindowHint(GLFW_VISIBLE, hidden ? GLFW_FALSE : GLFW_TRUE)
        glfwWindowHint(GLFW_RESIZABLE, GLFW_TRUE)
        guard let h = glfwCreateWindow(Int32(width), Int32(height), title, nil, nil) else {
            glfwTerminate()
            throw ViewerError.window("could not create an OpenGL 3.3 core window")
        }
        handle = h
        glfwMakeContextCurrent(h)
        glfwSwapInterval(vsync ? 1 : 0)
        glfwSetWindowUserPointer(h, Unmanaged.passUnretained(sink).toOpaque())
        glfwSetKeyCallback(h) { window, key, _, action, _ in
            guard action != GLFW_REPEAT, let sink = Window.sink(window), let k = Window.keyCodes.first(where: { $0.0 == key })?.1 else { return }
            sink.key(k, down: action == GLFW_PRESS)
        }
        glfwSetScrollCallback(h) { window, _, dy in Window.sink(window)?.scroll(dy) }
        glfwSetCursorPosCallback(h) { window, x, y in Window.sink(window)?.cursor(x: x, y: y) }
        glfwSetMouseButtonCallback(h) { window, button, action, _ in
            let b: MouseButton? = switch button {
            case GLFW_MOUSE_BUTTON_LEFT: .left
            case GLFW_MOUSE_BUTTON_RIGHT: .right
            case GLFW_MOUSE_BUTTON_MIDDLE: .middle
            default: nil
            }
            if let b { Window.sink(window)?.mouseButton(b, down: action == GLFW_PRESS) }
        }
    }

    deinit {
        glfwDestroyWindow(handle)
        glfwTerminate()
    }

    var shouldClose: Bool { glfwWindowShouldClose(handle) != 0 }
    func close() { glfwSetWindowShouldClose(handle, GLFW_TRUE) }

    var framebufferSize: (width: Int, height: Int) {
        var w: Int32 = 0, h: Int32 = 0
        glfwGetFramebufferSize(handle, &w, &h)
        return (Int(w), Int(h))
    }

    /// Processes window events and returns what the sink collected since the last poll, with the
    /// first gamepad's state (GLFW's gamepad API: sticks, triggers, shoulder buttons).
    func poll() -> InputSnapshot {
        glfwPollEvents()
        sink.gamepad(Window.gamepad())
        return sink.poll()
    }

    static func gamepad() -> GamepadInput? {
        for jid in GLFW_JOYSTICK_1...GLFW_JOYSTICK_LAST where glfwJoystickIsGamepad(jid) == GLFW_TRUE {
            var state = GLFWgamepadstate()
            guard glfwGetGamepadState(jid, &state) == GLFW_TRUE else { continue }
            let axes = withUnsafeBytes(of: state.axes) { Array($0.bindMemory(to: Float.self)) }
            let buttons = withUnsafeBytes(of: state.buttons) { Array($0.bindMemory(to: UInt8.self)) }
            var pad = GamepadInput()
            // GLFW's y axes point down; the viewer's sticks point up
            pad.leftStick = (Double(axes[Int(GLFW_GAMEPAD_AXIS_LEFT_X)]), -Double(axes[Int(GLFW_GAMEPAD_AXIS_LEFT_Y)]))
            pad.rightStick = (Double(axes[Int(GLFW_GAMEPAD_AXIS_RIGHT_X)]), -Double(axes[Int(GLFW_GAMEPAD_AXIS_RIGHT_Y)]))
            // triggers rest at −1
            pad.leftTrigger = (Double(axes[Int(GLFW_GAMEPAD_AXIS_LEFT_TRIGGER)]) + 1) / 2
            pad.rightTrigger = (Double(axes[Int(GLFW_GAMEPAD_AXIS_RIGHT_TRIGGER)]) + 1) / 2
            pad.leftShoulder = buttons[Int(GLFW_GAMEPAD_BUTTON_LEFT_BUMPER)] == GLFW_PRESS
            pad.rightShoulder = buttons[Int(GLFW_GAMEPAD_BUTTON_RIGHT_BUMPER)] == GLFW_PRESS
            return pad
        }
        return nil
    }

    func swap() { glfwSwapBuffers(handle) }

    /// Writes the back buffer (what was just drawn, before `swap`) as a PNG.
    func screenshot(path: String) throws {
        let (w, h) = framebufferSize
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        glPixelStorei(GLenum(GL_PACK_ALIGNMENT), 1)
        glReadBuffer(GLenum(GL_BACK))
        pixels.withUnsafeMutableBytes { glReadPixels(0, 0, GLsizei(w), GLsizei(h), GLenum(GL_RGB), GLenum(GL_UNSIGNED_BYTE), $0.baseAddress) }
        // GL rows start at the bottom; PNG rows at the top
        stbi_flip_vertically_on_write(1)
        let ok = stbi_write_png(path, Int32(w), Int32(h), 3, pixels, Int32(w * 3))
        guard ok != 0 else { throw ViewerError.window("could not write \(path)") }
    }

    /// The GL renderer string, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)".
    var rendererName: String {
        guard let s = glGetString(GLenum(GL_RENDERER)) else { return "unknown" }
        return String(cString: UnsafeRawPointer(s).assumingMemoryBound(to: CChar.self))
    }
}

/// An 8-bit RGB image read from a PNG (for screenshot checks).
public struct RGBImage: Sendable {
    public let width: Int, height: Int
    /// Row-major from the top row, three bytes per pixel.
    public let pixels: [UInt8]

    /// Reads a PNG (or any format stb_image reads); nil when the file cannot be decoded.
    public init?(path: String) {
        var w: Int32 = 0, h: Int32 = 0, n: Int32 = 0
        guard let data = stbi_load(path, &w, &h, &n, 3) else { return nil }
        defer { stbi_image_free(data) }
        width = Int(w); height = Int(h)
        pixels = Array(UnsafeBufferPointer(start: data, count: width * height * 3))
    }

    /// The pixel at column `x`, row `y` (from the top).
    public subscript(x: Int, y: Int) -> (r: UInt8, g: UInt8, b: UInt8) {
        let i = (y * width + x) * 3
        return (pixels[i], pixels[i + 1], pixels[i + 2])
    }
}
