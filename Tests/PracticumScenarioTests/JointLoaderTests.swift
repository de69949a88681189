import Foundation
import Testing
import PracticumCore
@testable import PracticumScenario
import PracticumTestSupport

/// A syringe, a spinal needle with its stylet, a grasper's jaw and a hinged lid (Tests/fixtures/compound-instruments.yaml).
let compoundScenario = String(decoding: FileManager.default.contents(atPath: "\(repositoryRoot())/Tests/fixtures/compound-instruments.yaml") ?? Data(), as: UTF8.self)

/// `scene.joints`: compiled to SI and world coordinates, and every mistake reported where it is.
@Suite struct JointLoaderTests {
    /// (what, replace this, with this, expected "line:col: error: message (at path)")
    static let badInput: [(String, String, String, String)] = [
        ("unknown body", "body: plunger, to: barrel", "body: plungr, to: barrel", "18:47: error: unknown body 'plungr'; did you mean 'plunger'? (at scene.joints[0].body)"),
        ("unknown to", "body: plunger, to: barrel", "body: plunger, to: barel", "18:60: error: unknown body 'barel'; did you mean 'barrel'? (at scene.joints[0].to)"),
        ("to a hand", "body: plunger, to: barrel", "body: plunger, to: left_hand", "18:60: error: 'left_hand' is a hand; expected a body (at scene.joints[0].to)"),
        ("joined to itself", "body: plunger, to: barrel", "body: plunger, to: plunger", "18:60: error: a joint joins two different bodies; 'plunger' cannot be joined to itself (at scene.joints[0].to)"),
        ("static to static", "body: stylet, to: needle", "body: table, to: table2", "20:7: error: 'table' is static and 'table2' is static, so the joint holds nothing; make one of them 'dynamic' or 'instrument' (at scene.joints[1])"),
        ("static to the world", "body: lid, to: world", "body: table, to: world", "21:7: error: 'table' is static and the world does not move, so the joint holds nothing; make one of them 'dynamic' or 'instrument' (at scene.joints[3])"),
        ("duplicate pair", "body: stylet, to: needle", "body: barrel, to: plunger", "19:7: error: 'barrel' and 'plunger' are already joined by joint 'plunger_travel' at line 18; two bodies take one joint (at scene.joints[1])"),
        ("duplicate id", "id: stylet_lock", "id: stylet", "19:12: error: duplicate id 'stylet' (already used for a body at line 13); ids must be unique in a scenario (at scene.joints[1].id)"),
        ("reserved word as id", "id: stylet_lock", "id: time", "19:12: error: 'time' is a reserved word of the expression language; choose another id (at scene.joints[1].id)"),
        ("unknown kind", "kind: hinge, body: jaw", "kind: hing, body: jaw", "20:29: error: unknown joint kind 'hing'; did you mean 'hinge'?; expected one of fixed, hinge, slide (at scene.joints[2].kind)"),
        ("zero axis", "axis: [0, 0, 1], limits: [-30deg", "axis: [0, 0, 0], limits: [-30deg", "20:88: error: axis must not be zero (at scene.joints[2].axis)"),
        ("axis on a fixed joint", "body: stylet, to: needle}", "body: stylet, to: needle, axis: [1, 0, 0]}", "19:70: error: a fixed joint turns and slides on no axis; remove 'axis' (at scene.joints[1].axis)"),
        ("limits on a fixed joint", "body: stylet, to: needle}", "body: stylet, to: needle, limits: [0, 1cm]}", "19:72: error: a fixed joint does not move, so it has no limits; remove 'limits' (at scene.joints[1].limits)"),
        ("stiffness on a hinge", "body: jaw, to: shaft,", "body: jaw, to: shaft, stiffness: 5N/m,", "20:69: error: only a 'slide' joint has 'stiffness' (along its axis); remove it (at scene.joints[2].stiffness)"),
        ("negative damping", "damping: 0.5Ns/m", "damping: -1Ns/m", "18:96: error: '-1Ns/m' is below the smallest allowed value (0 Ns/m) (at scene.joints[0].damping)"),
        ("stiffness with the wrong unit", "damping: 0.5Ns/m", "stiffness: 2N", "18:98: error: expected a stiffness such as 2N/m or 2N/mm, found a force ('2N') (at scene.joints[0].stiffness)"),
        ("limits not holding 0", "limits: [-3cm, 0]", "limits: [-3cm, -1cm]", "18:76: error: limits must include 0, where the joint starts (the bodies as placed) (at scene.joints[0].limits)"),
        ("limits reversed", "limits: [-3cm, 0]", "limits: [0, -3cm]", "18:77: error: the lowest limit is above the highest (at scene.joints[0].limits[0])"),
        ("limits with one value", "limits: [-3cm, 0]", "limits: [-3cm]", "18:76: error: limits are two values [lowest, highest], found 1 (at scene.joints[0].limits)"),
        ("slide limit in degrees", "limits: [-3cm, 0]", "limits: [-3deg, 0]", "18:77: error: expected a length such as 2m or 2cm or 2mm, found an angle ('-3deg') (at scene.joints[0].limits[0])"),
        ("slide limit too far", "limits: [-3cm, 0]", "limits: [-3cm, 200m]", "18:83: error: '200m' is above the largest allowed value (100 m) (at scene.joints[0].limits[1])"),
        ("hinge limit past 180°", "limits: [-30deg, 5deg]", "limits: [-190deg, 5deg]", "20:108: error: a hinge's limits lie within -180deg … 180deg (at scene.joints[2].limits[0])"),
        ("anchor too far", "anchor: [-5mm, 1cm, 0]", "anchor: [-2000m, 1cm, 0]", "20:66: error: positions must lie within 1000.0 m of the origin (at scene.joints[2].anchor)"),
        ("missing to", "body: stylet, to: needle}", "body: stylet}", "19:7: error: missing required key 'to' (at scene.joints[1])"),
        ("unknown key", "body: stylet, to: needle}", "body: stylet, to: needle, limit: [0, 1cm]}", "19:64: error: unknown key 'limit'; did you mean 'limits'? (at scene.joints[1].limit)"),
    ]

    @Test func theFixtureIsValidWithoutWarnings() {
        let r = load(compoundScenario)
        // jointed parts are held by what they join, so none is warned about falling
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
    }

    @Test func jointsCompileToSIAndWorldCoordinates() throws {
        let s = try #require(load(compoundScenario).scenario)
        let j = s.scene.joints
        try #require(j.count == 4)
        // the plunger (body 2) slides along its own axis, [0, 1, 0], in the barrel (body 1); the anchor is its origin
        #expect(j[0] == Joint(id: "plunger_travel", kind: .slide, body: 2, to: 1, anchor: Vec3(0, 1.01, 0), axis: .unitY,
                              stiffness: 0, damping: 0.5, limits: -0.03...0))
        // the stylet (body 4) is welded to the needle (3), anchored at its origin
        #expect(j[1].id == "stylet_lock" && j[1].kind == .fixed && j[1].body == 4 && j[1].to == 3 && j[1].anchor == Vec3(0.2, 1, 0) && j[1].limits == nil)
        // the jaw's hinge: [-5mm, 1cm, 0] in the jaw's frame is (−0.2, 0.9, 0) in the world; −30° … 5°
        #expect(j[2].body == 6 && j[2].to == 5 && j[2].kind == .hinge && j[2].axis == .unitZ)
        #expect(isClose(j[2].anchor, Vec3(-0.2, 0.9, 0), abs: 1e-15))
        #expect(isClose(j[2].limits!.lowerBound, -Double.pi / 6, abs: 1e-15) && isClose(j[2].limits!.upperBound, 5 * Double.pi / 180, abs: 1e-15))
        // to the world; bare numbers are degrees
        #expect(j[3].to == nil && j[3].limits == 0...(Double.pi / 2))
        #expect(isClose(j[3].anchor, Vec3(0.35, 0.9, 0), abs: 1e-15))
    }

    /// `joint_position(j)`: a slide's extension is a length, a hinge's turn an angle, and a fixed
    /// joint has none; a joint is not a body.
    @Test func jointPositionIsALengthOrAnAngleByTheJointsKind() throws {
        func loaded(_ condition: String) -> LoadResult {
            load(compoundScenario.replacingOccurrences(of: #"complete_when: "time > 10s""#, with: "complete_when: '\(condition)'"))
        }
        let ok = loaded("joint_position(plunger_travel) < -2cm and joint_position(jaw_pivot) < -20deg and joint_position(lid_hinge) > 45deg")
        #expect(ok.diagnostics.isEmpty, "\(ok.diagnostics)")
        let s = try #require(ok.scenario)
        guard case let .binary(_, .binary(_, .binary(_, .call(.jointPosition, args, _), _), _), _) = s.steps[0].completeWhen.code,
              case .entity(.joint(0)) = args[0] else { Issue.record("not compiled to joint 0: \(s.steps[0].completeWhen.code)"); return }
        #expect(loaded("joint_position(plunger_travel) > 20deg").errors.map(\.description) == [
            "test.yaml:24:80: error: cannot compare or combine a length with an angle using '>' (at procedure.steps[0].complete_when)"])
        #expect(loaded("joint_position(stylet_lock) > 1mm").errors.map(\.description) == [
            "test.yaml:24:62: error: a fixed joint does not move, so it has no position; joint_position(…) reads a hinge's angle or a slide's extension (at procedure.steps[0].complete_when)"])
        #expect(loaded("joint_position(plunger) > 1mm").errors.map(\.description) == [
            "test.yaml:24:62: error: joint_position(…) expects a joint here, but 'plunger' is a body (at procedure.steps[0].complete_when)"])
    }

    @Test func axesAndAnchorsAreInTheBodysFrame() throws {
        // the stylet turned 90° about z: its axis [0, 1, 0] is world −x, and an anchor 1 cm along it is 1 cm along −x
        let text = compoundScenario.replacingOccurrences(of: "body: stylet, to: needle}", with: "body: stylet, to: needle}\n    - {id: s2, kind: slide, body: stylet, to: shaft, anchor: [0, 1cm, 0]}")
        let s = try #require(load(text).scenario, "\(load(text).diagnostics)")
        let j = s.scene.joints[2]
        #expect(isClose(j.axis, Vec3(-1, 0, 0), abs: 1e-15))
        #expect(isClose(j.anchor, Vec3(0.19, 1, 0), abs: 1e-15))
    }

    @Test func aDynamicBodyJoinedOnlyToAnotherFallingBodyIsStillWarnedAbout() throws {
        // two dynamic balls joined in mid-air, far from the table: nothing holds either
        let text = compoundScenario.replacingOccurrences(of: "  joints:\n", with: """
                    - {id: b1, kind: dynamic, shape: {sphere: {radius: 1cm}}, position: [5m, 3m, 0]}
                    - {id: b2, kind: dynamic, shape: {sphere: {radius: 1cm}}, position: [5m, 3.1m, 0]}
                  joints:
                    - {id: pair, kind: fixed, body: b1, to: b2}

                """)
        let r = load(text)
        #expect(r.scenario != nil, "\(r.diagnostics)")
        #expect(r.diagnostics.map(\.path) == ["scene.bodies[8]", "scene.bodies[9]"], "\(r.diagnostics)")
    }

    @Test(arguments: badInput.indices)
    func reportsExactPosition(_ i: Int) {
        let (what, from, to, expected) = Self.badInput[i]
        #expect(compoundScenario.contains(from), "\(what): fixture lacks '\(from)'")
        var text = compoundScenario.replacingOccurrences(of: from, with: to)
        if what == "static to static" { text = text.replacingOccurrences(of: "  joints:\n", with: "    - {id: table2, shape: {sphere: {radius: 1cm}}}\n  joints:\n") }
        let r = load(text)
        #expect(r.scenario == nil, "\(what): should be invalid")
        let lines = r.errors.map { "\($0.location.line):\($0.location.column): error: \($0.message)\($0.path.isEmpty ? "" : " (at \($0.path))")" }
        #expect(lines.contains(expected), "\(what): got \(lines)")
    }

    /// The reference's code blocks: the joints fragment loads in place of the fixture's joints, and
    /// the complete example is docs/examples/syringe-and-grasper.yaml word for word.
    @Test func theReferenceBlocksLoadAndMatchTheExampleFile() throws {
        let blocks = SceneKeyDocsTests.reference.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        let fragment = try #require(blocks.first { $0.hasPrefix("  joints:\n") })
        let start = try #require(compoundScenario.range(of: "  joints:\n")), end = try #require(compoundScenario.range(of: "procedure:"))
        let r = load(String(compoundScenario[..<start.lowerBound]) + fragment + String(compoundScenario[end.lowerBound...]))
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        #expect(r.scenario?.scene.joints.map(\.kind) == [.slide, .fixed, .hinge])
        let example = try #require(FileManager.default.contents(atPath: "\(repositoryRoot())/docs/examples/syringe-and-grasper.yaml"))
        #expect(blocks.contains(String(decoding: example, as: UTF8.self)))
    }
}
