import Foundation
import Testing
import PracticumCore
@testable import PracticumScenario
import PracticumTestSupport

/// A small valid scenario that the bad-input cases perturb.
let minimalScenario = """
id: demo
title: Demo
version: 1.0.0
scene:
  bodies:
    - id: probe
      kind: instrument
      shape: {sphere: {radius: 1cm}}
      position: [0, 1m, 0]
  regions:
    - id: target
      position: [0, 1m, 0]
      radius: 2cm
procedure:
  steps:
    - id: reach
      title: Reach the target
      complete_when: inside(probe, target)

"""

func load(_ text: String, file: String = "test.yaml") -> LoadResult {
    ScenarioLoader.load(bytes: Array(text.utf8), file: file, directory: "/nonexistent")
}

/// The diagnostics (`file:line:col: error: …`) of `base` with `old` replaced by `new`; records an
/// issue when `old` is not in `base` (the edit would test nothing).
func diagnostics(of base: String, replacing old: String, with new: String, errorsOnly: Bool = true) -> [String] {
    let text = base.replacingOccurrences(of: old, with: new)
    #expect(text != base, "'\(old)' is not in the scenario")
    let r = load(text)
    return (errorsOnly ? r.errors : r.diagnostics).map(\.description)
}

@Suite struct BadInputTests {
    @Test func minimalScenarioIsValid() {
        let r = load(minimalScenario)
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        #expect(r.scenario?.steps.count == 1)
    }

    /// (description, file text, expected "line:col: error: message (at path)")
    static let cases: [(String, String, String)] = [
        ("unknown top-level key with suggestion", minimalScenario + "rubrc: {}\n",
         "19:1: error: unknown key 'rubrc'; did you mean 'rubric'? (at rubrc)"),
        ("missing required key", "id: x\ntitle: T\nversion: 1\nscene: {}\n",
         "1:1: error: missing required key 'procedure'"),
        ("wrong unit dimension", minimalScenario.replacingOccurrences(of: "radius: 1cm", with: "radius: 5s"),
         "8:32: error: expected a length such as 2m or 2cm or 2mm, found a time ('5s') (at scene.bodies[0].shape.sphere.radius)"),
        ("unknown unit", minimalScenario.replacingOccurrences(of: "radius: 2cm", with: "radius: 2furlong"),
         "13:15: error: unknown unit 'furlong' (at scene.regions[0].radius)"),
        ("type error in expression at its exact column", minimalScenario.replacingOccurrences(of: "complete_when: inside(probe, target)", with: "complete_when: distance(probe, target) > 5s"),
         "18:48: error: cannot compare or combine a length with a time using '>' (at procedure.steps[0].complete_when)"),
        ("2mm > 5s", minimalScenario.replacingOccurrences(of: "complete_when: inside(probe, target)", with: "complete_when: \"2mm > 5s\""),
         "18:29: error: cannot compare or combine a length with a time using '>' (at procedure.steps[0].complete_when)"),
        ("unknown id in expression with suggestion", minimalScenario.replacingOccurrences(of: "inside(probe, target)", with: "inside(prbe, target)"),
         "18:29: error: unknown body or hand 'prbe'; did you mean 'probe'? (at procedure.steps[0].complete_when)"),
        ("wrong kind of id", minimalScenario.replacingOccurrences(of: "inside(probe, target)", with: "inside(probe, reach)"),
         "18:36: error: inside(…) expects a region here, but 'reach' is a step (at procedure.steps[0].complete_when)"),
        ("expression syntax", minimalScenario.replacingOccurrences(of: "inside(probe, target)", with: "inside(probe, target) and"),
         "18:47: error: expected a value, a name or '(', found end of expression (at procedure.steps[0].complete_when)"),
        ("condition that is a number", minimalScenario.replacingOccurrences(of: "inside(probe, target)", with: "distance(probe, target)"),
         "18:22: error: expected a condition (true/false), but this is a length; compare it, e.g. \"… > 2mm\" (at procedure.steps[0].complete_when)"),
        ("duplicate id", minimalScenario.replacingOccurrences(of: "- id: target", with: "- id: probe"),
         "11:11: error: duplicate id 'probe' (already used for a body at line 6); ids must be unique in a scenario (at scene.regions[0].id)"),
        ("duplicate key", minimalScenario.replacingOccurrences(of: "title: Demo\n", with: "title: Demo\ntitle: Again\n"),
         "3:1: error: duplicate key 'title' (first at line 2); each key may appear once in a mapping"),
        ("tab indentation", minimalScenario.replacingOccurrences(of: "  bodies:", with: "\tbodies:"),
         "5:1: error: tab character used for indentation; YAML indents with spaces only"),
        ("bad body kind with suggestion", minimalScenario.replacingOccurrences(of: "kind: instrument", with: "kind: instrumnt"),
         "7:13: error: unknown body kind 'instrumnt'; did you mean 'instrument'?; expected one of static, dynamic, instrument, kinematic (at scene.bodies[0].kind)"),
        ("step cycle", minimalScenario + """
              - id: second
                title: Second
                complete_when: "true"
                after: [third]
              - id: third
                title: Third
                complete_when: "true"
                after: [second]

          """.replacingOccurrences(of: "          ", with: "  "),
         "19:7: error: the step order has a cycle: second → third → second; a step cannot (indirectly) wait for itself (at procedure.steps[1].after)"),
        ("unknown step in after", minimalScenario.replacingOccurrences(of: "complete_when: inside(probe, target)", with: "complete_when: inside(probe, target)\n      after: [rech]"),
         "19:15: error: unknown step 'rech'; did you mean 'reach'? (at procedure.steps[0].after[0])"),
        ("asset escaping the folder", minimalScenario.replacingOccurrences(of: "shape: {sphere: {radius: 1cm}}", with: "shape: {mesh: {asset: ../../../etc/passwd}}"),
         "8:29: error: asset path '../../../etc/passwd' leads outside the scenario's folder; keep assets beside the scenario or in the project's shared assets/ folder (at scene.bodies[0].shape.mesh.asset)"),
        ("missing asset", minimalScenario.replacingOccurrences(of: "shape: {sphere: {radius: 1cm}}", with: "shape: {mesh: {asset: arm.obj}}"),
         "8:29: error: asset 'arm.obj' does not exist (looked for /nonexistent/arm.obj) (at scene.bodies[0].shape.mesh.asset)"),
        ("YAML syntax error", "id: x\ntitle: [unclosed\n",
         "3:1: error: YAML syntax: while parsing a flow sequence did not find expected ',' or ']'"),
        ("not a mapping at top", "- just\n- a list\n",
         "1:1: error: expected a mapping with keys such as 'format', 'id', 'title', 'version', found a list"),
    ] + SceneKeyTests.badInput

    @Test(arguments: cases.indices)
    func reportsExactPosition(_ i: Int) {
        let (what, text, expected) = Self.cases[i]
        let r = load(text)
        #expect(r.scenario == nil, "\(what): should be invalid")
        let lines = r.errors.map { "\($0.location.line):\($0.location.column): error: \($0.message)\($0.path.isEmpty ? "" : " (at \($0.path))")" }
        #expect(lines.contains(expected), "\(what): got \(lines)")
    }

    @Test func reportsEveryErrorAtOnce() {
        let text = minimalScenario
            .replacingOccurrences(of: "radius: 1cm", with: "radius: 5s")
            .replacingOccurrences(of: "radius: 2cm", with: "radius: 2furlong")
            .replacingOccurrences(of: "inside(probe, target)", with: "inside(prbe, target)") + "rubrc: {}\n"
        let r = load(text)
        #expect(r.errors.count == 4, "\(r.errors)")
        #expect(r.errors.map(\.location.line) == [8, 13, 18, 19])
    }

    @Test func aCountWhoseTargetNothingMeetsIsWarnedAbout() {
        let rubric = """
        rubric:
          metrics:
            - {id: misses, metric: error_count, error: missed, target: "<= 0", weight: 10}
            - {id: tries, metric: insertion_attempts, target: "1...2", weight: 10}
            - {id: shown, metric: event_count, event: touched}
          errors:
            - {id: missed, when: "time > 5s", penalty: 5, feedback: Sooner.}
        events:
          - {id: touched, when: "inside(probe, target)", do: []}

        """
        let r = load(minimalScenario + rubric)
        #expect(r.errors.isEmpty, "\(r.errors)")
        let warnings = r.diagnostics.filter { $0.severity == .warning }.map { "\($0.location.line):\($0.location.column): \($0.message)" }
        #expect(warnings == ["21:64: a run in which nothing happens has error_count = 0, which meets this target, so a trainee who does "
                             + "nothing would earn its 10 points; use a target that 0 does not meet (such as \">= 1\"), or score the "
                             + "mistake as a rubric error with a penalty"])
    }

    @Test func diagnosticFormatIsCompilerStyle() {
        let r = load(minimalScenario + "rubrc: {}\n", file: "scenarios/x/scenario.yaml")
        #expect(r.errors.first?.description == "scenarios/x/scenario.yaml:19:1: error: unknown key 'rubrc'; did you mean 'rubric'? (at rubrc)")
    }
}

@Suite struct HostileInputTests {
    func expectOneError(_ bytes: [UInt8], containing fragment: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let r = ScenarioLoader.load(bytes: bytes, file: "f.yaml", directory: "/nonexistent")
        #expect(r.scenario == nil, sourceLocation: sourceLocation)
        #expect(r.errors.count >= 1, sourceLocation: sourceLocation)
        #expect(r.errors.contains { $0.message.contains(fragment) }, "\(r.errors.map(\.description))", sourceLocation: sourceLocation)
    }

    @Test func emptyFile() { expectOneError([], containing: "file is empty") }
    @Test func onlyComments() { expectOneError(Array("# nothing\n".utf8), containing: "file is empty") }
    @Test func binaryGarbage() {
        var rng = SeededRandom(seed: 7)
        let bytes = (0..<4096).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let r = ScenarioLoader.load(bytes: bytes, file: "f.yaml", directory: "/")
        #expect(r.scenario == nil && !r.errors.isEmpty)
    }
    @Test func invalidUTF8() {
        expectOneError(Array("id: x\ntitle: ".utf8) + [0xff, 0xfe] + Array("\n".utf8), containing: "not valid UTF-8 text (bad byte at offset 13)")
    }
    @Test func nulByte() { expectOneError(Array("id: x\n".utf8) + [0], containing: "NUL byte") }
    @Test func aliasBomb() {
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for (i, n) in ["b", "c", "d", "e", "f", "g", "h"].enumerated() {
            let prev = ["a", "b", "c", "d", "e", "f", "g"][i]
            text += "\(n): &\(n) [" + Array(repeating: "*\(prev)", count: 10).joined(separator: ", ") + "]\n"
        }
        expectOneError(Array(text.utf8), containing: "expands to more than 200000 nodes")
    }
    @Test func deepFlowNesting() {
        let n = 20_000
        expectOneError(Array((String(repeating: "[", count: n) + String(repeating: "]", count: n)).utf8), containing: "nesting deeper")
    }
    @Test func deepBlockNesting() {
        var text = ""
        for i in 0..<300 { text += String(repeating: " ", count: i) + "k:\n" }
        expectOneError(Array(text.utf8), containing: "nesting deeper than 200 levels")
    }
    @Test func hugeScalar() {
        let text = "id: x\ntitle: " + String(repeating: "a", count: 3 << 20) + "\n"
        expectOneError(Array(text.utf8), containing: "characters long; the limit is 65536")
    }
    @Test func overSizeCap() {
        let text = "id: x\n" + String(repeating: "# padding line\n", count: 300_000)
        expectOneError(Array(text.utf8), containing: "scenario files are limited to 4194304 bytes")
    }
}
