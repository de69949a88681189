// The GLFW window: an OpenGL 3.3 core context, key and mouse state, PNG screenshots.
import CGL
import CGLFW
import CStb
import Foundation

/// Key presses and scroll collected by GLFW callbacks between two polls.
final class InputSink {
    var pressed: [ViewerKey] = []
    var scroll: Double = 0
}

/// One window with its GL context. Identity matters (it owns the context), hence a class.
final class Window {
    let handle: OpaquePointer
    let sink = InputSink()
    private var lastCursor: (x: Double, y: Double)?

    /// GLFW key code → viewer key.
    static let keyCodes: [(Int32, ViewerKey)] = [
        (GLFW_KEY_W, .w), (GLFW_KEY_A, .a), (GLFW_KEY_S, .s), (GLFW_KEY_D, .d), (GLFW_KEY_R, .r), (GLFW_KEY_F, .f),
        (GLFW_KEY_Q, .q), (GLFW_KEY_E, .e), (GLFW_KEY_T, .t), (GLFW_KEY_H, .h), (GLFW_KEY_P, .p), (GLFW_KEY_C, .c),
        (GLFW_KEY_SPACE, .space), (GLFW_KEY_TAB, .tab), (GLFW_KEY_UP, .up), (GLFW_KEY_DOWN, .down),
        (GLFW_KEY_LEFT, .left), (GLFW_KEY_RIGHT, .right), (GLFW_KEY_LEFT_SHIFT, .shift), (GLFW_KEY_RIGHT_SHIFT, .shift),
        (GLFW_KEY_F1, .f1), (GLFW_KEY_F2, .f2), (GLFW_KEY_F3, .f3), (GLFW_KEY_ESCAPE, .escape),
        (GLFW_KEY_LEFT_BRACKET, .leftBracket), (GLFW_KEY_RIGHT_BRACKET, .rightBracket),
        (GLFW_KEY_COMMA, .comma), (GLFW_KEY_PERIOD, .period), (GLFW_KEY_HOME, .home),
    ]

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
            guard action == GLFW_PRESS, let window, let raw = glfwGetWindowUserPointer(window) else { return }
            let sink = Unmanaged<InputSink>.fromOpaque(raw).takeUnretainedValue()
            if let k = Window.keyCodes.first(where: { $0.0 == key })?.1 { sink.pressed.append(k) }
        }
        glfwSetScrollCallback(h) { window, _, dy in
            guard let window, let raw = glfwGetWindowUserPointer(window) else { return }
            Unmanaged<InputSink>.fromOpaque(raw).takeUnretainedValue().scroll += dy
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

    /// Processes window events and returns presses since the last poll, held keys,
    /// the mouse drag in pixels with the left and right buttons, and the scroll.
    func poll() -> (pressed: [ViewerKey], held: Set<ViewerKey>, leftDrag: (Double, Double), rightDrag: (Double, Double), scroll: Double) {
        glfwPollEvents()
        let pressed = sink.pressed, scroll = sink.scroll
        sink.pressed = []; sink.scroll = 0
        var held = Set<ViewerKey>()
        for (code, key) in Window.keyCodes where glfwGetKey(handle, code) == GLFW_PRESS { held.insert(key) }
        var x = 0.0, y = 0.0
        glfwGetCursorPos(handle, &x, &y)
        let delta = lastCursor.map { (x - $0.x, y - $0.y) } ?? (0, 0)
        lastCursor = (x, y)
        let left = glfwGetMouseButton(handle, GLFW_MOUSE_BUTTON_LEFT) == GLFW_PRESS
        let right = glfwGetMouseButton(handle, GLFW_MOUSE_BUTTON_RIGHT) == GLFW_PRESS
        return (pressed, held, left ? delta : (0, 0), right ? delta : (0, 0), scroll)
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
