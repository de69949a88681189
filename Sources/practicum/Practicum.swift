import ArgumentParser
import Foundation
import PracticumSession

/// The `practicum` command: validate, inspect, score, run and benchmark VR procedure scenarios.
@main
struct Practicum: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "practicum",
        abstract: "Practicum — a backend for VR medical procedure training.",
        discussion: """
        Instructors write procedures as YAML scenario files (see docs/scenario-format.md). \
        This tool validates them, draws their step graph, scores recorded sessions headlessly, \
        runs them in the desktop viewer and benchmarks the engine. A SCENARIO argument is a \
        path to a scenario file (or a folder holding scenario.yaml) or the id of a procedure, \
        looked for as <id>/scenario.yaml in, in order: each folder of PRACTICUM_SCENARIOS \
        (colon-separated), ./scenarios, the install's share folder (<prefix>/share/practicum/scenarios \
        beside <prefix>/bin/practicum) and the source checkout of a development build — so shipped \
        ids work from any directory.

        Exit codes, in every subcommand: 0 success; 1 the input was judged and found wanting (validate \
        and graph: an invalid scenario; synth: an invalid script; score --require-pass: a trainee did \
        not pass; progress --require-proficient: not yet proficient); 2 a usage error, an input that \
        cannot be read or used (score and benchmark: an \
        invalid scenario or trace) or an output that cannot be written.
        """,
        version: "0.1.0",
        subcommands: commandList
    )

    /// Runs the command, mapping usage errors to exit code 2 (ArgumentParser's default is 64).
    static func main() {
        // past a file-size limit, write() should fail with EFBIG (reported, no partial file), not kill us
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// Every subcommand, in the order `--help` lists them.
let commandList: [ParsableCommand.Type] = [
    Run.self,
    ScoreCommand.self,
    ValidateCommand.self,
    GraphCommand.self,
    SchemaCommand.self,
    SynthCommand.self,
    BenchmarkCommand.self,
    ProgressCommand.self,
    CohortCommand.self,
    Bench.self,
    ServeCommand.self,
]

/// Writes a line to standard error.
func printError(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

/// Resolves a SCENARIO argument: a file path, a folder holding scenario.yaml, or the id of a
/// procedure on the search path (`ScenarioSearchPath`: PRACTICUM_SCENARIOS, ./scenarios, the
/// install's share folder, the checkout of a development build).
func resolveScenarioPath(_ arg: String) -> String { ScenarioSearchPath.current.resolve(arg) }
