import Foundation
import Testing
import PracticumCore
@testable import PracticumScenario
import PracticumTestSupport

/// `cues:`: what the trainee sees and hears while practising; display only, checked like the rest.
@Suite struct CueTests {
    static let cues = """
    cues:
      errors: debrief
      viewpoint: {eye: [0, 1.5m, 0.5m], look_at: [0, 1m, 0]}
      gauges:
        - id: gap
          title: Distance to the target
          value: distance(probe, target)
          unit: cm
          range: 0cm...10cm
          target: <= 1cm
          assist: true
      parts:
        - id: cap
          body: probe
          position: [0, 1cm, 0]
          shape: {sphere: {radius: 3mm}}
      appearance:
        - {of: cap, when: "inside(probe, target)", color: "#ff0000"}
        - {of: probe, when: "completed(reach)", visible: false}
      sounds:
        - {metronome: 60/min, while: "active(reach)"}
        - {tone: 440Hz, on: "inside(probe, target)", duration: 100ms}
      keys:
        - {button: call_help, key: B, title: Call for help}

    """

    /// The minimal scenario with a step that asks for two buttons.
    static let withButtons = minimalScenario.replacingOccurrences(
        of: "complete_when: inside(probe, target)",
        with: "complete_when: inside(probe, target) and button(\"call_help\") and button(\"zero_scale\")")

    @Test func everyCueCompilesToSI() throws {
        let r = load(Self.withButtons + Self.cues)
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        let c = try #require(r.scenario?.cues)
        #expect(c.errors == .debrief)
        #expect(c.viewpoint?.eye == Vec3(0, 1.5, 0.5) && c.viewpoint?.target == Vec3(0, 1, 0))
        #expect(c.gauges.count == 1 && c.gauges[0].unit == "cm" && c.gauges[0].unitScale == 0.01 && c.gauges[0].high == 0.1)
        #expect(c.gauges[0].target == .atMost(0.01) && c.gauges[0].assist)
        #expect(c.parts.count == 1 && c.parts[0].pose.position == Vec3(0, 0.01, 0))
        #expect(c.appearance.map(\.target) == [.part(0), .body(0)])
        #expect(c.sounds.map(\.kind) == [.metronome(rate: 1), .tone(frequency: 440, duration: 0.1)])
        // the declared key, and a free key for the button nobody bound
        #expect(c.buttons == [Cues.ButtonKey(button: "call_help", key: "B", title: "Call for help", declared: true),
                              Cues.ButtonKey(button: "zero_scale", key: "N", title: "zero scale", declared: false)])
        // value, appearance conditions, metronome condition, tone condition: one expression each
        #expect(c.expressions.count == 5)
    }

    @Test func withoutCuesEveryQueriedButtonStillGetsAKey() throws {
        let r = load(Self.withButtons)
        #expect(r.scenario?.cues.buttons.map(\.key) == ["B", "N"])
        #expect(r.scenario?.cues.errors == .live)
    }

    /// (description, replacement in `cues`, expected diagnostic)
    static let bad: [(String, String, String, String)] = [
        ("a unit of the wrong kind", "unit: cm", "unit: deg",
         "26:13: error: the value is a length; 'deg' is a unit of angle (at cues.gauges[0].unit)"),
        ("a key the viewer uses", "key: B", "key: W",
         "42:32: error: the key 'W' is one the viewer uses; free keys are B N M J K L U I O Y Z 1 2 3 4 5 6 7 8 9 0 (at cues.keys[0].key)"),
        ("an unknown part", "{of: cap,", "{of: lid,",
         "36:12: error: unknown body or part 'lid' (at cues.appearance[0].of)"),
        ("a tone without its moment", "{tone: 440Hz, on: \"inside(probe, target)\", duration: 100ms}", "{tone: 440Hz}",
         "40:7: error: a tone needs 'on': the condition whose start it marks (at cues.sounds[1])"),
        ("live or debrief", "errors: debrief", "errors: never",
         "20:11: error: expected 'live' (feedback as each error happens) or 'debrief' (only after the run), found 'never' (at cues.errors)"),
    ]

    @Test(arguments: bad)
    func badCuesAreErrorsAtTheirPlace(_ what: String, _ old: String, _ new: String, _ expected: String) {
        let r = load(Self.withButtons + Self.cues.replacingOccurrences(of: old, with: new))
        #expect(r.errors.map(\.description) == ["test.yaml:" + expected], "\(what)")
    }
}
