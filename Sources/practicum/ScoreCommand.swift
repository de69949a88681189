import ArgumentParser
import Foundation
import PracticumScenario
import PracticumScoring
import PracticumSession

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score recorded sessions headlessly.",
        discussion: """
        Replays each trace through the scenario (physics, procedure, scoring) and writes the report. \
        The same scenario and trace always give the same report bytes.

        One trace: the report goes to standard output, or to --output PATH. \
        Several traces (or a folder of *.trace files): they are scored in parallel on all cores; \
        one report per trace is written into the --output folder (default: reports), plus \
        summary.csv and summary.json; a bad trace is reported and does not stop the others. \
        A report is named after its trace (NAME.trace gives NAME.json); traces with the same name \
        from different folders give NAME-2, NAME-3, ... in the order given, so no report replaces \
        another. Every file is written whole or not at all (through a temporary file), and a \
        write that fails is an error (exit 2).

        Exit 0 when every trace was scored (with --require-pass: only if every trainee passed, else 1); \
        exit 2 for an invalid scenario, an output that cannot be written, an unreadable, corrupt or truncated trace (unless --partial), \
        or a trace recorded for another scenario.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, text, html }

    @Argument(help: "Scenario file or shipped procedure id.")
    var scenario: String

    @Argument(help: "Trace files, or folders holding *.trace files.")
    var traces: [String]

    @Option(help: "Report format: json (documented in docs/report-format.md), text (terminal summary) or html (debrief page).")
    var format: Format = .json

    @Option(name: .shortAndLong, help: "Where to write: a file for one trace, a folder for several.")
    var output: String?

    @Flag(help: "Exit 1 unless every trainee passed.")
    var requirePass = false

    @Flag(help: "Score the intact part of a damaged trace; the report is marked incomplete.")
    var partial = false

    func validate() throws {
        if traces.isEmpty { throw ValidationError("give at least one trace") }
    }

    func run() throws {
        let scenarioPath = resolveScenarioPath(scenario)
        let loaded: Scenario
        switch loadScenarioForScoring(scenarioPath) {
        case let .success(s): loaded = s
        case let .failure(e):
            printError(e.description)
            throw ExitCode(2)
        }
        let files = expandTraces(traces, scenarioPath: scenarioPath)
        if files.isEmpty { printError("no traces found in \(traces.joined(separator: " "))"); throw ExitCode(2) }
        if files.count == 1 && !isDirectory(traces[0]) {
            try scoreOne(loaded, files[0])
        } else {
            try scoreMany(loaded, files)
        }
    }

    private func render(_ r: Report, color: Bool) -> String {
        switch format {
        case .json: r.json()
        case .text: r.textSummary(color: color)
        case .html: r.debriefHTML()
        }
    }

    private func scoreOne(_ scenario: Scenario, _ path: String) throws {
        let report: Report
        switch scoreTraceFile(scenario, tracePath: path, partial: partial) {
        case let .success(r): report = r
        case let .failure(e): printError(e.description); throw ExitCode(2)
        }
        if let output {
            try writeOrExit(render(report, color: false), to: output)
        } else {
            print(render(report, color: isatty(STDOUT_FILENO) != 0), terminator: "")
        }
        if !report.inputComplete { printError("\(path): scored the intact part only; the report is marked incomplete") }
        if requirePass && !report.passed { throw ExitCode(1) }
    }

    private func scoreMany(_ scenario: Scenario, _ files: [String]) throws {
        let folder = output ?? "reports"
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            printError("\(folder): error: cannot create the folder: \(error.localizedDescription)")
            throw ExitCode(2)
        }
        let bar = ProgressBar(label: "scoring")
        let partial = self.partial
        let results = BatchRunner.map(files, progress: { done, total in bar.update(done, total) }) { path in
            scoreTraceFile(scenario, tracePath: path, partial: partial)
        }
        var table = SummaryTable(columns: ["trace", "status", "passed", "score", "complete", "duration_s", "errors", "critical_errors"])
        var anyBad = false, anyFailed = false
        let ext = format == .json ? "json" : format == .text ? "txt" : "html"
        let names = reportNames(files)
        for ((path, result), name) in zip(zip(files, results), names) {
            switch result {
            case let .success(r):
                try writeOrExit(render(r, color: false), to: "\(folder)/\(name).\(ext)")
                let errors = r.evaluation.errors
                table.rows.append([.text(path), .text("scored"), .bool(r.passed), .number(r.score), .bool(r.complete),
                                   .number(r.duration), .number(Double(errors.count)), .number(Double(errors.filter(\.critical).count))])
                if !r.passed { anyFailed = true }
            case let .failure(e):
                printError(e.description)
                anyBad = true
                table.rows.append([.text(path), .text("error"), .null, .null, .null, .null, .null, .null])
            }
        }
        try writeOrExit(table.csv(), to: "\(folder)/summary.csv")
        try writeOrExit(table.json(), to: "\(folder)/summary.json")
        print(table.csv(), terminator: "")
        if anyBad { throw ExitCode(2) }
        if requirePass && anyFailed { throw ExitCode(1) }
    }
}

/// One report name per trace, unique within the batch: traces with the same file name from
/// different folders get `-2`, `-3`, … so that no report overwrites another.
func reportNames(_ files: [String]) -> [String] {
    var used = Set<String>()
    return files.map { path in
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var name = base, n = 1
        while used.contains(name) || name == "summary" { n += 1; name = "\(base)-\(n)" }
        used.insert(name)
        return name
    }
}

/// Writes a result atomically; a failure is reported and exits 2, leaving no partial file.
func writeOrExit(_ text: String, to path: String) throws {
    do { try OutputFile.write(text, to: path) } catch {
        printError("\(path): error: \(error.description)")
        throw ExitCode(2)
    }
}

func isDirectory(_ path: String) -> Bool {
    var d: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &d) && d.boolValue
}

/// Trace arguments: files as given; folders expanded to their `*.trace` files, sorted. A bare name
/// that is not a file is looked up in the scenario's `traces/` folder (`expert` → traces/expert.trace).
func expandTraces(_ args: [String], scenarioPath: String) -> [String] {
    var out: [String] = []
    let traceDir = ((scenarioPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("traces")
    for a in args {
        if isDirectory(a) {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: a)) ?? []).filter { $0.hasSuffix(".trace") }.sorted()
            out += names.map { (a as NSString).appendingPathComponent($0) }
        } else if !FileManager.default.fileExists(atPath: a), !a.contains("/") {
            let candidate = "\(traceDir)/\(a).trace"
            out.append(FileManager.default.fileExists(atPath: candidate) ? candidate : a)
        } else {
            out.append(a)
        }
    }
    return out
}
