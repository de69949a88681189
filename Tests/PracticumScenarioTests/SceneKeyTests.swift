import Foundation
import Testing
import PracticumCore
@testable import PracticumScenario
import PracticumTestSupport

/// A scenario with a sprung plate and a layered tissue, for the keys that reach physics.
let layeredScenario = String(decoding: FileManager.default.contents(atPath: "\(repositoryRoot())/Tests/fixtures/sprung-layers.yaml") ?? Data(), as: UTF8.self)

@Suite struct SceneKeyTests {
    @Test func layeredScenarioIsValid() throws {
        let r = load(layeredScenario)
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
    }

    @Test func presetsSupplyKindAndNumbersInSIAndKeysOverrideThem() throws {
        let s = try #require(load(layeredScenario).scenario)
        let l = s.scene.tissues[0].layers
        // skin: 800 N/m, 1.2 N, 30 N/m, cutting 0.1 N (TissuePreset "skin")
        #expect(l[0] == Tissue.Layer(id: "skin", thickness: 0.002, stiffness: 800, punctureForce: 1.2, friction: 30, cuttingForce: 0.1, kind: .tissue))
        #expect(l[1] == Tissue.Layer(id: "wall", thickness: 0.001, stiffness: 500, punctureForce: 0.8, friction: 20, cuttingForce: 0, kind: .vesselWall))
        // no preset: the layer defaults (500 N/m, 0 N, 20 N/m, 0 N)
        #expect(l[2] == Tissue.Layer(id: "blood", thickness: 0.003, stiffness: 500, punctureForce: 0, friction: 20, cuttingForce: 0, kind: .lumen))
        #expect(l[3].kind == .lumen)
        // `lumen: false` overrides the preset's kind, not its numbers
        #expect(l[4] == Tissue.Layer(id: "back", thickness: 0.001, stiffness: 1, punctureForce: 0, friction: 0, cuttingForce: 0, kind: .tissue))
        #expect(l[5] == Tissue.Layer(id: "space", thickness: 0.004, stiffness: 1, punctureForce: 0, friction: 5, cuttingForce: 0.2, kind: .cavity))
    }

    /// `two_handed` reaches physics on an instrument, and is refused (where it is written) elsewhere.
    @Test func twoHandedIsForInstrumentsOnly() throws {
        func scene(_ kind: String) -> String {
            "id: t\ntitle: T\nversion: 1\nscene:\n  bodies:\n    - {id: floor, kind: static, shape: {box: {size: [1m, 1cm, 1m]}}}\n"
                + "    - {id: b, kind: \(kind), two_handed: true, shape: {sphere: {radius: 1cm}}, position: [0, 5cm, 0]}\n"
                + "procedure:\n  steps:\n    - {id: s, title: S, complete_when: 'true'}\n"
        }
        let held = try #require(load(scene("instrument")).scenario)
        #expect(held.scene.bodies.map(\.twoHanded) == [false, true])
        #expect(load(scene("dynamic")).errors.map(\.description)
            == ["test.yaml:7:42: error: only an instrument is held by hands, so only an instrument can be two-handed; make the body 'instrument' (at scene.bodies[1].two_handed)"])
    }

    /// `physics.hand_radius`: 1 cm by default, a length up to 20 cm, 0 for hands that pass through.
    @Test func theHandRadiusDefaultsToAFingertipAndIsChecked() throws {
        func scene(_ physics: String) -> String {
            "id: t\ntitle: T\nversion: 1\n\(physics)scene:\n  bodies:\n    - {id: floor, kind: static, shape: {box: {size: [1m, 1cm, 1m]}}}\n"
                + "procedure:\n  steps:\n    - {id: s, title: S, complete_when: 'true'}\n"
        }
        #expect(try #require(load(scene("")).scenario).handRadius == 0.01)
        #expect(try #require(load(scene("physics: {hand_radius: 0}\n")).scenario).handRadius == 0)
        #expect(try #require(load(scene("physics: {hand_radius: 15mm}\n")).scenario).handRadius == 0.015)
        #expect(load(scene("physics: {hand_radius: 50cm}\n")).errors.map(\.description)
            == ["test.yaml:4:24: error: '50cm' is above the largest allowed value (0.2 m) (at physics.hand_radius)"])
    }

    @Test func everyPresetLoads() throws {
        for p in TissuePreset.all {
            let text = layeredScenario.replacingOccurrences(of: "preset: skin,", with: "preset: \(p.name),")
            let s = try #require(load(text).scenario, "\(p.name)")
            let l = s.scene.tissues[0].layers[0]
            #expect(l.kind == p.kind && l.stiffness == p.stiffness && l.punctureForce == p.punctureForce
                    && l.friction == p.friction && l.cuttingForce == p.cuttingForce, "\(p.name)")
        }
    }

    @Test func springAxisIsInTheBodyFrameAndCompiledToTheWorld() throws {
        let s = try #require(load(layeredScenario).scenario)
        let spring = try #require(s.scene.bodies[1].spring)
        #expect(spring.stiffness == 500 && spring.damping == 30)
        // [1, 0, 0] in a frame turned 90° about z is world +y
        #expect(isClose(spring.axis, Vec3(0, 1, 0), abs: 1e-15))
    }

    /// Bad scene keys for BadInputTests (file:line:col in Tests/fixtures/sprung-layers.yaml).
    static let badInput: [(String, String, String)] = [
        ("unknown layer preset with suggestion", layeredScenario.replacingOccurrences(of: "preset: skin,", with: "preset: skn,"),
         "23:30: error: unknown layer preset 'skn'; did you mean 'skin'?; expected one of skin, fat, fascia, muscle, vein wall, artery wall, lumen, pleura, pleural space, ligament, ligamentum flavum, epidural space, dura, subarachnoid space (at scene.tissues[0].layers[0].preset)"),
        ("unknown layer kind with suggestion", layeredScenario.replacingOccurrences(of: "kind: lumen,", with: "kind: vessel_wal,"),
         "25:29: error: unknown layer kind 'vessel_wal'; did you mean 'vessel_wall'?; expected one of tissue, vessel_wall, lumen, cavity (at scene.tissues[0].layers[2].kind)"),
        ("lumen contradicting kind", layeredScenario.replacingOccurrences(of: "{id: blood, kind: lumen,", with: "{id: blood, kind: cavity, lumen: true,"),
         "25:44: error: 'lumen: true' contradicts 'kind: cavity'; give only 'kind' (at scene.tissues[0].layers[2].lumen)"),
        ("cutting force with a wrong unit", layeredScenario.replacingOccurrences(of: "cutting_force: 0.2N", with: "cutting_force: 0.2N/m"),
         "28:78: error: expected a force such as 2N or 2mN, found a stiffness ('0.2N/m') (at scene.tissues[0].layers[5].cutting_force)"),
        ("negative cutting force", layeredScenario.replacingOccurrences(of: "cutting_force: 0.2N", with: "cutting_force: -1N"),
         "28:78: error: '-1N' is below the smallest allowed value (0 N) (at scene.tissues[0].layers[5].cutting_force)"),
        ("zero spring axis", layeredScenario.replacingOccurrences(of: "axis: [1, 0, 0]", with: "axis: [0, 0, 0]"),
         "16:58: error: axis must not be zero (at scene.bodies[1].spring.axis)"),
        ("spring on a kinematic body", layeredScenario.replacingOccurrences(of: "kind: dynamic", with: "kind: kinematic").replacingOccurrences(of: "      mass: 500g\n", with: ""),
         "15:15: error: a kinematic body cannot have a spring (only events move it); make it 'dynamic' (at scene.bodies[1].spring)"),
        ("mass on a static body", layeredScenario.replacingOccurrences(of: "{id: arm, shape: {box: {size: [10cm, 2cm, 10cm]}}}", with: "{id: arm, mass: 2kg, shape: {box: {size: [10cm, 2cm, 10cm]}}}"),
         "9:23: error: 'mass' has no effect on a static body (it never moves); remove it or make the body 'dynamic' (at scene.bodies[0].mass)"),
        ("density on a kinematic body", layeredScenario.replacingOccurrences(of: "kind: dynamic", with: "kind: kinematic").replacingOccurrences(of: "      mass: 500g\n", with: "      density: 1000kg/m3\n"),
         "13:16: error: 'density' has no effect on a kinematic body (it moves only when an event moves it); remove it or make the body 'dynamic' (at scene.bodies[1].density)"),
    ]
}

/// The reference's preset table and its YAML fragments for springs and presets agree with the loader.
@Suite struct SceneKeyDocsTests {
    static var reference: String {
        String(decoding: FileManager.default.contents(atPath: "\(repositoryRoot())/docs/scenario-format.md") ?? Data(), as: UTF8.self)
    }

    @Test func presetTableListsEveryPresetWithItsValues() throws {
        let text = Self.reference
        let section = try #require(text.range(of: "#### Layer presets")).upperBound
        // the rows after the header and its rule
        let rows = text[section...].split(separator: "\n").drop { !$0.hasPrefix("| `preset`") }.dropFirst(2).prefix { $0.hasPrefix("|") }
        func number(_ cell: Substring) -> Double { Double(cell.split(separator: " ").first ?? "") ?? -1 }
        let documented = rows.map { row -> TissuePreset? in
            let cells = row.split(separator: "|").map { Substring($0.trimmingCharacters(in: .whitespaces)) }
            guard cells.count == 6, let kind = TissueLayerKind(rawValue: String(cells[1])) else { return nil }
            let name = String(cells[0].dropFirst().dropLast())
            guard var p = TissuePreset.named(name) else { return nil }
            p.kind = kind; p.stiffness = number(cells[2]); p.punctureForce = number(cells[3])
            p.friction = number(cells[4]); p.cuttingForce = number(cells[5])
            return p
        }
        #expect(documented == TissuePreset.all.map { Optional($0) })
    }

    /// The fragment of the reference's code block that contains `marker`.
    func block(containing marker: String) throws -> String {
        let blocks = Self.reference.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        return try #require(blocks.first { $0.contains(marker) }, "no block with \(marker)")
    }

    @Test func presetFragmentLoads() throws {
        let layers = try block(containing: "preset: skin")
        let start = try #require(layeredScenario.range(of: "      layers:\n"))
        let end = try #require(layeredScenario.range(of: "procedure:"))
        let spliced = String(layeredScenario[..<start.lowerBound]) + layers + String(layeredScenario[end.lowerBound...])
        let r = load(spliced)
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        #expect(r.scenario?.scene.tissues[0].layers.map(\.kind) == [.tissue, .tissue, .vesselWall, .lumen, .vesselWall, .tissue])
    }

    @Test func springFragmentLoads() throws {
        let body = try block(containing: "spring: {stiffness: 1500N/m")
        let spliced = layeredScenario.replacingOccurrences(of: "  tissues:\n", with: body + "  tissues:\n")
        let r = load(spliced)
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        let chest = try #require(r.scenario?.scene.bodies.last { $0.id == "chest" })
        #expect(chest.spring?.stiffness == 1500 && chest.spring?.damping == 39 && chest.spring?.axis == .unitY)
    }
}

/// docs/scenario.schema.json is generated from the catalog the loader reads files by
/// (`ScenarioCatalog`), so it lists exactly the keys the loader accepts; the enums written in the
/// catalog agree with the loader's types, and every unit the schema allows parses as its kind.
@Suite struct SchemaKeyTests {
    static func schema() throws -> [String: Any] {
        let data = try #require(FileManager.default.contents(atPath: "\(repositoryRoot())/docs/scenario.schema.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func at(_ object: Any?, _ path: String...) -> Any? {
        path.reduce(object) { ($0 as? [String: Any])?[$1] }
    }

    @Test func theCommittedSchemaIsTheGeneratedOne() throws {
        let data = try #require(FileManager.default.contents(atPath: "\(repositoryRoot())/docs/scenario.schema.json"))
        #expect(String(decoding: data, as: UTF8.self) == ScenarioCatalog.schemaText(),
                "docs/scenario.schema.json is stale: run .build/debug/practicum schema > docs/scenario.schema.json")
    }

    @Test func theLoaderTakesItsKeysFromTheCatalog() throws {
        // a key the catalog lacks is refused with the catalog's own words
        let r = load(twoBodyScene("k", region: "{id: r1, radius: 1cm, colour: red}") + "procedure:\n  steps:\n    - {id: s, title: S, complete_when: 'true'}\n")
        #expect(r.errors.map(\.description) == ["test.yaml:9:29: error: unknown key 'colour'; did you mean 'color'? (at scene.regions[0].colour)"])
        #expect(ScenarioCatalog.region.keyNames == ["id", "title", "body", "position", "radius", "size", "color", "visual"])
        #expect(ScenarioCatalog.metric.keyNames == ["id", "title", "metric", "target", "weight", "value", "at"])
    }

    /// A key in the catalog is accepted; the loader must also read it, or the file's words would be
    /// silently ignored. Every key is named somewhere in the loader's sources.
    @Test func everyCatalogKeyIsReadByTheLoader() throws {
        let folder = "\(repositoryRoot())/Sources/PracticumScenario"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".swift") }
        let source = try files.map { try String(contentsOfFile: "\(folder)/\($0)", encoding: .utf8) }.joined()
        for (name, entry) in ScenarioCatalog.byName.sorted(by: { $0.key < $1.key }) + [("top", ScenarioCatalog.top)] {
            for key in entry.keyNames { #expect(source.contains("\"\(key)\""), "\(name).\(key) is in the catalog but the loader never reads it") }
        }
    }

    @Test func enumsWrittenInTheCatalogAgreeWithTheLoader() throws {
        let s = try Self.schema()
        let layer = Self.at(s, "properties", "scene", "properties", "tissues", "items", "properties", "layers", "items")
        let joint = Self.at(s, "properties", "scene", "properties", "joints", "items")
        #expect(Self.at(joint, "properties", "kind", "enum") as? [String] == Joint.Kind.allCases.map(\.rawValue))
        #expect(Self.at(layer, "properties", "preset", "enum") as? [String] == TissuePreset.all.map(\.name))
        #expect(Self.at(layer, "properties", "kind", "enum") as? [String] == TissueLayerKind.allCases.map(\.rawValue))
        #expect(Self.at(s, "properties", "cues", "properties", "errors", "enum") as? [String] == Cues.ErrorFeedback.allCases.map(\.rawValue))
        #expect(Self.at(s, "properties", "conditions", "additionalProperties") != nil)
        // a drawn starting value is one of the loader's kinds of draw, each a one-key mapping
        let draws = (Self.at(s, "properties", "variables", "items", "properties", "initial", "anyOf") as? [Any] ?? []).dropFirst()
        #expect(draws.compactMap { (Self.at($0, "required") as? [String])?.first } == ScenarioCompiler.drawKinds)
    }

    @Test func everyUnitTheSchemaAllowsParsesAsItsKind() {
        for (name, d) in ScenarioCatalog.unitKinds {
            let symbols = ScenarioCatalog.unitSymbols(d)
            #expect(!symbols.isEmpty, "\(name)")
            for u in symbols { #expect((try? Units.lookup(u).get())?.dimension == d, "\(u) is not a \(name)") }
        }
        #expect(ScenarioCatalog.unitAlternatives(.length) == "um|mm|cm|m")
        #expect(ScenarioCatalog.unitAlternatives(.pressure) == "cmH2O|mmHg|kPa|MPa|Pa")
    }

    /// Every function the compiler knows is in the reference's tables, written as a call.
    @Test func everyBuiltinIsInTheReference() throws {
        let doc = try #require(FileManager.default.contents(atPath: "\(repositoryRoot())/docs/scenario-format.md"))
        let text = String(decoding: doc, as: UTF8.self)
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| `") }
        for b in Builtin.allCases {
            #expect(rows.contains { $0.contains("`\(b.rawValue)(") || $0.contains(", `\(b.rawValue)(") }, "\(b.rawValue)(…) is not in docs/scenario-format.md")
        }
    }

}
