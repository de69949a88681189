import ArgumentParser
import Foundation
import PracticumScenario
import PracticumScoring
import PracticumSession

/// `practicum benchmark SCENARIO TRACE... [-o FILE] [--format text|json]`: proficiency benchmarks
/// from expert runs (Proficiency-Based Progression: per metric, the mean after excluding runs beyond
/// 1.96 SD). Writes a `practicum-benchmark/1` file that the scenario's rubric can reference.
struct BenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark",
        abstract: "Derive proficiency benchmarks from expert traces.",
        discussion: """
        Scores every trace headlessly, then for each rubric metric takes the mean of the experts' values \
        after excluding runs more than 1.96 standard deviations from the mean (docs/metrics.md). \
        The benchmark file format is described in docs/report-format.md. \
        Fewer than 3 expert traces give a warning on standard error (the benchmark is still written). \
        The file is written whole or not at all, and an existing file is not replaced without --force \
        (refused before any trace is scored). \
        Exit 0 on success; 2 on a usage error, an invalid scenario, a trace that cannot be scored \
        (unreadable, damaged, or recorded for another scenario; every such trace is named) or an output \
        that cannot be written or already exists — as for practicum score.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "The scenario file (or shipped procedure id).") var scenario: String
    @Argument(help: "Expert input traces, or folders holding *.trace files.") var traces: [String] = []
    @Option(name: [.short, .customLong("output")], help: "Write the benchmark file (JSON) here.") var output: String?
    @Option(help: "What to print: text (a table) or json (the benchmark file).") var format: Format = .text
    @Flag(help: "Replace the --output file if it exists (without it, an existing file is an error).") var force = false

    func validate() throws {
        if traces.isEmpty { throw ValidationError("give at least one expert trace") }
    }

    func run() throws {
        let path = resolveScenarioPath(scenario)
        let loaded: Scenario
        switch loadScenarioForScoring(path) {
        case let .success(s): loaded = s
        case let .failure(e): printError(e.description); throw ExitCode(2)
        }
        if let output { try refuseExisting(output, force: force) }
        let files = expandTraces(traces, scenarioPath: path)
        let results = BatchRunner.map(files) { trace in scoreTraceFile(loaded, tracePath: trace, partial: false) }
        var reports: [Report] = []
        var failed = false
        for r in results {
            switch r {
            case let .success(report): reports.append(report)
            case let .failure(error): printError("practicum benchmark: \(error)"); failed = true
            }
        }
        if failed { throw ExitCode(2) }
        let file = Proficiency.benchmarks(from: reports)
        // one expert has an SD of 0 and two can exclude nothing: a benchmark from so few says little
        if reports.count < Proficiency.meaningfulExperts {
            printError("practicum benchmark: warning: \(reports.count) expert run\(reports.count == 1 ? "" : "s") is too few for a meaningful "
                       + "benchmark; use at least \(Proficiency.meaningfulExperts) (with fewer the standard deviation says nothing "
                       + "and the 1.96 SD rule cannot exclude an outlier)")
        }
        let json = file.json()
        if let output { try writeOrExit(json, to: output, replace: force) }
        switch format {
        case .json: print(json, terminator: "")
        case .text: print(file.textSummary(runNames: files.map { ($0 as NSString).lastPathComponent }), terminator: "")
        }
    }
}
