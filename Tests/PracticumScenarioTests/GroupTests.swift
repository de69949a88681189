import Testing
import PracticumCore
@testable import PracticumScenario
import PracticumTestSupport

/// Groups (`groups:`): a name that stands for any of its members in a yes/no query.
let groupScenario = twoBodyScene("groups", region: "{id: r1, position: [1m, 0, 0], radius: 10cm}") + """
groups:
  both: [a, b]
procedure:
  steps:
    - {id: any_in, title: Any in, complete_when: 'inside(both, r1)'}
    - {id: none_in, title: None in, after: [any_in], complete_when: 'not inside(both, r1)'}
"""

@Suite struct GroupTests {
    @Test func aGroupMeansAnyOfItsMembers() throws {
        var d = try Driver(groupScenario)
        d.run(1)
        d.run(1, b: Vec3(1, 0, 0)) // b alone is enough
        d.run(1, a: Vec3(1, 0, 0)) // still one inside
        d.run(1)                    // none
        #expect(d.log == ["1 start any_in", "2 done any_in", "2 start none_in", "4 done none_in", "4 end completed"])
    }

    @Test(arguments: [
        ("'inside(both, r1)'", "'distance(both, r1) < 1m'",
         "14:60: error: 'both' is a group: it stands for any of its members in a yes/no query (inside, contact, grasped, …), but distance(…) gives a length (at procedure.steps[0].complete_when)"),
        ("both: [a, b]", "both: [a, bb]", "11:13: error: unknown id 'bb'; did you mean 'b'? (at groups.both[1])"),
        ("both: [a, b]", "both: [a, a]", "11:13: error: 'a' is listed twice (at groups.both[1])"),
        ("both: [a, b]", "both: []", "11:9: error: a group has 1 to 1000 members (at groups.both)"),
        ("both: [a, b]", "r1: [a, b]", "11:3: error: duplicate name 'r1' (already used for a region at line 9); names must be unique in a scenario (at groups.r1)"),
    ])
    func badGroups(_ c: (String, String, String)) {
        let found = diagnostics(of: groupScenario, replacing: c.0, with: c.1)
        #expect(found.first == "test.yaml:" + c.2, "\(found)")
    }
}
