import Foundation
import Testing
import PracticumAudio
import PracticumCore
import PracticumScoring
import PracticumTestSupport
@testable import PracticumViewer

/// Each shipped procedure played through the viewer's own input layer (pointer, wheel, keys), as a
/// practised trainee would, must pass; the hands stay within human limits; a clumsy run fails for a
/// named error. The aim points are where a trainee sees the instruments and landmarks.
@Suite(.serialized) struct TraineeTests {
    nonisolated(unsafe) static var flashback = false

    static func expectHuman(_ t: ScriptedTrainee) {
        let peaks = t.peaks()
        #expect(peaks.speed <= 1.0 + 1e-9, "hand speed \(peaks.speed) m/s")
        #expect(peaks.acceleration <= 10.0 + 1e-6, "hand acceleration \(peaks.acceleration) m/s²")
    }

    static func summary(_ r: Report) -> String {
        let steps = r.evaluation.steps.map { "\($0.info.id)=\($0.timeline.status)" }
        return "score \(r.score), failed: \(r.evaluation.failedCriteria), errors: \(r.evaluation.errors.map(\.id)), steps: \(steps), "
            + "metrics: \(r.evaluation.metrics.map { "\($0.id)=\($0.valueText)" })"
    }

    /// IV cannulation with the mouse: tourniquet with the left hand, swab and cannula with the right;
    /// the cannula is tilted 20° nose down and pushed along its axis in precision mode until the
    /// flashback, held, and the left hand releases the tourniquet while the right holds the needle.
    static func ivCannulation(angle: Double = 20, depth: Double = 1) throws -> ScriptedTrainee {
        var t = try ScriptedTrainee(scenario: "iv-cannulation")
        // tourniquet on (left hand)
        t.switchHand()
        t.reach(Vec3(-0.25, 0.84, 0.2)); t.grip()
        t.reach(Vec3(-0.25, 0.92, 0.2)); t.reach(Vec3(-0.10, 0.92, 0)); t.reach(Vec3(-0.10, 0.905, 0))
        t.grip()
        t.reach(Vec3(-0.10, 0.95, 0.1))
        // clean the site (right hand), small circles, swab back on the table
        t.switchHand()
        t.reach(Vec3(0.2, 0.84, 0.22)); t.grip()
        t.reach(Vec3(0.2, 0.92, 0.22)); t.reach(Vec3(0.02, 0.92, 0)); t.reach(Vec3(0.02, 0.90, 0))
        for _ in 0..<4 {
            t.reach(Vec3(0.026, 0.90, 0.006), speed: 0.04); t.reach(Vec3(0.014, 0.90, -0.006), speed: 0.04)
        }
        t.reach(Vec3(0.02, 0.95, 0)); t.reach(Vec3(0.2, 0.92, 0.22)); t.reach(Vec3(0.2, 0.84, 0.22))
        t.grip()
        // the cannula: pick up, tilt, place the tip over the site, push in until flashback
        t.reach(Vec3(0.3, 0.92, 0.15)); t.reach(Vec3(0.3, 0.83, 0.15)); t.grip()
        t.reach(Vec3(0.3, 0.92, 0.15))
        t.tilt(angle)
        let a = angle * .pi / 180
        t.reach(Vec3(0.056, 0.92, 0)); t.reach(Vec3(0.056, 0.8989, 0))
        t.push(depth * 0.0266 * sin(20 * .pi / 180) / sin(a), seconds: 2)
        // the flashback chamber (a cue part of the cannula) has filled
        let chamber = t.controller.scene.drawables.first { $0.id == ScenarioSimulation.partID }
        flashback = chamber?.color == RGBA(0xb3 / 255.0, 0x12 / 255.0, 0x2a / 255.0, 1)
        t.wait(1.6)
        // tourniquet off (left hand) while the right holds the needle still
        t.switchHand()
        t.reach(Vec3(-0.10, 0.95, 0.1)); t.reach(Vec3(-0.10, 0.90, 0)); t.grip()
        t.reach(Vec3(-0.10, 0.95, 0.1)); t.reach(Vec3(-0.30, 0.95, 0.25))
        // withdraw along the track and into the sharps container
        t.switchHand()
        t.push(-depth * 0.0266 * sin(20 * .pi / 180) / sin(a), seconds: 1)
        t.reach(Vec3(0.056, 0.96, 0)); t.reach(Vec3(0.3916, 1.0, -0.2)); t.reach(Vec3(0.3916, 0.9605, -0.2))
        t.grip()
        t.wait(1)
        return t
    }

    @Test func ivCannulationCanBePassedWithTheMouse() throws {
        var t = try Self.ivCannulation()
        #expect(Self.flashback)
        // one tone marks the entry into the vein
        #expect(t.controller.driver.takeSounds().map(\.kind) == [.tone(frequency: 660, duration: 0.2)])
        t.finish()
        let r = t.report, passed = r.passed
        #expect(passed, "\(Self.summary(r))")
        #expect(r.evaluation.errors.isEmpty)
        Self.expectHuman(t)
        // Esc ended the run: the debrief lists every metric against its target
        let debrief = t.controller.scene.hud.debrief
        #expect(debrief?.metrics.map(\.title) == r.evaluation.metrics.map(\.title))
        #expect(debrief?.metrics.allSatisfy { $0.met == true } == true)
    }

    /// The clumsy trainee pushes on past the flashback: through the back wall of the vein. The error's
    /// feedback shows at once (live feedback) and the run fails for it.
    @Test func pushingOnThroughTheVeinFailsForTheBackWall() throws {
        var t = try Self.ivCannulation(depth: 1.5)
        let toasts = t.controller.scene.hud.toasts.map(\.text)
        #expect(toasts.contains { $0.hasPrefix("Back wall of the vein punctured.") })
        t.finish()
        let r = t.report, passed = r.passed
        #expect(!passed)
        #expect(r.evaluation.errors.map(\.id) == ["back_wall"])
        // the needle never stayed in the lumen, so the steps after the flashback could not follow
        #expect(r.evaluation.failedCriteria == ["score 40 is below 80",
                                                "required steps not done: Lower and advance into the vein, Release the tourniquet, Dispose of the needle"])
    }

    @Test func cprCanBePassedWithTheMouse() throws {
        var t = try ScriptedTrainee(scenario: "cpr-adult")
        // tap the shoulders (right hand), then both hands onto the lower sternum
        t.reach(Vec3(-0.12, 0.20, -0.19)); t.wait(0.8)
        t.reach(Vec3(0, 0.31, 0.04))
        t.switchHand()
        t.reach(Vec3(0, 0.30, 0.04)); t.grip()
        // X: both hands together; Ctrl + pointer: compressions straight down, 8 cm of hand travel
        t.tap(.x)
        t.wait(0.5)
        t.pump(depth: 0.08, rate: 110.0 / 60, cycles: 100)
        // mid-run the gauges show the last compression's depth and the rate, both inside the AHA bands
        let gauges = t.controller.scene.hud.gauges
        #expect(gauges.map(\.title) == ["Compression depth", "Compression rate"])
        let inBands = gauges.allSatisfy { $0.inTarget }, values = gauges.map(\.value)
        #expect(inBands, "\(values)")
        t.pump(depth: 0.08, rate: 110.0 / 60, cycles: 20)
        // the metronome clicked at 110/min for as long as compressions were the step
        let clicks = t.controller.driver.takeSounds().filter { $0.kind == .click }
        #expect(clicks.count == 110)
        #expect(zip(clicks.dropFirst(), clicks).allSatisfy { isClose($0.time - $1.time, 60.0 / 110, abs: 1e-6) })
        t.finish()
        let r = t.report, passed = r.passed
        #expect(passed, "\(Self.summary(r))")
        Self.expectHuman(t)
    }

    @Test func needleDecompressionCanBePassedWithTheMouse() throws {
        var t = try ScriptedTrainee(scenario: "needle-decompression")
        // the catheter from the trolley, turned to point medially, to the right 4th/5th ICS
        t.reach(Vec3(0.30, 0.8011, 0.32)); t.grip()
        t.reach(Vec3(0.30, 1.10, 0.32))
        t.yaw(90)
        t.reach(Vec3(0.044, 1.05, 0.30)); t.reach(Vec3(0.044, 0.95, 0.2601)); t.reach(Vec3(0.044, 0.95, 0.2201))
        t.wait(1.3)
        // perpendicular to the chest wall, 4 cm along the catheter in precision mode, then hold
        t.push(0.04, seconds: 1.5)
        t.wait(8)
        t.finish()
        let r = t.report, passed = r.passed
        #expect(passed, "\(Self.summary(r))")
        Self.expectHuman(t)
    }

    /// FLS peg transfer: each object lifted by the grasper on its side, handed over in mid-air (the
    /// receiving hand waits with its grip closed; the giving hand lets go), placed on the mirror peg;
    /// then all six back. Tab switches the hand the mouse moves.
    @Test func flsPegTransferCanBePassedWithTheMouse() throws {
        var t = try ScriptedTrainee(scenario: "fls-peg-transfer")
        let objects = (0..<6).map { t.simulation.session.scenario.bodyIndex("o\($0 + 1)")! }
        func position(_ body: Int) -> Vec3 { t.simulation.session.observations.bodies[body].pose.position }
        let handover = Vec3(0, 1.0, 0)
        // the mouse moves the right hand first: give the left one the mouse
        t.switchHand()
        for (from, to) in [(0, 1), (1, 0)] {   // 0 left, 1 right
            for body in objects {
                // `from` hand is active here
                let start = position(body)
                t.reach(start + Vec3(0, 0.05, 0), speed: 0.6); t.reach(start, speed: 0.3); t.grip()
                t.reach(start + Vec3(0, 0.08, 0), speed: 0.6)
                t.reach(handover + Vec3(from == 0 ? -0.01 : 0.01, 0, 0), speed: 0.6)
                // the other hand comes to the object with its grip closed
                t.switchHand()
                t.reach(handover + Vec3(to == 0 ? -0.012 : 0.012, 0, 0), speed: 0.6)
                t.grip()
                t.switchHand()
                t.grip()          // the giving hand lets go; the waiting one holds it
                t.switchHand()
                // aim the object, not the hand, over the mirror peg
                let held = t.target - position(body)
                let peg = Vec3(-start.x, 0.86, start.z) + held
                t.reach(peg + Vec3(0, 0.06, 0), speed: 0.6); t.reach(peg, speed: 0.3)
                t.grip()
                t.reach(peg + Vec3(0, 0.06, 0), speed: 0.6)
                t.wait(0.3)
                t.switchHand()    // back to the `from` hand for the next object
            }
            t.switchHand()        // the other direction starts with the other hand
        }
        t.wait(0.5)
        t.finish()
        let r = t.report, passed = r.passed
        #expect(passed, "\(Self.summary(r))")
        Self.expectHuman(t)
    }
}
