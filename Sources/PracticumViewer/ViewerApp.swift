// The windowed loop: poll input, advance the driver, present the previous frame, draw each eye and its HUD.
import CGL
import Foundation
import PracticumAudio
import PracticumCore

/// How to open and run the viewer.
public struct ViewerOptions {
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
    /// MSAA samples per pixel for the 3-D scene (0 turns multisampling off). Clamped to what the driver
    /// offers (GL_MAX_SAMPLES), which may also round a request up (llvmpipe only has 4).
    public var samples = 4
    /// Drop multisampling while it is what makes frames miss `frameBudget` (`MultisampleGovernor`);
    /// false keeps `samples` whatever the frame time.
    public var adaptiveSamples = true
    /// The frame time the adaptive multisampling keeps to (s): 11.1 ms, a 90 Hz headset frame.
    public var frameBudget = 0.0111
    public var rig = StereoRig()
    public var lens = Lens()
    /// The camera the viewer opens with.
    public var camera = OrbitCamera()
    /// Start with the frame-time overlay (F3) on.
    public var showFrameTimes = false
    /// Start with the key map (F1) open.
    public var showHelp = false
    /// Start with the assist gauges (G) shown.
    public var assists = false
    /// Where sound cues go (OpenAL, a WAV file, or nowhere); nil plays none.
    public var audio: (any AudioOutput)?

    public init(fontPath: String) { self.fontPath = fontPath }
}

extension ViewerOptions {
    /// What each eye sees for a head pose in a `width`×`height` window: one centred view, or the stereo rig's
    /// two eyes side by side. The viewer draws these; the smoke test projects its landmarks through them.
    public func views(head: Pose, width: Int, height: Int, stereo: Bool) -> [EyeView] {
        stereo ? rig.eyes(head: head, width: width, height: height) : [lens.monoView(head: head, width: width, height: height)]
    }
}

/// Timing of a run, for benchmarks and the smoke test.
public struct RunStats: Sendable {
    public var frames = 0
    /// CPU ms the viewer's thread spends per frame up to the buffer swap (thread CPU time: excludes waiting
    /// for the GPU, the display server, or other processes; with software GL it includes draw-call setup).
    public var cpuMilliseconds: [Double] = []
    /// Wall ms from one frame start to the next (includes the swap).
    public var frameMilliseconds: [Double] = []
    /// Of `cpuMilliseconds`, the ms spent in simulation ticks (by the driver's clock; thread CPU time
    /// when the driver was made with `now: threadCPUSeconds`). The rest is the viewer's own cost.
    public var tickMilliseconds: [Double] = []
    /// The GL renderer, e.g. llvmpipe.
    public var renderer = ""
    /// MSAA samples per pixel the driver allocated for the scene (0: multisampling never on).
    public var samples = 0
    /// Whether the sample count was adaptive, and each change the governor made (none: `samples` throughout).
    public var adaptiveSamples = false
    public var multisampleChanges: [MultisampleGovernor.Change] = []

    /// How the scene was multisampled, e.g. "4x", "off", "4x, adaptive: off from frame 61 (frames before 17.6 ms)".
    public var multisampleSummary: String {
        // a change to n > 0 samples got what the driver allocated (`samples`), e.g. 4 for a request of 2
        func name(_ n: Int) -> String { n > 0 ? "\(samples)x" : "off" }
        guard samples > 0 else { return "off" }
        guard adaptiveSamples else { return name(samples) }
        var text = name(samples) + ", adaptive"
        let changes = multisampleChanges.map { String(format: "%@ from frame %d (frames before %.1f ms)", name($0.samples), $0.frame + 1, $0.medianSeconds * 1000) }
        text += changes.isEmpty ? ": kept" : ": " + changes.joined(separator: ", ")
        return text
    }

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

/// CPU seconds this thread has used (frame cost without waiting for the GPU or for other processes).
public func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Keeps memory the process frees instead of handing it back to the kernel at once. A software GL driver
/// (llvmpipe) allocates and frees megabytes of command bins and buffer copies every frame; with glibc's
/// defaults each frame got fresh pages back from the kernel, zeroed on first touch, and the page faults
/// cost the render thread about 0.7 ms per stereo frame. Large blocks come from the heap (up to 32 MiB)
/// and up to 256 MiB of free heap is kept. Harmless with a hardware driver.
func keepFreedMemory() {
    #if canImport(Glibc)
    // glibc's mallopt (malloc.h is not in Swift's Glibc module); M_TRIM_THRESHOLD is -1, M_MMAP_THRESHOLD -3
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
    let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
    _ = mallopt(-3, 32 << 20)
    _ = mallopt(-1, 256 << 20)
    #endif
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
        keepFreedMemory()
        let window = try Window(title: options.title, width: options.width, height: options.height, hidden: options.hidden,
                                vsync: options.frames == nil)
        let renderer = try Renderer(font: try FontAtlas(path: options.fontPath), samples: options.samples)
        var stats = RunStats(renderer: window.rendererName)
        // nil: the sample count stays as asked (--fixed-msaa, or no multisampling to adapt)
        var governor = options.adaptiveSamples && renderer.requestedSamples > 0
            ? MultisampleGovernor(preferred: renderer.requestedSamples, budget: options.frameBudget) : nil
        stats.adaptiveSamples = governor != nil
        var hudKey: HUDLayoutKey?
        var framePending = false
        var controller = ViewerController(driver: driver, options: options)
        defer { driver = controller.driver }
        var lastStart = monotonicSeconds()
        var shown = FrameTimes(cpu: 0, frame: 0, tick: 0, fps: 0)

        while !window.shouldClose && !controller.quitRequested {
            let start = monotonicSeconds(), startCPU = threadCPUSeconds(), startTicks = controller.driver.totalTickSeconds
            let real = options.frames != nil ? options.fixedFrameSeconds : min(start - lastStart, 0.25)
            if stats.frames > 0 {
                stats.frameMilliseconds.append((start - lastStart) * 1000)
                if let samples = governor?.observe(frameSeconds: start - lastStart) { renderer.requestedSamples = samples }
            }
            lastStart = start

            // input → commands, camera, hands; simulate whole fixed ticks, then interpolate between the last two
            let (w, h) = window.framebufferSize
            let scene = controller.frame(window.poll(), realSeconds: real, viewportHeight: h)
            if controller.quitRequested { break }
            // sound cues as they come due; a burst (fast replay) is not a cue any more, so only a few play
            let due = controller.driver.takeSounds()
            if let audio = options.audio, due.count <= 8 { for e in due { audio.play(e) } }
            let head = controller.head, stereo = controller.stereo
            let control = controller.control, showTimes = controller.showFrameTimes
            let views = options.views(head: head, width: w, height: h, stereo: stereo)
            let list = DrawList(scene: scene, eye: head.position,
                                pixelAngle: (stereo ? options.rig.lens : options.lens).pixelAngle(heightPixels: h))

            // present the previous frame: software GL rasterised it while this frame was simulated above
            // (the swap waits for that to finish; its time is not the viewer's CPU cost)
            var swapCPU = 0.0
            if framePending {
                let t = threadCPUSeconds()
                window.swap()
                swapCPU = threadCPUSeconds() - t
            }

            // draw: the 3-D scene for every eye (multisampled, then resolved), then every eye's HUD on top
            renderer.prepare(list)
            try renderer.beginScene(width: w, height: h)
            for view in views { renderer.draw(list, eye: view, time: scene.time) }
            try renderer.endScene(regions: views.map { (list.screenRect(in: $0), $0.viewport) })
            stats.samples = max(stats.samples, renderer.activeSamples)
            var overlays = HUDOverlays(help: control.help, frameTimes: showTimes ? shown : nil)
            if let status = control.status { overlays.status.append(status) }
            if scene.hud.debrief != nil && controller.driver.replay == nil { overlays.status.append("Esc: quit   Home: try again") }
            if let error = controller.driver.reloadError { overlays.errors.append("Reload failed, still running the previous version: " + error) }
            if controller.driver.replay != nil {
                let total = controller.driver.replayDuration
                overlays.status.append(String(format: "REPLAY %gx  ", controller.driver.clock.speed) + HUDLayout.clock(scene.time) + " / " + HUDLayout.clock(total))
            }
            // one HUD for every eye (zero disparity), laid out for the first eye's viewport and only when
            // what it shows changed; the name tags sit at their objects' depth, so each eye gets its own
            let vp = views[0].viewport
            let key = HUDLayoutKey(hud: scene.hud, overlays: overlays, width: Double(vp.width), height: Double(vp.height))
            renderer.font.compact = HUDLayout.isCompact(width: Double(vp.width))
            if key != hudKey {
                var layout = HUDLayout(width: Double(vp.width), height: Double(vp.height), measure: renderer.font)
                layout.layout(scene.hud, overlays: overlays)
                try renderer.setHUD(layout.elements, width: vp.width, height: vp.height)
                hudKey = key
            }
            for view in views {
                renderer.drawHUD(labels: HUDLayout.labels(scene, view: view, measure: renderer.font), viewport: view.viewport)
            }
            glFlush()   // rasterisation starts now, alongside the next frame's input and simulation
            framePending = true
            let cpu = (threadCPUSeconds() - startCPU - swapCPU) * 1000
            stats.cpuMilliseconds.append(cpu)
            stats.tickMilliseconds.append((controller.driver.totalTickSeconds - startTicks) * 1000)
            stats.frames += 1
            if stats.frames % 30 == 0 || stats.frames == 1 {
                let frame = stats.frameMilliseconds.last ?? cpu
                let msaa = (renderer.activeSamples > 0 ? "\(renderer.activeSamples)x" : "off") + (stats.adaptiveSamples ? " (adaptive)" : "")
                shown = FrameTimes(cpu: cpu, frame: frame, tick: controller.driver.lastTickSeconds * 1000, fps: frame > 0 ? 1000 / frame : 0, multisample: msaa)
            }
            if let n = options.frames, stats.frames >= n {
                glFinish()
                if let path = options.screenshot { try window.screenshot(path: path) }
                break
            }
        }
        stats.multisampleChanges = governor?.changes ?? []
        return stats
    }
}
