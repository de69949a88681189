import Testing
import PracticumCore
@testable import PracticumScenario
import PracticumTestSupport

/// `instructor: true` on an event: the instructor of a live session may fire it; its trigger is
/// the button `instructor.<id>` in a tick's input, so a trace records it and a replay fires it.
let instructorScenario = twoBodyScene("instructor", region: "{id: zone, position: [1m, 0, 0], radius: 10cm}") + """
procedure:
  steps:
    - {id: wait, title: Wait, complete_when: 'button("done")'}
events:
  - {id: drill, instructor: true, do: [{message: drill}]}
  - {id: both, instructor: true, when: 'inside(a, zone)', once: false, do: [{message: both}]}
  - {id: plain, when: 'inside(a, zone)', do: [{message: plain}]}

"""

@Suite struct InstructorEventTests {
    @Test func theKeyLoadsAndAloneIsATrigger() {
        let r = load(instructorScenario)
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        #expect(r.scenario?.events.map(\.instructor) == [true, true, false])
        #expect(r.scenario?.events.first?.instructorButton == "instructor.drill")
    }

    @Test func theButtonFiresTheEventAtItsTickAndOnlyThere() throws {
        var d = try Driver(instructorScenario)
        d.run(2)
        d.run(1, buttons: ["instructor.drill"])
        d.run(2)
        // the instructor's button does not fire an event that is not instructor-triggerable
        d.run(1, buttons: ["instructor.plain"])
        // an instructor event with its own trigger fires on either
        d.run(1, a: Vec3(1, 0, 0))
        d.run(1, buttons: ["instructor.both"])
        #expect(d.log.filter { $0.contains("message") } == ["3 message drill", "7 message both", "7 message plain", "8 message both"])
    }

    @Test func firesOnceUnlessToldOtherwise() throws {
        var d = try Driver(instructorScenario)
        d.run(1, buttons: ["instructor.drill"])
        d.run(1, buttons: ["instructor.drill"])
        #expect(d.log.filter { $0.contains("message drill") } == ["1 message drill"])
    }

    @Test(arguments: [
        ("{id: drill, instructor: true,", "{id: drill, instructor: maybe,",
         "14:29: error: expected true or false, found 'maybe' (at events[0].instructor)"),
        ("{id: drill, instructor: true,", "{id: drill,",
         "14:5: error: an event needs exactly one trigger: 'when' (a condition), 'at' (a time), 'on_start', 'on_complete' or 'on_fail' (a step); 'instructor: true' alone makes one the instructor fires (at events[0])"),
        ("{id: drill, instructor: true,", "{id: \(String(repeating: "x", count: 54)), instructor: true,",
         "14:10: error: an instructor-triggerable event's id has at most 53 characters (its trigger is recorded as the button 'instructor.<id>') (at events[0].id)"),
    ])
    func mistakesAreReported(old: String, new: String, expected: String) {
        #expect(diagnostics(of: instructorScenario, replacing: old, with: new).contains { $0.hasSuffix(expected) },
                "\(diagnostics(of: instructorScenario, replacing: old, with: new))")
    }
}
