import Testing
import PracticumCore
@testable import PracticumScenario
import PracticumTestSupport

/// `debounce:` on rubric errors and events: one bone strike is one error, not three in 0.2 s.
let debounceScenario = twoBodyScene("debounce", region: "{id: bone, position: [1m, 0, 0], radius: 10cm}") + """
procedure:
  steps:
    - {id: wait, title: Wait, complete_when: 'button("done")'}
events:
  - {id: knock, when: 'inside(a, bone)', once: false, debounce: 0.5s, do: [{message: knock}]}
  - {id: tap, when: 'inside(a, bone)', once: false, do: [{message: tap}]}
rubric:
  errors:
    - {id: strike, when: 'inside(a, bone)', debounce: 500ms, max_count: 10, penalty: 1, feedback: Mind the bone}
    - {id: graze, when: 'inside(a, bone)', max_count: 10, penalty: 1, feedback: Mind the bone}

"""

@Suite struct DebounceTests {
    static let bone = Vec3(1, 0, 0), away = Vec3.zero

    @Test func debounceScenarioIsValid() {
        let r = load(debounceScenario)
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        #expect(r.scenario?.errorDebounce == [0.5, 0] && r.scenario?.events.map(\.debounce) == [0.5, 0])
    }

    @Test func aRisingEdgeCountsOnlyAfterTheConditionWasQuietForTheDebounce() throws {
        var d = try Driver(debounceScenario)
        // in at ticks 1–2, out at 3, in at 4 (quiet 0.1 s), out 5–9, in at 10 (quiet 0.5 s: counts),
        // out 11, in 12 (quiet 0.1 s), out 13–16, in 17 (quiet 0.4 s), out 18–22, in 23 (quiet 0.5 s)
        let inside: Set<Int> = [1, 2, 4, 10, 12, 17, 23]
        for k in 1...23 { d.run(1, a: inside.contains(k) ? Self.bone : Self.away) }
        let s = d.runner.state
        // without debounce every rising edge counts: 1, 4, 10, 12, 17, 23
        #expect(s.errorCounts == [3, 6])
        #expect(s.eventCounts == [3, 6])
        #expect(d.log.filter { $0.contains("error strike") } == ["1 error strike", "10 error strike", "23 error strike"])
        #expect(d.log.filter { $0.contains("message knock") } == ["1 message knock", "10 message knock", "23 message knock"])
    }

    @Test func withoutDebounceNothingChanges() throws {
        // a debounce of 0 is every rising edge, as before the key existed
        let zero = debounceScenario.replacingOccurrences(of: "debounce: 500ms", with: "debounce: 0s")
            .replacingOccurrences(of: "debounce: 0.5s", with: "debounce: 0")
        var d = try Driver(zero)
        for k in 1...6 { d.run(1, a: k % 2 == 1 ? Self.bone : Self.away) }
        #expect(d.runner.state.errorCounts == [3, 3] && d.runner.state.eventCounts == [3, 3])
    }

    @Test(arguments: [
        ("debounce: 500ms", "debounce: 2mm", "18:55: error: expected a time such as 2s or 2ms or 2min, found a length ('2mm') (at rubric.errors[0].debounce)"),
        ("debounce: 500ms", "debounce: -1s", "18:55: error: '-1s' is below the smallest allowed value (0 s) (at rubric.errors[0].debounce)"),
        ("debounce: 500ms", "debounce: 2h", "18:55: error: '2h' is above the largest allowed value (1 h) (at rubric.errors[0].debounce)"),
        ("debounce: 500ms", "debounce: 0.5", "18:55: error: '0.5' needs a unit: expected a time such as 2s or 2ms or 2min (at rubric.errors[0].debounce)"),
        ("debounce: 0.5s", "debounce: soon", "14:65: error: expected a time such as 2s or 2ms or 2min, found 'soon' (at events[0].debounce)"),
        ("once: false, debounce: 0.5s", "debounce: 0.5s", "14:52: warning: debounce has no effect on an event that fires once; add 'once: false' or remove it (at events[0].debounce)"),
    ])
    func badDebounceIsAnExactDiagnostic(_ c: (String, String, String)) {
        #expect(diagnostics(of: debounceScenario, replacing: c.0, with: c.1, errorsOnly: false) == ["test.yaml:" + c.2])
    }

    @Test func atTheLimitIsAccepted() {
        let text = debounceScenario.replacingOccurrences(of: "debounce: 500ms", with: "debounce: \(Int(Limits.maximumDebounce))s")
        #expect(load(text).diagnostics.isEmpty)
        #expect(load(text).scenario?.errorDebounce.first == Limits.maximumDebounce)
    }

    @Test func debounceWithoutAWhenIsWarned() {
        let text = debounceScenario.replacingOccurrences(of: "when: 'inside(a, bone)', debounce: 500ms", with: "debounce: 500ms")
        #expect(load(text).diagnostics.map(\.description) ==
                ["test.yaml:18:30: warning: debounce applies only to a 'when' condition, and there is none here; remove it (at rubric.errors[0].debounce)"])
    }
}
