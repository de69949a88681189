import ArgumentParser
import Foundation
import PracticumScoring
import PracticumSession

/// How `practicum benchmark` scores one expert trace of a scenario into a report. Wired to the
/// session's headless replay (load the scenario, replay the trace, return `ReportRecorder.report`).
let scoreExpertTrace: @Sendable (_ scenarioPath: String, _ tracePath: String) throws -> Report = { scenarioPath, tracePath in
    let scenario = try loadScenarioForScoring(scenarioPath).get()
    return try scoreTraceFile(scenario, tracePath: tracePath, partial: false).get()
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

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
        Exit 0 on success, 1 when a trace cannot be scored, 2 on a usage error.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "The scenario file (or shipped procedure id).") var scenario: String
    @Argument(help: "Expert input traces.") var traces: [String] = []
    @Option(name: [.short, .customLong("output")], help: "Write the benchmark file (JSON) here.") var output: String?
    @Option(help: "What to print: text (a table) or json (the benchmark file).") var format: Format = .text

    func validate() throws {
        if traces.isEmpty { throw ValidationError("give at least one expert trace") }
    }

    func run() throws {
        let path = resolveScenarioPath(scenario)
        let results: [Result<Report, Error>] = BatchRunner.map(traces) { trace in Result { try scoreExpertTrace(path, trace) } }
        var reports: [Report] = []
        var failed = false
        for (trace, r) in zip(traces, results) {
            switch r {
            case let .success(report): reports.append(report)
            case let .failure(error): printError("practicum benchmark: \(trace): \(error)"); failed = true
            }
        }
        if failed { throw ExitCode(1) }
        let file = Proficiency.benchmarks(from: reports)
        // one expert has an SD of 0 and two can exclude nothing: a benchmark from so few says little
        if reports.count < Proficiency.meaningfulExperts {
            printError("practicum benchmark: warning: \(reports.count) expert run\(reports.count == 1 ? "" : "s") is too few for a meaningful "
                       + "benchmark; use at least \(Proficiency.meaningfulExperts) (with fewer the standard deviation says nothing "
                       + "and the 1.96 SD rule cannot exclude an outlier)")
        }
        let json = file.json()
        if let output {
            do { try json.write(toFile: output, atomically: true, encoding: .utf8) } catch {
                printError("practicum benchmark: cannot write \(output): \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
        switch format {
        case .json: print(json, terminator: "")
        case .text: print(file.textSummary(runNames: traces.map { ($0 as NSString).lastPathComponent }), terminator: "")
        }
    }
}
