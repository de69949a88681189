import Foundation
import Testing
import PracticumScenario
@testable import PracticumSession
import PracticumTestSupport

/// Re-scoring is explicit: the scenario hash is split into scene, procedure and rubric; a trace
/// re-scored against a changed scene or procedure is warned about (refused with `strict`), a
/// rubric-only change is a clean re-score.
@Suite struct RescoringTests {
    static let original = try! String(contentsOfFile: "\(repositoryRoot())/scenarios/cpr-adult/scenario.yaml", encoding: .utf8)
    static let edits: [(String, String, String)] = [
        ("scene", "stiffness: 1500N/m", "stiffness: 3000N/m"),
        ("procedure", "time_limit: 90s", "time_limit: 120s"),
        ("rubric", "weight: 18", "weight: 20"),
    ]

    func parts(_ text: String) throws -> ScenarioParts { try #require(ScenarioParts.of(bytes: Array(text.utf8))) }

    @Test func eachPartChangesOnlyWithItsOwnKeys() throws {
        let base = try parts(Self.original)
        for (part, from, to) in Self.edits {
            let edited = Self.original.replacingOccurrences(of: from, with: to)
            #expect(edited != Self.original)
            #expect(try parts(edited).changes(from: base) == [part])
        }
        // comments, blank lines and the title belong to no part
        let cosmetic = "# reviewed\n\n" + Self.original.replacingOccurrences(of: "title: Adult CPR — chest compressions", with: "title: Adult CPR")
        #expect(try parts(cosmetic) == base)
    }

    @Test func keyOrderInAMappingIsNoChange() throws {
        let a = "id: x\ntitle: X\nversion: 1\nscene: {gravity: [0, -9.81, 0], bodies: []}\nprocedure: {steps: []}\n"
        let b = "id: x\ntitle: X\nversion: 1\nscene: {bodies: [], gravity: [0, -9.81, 0]}\nprocedure: {steps: []}\n"
        #expect(try parts(a) == parts(b))
        let c = "id: x\ntitle: X\nversion: 1\nscene: {bodies: [], gravity: [0, -9.8, 0]}\nprocedure: {steps: []}\n"
        #expect(try parts(c).changes(from: parts(a)) == ["scene"])
    }

    /// Writes `text` as a scenario file, loads it as scoring does, and returns it.
    func scenario(_ text: String, _ sandbox: ScenarioSandbox, _ name: String) throws -> Scenario {
        try loadScenarioForScoring(sandbox.write(text, as: name)).get()
    }

    @Test func aTraceKnowsWhatChangedSinceItWasRecorded() throws {
        let sandbox = try ScenarioSandbox("rescore")
        defer { sandbox.remove() }
        let recorded = try scenario(Self.original, sandbox, "original")
        let header = TraceHeader(scenario: recorded)
        #expect(header.recordedParts == recorded.parts && header.recordedParts != nil)
        #expect(header.changes(against: recorded) == [])
        for (part, from, to) in Self.edits {
            let now = try scenario(Self.original.replacingOccurrences(of: from, with: to), sandbox, part)
            #expect(header.changes(against: now) == [part])
            // a trace from before part hashes cannot tell which part changed
            var old = header
            old.recordedParts = nil
            #expect(old.changes(against: now) == ["unknown"])
        }
        // a trace that names no scenario hash makes no claim
        #expect(TraceHeader(scenarioID: "cpr-adult").changes(against: recorded) == [])
    }

    /// The hashes say what a scenario is, not where it lies: a copy of the project elsewhere (another
    /// checkout, CI's clone) gives the same parts, though its meshes resolve to other absolute paths.
    @Test func thePartsDoNotDependOnWhereTheCheckoutLies() throws {
        let sandbox = try ScenarioSandbox("elsewhere", copyingAssets: true)
        defer { sandbox.remove() }
        for id in ["cpr-adult", "needle-decompression"] {
            let here = try loadScenarioForScoring("\(repositoryRoot())/scenarios/\(id)/scenario.yaml").get()
            let text = try String(contentsOfFile: "\(repositoryRoot())/scenarios/\(id)/scenario.yaml", encoding: .utf8)
            let there = try scenario(text, sandbox, id)
            #expect(!here.scene.meshes.isEmpty && here.scene.meshes.keys.sorted() != there.scene.meshes.keys.sorted())
            #expect(ScenarioParts.of(here) == ScenarioParts.of(there), "\(id)")
            #expect(here.contentHash == there.contentHash)
        }
    }

    @Test func aChangedSceneIsANoteOrWithStrictARefusal() throws {
        let sandbox = try ScenarioSandbox("rescore")
        defer { sandbox.remove() }
        let dir = sandbox.root
        let recorded = try scenario(Self.original, sandbox, "original")
        let trace = "\(dir)/t.trace"
        try Data(try TraceWriter.encode(header: TraceHeader(scenario: recorded), frames: sampleFrames(count: 20))).write(to: URL(fileURLWithPath: trace))
        let scene = try scenario(Self.original.replacingOccurrences(of: "stiffness: 1500N/m", with: "stiffness: 3000N/m"), sandbox, "scene")
        let report = try scoreTraceFile(scene, tracePath: trace, partial: false).get()
        #expect(report.context.changedSinceRecording == ["scene"])
        let warning = "the scene or physics of 'cpr-adult' changed since this trace was recorded (content hash \(recorded.contentHash) then, "
            + "\(scene.contentHash) now): the recorded motions were replayed in another world, so measured values may differ from the live run"
        #expect(report.rescoringNotes == [warning])
        #expect(report.notes.last == warning)
        guard case let .failure(.scenarioChanged(path, why)) = scoreTraceFile(scene, tracePath: trace, partial: false, strict: true) else {
            Issue.record("strict scoring should refuse"); return
        }
        #expect(path == trace && why == warning)
        // a rubric-only change: clean, and the report names the rubric that scored it
        let rubric = try scenario(Self.original.replacingOccurrences(of: "weight: 18", with: "weight: 20"), sandbox, "rubric")
        let rescored = try scoreTraceFile(rubric, tracePath: trace, partial: false, strict: true).get()
        #expect(rescored.context.changedSinceRecording == ["rubric"] && rescored.rescoringNotes == [])
        #expect(rescored.context.rubricHash == rubric.parts?.rubric && rescored.context.rubricHash != recorded.parts?.rubric)
        #expect(rescored.json().contains("\"rubric_hash\": \"\(rubric.parts!.rubric)\""))
    }
}

/// Shipped ids resolve from any directory, through a documented search path.
@Suite struct ScenarioSearchPathTests {
    @Test func theSearchPathIsTheEnvironmentTheWorkingDirectoryTheShareFolderAndTheCheckout() {
        let dev = ScenarioSearchPath.standard(environment: ["PRACTICUM_SCENARIOS": "/srv/a:/srv/b"],
                                              executable: "/home/me/practicum/.build/x86_64-unknown-linux-gnu/debug/practicum")
        #expect(dev.folders == ["/srv/a", "/srv/b", "scenarios", "/home/me/practicum/.build/x86_64-unknown-linux-gnu/share/practicum/scenarios",
                                "/home/me/practicum/scenarios"])
        let installed = ScenarioSearchPath.standard(environment: [:], executable: "/usr/local/bin/practicum")
        #expect(installed.folders == ["scenarios", "/usr/local/share/practicum/scenarios"])
    }

    @Test func theFirstFolderHoldingTheIdWins() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-search-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for sub in ["a/x", "b/x", "b/y"] {
            try FileManager.default.createDirectory(atPath: "\(dir)/\(sub)", withIntermediateDirectories: true)
            try "id: \(sub)\n".write(toFile: "\(dir)/\(sub)/scenario.yaml", atomically: true, encoding: .utf8)
        }
        let path = ScenarioSearchPath(folders: ["\(dir)/none", "\(dir)/a", "\(dir)/b"])
        #expect(path.resolve("x") == "\(dir)/a/x/scenario.yaml")
        #expect(path.resolve("y") == "\(dir)/b/y/scenario.yaml")
        #expect(path.resolve("z") == "z")
        #expect(path.resolve("\(dir)/b/y") == "\(dir)/b/y/scenario.yaml")
        #expect(path.resolve("../x") == "../x")
    }
}
