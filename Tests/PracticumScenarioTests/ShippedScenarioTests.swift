import Foundation
import Testing
@testable import PracticumScenario
import PracticumTestSupport

/// Every shipped procedure and every example in docs/ must stay valid, so the docs never rot.
@Suite struct ShippedScenarioTests {
    static var files: [String] {
        let root = repositoryRoot()
        let fm = FileManager.default
        var out: [String] = []
        if let ex = try? fm.contentsOfDirectory(atPath: "\(root)/docs/examples") {
            out += ex.filter { $0.hasSuffix(".yaml") }.sorted().map { "\(root)/docs/examples/\($0)" }
        }
        if let sc = try? fm.contentsOfDirectory(atPath: "\(root)/scenarios") {
            out += sc.sorted().map { "\(root)/scenarios/\($0)/scenario.yaml" }.filter { fm.fileExists(atPath: $0) }
        }
        return out
    }

    @Test func thereAreExamplesAndScenarios() {
        #expect(Self.files.filter { $0.contains("/docs/examples/") }.count >= 3)
        #expect(Self.files.contains { $0.hasSuffix("scenarios/iv-cannulation/scenario.yaml") })
    }

    @Test(arguments: files)
    func isValid(_ path: String) {
        let r = ScenarioLoader.load(path: path)
        #expect(r.errors.isEmpty, "\(r.errors.map(\.description).joined(separator: "\n"))")
        #expect(r.scenario != nil)
    }

    @Test func contentHashIsStableAndSensitive() {
        let path = "\(repositoryRoot())/scenarios/iv-cannulation/scenario.yaml"
        let a = ScenarioLoader.load(path: path).scenario?.contentHash
        let b = ScenarioLoader.load(path: path).scenario?.contentHash
        #expect(a != nil && a == b)
        var bytes = Array(FileManager.default.contents(atPath: path)!)
        bytes.append(0x0A)
        let c = ScenarioLoader.load(bytes: bytes, file: path, directory: (path as NSString).deletingLastPathComponent).scenario?.contentHash
        #expect(c != nil && c != a)
    }

    @Test func ivScenarioCompilesToSI() throws {
        let s = try #require(ScenarioLoader.load(path: "\(repositoryRoot())/scenarios/iv-cannulation/scenario.yaml").scenario)
        #expect(s.timeLimit == 180)
        let skin = s.scene.tissues[0].layers[0]
        #expect(isClose(skin.thickness, 0.0015, abs: 1e-15) && skin.punctureForce == 1.2)
        guard case let .range(lo, hi)? = s.rubric.metrics[0].target else { Issue.record("no range"); return }
        #expect(isClose(lo, 10 * .pi / 180, abs: 1e-15) && isClose(hi, 30 * .pi / 180, abs: 1e-15))
        #expect(s.rubric.errors.first { $0.id == "needle_not_disposed" }?.critical == true)
    }
}

/// Complete scenarios shown in the docs' YAML code blocks (those with `id:` and `procedure:` at the
/// top level) load without errors; fragments are covered by the example files.
@Suite struct DocsCodeBlockTests {
    static var blocks: [String] {
        let root = repositoryRoot()
        var out: [String] = []
        for name in ["scenario-format.md", "authoring-tutorial.md"] {
            guard let data = FileManager.default.contents(atPath: "\(root)/docs/\(name)") else { continue }
            var current: [Substring]? = nil
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
                if current == nil, line.hasPrefix("```yaml") { current = []; continue }
                if current != nil, line.hasPrefix("```") {
                    let text = current!.joined(separator: "\n")
                    let lines = current!
                    if lines.contains(where: { $0.hasPrefix("id:") }) && lines.contains(where: { $0.hasPrefix("procedure:") }) {
                        out.append("\(name)\n\(text)")
                    }
                    current = nil
                    continue
                }
                current?.append(line)
            }
        }
        return out
    }

    @Test func thereAreCompleteExamplesInTheDocs() { #expect(Self.blocks.count >= 2) }

    @Test(arguments: blocks)
    func completeBlockIsValid(_ block: String) {
        let name = String(block.prefix { $0 != "\n" })
        let text = String(block.dropFirst(name.count + 1))
        let r = ScenarioLoader.load(bytes: Array(text.utf8), file: "docs/\(name) (code block)", directory: "\(repositoryRoot())/docs/examples")
        #expect(r.errors.isEmpty, "\(r.errors.map(\.description).joined(separator: "\n"))")
    }
}
