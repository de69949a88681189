import Foundation
import Testing
import PracticumCore
import PracticumScoring
@testable import PracticumScenario
import PracticumTestSupport

/// docs/scenario.schema.json accepts every shipped scenario, every example file and every complete
/// scenario in the docs, read as an editor reads them (YAML's core types) with their `for_each`
/// templates expanded: the schema an editor uses never flags a file the loader accepts.
@Suite struct ScenarioSchemaTests {
    static let schema = try! JSONSchema(contentsOf: repositoryRoot() + "/docs/scenario.schema.json")

    /// A YAML node as JSON, plain scalars typed as YAML 1.2's core schema types them.
    static func json(_ n: YNode) -> JSON {
        switch n {
        case let .scalar(s):
            if s.quoted { return .string(s.text) }
            if s.isNull { return .null }
            if ["true", "True", "TRUE"].contains(s.text) { return .bool(true) }
            if ["false", "False", "FALSE"].contains(s.text) { return .bool(false) }
            if s.text.range(of: #"^[-+]?[0-9]+$"#, options: .regularExpression) != nil, let i = Int(s.text) { return .int(i) }
            if s.text.range(of: #"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"#, options: .regularExpression) != nil,
               let d = Double(s.text) { return .number(d) }
            return .string(s.text)
        case let .sequence(items, _): return .array(items.map(json))
        case let .mapping(m): return .object(m.entries.map { ($0.key, json($0.value)) })
        }
    }

    static var files: [(String, String)] {
        let root = repositoryRoot(), fm = FileManager.default
        var out: [(String, String)] = []
        for id in ((try? fm.contentsOfDirectory(atPath: "\(root)/scenarios")) ?? []).sorted() {
            if let t = try? String(contentsOfFile: "\(root)/scenarios/\(id)/scenario.yaml", encoding: .utf8) { out.append(("scenarios/\(id)", t)) }
        }
        for f in ((try? fm.contentsOfDirectory(atPath: "\(root)/docs/examples")) ?? []).sorted() where f.hasSuffix(".yaml") {
            if let t = try? String(contentsOfFile: "\(root)/docs/examples/\(f)", encoding: .utf8) { out.append(("docs/examples/\(f)", t)) }
        }
        for (i, block) in DocsCodeBlockTests.blocks.enumerated() {
            let name = String(block.prefix { $0 != "\n" })
            out.append(("\(name) block \(i)", String(block.drop { $0 != "\n" }.dropFirst())))
        }
        return out
    }

    @Test func everyShippedAndDocumentedScenarioMatchesTheSchema() throws {
        let files = Self.files
        #expect(files.count >= 20)
        for (name, text) in files {
            guard case let .success(root?) = DocumentReader.read(bytes: Array(text.utf8), limits: DocumentLimits()) else {
                Issue.record("\(name): not YAML"); continue
            }
            var templates = TemplateExpander(bag: DiagnosticBag(file: name), budget: Limits.scenarioNodes)
            let value = Self.json(templates.expand(root))
            let problems = Self.schema.problems(value.serialized())
            #expect(problems.isEmpty, "\(name): \(problems.prefix(8))")
        }
    }
}
