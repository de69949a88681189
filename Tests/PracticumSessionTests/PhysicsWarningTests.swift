import Foundation
import Testing
import PracticumCore
import PracticumPhysics
import PracticumScenario
@testable import PracticumSession
import PracticumTestSupport

/// Physics warnings are typed (kind, entity, first tick, count) and reach the report in words.
@Suite struct PhysicsWarningTests {
    static let text = """
    id: fx
    title: Fixture
    version: "1"
    scene:
      bodies:
        - {id: table, kind: static, shape: {box: {size: [1m, 0.1m, 1m]}}, position: [0, 0.7m, 0]}
        - {id: swab, title: Swab, kind: instrument, shape: {sphere: {radius: 1cm}}, mass: 5g, position: [0.8m, 1m, 0]}
    procedure:
      steps:
        - {id: wait, title: Wait, complete_when: "time > 10s"}
    """

    /// A swab with no floor under it falls out of the world: one warning, then it is no longer simulated.
    @Test func bodyLeavingTheWorldIsReportedOnceAndFrozen() throws {
        let r = ScenarioLoader.load(bytes: Array(Self.text.utf8), file: "fx.yaml", directory: "/")
        let scenario = try #require(r.scenario, "\(r.diagnostics)")
        var s = try Session(scenario: scenario)
        for _ in 0..<(3 * 240) { s.step(InputFrame(time: s.time)) }
        let list = s.world.state.warningList
        #expect(list.count == 1)
        let w = try #require(list.first)
        #expect(w.kind == .leftWorld && w.entity == 1 && w.count == 1)
        // 10 m below the lowest initial body (the table at 0.7 m): y < −9.3 m, 10.3 m of free fall, √(2·10.3/9.81) = 1.45 s
        #expect(abs(Double(w.firstTick) / 240 - 1.449) < 0.01, "tick \(w.firstTick)")
        let frozen = s.world.pose(of: 1).position
        for _ in 0..<240 { s.step(InputFrame(time: s.time)) }
        #expect(s.world.pose(of: 1).position == frozen)
        #expect(s.world.state.warningList == list)
        let report = s.report()
        let time = Double(w.firstTick) / 240
        let sentence = "Swab left the world at \(String(format: "%.1f", time)) s"
        #expect(report.notes.contains(sentence), "\(report.notes)")
        #expect(report.physicsWarnings.map(\.kind) == ["left_world"])
        #expect(report.json().contains("\"kind\": \"left_world\""))
    }

    /// Non-finite hand input is counted per hand, from the first tick it happened.
    @Test func nonFiniteHandInputIsTypedByHand() throws {
        var w = try World(WorldDef(bodies: [BodyDef(kind: .static)], gravity: .zero))
        w.step(inputs: [HandInput()])
        for _ in 0..<3 { w.step(inputs: [HandInput(), HandInput(pose: Pose(position: Vec3(.nan, 0, 0)))]) }
        #expect(w.state.warningList == [Observations.PhysicsWarning(kind: .handInputNotFinite, entity: 1, firstTick: 1, count: 3)])
        #expect(w.state.warnings == 3)
    }
}
