import Testing
import PracticumCore
@testable import PracticumScenario
import PracticumTestSupport

/// `set` with an expression: evaluated at the moment the effect runs (relative changes, latching).
let setScenario = twoBodyScene("set-expr", region: "{id: near, position: [1m, 0, 0], radius: 50cm}") + """
variables:
  - {id: hr, unit: bpm, initial: 80, min: 40, max: 130}
  - {id: gap_at, unit: cm, initial: 0, min: 0, max: 1000}
procedure:
  steps:
    - {id: wait, title: Wait, complete_when: 'button("done")'}
events:
  - id: entered
    when: inside(a, near)
    do:
      - set: {gap_at: 'distance(a, b)', hr: hr + 20bpm}
  - id: pulse
    when: button("p")
    once: false
    do:
      - set: {hr: hr + 20bpm}
"""

@Suite struct SetExpressionTests {
    @Test func setScenarioIsValid() {
        let r = load(setScenario)
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
    }

    @Test func setEvaluatesWhenTheEffectRunsAndLatches() throws {
        var d = try Driver(setScenario)
        d.run(2)
        // variables hold SI values: 80 bpm is 4/3 per second
        #expect(d.runner.state.variables == [80.0 / 60, 0])
        // a enters at tick 3 with b 1.2 m away: the gap is captured, the heart rate goes up by 20
        d.run(1, a: Vec3(0.8, 0, 0), b: Vec3(-0.4, 0, 0))
        #expect(isClose(d.runner.state.variables[0], 100.0 / 60, abs: 1e-12) && isClose(d.runner.state.variables[1], 1.2, abs: 1e-12), "\(d.runner.state.variables)")
        // b moves on: the captured value stays
        d.run(3, a: Vec3(0.8, 0, 0), b: Vec3(5, 0, 0))
        #expect(isClose(d.runner.state.variables[1], 1.2, abs: 1e-12))
        // each pulse tick adds 20 bpm to the value of that moment, kept within max (130)
        d.run(1, a: Vec3(0.8, 0, 0), buttons: ["p"])
        #expect(isClose(d.runner.state.variables[0], 120.0 / 60, abs: 1e-12))
        d.run(1, a: Vec3(0.8, 0, 0))
        d.run(1, a: Vec3(0.8, 0, 0), buttons: ["p"])
        #expect(d.runner.state.variables[0] == 130.0 / 60)
        #expect(d.log.filter { $0.contains("event") } == ["3 event entered", "7 event pulse", "9 event pulse"])
    }

    @Test(arguments: [
        ("a plain number added to a heart rate", "hr: hr + 20bpm}", "hr: hr + 20}",
         ["20:50: error: cannot compare or combine a rate with a plain number using '+'; give the number a unit, e.g. 5Hz (at events[0].do[0].set.hr)",
          "25:24: error: cannot compare or combine a rate with a plain number using '+'; give the number a unit, e.g. 5Hz (at events[1].do[0].set.hr)"]),
        ("a length set into a heart rate", "hr: hr + 20bpm}\n  - id: pulse", "hr: 'distance(a, b)'}\n  - id: pulse",
         ["20:46: error: expected a rate, but this is a length (at events[0].do[0].set.hr)"]),
    ])
    func badSetExpressions(_ c: (String, String, String, [String])) {
        let text = setScenario.replacingOccurrences(of: c.1, with: c.2)
        #expect(text != setScenario, "\(c.0)")
        #expect(load(text).errors.map(\.description) == c.3.map { "test.yaml:" + $0 }, "\(c.0)")
    }

    @Test func constantsStillReadAsBefore() throws {
        let s = try #require(load(setScenario.replacingOccurrences(of: "hr: hr + 20bpm}\n  - id: pulse", with: "hr: 90}\n  - id: pulse")).scenario)
        guard case let .setVariable(i, v) = s.events[0].effects[1] else { Issue.record("\(s.events[0].effects)"); return }
        #expect(i == 0 && isClose(v, 1.5, abs: 1e-12)) // 90 bpm in SI (per second)
    }
}
