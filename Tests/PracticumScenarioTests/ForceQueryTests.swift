import Testing
import PracticumCore
@testable import PracticumScenario
import PracticumTestSupport

/// Forces in expressions (`needle_force`, `lateral_force`, `coupling_force`) and `peak(x, window)`,
/// the drop detector for loss of resistance.
let forceScenario = twoBodyScene("forces", region: "{id: r1, position: [1m, 0, 0], radius: 10cm}") + """
procedure:
  steps:
    - {id: enter, title: Enter, complete_when: 'peak(needle_force(a), 0.3s) - needle_force(a) > 1.5N'}
    - {id: push, title: Push, after: [enter], complete_when: 'coupling_force(right_hand) > 10N and lateral_force(a) < 1N'}
"""

@Suite struct ForceQueryTests {
    static func obs(_ tick: Int, axial: Double, lateral: Double = 0, coupling: Double = 0) -> Observations {
        var needle = Observations.NeedleState(needle: 0, tissue: 0, axialForce: axial)
        needle.lateralForce = lateral
        return Observations(tick: tick, time: Double(tick) * 0.1, bodies: [.init(pose: Pose()), .init(pose: Pose())],
                            hands: [.init(pose: Pose()), .init(pose: Pose(), couplingForce: coupling)], needles: [needle])
    }

    @Test func aDropOfResistanceWithinTheWindowIsDetected() throws {
        let s = try #require(load(forceScenario).scenario, "\(load(forceScenario).diagnostics)")
        var r = ProcedureRunner(scenario: s, dt: 0.1)
        var log: [String] = []
        // the force builds to 3 N and falls: 0.2 N below the peak at tick 5, 1.6 N at tick 6 (the peak at tick 4,
        // 0.2 s earlier, inside the 0.3 s window; a tick exactly one window back is outside it)
        let forces: [Double] = [1, 2, 3, 3, 2.8, 1.4, 1.4, 1.4]
        for (i, f) in forces.enumerated() {
            for e in r.tick(Self.obs(i + 1, axial: f)).frame.events { if case let .stepCompleted(k) = e.kind { log.append("\(i + 1) \(s.steps[k].id)") } }
        }
        #expect(log == ["6 enter"])
    }

    @Test func aSlowDeclineIsNotADrop() throws {
        let s = try #require(load(forceScenario).scenario)
        var r = ProcedureRunner(scenario: s, dt: 0.1)
        var done = false
        for i in 0..<30 {
            // 0.4 N per tick: 1.2 N over 0.3 s, never 1.5 N within the window
            let f = Swift.max(0, 12 - 0.4 * Double(i))
            for e in r.tick(Self.obs(i + 1, axial: f)).frame.events { if case .stepCompleted = e.kind { done = true } }
        }
        #expect(!done)
    }

    @Test func couplingAndLateralForcesReadTheTick() throws {
        let s = try #require(load(forceScenario).scenario)
        var r = ProcedureRunner(scenario: s, dt: 0.1)
        for (i, f) in [3.0, 3, 1].enumerated() { _ = r.tick(Self.obs(i + 1, axial: f)) }
        #expect(r.state.steps == [.completed, .active])
        _ = r.tick(Self.obs(4, axial: 1, lateral: 2, coupling: 12))
        #expect(r.state.steps == [.completed, .active])
        _ = r.tick(Self.obs(5, axial: 1, lateral: 0.5, coupling: 12))
        #expect(r.state.steps == [.completed, .completed])
    }

    @Test(arguments: [
        ("peak(needle_force(a), 0.3s)", "peak(needle_force(a), 2 * 0.3s)", "peak(…) needs a fixed window such as 0.5s, above 0 and at most 60 s"),
        ("peak(needle_force(a), 0.3s)", "peak(needle_force(a), 61s)", "peak(…) needs a fixed window such as 0.5s, above 0 and at most 60 s"),
        ("coupling_force(right_hand)", "coupling_force(a)", "coupling_force(…) expects a hand here, but 'a' is a body"),
    ])
    func badForceQueries(_ c: (String, String, String)) {
        let found = diagnostics(of: forceScenario, replacing: c.0, with: c.1)
        #expect(found.contains { $0.contains(": error: " + c.2 + " (at procedure.steps[") }, "\(found)")
    }

    @Test func peakKeepsAtMostOneWindowOfValues() {
        var w = PeakWindow()
        for i in 0..<10_000 { w.push(Double(i) * 0.01, Double(i % 7), window: 0.5) }
        #expect(w.times.count - w.head <= 51)
        #expect(w.times.count <= 200)
        #expect(w.max(after: 99.99 - 0.5) == 6)
    }
}

/// `tilt_x` and `tilt_z`: signed angles of an instrument in a landmark's frame.
@Suite struct TiltTests {
    static let scenario = """
    id: tilt
    title: tilt
    version: "1"
    scene:
      bodies:
        - {id: needle, kind: instrument, shape: {sphere: {radius: 1cm}}, axis: [0, -1, 0]}
        - {id: back, kind: static, shape: {box: {size: [10cm, 1cm, 10cm]}}, rotation: [0, 90, 0]}
    procedure:
      steps:
        - {id: s, title: S, complete_when: 'tilt_z(needle, back) > 10deg'}
    """

    @Test(arguments: [
        // needle rotations (degrees about x, y, z) and the expected (tilt_x, tilt_z) in the back's frame,
        // whose +x is the world's −z and +z the world's +x (turned 90° about y)
        ([0.0, 0, 0], [0.0, 0]),
        ([0.0, 0, 20], [0.0, 20]),    // 20° about z leans the tip towards world +x, the back's +z
        ([0.0, 0, -30], [0.0, -30]),
        ([20.0, 0, 0], [20.0, 0]),    // 20° about x leans it towards world −z, the back's +x
    ])
    func tiltIsSignedInTheLandmarksFrame(_ c: ([Double], [Double])) throws {
        let s = try #require(load(Self.scenario).scenario, "\(load(Self.scenario).diagnostics)")
        var r = ProcedureRunner(scenario: s, dt: 0.1)
        let d = Double.pi / 180
        let needle = Pose(orientation: Quat.euler(x: c.0[0] * d, y: c.0[1] * d, z: c.0[2] * d))
        let back = s.scene.bodies[1].pose
        let obs = Observations(tick: 1, time: 0.1, bodies: [.init(pose: needle), .init(pose: back)])
        let tx = r.value(.call(.tiltX, [.entity(.body(0)), .entity(.body(1))], slot: -1), obs) / d
        let tz = r.value(.call(.tiltZ, [.entity(.body(0)), .entity(.body(1))], slot: -1), obs) / d
        #expect(abs(tx - c.1[0]) < 1e-9 && abs(tz - c.1[1]) < 1e-9, "tilt_x \(tx), tilt_z \(tz)")
    }
}
