import Testing
import PracticumCore
@testable import PracticumScenario
import PracticumTestSupport

/// Warnings at load time: the file is valid (it loads and runs) but very likely not what was meant.
@Suite struct LoadWarningTests {
    static let base = twoBodyScene("warn", region: "{id: r1, position: [1m, 0, 0], radius: 10cm}") + """
    procedure:
      steps:
        - {id: wait, title: Wait, complete_when: 'button("done")'}
    events:
      - {id: ping, when: 'inside(a, r1)', once: false, do: [{message: ping}]}
    rubric:
      errors:
        - {id: strike, when: 'contact(a, b)', max_count: 5, penalty: 1, feedback: Careful}

    """

    static func warnings(_ text: String) -> [String] {
        let r = load(text)
        #expect(r.errors.isEmpty && r.scenario != nil, "\(r.errors)")
        return r.diagnostics.filter { $0.severity == .warning }.map(\.description)
    }

    @Test func theBaseHasNoWarnings() { #expect(Self.warnings(Self.base) == []) }

    @Test(arguments: [
        ("an error counting itself", "when: 'contact(a, b)'", "when: 'contact(a, b) and count(strike) < 3'",
         "test.yaml:17:27: warning: the when condition of error 'strike' reads its own state (count(strike)), which changes when it fires; to limit how often it fires, use 'max_count' or 'debounce' instead (at rubric.errors[0].when)"),
        ("an event reading when it last fired", "when: 'inside(a, r1)'", "when: 'inside(a, r1) and since(ping) > 1s'",
         "test.yaml:14:23: warning: the when condition of event 'ping' reads its own state (since(ping)), which changes when it fires; to limit how often it fires, use 'once' or 'debounce' instead (at events[0].when)"),
    ])
    func selfReferringTriggers(_ c: (String, String, String, String)) {
        let text = Self.base.replacingOccurrences(of: c.1, with: c.2)
        #expect(Self.warnings(text) == [c.3], "\(c.0)")
    }

    @Test func aSelfReferenceThroughANamedConditionIsFoundToo() {
        let text = Self.base.replacingOccurrences(of: "when: 'contact(a, b)'", with: "when: 'contact(a, b) and not again'")
            + "conditions:\n  again: occurred(strike)\n"
        #expect(Self.warnings(text) == ["test.yaml:17:27: warning: the when condition of error 'strike' reads its own state (occurred(strike)), which changes when it fires; to limit how often it fires, use 'max_count' or 'debounce' instead (at rubric.errors[0].when)"])
    }

    @Test func anExpressionCutByACommaInAFlowMappingIsHinted() {
        // unquoted, YAML reads `when: inside(a` and a key ` r1)`: an error there, and the hint to quote
        let text = Self.base.replacingOccurrences(of: "when: 'inside(a, r1)'", with: "when: inside(a, r1)")
        let r = load(text)
        #expect(r.diagnostics.map(\.description) == [
            "test.yaml:14:22: warning: 'inside(a' looks like an expression cut at a comma: in a { } mapping an unquoted comma ends the value; quote it ('inside(a, …') (at events[0].when)",
            "test.yaml:14:30: error: expected ',' or ')' in the arguments of inside(…), found end of expression (at events[0].when)",
            "test.yaml:14:32: error: unknown key 'r1)' (at events[0].r1))",
        ])
        // quoted, or in a block mapping, nothing is said
        #expect(Self.warnings(Self.base) == [])
    }

    @Test func aSetValueCutByACommaIsHintedAtItsPlace() {
        let text = Self.base.replacingOccurrences(of: "do: [{message: ping}]", with: "do: [{set: {hr: max(hr, 60bpm)}}]")
            .replacingOccurrences(of: "procedure:", with: "variables:\n  - {id: hr, unit: bpm, initial: 80}\nprocedure:")
        let w = load(text).diagnostics.filter { $0.severity == .warning }.map(\.description)
        #expect(w == ["test.yaml:16:68: warning: 'max(hr' looks like an expression cut at a comma: in a { } mapping an unquoted comma ends the value; quote it ('max(hr, …') (at events[0].do[0].set.hr)"])
    }

    @Test func tellingFlowFromBlockMappingsStaysLinearOnOneLongLine() throws {
        // 20,000 flow mappings on one line: each look-up walks on from the last, not from the line's start
        let line = "items: [" + Array(repeating: "{a: 1}", count: 20_000).joined(separator: ", ") + "]\nblock:\n  a: 1\n"
        let clock = ContinuousClock()
        var root: YNode?
        let took = clock.measure { if case let .success(n) = DocumentReader.read(bytes: Array(line.utf8), limits: DocumentLimits()) { root = n } }
        guard case let .mapping(top)? = root, case let .sequence(items, _)? = top["items"], case let .mapping(last)? = items.last,
              case let .mapping(block)? = top["block"] else { Issue.record("not read"); return }
        #expect(items.count == 20_000 && last.flow && !block.flow)
        #expect(took < .seconds(10), "\(took)")
    }

    @Test func aDynamicBodyWithNothingToLandOnIsWarned() {
        let text = Self.base.replacingOccurrences(of: "{id: b, kind: instrument,", with: "{id: b, kind: dynamic,")
        let warning = "test.yaml:7:7: warning: dynamic body 'b' falls under gravity, and no static body (a floor, table or patient) lies below it to land on; add one, or make the body static (at scene.bodies[1])"
        #expect(Self.warnings(text) == [warning])
        // a floor below, or no gravity, and nothing is said
        func with(_ body: String) -> String { text.replacingOccurrences(of: "  regions:", with: "    - \(body)\n  regions:") }
        #expect(Self.warnings(with("{id: floor, kind: static, shape: {box: {size: [2m, 2cm, 2m]}}, position: [0, -1m, 0]}")) == [])
        // a table off to the side (its corner 1.42 m from its centre, 3 m away) holds nothing up
        #expect(Self.warnings(with("{id: table, kind: static, shape: {box: {size: [2m, 2cm, 2m]}}, position: [3m, -1m, 0]}")) == [warning])
        // nor does a shelf above it
        #expect(Self.warnings(with("{id: shelf, kind: static, shape: {box: {size: [2m, 2cm, 2m]}}, position: [0, 2m, 0]}")) == [warning])
        let weightless = text.replacingOccurrences(of: "scene:\n", with: "scene:\n  gravity: [0, 0, 0]\n")
        #expect(Self.warnings(weightless) == [])
    }

    @Test func aZeroSizeRegionIsAlreadyAnError() {
        let text = Self.base.replacingOccurrences(of: "radius: 10cm}", with: "size: [0, 1cm, 1cm]}")
        #expect(load(text).errors.map(\.description) == ["test.yaml:9:44: error: sizes must be from 0.01 mm to 100.0 m (at scene.regions[0].size)"])
        let zeroRadius = Self.base.replacingOccurrences(of: "radius: 10cm}", with: "radius: 0}")
        #expect(load(zeroRadius).errors.map(\.description) == ["test.yaml:9:46: error: '0' is below the smallest allowed value (0.1 mm) (at scene.regions[0].radius)"])
    }

    /// The base with a static 40 cm box around region r1, and what else is put before `regions:`.
    static func enclosed(_ extra: String = "", needle: Bool = true) -> String {
        base.replacingOccurrences(of: "{id: a, kind: instrument,", with: "{id: a, kind: instrument, needle: \(needle),")
            .replacingOccurrences(of: "  regions:", with: """
                - {id: chest, kind: static, shape: {box: {size: [40cm, 40cm, 40cm]}}, position: [1m, 0, 0]}
            \(extra)  regions:
            """)
    }
    static let topPatch = "  tissues:\n    - {id: wall, body: chest, position: [0, 20cm, 0], normal: [0, 1, 0], size: [10cm, 0, 10cm], layers: [{id: skin, thickness: 2mm}]}\n"

    @Test func aRegionInsideASolidBodyIsOutOfReach() {
        #expect(Self.warnings(Self.enclosed()) == [
            "test.yaml:10:7: warning: region 'r1' lies wholly inside body 'chest', which instruments cannot enter, and no tissue of that body lets a needle in; move it to the surface or under a tissue (at scene.regions[0])"])
        // under a tissue of that body a needle gets to it; off to the side of the patch it does not
        #expect(Self.warnings(Self.enclosed(Self.topPatch)) == [])
        let aside = Self.topPatch.replacingOccurrences(of: "position: [0, 20cm, 0], normal: [0, 1, 0]", with: "position: [20cm, 0, 0], normal: [1, 0, 0]")
            .replacingOccurrences(of: "size: [10cm, 0, 10cm]", with: "size: [0, 2cm, 2cm]")
        #expect(Self.warnings(Self.enclosed(aside.replacingOccurrences(of: "[20cm, 0, 0]", with: "[20cm, 15cm, 0]"))) == [
            "test.yaml:12:7: warning: region 'r1' lies wholly inside body 'chest', which instruments cannot enter, and no needle can get to it through a tissue of that body; move it to the surface or under a tissue (at scene.regions[0])"])
        // a hand passes through anatomy: a region a hand is asked to be inside is in reach
        let byHand = Self.enclosed().replacingOccurrences(of: "inside(a, r1)", with: "inside(left_hand, r1)")
        #expect(Self.warnings(byHand) == [])
        // a region that pokes out of the body's surface is in reach
        #expect(Self.warnings(Self.enclosed().replacingOccurrences(of: "radius: 10cm}", with: "radius: 25cm}")) == [])
    }

    @Test func aTissueWithoutANeedleOrUnderAnotherBodyIsOutOfReach() {
        #expect(Self.warnings(Self.enclosed(Self.topPatch, needle: false)) == [
            "test.yaml:10:7: warning: tissue 'wall' is met only by needles, and no moving body in the scene is one; give the instrument 'needle: true', or make the tissue deformable (at scene.tissues[0])",
            "test.yaml:12:7: warning: region 'r1' lies wholly inside body 'chest', which instruments cannot enter, and no needle can get to it through a tissue of that body; move it to the surface or under a tissue (at scene.regions[0])"])
        let covered = Self.enclosed(Self.topPatch.replacingOccurrences(of: "  tissues:", with: "    - {id: lid, kind: static, shape: {box: {size: [60cm, 40cm, 60cm]}}, position: [1m, 30cm, 0]}\n  tissues:"))
        #expect(Self.warnings(covered) == [
            "test.yaml:11:7: warning: tissue 'wall' lies inside body 'lid', so no instrument can reach its surface; move it to the surface of 'chest' (at scene.tissues[0])"])
    }
}
