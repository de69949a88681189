import Testing
import PracticumCore
@testable import PracticumScenario
import PracticumTestSupport

/// Repetition (`- for_each: {VAR: VALUES}` with `do: [ITEMS]` in any list): the items repeated once
/// per value with `$(VAR)` / `$(VAR.FIELD)` replaced, before any other check.
let templateScenario = """
id: templated
title: Templated
version: "1"
scene:
  bodies:
    - for_each: {o: [{id: a, x: 0}, {id: b, x: 1m}]}
      do:
        - {id: $(o.id), kind: instrument, shape: {sphere: {radius: 1cm}}, position: [$(o.x), 0, 0]}
  regions:
    - {id: r1, position: [1m, 0, 0], radius: 10cm}
procedure:
  steps:
    - for_each: {n: {from: 1, to: 2}, body: [a, b]}
      do:
        - {id: s$(n)_$(body), title: Step $(n) with $(body), complete_when: 'inside($(body), r1)', after: []}
    - id: last
      title: Last
      after: [{for_each: {n: [1, 2]}, do: [s$(n)_a, s$(n)_b]}]
      complete_when: 'button("done")'
"""

@Suite struct TemplateTests {
    @Test func templatesExpandInOrderWithTheirValues() throws {
        let r = load(templateScenario)
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        let s = try #require(r.scenario)
        #expect(s.scene.bodies.map(\.id) == ["a", "b"])
        #expect(s.scene.bodies.map(\.pose.position.x) == [0, 1])
        #expect(s.steps.map(\.id) == ["s1_a", "s1_b", "s2_a", "s2_b", "last"])
        #expect(s.steps.map(\.title) == ["Step 1 with a", "Step 1 with b", "Step 2 with a", "Step 2 with b", "Last"])
        #expect(s.steps[4].after == [0, 1, 2, 3])
    }

    @Test func aFileWithoutTemplatesIsReadUntouched() {
        let plain = YNode.scalar(YScalar(text: "cost $5 (or $(6)?", location: .unknown, quoted: false))
        #expect(!TemplateExpander.mentionsTemplates(.scalar(YScalar(text: "cost $5", location: .unknown, quoted: false))))
        #expect(TemplateExpander.mentionsTemplates(plain))
    }

    @Test(arguments: [
        ("an unknown variable", "title: Step $(n) with $(body)", "title: Step $(m) with $(body)",
         ["15:38: error: unknown template variable 'm' in '$(m)'; set here: body, n (at procedure.steps[0].do[0].title)"]),
        ("a field of a single value", "id: s$(n)_$(body)", "id: s$(n.x)_$(body)",
         ["15:16: error: 'n' is a single value; write $(n) without a field (at procedure.steps[0].do[0].id)"]),
        ("a missing field", "id: $(o.id)", "id: $(o.name)",
         ["8:16: error: 'o' has no field 'name'; its fields: id, x (at scene.bodies[0].do[0].id)"]),
        ("a variable outside any for_each", "title: Last", "title: Last $(n)",
         ["17:14: error: '$(n)' is outside any for_each; write $$( for a literal '$(' (at procedure.steps[1].title)"]),
        ("no do", "      do:\n        - {id: s$(n)", "      dox:\n        - {id: s$(n)",
         ["13:7: error: a for_each item needs 'do': the list of items to repeat (at procedure.steps[0])",
          "14:7: error: unknown key 'dox' in a for_each item; expected for_each, do (at procedure.steps[0])"]),
        ("a backwards range", "{from: 1, to: 2}", "{from: 3, to: 2}",
         ["13:21: error: expected 'to' at least 'from' and at most 10000 values, found 3 to 2 (at procedure.steps[0].for_each.n)"]),
        ("a huge range", "{from: 1, to: 2}", "{from: 1, to: 99999999}",
         ["13:21: error: expected 'to' at least 'from' and at most 10000 values, found 1 to 99999999 (at procedure.steps[0].for_each.n)"]),
        ("a product past the limit", "body: [a, b]", "body: {from: 1, to: 9000}",
         ["13:45: error: for_each repeats its items more than 10000 times; repeat less (at procedure.steps[0].for_each)"]),
        ("a bad variable name", "body: [a, b]", "2body: [a, b]",
         ["13:39: error: '2body' is not a template variable name; use letters, digits and _, starting with a letter (at procedure.steps[0].for_each)"]),
        ("shadowing", "do: [s$(n)_a, s$(n)_b]", "do: [{for_each: {n: [3]}, do: [s$(n)_a]}]",
         ["18:56: error: template variable 'n' is already set by an enclosing for_each; choose another name (at procedure.steps[1].after[0].do[0].for_each)"]),
        ("for_each outside a list", "title: Last", "title: Last\n      hints: {for_each: {n: [1]}, do: [x]}",
         ["18:15: error: for_each repeats items of a list; write it as a list item (`- for_each: …` with `do:`) (at procedure.steps[1].hints)"]),
        ("an unclosed variable", "title: Step $(n) with $(body)", "title: Step $(n with",
         ["15:38: error: '$(' opens a template variable that is not closed with ')' (at procedure.steps[0].do[0].title)"]),
    ])
    func badTemplates(_ c: (String, String, String, [String])) {
        let text = templateScenario.replacingOccurrences(of: c.1, with: c.2)
        #expect(text != templateScenario, "\(c.0)")
        let r = load(text)
        let found = r.errors.map(\.description)
        #expect(c.3.allSatisfy { found.contains("test.yaml:" + $0) }, "\(c.0): \(found)")
        #expect(r.scenario == nil)
    }

    @Test func expandedItemsAreCheckedWhereTheTemplateIs() {
        // a duplicate id made by the expansion points at the template's line
        let text = templateScenario.replacingOccurrences(of: "id: s$(n)_$(body)", with: "id: s_$(body)")
        let r = load(text)
        #expect(r.errors.map(\.description).prefix(2) == [
            "test.yaml:15:16: error: duplicate id 's_a' (already used for a step at line 15); ids must be unique in a scenario (at procedure.steps[2].id)",
            "test.yaml:15:16: error: duplicate id 's_b' (already used for a step at line 15); ids must be unique in a scenario (at procedure.steps[3].id)",
        ])
    }

    @Test func aLiteralDollarParenthesis() throws {
        let text = templateScenario.replacingOccurrences(of: "title: Last", with: "title: Last $$(costs)")
        let s = try #require(load(text).scenario)
        #expect(s.steps[4].title == "Last $(costs)")
    }
}
