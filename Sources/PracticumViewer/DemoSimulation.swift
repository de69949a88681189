// A built-in demo so the viewer runs end to end before the real session is wired in.
// It is NOT a procedure: a few primitives, a breathing tissue patch, a landmark and a HUD.
// `practicum run demo` uses it; the session replaces it for real scenarios.
import PracticumCore

/// A small deterministic stand-in simulation: grasp the needle with the right hand (Space),
/// then touch the magenta landmark with its tip.
public struct DemoSimulation: ViewerSimulation {
    public let dt = 1.0 / 120
    public private(set) var tick = 0
    /// The magenta landmark the smoke test probes for, world m.
    public static let landmarkPosition = Vec3(0.04, 1.008, 0.0)
    public static let landmarkColor = RGBA(1, 0, 1)
    /// The camera the demo opens with (the smoke test projects the landmark through it).
    public static let camera = OrbitCamera(target: Vec3(0, 0.95, 0), distance: 0.75, yaw: 0, pitch: 0.6)

    var hands: [HandInput]
    var needle = Pose(position: Vec3(0.2, 0.805, 0.2), orientation: Quat(axis: .unitZ, angle: .pi / 2))
    var held = false
    var steps: [StepStatus] = [.active, .pending, .pending]
    var messages: [HUDMessage] = []
    var hintUntil = -1.0
    var finishedAt: Double?
    let timeLimit = 120.0

    public init() { hands = DemoSimulation.startHands }

    static let startHands = [HandInput(pose: Pose(position: Vec3(-0.22, 1.0, 0.2))),
                             HandInput(pose: Pose(position: Vec3(0.22, 1.0, 0.2)))]
    public var initialInput: InputFrame { InputFrame(time: 0, head: DemoSimulation.camera.pose, hands: DemoSimulation.startHands) }
    public var isFinished: Bool { finishedAt != nil }
    var time: Double { Double(tick) * dt }

    var needleTip: Vec3 { needle.transform(Vec3(0, 0.06, 0)) }

    public mutating func step(input: InputFrame) {
        tick += 1
        hands = input.hands
        let right = hands[1]
        // grasp: a closed grip near the needle picks it up; opening drops it where it is
        if !held, right.grip > 0.5, right.pose.position.distance(to: needle.position) < 0.06 {
            held = true
            advance(step: 0, "Needle grasped")
        }
        if held, right.grip <= 0.5 { held = false }
        if held { needle = right.pose * Pose(position: Vec3(0, 0, -0.08), orientation: Quat(axis: .unitX, angle: -.pi / 2)) }
        if held, steps[1] == .active, needleTip.distance(to: DemoSimulation.landmarkPosition) < 0.015 {
            advance(step: 1, "Landmark reached")
            steps[2] = .completed
            finishedAt = time
        }
        if input.buttons.contains("hint") { hintUntil = time + 5 }
        if finishedAt == nil, time >= timeLimit {
            if steps[0] == .active { steps[0] = .failed }
            if steps[1] == .active { steps[1] = .failed }
            messages.append(HUDMessage(text: "Time limit reached", time: time, kind: .error))
            finishedAt = time
        }
    }

    private mutating func advance(step i: Int, _ message: String) {
        steps[i] = .completed
        if i + 1 < steps.count { steps[i + 1] = .active }
        messages.append(HUDMessage(text: message, time: time))
    }

    public func viewScene() -> ViewScene {
        let t = time
        var scene = ViewScene(time: t)
        let grey = RGBA(0.55, 0.57, 0.6)
        scene.drawables = [
            Drawable(id: 1, shape: .plane(halfSize: 2), pose: Pose(position: .zero), color: RGBA(0.32, 0.34, 0.36)),
            Drawable(id: 2, shape: .box(halfExtents: Vec3(0.6, 0.4, 0.3)), pose: Pose(position: Vec3(0, 0.4, 0)), color: grey),
            Drawable(id: 3, shape: .capsule(radius: 0.1, halfHeight: 0.25), pose: Pose(position: Vec3(-0.05, 0.9, 0), orientation: Quat(axis: .unitZ, angle: .pi / 2)),
                     color: RGBA(0.85, 0.68, 0.58)),
            Drawable(id: 4, shape: .capsule(radius: 0.004, halfHeight: 0.06), pose: needle, color: RGBA(0.85, 0.87, 0.9), highlighted: steps[0] == .active),
            Drawable(id: 5, shape: .box(halfExtents: Vec3(0.03, 0.03, 0.03)),
                     pose: Pose(position: Vec3(-0.35, 0.83, 0.15), orientation: Quat(axis: .unitY, angle: t * 0.8)), color: RGBA(0.2, 0.6, 0.35)),
        ]
        scene.dynamicMeshes = [tissue(time: t)]
        scene.landmarks = [LandmarkMarker(id: 1, name: "target", position: DemoSimulation.landmarkPosition, radius: 0.01,
                                          color: DemoSimulation.landmarkColor, highlighted: steps[1] == .active)]
        scene.regions = [RegionMarker(id: 1, name: "insertion zone", shape: .box(halfExtents: Vec3(0.05, 0.01, 0.035)),
                                      pose: Pose(position: Vec3(0.04, 1.0, 0.0)), color: RGBA(0.2, 0.9, 0.4, 0.3), highlighted: steps[1] == .active)]
        scene.hands = hands.enumerated().map { HandMarker(index: $0.offset, pose: $0.element.pose, grip: $0.element.grip, active: $0.offset == 1) }
        let titles = ["Grasp the needle (right hand)", "Touch the target with the tip", "Done"]
        let current = steps.firstIndex(of: .active) ?? 2
        let hr = 72 + 6 * sin(t * 0.7), spo2 = 97 + sin(t * 0.3)
        scene.hud = HUDModel(
            title: "Viewer demo (not a procedure)",
            stepTitle: titles[current],
            instructions: [
                "Move the orange right hand onto the needle lying on the patient with the mouse (wheel: depth) or W A S D R F, then hold the left button or press Space to grasp it.",
                "Carry the needle so its tip touches the magenta target inside the green zone.",
                "Run complete. Home restarts, Esc quits.",
            ][current],
            checklist: zip(titles, steps).map { ChecklistItem(title: $0, status: $1) },
            elapsed: t, timeLimit: timeLimit,
            hint: t < hintUntil ? "The needle lies to the right of the target; keep Shift held for fine moves." : nil,
            monitor: [MonitorRow(name: "HR", value: hr, unit: "/min"), MonitorRow(name: "SpO2", value: spo2, unit: "%"),
                      MonitorRow(name: "BP sys", value: 118 + 4 * sin(t * 0.5), unit: "mmHg"),
                      MonitorRow(name: "Resp", value: 14, unit: "/min", alarm: false)],
            messages: messages,
            debrief: finishedAt.map { _ in
                let passed = steps[1] == .completed
                return DebriefModel(score: passed ? 100 : 20, passed: passed,
                                    errors: passed ? [] : [DebriefError(title: "Time limit", feedback: "The target was not reached within 120 s.", critical: true)])
            })
        return scene
    }

    /// A skin patch over the top of the torso that rises and falls with breathing.
    func tissue(time t: Double) -> DynamicMesh {
        let n = 12, radius = 0.103
        var positions: [Vec3] = []
        for i in 0...n {
            for j in 0...n {
                let u = Double(i) / Double(n) - 0.5, v = Double(j) / Double(n) - 0.5
                let z = v * 0.16
                let bump = 0.004 * sin(t * 1.6) * cos(u * .pi) * cos(v * .pi)
                positions.append(Vec3(0.04 + u * 0.2, 0.9 + (radius * radius - z * z).squareRoot() + bump, z))
            }
        }
        var indices: [UInt32] = []
        for i in 0..<n {
            for j in 0..<n {
                let a = UInt32(i * (n + 1) + j), b = a + UInt32(n + 1)
                indices += [a, a + 1, b + 1, a, b + 1, b]
            }
        }
        return DynamicMesh(id: 1, positions: positions, indices: indices, color: RGBA(0.9, 0.72, 0.62))
    }
}

#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
