import ArgumentParser
import Foundation
import PracticumCore
import PracticumScenario
import PracticumSession

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check scenario files and report every error and warning.",
        discussion: """
        Loads, validates and compiles each file. Problems are printed as \
        'path:line:col: error: message (at element.path)', all of them at once. \
        Exit 0 when every file is valid, 1 when any is invalid, 2 on a usage error.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "Scenario files (or shipped procedure ids) to check.")
    var files: [String]

    @Option(help: "Output format: text (compiler style) or json (machine-readable diagnostics).")
    var format: Format = .text

    @Flag(help: "Print only diagnostics, not the per-file OK lines.")
    var quiet = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one scenario file") }
    }

    func run() throws {
        var anyInvalid = false
        var json: [String] = []
        for f in files {
            let path = resolveScenarioPath(f)
            let result = loadRunnableScenario(path: path)
            let valid = result.errors.isEmpty
            if !valid { anyInvalid = true }
            switch format {
            case .text:
                for d in result.diagnostics { printError(d.description) }
                if valid && !quiet {
                    let s = result.scenario!
                    let warnings = result.diagnostics.count
                    print("\(path): ok — \(s.id) v\(s.version): \(plural(s.steps.count, "step")), \(plural(s.events.count, "event")), \(plural(s.rubric.metrics.count, "metric")), \(plural(s.rubric.errors.count, "rubric error"))\(warnings > 0 ? ", \(warnings) warnings" : "")")
                }
            case .json:
                let diags = result.diagnostics.map { d in
                    "{\"severity\":\(jsonString(d.severity.rawValue)),\"file\":\(jsonString(d.file)),\"line\":\(d.location.line),\"column\":\(d.location.column),\"path\":\(jsonString(d.path)),\"message\":\(jsonString(d.message))}"
                }
                json.append("{\"file\":\(jsonString(path)),\"valid\":\(valid),\"diagnostics\":[\(diags.joined(separator: ","))]}")
            }
        }
        if format == .json { print("[\(json.joined(separator: ",\n"))]") }
        if anyInvalid { throw ExitCode(1) }
    }
}

/// A JSON string literal with the required escapes.
func jsonString(_ s: String) -> String { JSONText.string(s) }

func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
