// The windowed loop: poll input, advance the driver, draw each eye and its HUD, swap.
import CGL
import Foundation
import PracticumCore

/// How to open and run the viewer.
public struct ViewerOptions: Sendable {
    public var title = "Practicum"
    /// Side-by-side stereo (the headset stand-in) instead of one mono view.
    public var stereo = false
    /// Render without showing the window (tests, CI).
    public var hidden = false
    /// Window size in pixels.
    public var width = 1280, height = 720
    /// Render exactly this many frames, each advancing `fixedFrameSeconds` of time, then stop.
    public var frames: Int?
    /// Simulated seconds per frame when `frames` is set (a 90 Hz headset frame).
    public var fixedFrameSeconds = 1.0 / 90
    /// Write the last frame as a PNG here.
    public var screenshot: String?
    /// Simulated seconds per real second.
    public var speed = 1.0
    /// TrueType font for the HUD.
    public var fontPath: String
    /// MSAA samples per pixel.
    public var samples = 4
    public var rig = StereoRig()
    public var lens = Lens()
    /// The camera the viewer opens with.
    public var camera = OrbitCamera()
    /// Start with the frame-time overlay (F3) on.
    public var showFrameTimes = false
    /// Start with the key map (F1) open.
    public var showHelp = false

    public init(fontPath: String) { self.fontPath = fontPath }
}

/// Timing of a run, for benchmarks and the smoke test.
public struct RunStats: Sendable {
    public var frames = 0
    /// CPU ms per frame from the start of the frame to the buffer swap (excludes waiting for the GPU).
    public var cpuMilliseconds: [Double] = []
    /// Wall ms from one frame start to the next (includes the swap).
    public var frameMilliseconds: [Double] = []
    /// The GL renderer, e.g. llvmpipe.
    public var renderer = ""

    public static func median(_ xs: [Double]) -> Double {
        guard !xs.isEmpty else { return .nan }
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}

/// A monotonic clock in seconds (for frame pacing and overlays only; never fed to the simulation).
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Runs the desktop viewer.
public enum ViewerApp {
    /// True when an X or Wayland display is available (GLFW 3.3 has no headless platform).
    public static var hasDisplay: Bool {
        let env = ProcessInfo.processInfo.environment
        return !(env["DISPLAY"] ?? "").isEmpty || !(env["WAYLAND_DISPLAY"] ?? "").isEmpty
    }

    /// Opens the window and runs until Esc, the window closes, or `options.frames` frames are drawn.
    public static func run<Sim: ViewerSimulation>(_ driver: inout ViewerDriver<Sim>, options: ViewerOptions) throws -> RunStats {
        guard hasDisplay else { throw ViewerError.noDisplay }
        let window = try Window(title: options.title, width: options.width, height: options.height, hidden: options.hidden,
                                samples: options.samples, vsync: options.frames == nil)
        let renderer = try Renderer(font: try FontAtlas(path: options.fontPath))
        var stats = RunStats(renderer: window.rendererName)
        var orbit = options.camera
        var firstPerson = FirstPersonCamera(position: orbit.pose.position, yaw: orbit.yaw, pitch: -orbit.pitch)
        var useFirstPerson = false, stereo = options.stereo, help = options.showHelp, showTimes = options.showFrameTimes
        driver.clock.speed = options.speed
        var lastStart = monotonicSeconds()
        var shown = FrameTimes(cpu: 0, frame: 0, tick: 0, fps: 0)

        while !window.shouldClose {
            let start = monotonicSeconds()
            let real = options.frames != nil ? options.fixedFrameSeconds : min(start - lastStart, 0.25)
            if stats.frames > 0 { stats.frameMilliseconds.append((start - lastStart) * 1000) }
            lastStart = start

            // input: viewer commands first, then camera, then the hands (inside the driver)
            let input = window.poll()
            for key in input.pressed {
                switch driver.mapper.press(key) {
                case .toggleHelp: help.toggle()
                case .toggleFrameTime: showTimes.toggle()
                case .togglePause: driver.clock.paused.toggle()
                case .toggleCamera:
                    useFirstPerson.toggle()
                    if useFirstPerson { firstPerson = FirstPersonCamera(position: orbit.pose.position, yaw: orbit.yaw, pitch: -orbit.pitch) }
                case .toggleStereo: stereo.toggle()
                case .quit: window.close()
                case .restart: driver.restart()
                case let .speed(f): driver.clock.speed = min(max(driver.clock.speed * f, 0.125), 16)
                case let .seek(s): driver.seek(seconds: s)
                case nil: break
                }
            }
            if useFirstPerson {
                firstPerson.look(yaw: -input.leftDrag.0 * 0.004, pitch: -input.leftDrag.1 * 0.004)
            } else {
                orbit.orbit(yaw: -input.leftDrag.0 * 0.005, pitch: input.leftDrag.1 * 0.005)
                if input.scroll != 0 { orbit.zoom(pow(0.9, input.scroll)) }
            }
            let head = useFirstPerson ? firstPerson.pose : orbit.pose

            // simulate: whole fixed ticks, then the scene interpolated between the last two
            let scene = driver.frame(realSeconds: real, held: input.held, mouse: input.rightDrag, head: head)

            // draw every eye, each with its own HUD
            let (w, h) = window.framebufferSize
            let views = stereo ? options.rig.eyes(head: head, width: w, height: h) : [options.lens.monoView(head: head, width: w, height: h)]
            let list = DrawList(scene: scene, eye: head.position)
            renderer.clear(width: w, height: h)
            renderer.prepare(list)
            var overlays = HUDOverlays(help: help, frameTimes: showTimes ? shown : nil)
            if driver.clock.paused { overlays.status.append("PAUSED (P)") }
            if let error = driver.reloadError { overlays.errors.append("Reload failed, still running the previous version: " + error) }
            if let replay = driver.replay {
                let total = Double(replay.count) * driver.simulation.dt
                overlays.status.append(String(format: "REPLAY %gx  ", driver.clock.speed) + HUDLayout.clock(scene.time) + " / " + HUDLayout.clock(total))
            }
            // the HUD is laid out once per viewport size: both stereo eyes share it (zero disparity)
            var hud: (width: Int, height: Int, vertices: [Float])?
            for view in views {
                renderer.draw(list, eye: view, time: scene.time)
                let vp = view.viewport
                if hud == nil || hud!.width != vp.width || hud!.height != vp.height {
                    renderer.font.compact = HUDLayout.isCompact(width: Double(vp.width))
                    var layout = HUDLayout(width: Double(vp.width), height: Double(vp.height), measure: renderer.font)
                    layout.layout(scene.hud, overlays: overlays)
                    hud = (vp.width, vp.height, renderer.hudVertices(layout.elements))
                }
                renderer.drawHUD(hud!.vertices, viewport: vp)
            }
            let cpu = (monotonicSeconds() - start) * 1000
            stats.cpuMilliseconds.append(cpu)
            stats.frames += 1
            if stats.frames % 30 == 0 || stats.frames == 1 {
                let frame = stats.frameMilliseconds.last ?? cpu
                shown = FrameTimes(cpu: cpu, frame: frame, tick: driver.lastTickSeconds * 1000, fps: frame > 0 ? 1000 / frame : 0)
            }
            if let n = options.frames, stats.frames >= n {
                glFinish()
                if let path = options.screenshot { try window.screenshot(path: path) }
                break
            }
            window.swap()
        }
        return stats
    }
}
