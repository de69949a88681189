import Foundation
import Testing
import PracticumCore
import PracticumScenario
@testable import PracticumSession
import PracticumTestSupport

/// "Over the rib" is physical in needle decompression: the ribs are collision bodies under the
/// tissue patch, so the expert's perpendicular insertion moved onto a rib stops on the bone, short
/// of the pleural space, while the same insertion over the top of the lower rib reaches it.
@Suite struct RibCollisionTests {
    /// The deepest the catheter's point gets (its world z: the lateral skin is at 0.17 m, the rib's
    /// outer surface at 0.154 m, the pleural space from 0.141 m) and whether `insert_lateral` completed,
    /// for the expert's script with the insertion at world x = `x`.
    static func insert(at x: Double) throws -> (deepest: Double, reachedPleura: Bool) {
        let root = repositoryRoot()
        let scenario = try loadScenarioForScoring("\(root)/scenarios/needle-decompression/scenario.yaml").get()
        var text = try String(contentsOfFile: "\(root)/scenarios/needle-decompression/traces/expert.yaml", encoding: .utf8)
        text = text.replacingOccurrences(of: "[0.044, ", with: "[\(x), ")
        let script = try MotionScript.parse(yaml: text)
        var session = try Session(scenario: scenario, seed: script.seed)
        var source = Resampler(samples: script.frames())
        let catheter = try #require(scenario.scene.bodies.firstIndex { $0.id == "catheter" })
        let tip = scenario.scene.bodies[catheter].tip
        var deepest = Double.infinity
        while Replay.step(&session, source: &source, until: script.duration) {
            deepest = min(deepest, session.world.pose(of: catheter).transform(tip).z)
        }
        let step = try #require(scenario.steps.firstIndex { $0.id == "insert_lateral" })
        return (deepest, session.frame.steps[step] == .completed)
    }

    @Test func aNeedleOverTheSpaceReachesThePleuraAndOneOnARibStopsOnTheBone() throws {
        let space = try Self.insert(at: 0.044)
        #expect(space.reachedPleura && space.deepest < 0.141, "\(space)")
        // the 6th rib's centre line is at x = 5.55 cm, 14.8 cm from the chest's midline (radius 6 mm)
        let rib = try Self.insert(at: 0.0555)
        #expect(!rib.reachedPleura, "\(rib)")
        #expect(rib.deepest > 0.154 - 0.002 && rib.deepest < 0.17 - 0.01, "the point stops on the rib, under the skin and fat: \(rib)")
    }
}
