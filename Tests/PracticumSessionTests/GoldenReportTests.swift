import Foundation
import Testing
import PracticumCore
import PracticumScenario
import PracticumScoring
@testable import PracticumSession
import PracticumTestSupport

/// Every shipped trace, replayed headlessly, gives its committed golden report byte for byte.
/// After an intended change, `tools/regen-golden` rewrites them (review the diff).
@Suite struct GoldenReportTests {
    static var traces: [String] {
        let root = repositoryRoot()
        let fm = FileManager.default
        var out: [String] = []
        for id in ((try? fm.contentsOfDirectory(atPath: "\(root)/scenarios")) ?? []).sorted() {
            let dir = "\(root)/scenarios/\(id)/traces"
            for f in ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).sorted() where f.hasSuffix(".trace") {
                out.append("\(dir)/\(f)")
            }
        }
        return out
    }

    @Test func shippedTracesExist() { #expect(Self.traces.count >= 4) }

    @Test(arguments: traces)
    func reportMatchesGolden(_ tracePath: String) throws {
        let scenarioPath = URL(fileURLWithPath: tracePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scenario.yaml").path
        let scenario = try loadScenarioForScoring(scenarioPath).get()
        let report = try scoreTraceFile(scenario, tracePath: tracePath, partial: false).get()
        let golden = tracePath.replacingOccurrences(of: ".trace", with: ".report.json")
        let expected = try #require(FileManager.default.contents(atPath: golden), "missing \(golden); run tools/regen-golden")
        #expect(report.json() == String(decoding: expected, as: UTF8.self), "report differs from \(golden)")
        // the score lines say what each trace shows: experts pass with ≥ 90
        if tracePath.hasSuffix("/expert.trace") { #expect(report.passed && report.score >= 90) }
    }
}

@Suite struct SessionDeterminismTests {
    /// Two sessions in lockstep on the same input give identical observations and frames every tick,
    /// and a snapshot taken mid-run, restored and rerun, reaches the same physics state hash.
    @Test func lockstepAndSnapshot() throws {
        let root = repositoryRoot()
        let scenario = try loadScenarioForScoring("\(root)/scenarios/iv-cannulation/scenario.yaml").get()
        let trace = try TraceReader.read(contentsOf: "\(root)/scenarios/iv-cannulation/traces/expert.trace")
        var a = try Session(scenario: scenario), b = try Session(scenario: scenario)
        var src = Resampler(samples: trace.frames)
        var snapshot: Session?
        for k in 1...2400 {
            let input = src.frame(at: Double(k) * a.dt)
            a.step(input); b.step(input)
            #expect(a.observations == b.observations && a.frame == b.frame)
            if k == 1200 { snapshot = a }
            if a.observations != b.observations { break }
        }
        var c = try #require(snapshot)
        var src2 = Resampler(samples: trace.frames)
        for k in 1201...2400 { c.step(src2.frame(at: Double(k) * c.dt)) }
        #expect(c.world.state.hash().hex == a.world.state.hash().hex)
        #expect(c.runner.state == a.runner.state)
    }
}

/// The FLS peg-transfer score of each shipped FLS trace equals the published formula exactly:
/// 300 s cut-off − completion time − 16.667 s per object dropped outside the field, floored at 0.
/// Read from the golden reports, which `GoldenReportTests` proves equal to a fresh replay.
@Suite struct FLSFormulaTests {
    @Test(arguments: ["expert", "novice-slow", "novice-drop", "novice-one-hand", "novice-right-only"])
    func scoreIsTheFormula(_ name: String) throws {
        let path = "\(repositoryRoot())/scenarios/fls-peg-transfer/traces/\(name).report.json"
        let data = try #require(FileManager.default.contents(atPath: path))
        let r = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let metrics = try #require(r["metrics"] as? [[String: Any]])
        _ = try #require(metrics.first { $0["id"] as? String == "fls_score" })
        // JSONSerialization rounds some doubles; read the number's text exactly as written
        let text = String(decoding: data, as: UTF8.self)
        let afterID = try #require(text.range(of: "\"id\": \"fls_score\""))
        let valueKey = try #require(text.range(of: "\"value\": ", range: afterID.upperBound..<text.endIndex))
        let digits = text[valueKey.upperBound...].prefix { "0123456789.-+eE".contains($0) }
        let fls = try #require(Double(String(digits)))
        let errors = try #require(r["errors"] as? [[String: Any]])
        let drops = errors.filter { $0["id"] as? String == "dropped_outside_field" }.count
        let t = Double(try #require(r["ticks"] as? Int)) * (1.0 / 240.0)
        #expect(fls == max(0, 300 - t - 16.667 * Double(drops)))
        #expect(drops == (name == "novice-drop" ? 1 : 0))
        #expect((r["passed"] as? Bool) == (name == "expert"))
    }
}

/// Scene-changing effects reach physics: `move` teleports a body, `material` changes its friction.
@Suite struct SceneEffectTests {
    @Test func moveAndMaterialEffectsApply() throws {
        let text = """
        id: fx
        title: Effects
        version: "1"
        scene:
          bodies:
            - {id: floor, kind: static, shape: {box: {size: [2m, 0.1m, 2m]}}, position: [0, -0.05m, 0]}
            - {id: puck, kind: dynamic, shape: {box: {size: [4cm, 2cm, 4cm]}}, mass: 100g, position: [0, 0.01m, 0], friction: 1}
        procedure:
          steps:
            - {id: wait, title: Wait, complete_when: "time > 10s"}
        events:
          - {id: jump, at: 0.5s, do: [{move: {body: puck, position: [0.5m, 0.01m, 0]}}, {material: {body: puck, friction: 0}}]}
        """
        let r = ScenarioLoader.load(bytes: Array(text.utf8), file: "fx.yaml", directory: "/")
        let scenario = try #require(r.scenario, "\(r.diagnostics)")
        var s = try Session(scenario: scenario)
        for _ in 0..<240 { s.step(InputFrame(time: s.time)) }
        #expect(abs(s.world.pose(of: 1).position.x - 0.5) < 0.01)
        #expect(s.world.state.materialOverrides.first?.dynamicFriction == 0)
    }
}

/// A deformable tissue declared in a scenario is simulated in the session: a probe pressed into it
/// indents the surface, the tissue reports a force, and the procedure and metrics read it.
@Suite struct DeformableTissueSessionTests {
    @Test func probeIndentsThePad() throws {
        let scenario = try loadScenarioForScoring("\(repositoryRoot())/docs/examples/tissue-palpation.yaml").get()
        var s = try Session(scenario: scenario)
        // the right hand grasps the probe on its tray, carries it over the pad and presses 12 mm in
        let start = Vec3(0.2, 0.83, 0), over = Vec3(0, 0.87, 0), pressed = Vec3(0, 0.838, 0)
        func hand(_ p: Vec3, grip: Double) -> InputFrame {
            InputFrame(time: s.time, hands: [HandInput(pose: Pose(position: Vec3(-0.3, 1, 0.3))), HandInput(pose: Pose(position: p), grip: grip)])
        }
        for _ in 0..<24 { s.step(hand(start, grip: 1)) }
        for k in 1...240 { s.step(hand(start.lerp(to: over, Double(k) / 240), grip: 1)) }
        for k in 1...240 { s.step(hand(over.lerp(to: pressed, Double(k) / 240), grip: 1)) }
        for _ in 0..<360 { s.step(hand(pressed, grip: 1)) }
        #expect(s.observations.tissueForces[0] > 2, "force \(s.observations.tissueForces[0])")
        #expect(s.frame.steps == [.completed, .completed])
        let report = s.report()
        #expect(report.evaluation.metrics[0].result.value > 2)
    }
}
