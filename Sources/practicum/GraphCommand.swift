import ArgumentParser
import PracticumScenario

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print a scenario's step graph as a Mermaid flowchart.",
        discussion: """
        Paste the output into any Mermaid viewer (or a Markdown file in a ```mermaid block) to \
        check the flow: sequences, any-order groups, optional steps (rounded), alternative \
        branches (hexagons), joins (dotted 'any' edges) and steps enabled or skipped by events. \
        Exit 0 when the graph was printed, 1 when the scenario is invalid or cannot be read (as \
        practicum validate), 2 on a usage error.
        """)

    @Argument(help: "Scenario file (or shipped procedure id).")
    var file: String

    func run() throws {
        let path = resolveScenarioPath(file)
        let result = ScenarioLoader.load(path: path)
        for d in result.diagnostics { printError(d.description) }
        guard let s = result.scenario else { throw ExitCode(1) }
        print(StepGraph.mermaid(s), terminator: "")
    }
}

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of scenario files.",
        discussion: """
        The schema (JSON Schema draft 2020-12) is generated from the catalog the loader reads \
        scenario files by, so it lists exactly the keys practicum validate accepts; \
        docs/scenario.schema.json is this output. Point an editor's YAML support at it for \
        completion and checks while writing; practicum validate remains authoritative (it also \
        checks ids, the units of expressions, the step graph and assets). Exit 0.
        """)

    func run() throws {
        print(ScenarioCatalog.schemaText(), terminator: "")
    }
}
