import ArgumentParser

/// The `practicum` command: validate, inspect, score, run and benchmark VR procedure scenarios.
@main
struct Practicum: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "practicum",
        abstract: "Practicum — a backend for VR medical procedure training.",
        discussion: """
        Instructors write procedures as YAML scenario files (see docs/scenario-format.md). \
        This tool validates them, draws their step graph, scores recorded sessions headlessly, \
        runs them in the desktop viewer and benchmarks the engine.

        Exit codes: 0 success, 1 invalid input or failed check, 2 usage error or unreadable input.
        """,
        version: "0.1.0",
        subcommands: commandList
    )
}

/// Every subcommand, in the order `--help` lists them.
let commandList: [ParsableCommand.Type] = [
    Synth.self,
]
