import Testing
import PracticumCore
@testable import PracticumScenario
import PracticumTestSupport

/// Named conditions and values (`conditions:`): defined once, used by name in any expression.
let namedScenario = twoBodyScene("named", region: "{id: r1, position: [1m, 0, 0], radius: 10cm}") + """
conditions:
  steady: held(at_target, 0.3s)
  at_target: inside(a, r1)
  gap: distance(a, b)
procedure:
  steps:
    - {id: reach, title: Reach, complete_when: 'steady and gap > 50cm'}
    - {id: finish, title: Finish, complete_when: 'button("done")', after: [reach]}
rubric:
  errors:
    - {id: close, when: 'at_target and gap < 50cm', penalty: 1, feedback: Too close}
"""

/// The first lines of a scenario with instruments `a` and `b` (the `Driver`'s two bodies) and one region.
func twoBodyScene(_ id: String, region: String) -> String {
    """
    id: \(id)
    title: \(id)
    version: "1"
    scene:
      bodies:
        - {id: a, kind: instrument, shape: {sphere: {radius: 1cm}}}
        - {id: b, kind: instrument, shape: {sphere: {radius: 1cm}}}
      regions:
        - \(region)

    """
}

@Suite struct NamedConditionTests {
    @Test func namedScenarioIsValid() {
        let r = load(namedScenario)
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
    }

    @Test func namesStandForTheirExpressionsTickExactly() throws {
        var d = try Driver(namedScenario)
        d.run(1)
        // a enters r1 at tick 2 (t = 0.2 s) with b 1 m away; held for 0.3 s at tick 5
        d.run(4, a: Vec3(1, 0, 0))
        #expect(d.log == ["1 start reach", "5 done reach", "5 start finish"])
        // b comes close while a is at the target: the error, through two names
        d.run(1, a: Vec3(1, 0, 0), b: Vec3(1, 0, 0))
        #expect(d.log == ["1 start reach", "5 done reach", "5 start finish", "6 error close"])
    }

    @Test(arguments: [
        ("unknown name inside a definition", "  gap: distance(a, b)", "  gap: distance(a, b) + gapp",
         "13:25: error: unknown name 'gapp' (at conditions.gap)"),
        ("a definition that uses itself", "  gap: distance(a, b)", "  gap: distance(a, b) + gap",
         "13:25: error: named condition 'gap' refers to itself (at conditions.gap)"),
        ("a cycle through two names", "  at_target: inside(a, r1)", "  at_target: inside(a, r1) and steady",
         "11:16: error: named conditions refer to each other in a cycle (steady → at_target → steady) (at conditions.steady)"),
        ("a name that clashes with a body", "  gap: distance(a, b)", "  gap: distance(a, b)\n  a: distance(a, b)",
         "14:3: error: duplicate name 'a' (already used for a body at line 6); names must be unique in a scenario (at conditions.a)"),
        ("a reserved word", "  gap: distance(a, b)", "  gap: distance(a, b)\n  time: distance(a, b)",
         "14:3: error: 'time' is a reserved word of the expression language; choose another name (at conditions.time)"),
        ("a value used as a condition", "complete_when: 'steady and gap > 50cm'", "complete_when: 'gap'",
         "16:49: error: expected a condition (true/false), but this is a length; compare it, e.g. \"… > 2mm\" (at procedure.steps[0].complete_when)"),
        ("units are checked through a name", "gap > 50cm", "gap > 50N",
         "16:66: error: cannot compare or combine a length with a force using '>' (at procedure.steps[0].complete_when)"),
        ("a definition with a type error", "  gap: distance(a, b)", "  gap: distance(a, b) + 1s",
         "13:25: error: cannot compare or combine a length with a time using '+' (at conditions.gap)"),
    ])
    func badNamedConditions(_ c: (String, String, String, String)) {
        let text = namedScenario.replacingOccurrences(of: c.1, with: c.2)
        #expect(text != namedScenario, "\(c.0)")
        let r = load(text)
        #expect(r.errors.map(\.description) == ["test.yaml:" + c.3], "\(c.0)")
    }

    @Test func aChainOfNamesMustFitTheExpressionLimitsWrittenOut() {
        // each level doubles the written-out length: 20 levels is far past 4096 characters
        var lines = ["  c0: distance(a, b)"]
        for i in 1...20 { lines.append("  c\(i): c\(i - 1) + c\(i - 1)") }
        let text = namedScenario.replacingOccurrences(of: "  gap: distance(a, b)", with: (lines + ["  gap: c20"]).joined(separator: "\n"))
        let msgs = load(text).errors.map(\.message)
        #expect(msgs.first?.hasPrefix("expression is ") == true && msgs.first?.hasSuffix(" characters long with its named conditions written out; expressions have at most 4096") == true, "\(msgs)")
        #expect(msgs.count == 1, "\(msgs)")
    }
}
