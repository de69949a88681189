import ArgumentParser
import Foundation
import PracticumProgress
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

        One trace and no --output: the report goes to standard output. \
        With --output DIR, or with several traces (or a folder of *.trace files; then DIR defaults to \
        reports), every trace is scored, in parallel on all cores, into the folder DIR: one report per \
        trace at the trace's path mirrored under DIR from the deepest folder the traces share, with \
        .trace replaced by .report.json (.report.txt, .report.html), so a/run.trace and b/run.trace \
        give DIR/a/run.report.json and DIR/b/run.report.json; plus DIR/summary.csv and \
        DIR/summary.json (one row per trace; a report name always ends in .report.EXT, so it is never \
        a summary). --output means the same for one trace and for many. \
        Each report is written as soon as its trace is scored, whole or not at all (through a temporary \
        file), so a batch that is killed keeps every report it finished; a line per trace on standard \
        error says how far it got (--quiet silences it). No file is replaced unless --force is given: \
        an existing report or summary is refused before anything is scored. A bad trace is reported \
        and does not stop the others.

        Exit 0 when every trace was scored (with --require-pass: only if every trainee passed, else 1); \
        exit 2 for a usage error, an invalid scenario, an output that cannot be written or already \
        exists, two traces whose reports would have the same path, an unreadable, corrupt or truncated \
        trace (unless --partial), a trace recorded for another scenario, or (with --strict) one recorded \
        against another scene or procedure.

        Re-scoring: a trace records the hashes of the scenario's scene (and physics), procedure and \
        rubric. Scored against a scenario whose scene or procedure changed since, the report says so \
        (scenario.changed_since_recording and a note) and a warning goes to standard error; a \
        rubric-only change is a clean re-score, and scenario.rubric_hash says which rubric scored it.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, text, html, junit, xapi
        var fileExtension: String {
            switch self {
            case .json: "json"
            case .text: "txt"
            case .html: "html"
            case .junit: "xml"
            case .xapi: "xapi.json"
            }
        }
    }

    @Argument(help: "Scenario file or shipped procedure id.")
    var scenario: String

    @Argument(help: "Trace files, or folders holding *.trace files.")
    var traces: [String]

    @Option(help: """
        Report format: json (documented in docs/report-format.md), text (terminal summary), html (debrief page), \
        junit (JUnit XML for CI: one test case per trace, failed unless the trainee passed, the verdict's reasons as the \
        failure message; a batch also writes DIR/summary.xml with every trace) or xapi (xAPI statements for a learning \
        record store, docs/report-format.md).
        """)
    var format: Format = .json

    @Option(help: ArgumentHelp("With --format xapi: the programme's home page, under which actors, activities and extensions are named.", valueName: "url"))
    var xapiHome = XAPI.defaultHome

    @Flag(help: "With --format json: add the debrief's downsampled series (instrument paths, forces, variables, CPR depth, error positions) as data (docs/report-format.md).")
    var series = false

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the reports into this folder (created), for one trace as for many.", valueName: "dir"))
    var output: String?

    @Flag(help: "Replace reports and summaries that already exist (without it, an existing file is an error).")
    var force = false

    @Flag(help: "No progress line per trace on standard error (errors are still written).")
    var quiet = false

    @Flag(help: "Exit 1 unless every trainee passed.")
    var requirePass = false

    @Flag(help: "Score the intact part of a damaged trace; the report is marked incomplete.")
    var partial = false

    @Option(help: ArgumentHelp("Record each attempt in this progress store (sqlite:PATH or a path; postgres://user[:password]@host[:port]/database for a shared server) as soon as it is scored; a trace must name its trainee (or give --trainee).", valueName: "url"))
    var store: String?

    @Option(help: ArgumentHelp("With --format html: the programme file (docs/progress.md) whose benchmark for the scenario the debrief shows beside each metric; with --store, the debrief also shows the attempt's place in the trainee's history under the programme's rule.", valueName: "file"))
    var programme: String?

    @Flag(help: "Refuse (exit 2) a trace recorded against another scene or procedure of the scenario, instead of a warning.")
    var strict = false

    @OptionGroup(title: "Who and when (for the report, in place of the trace's metadata; not scored)")
    var who: AttemptOptions

    func validate() throws {
        if traces.isEmpty { throw ValidationError("give at least one trace") }
        if series && format != .json { throw ValidationError("--series adds data to the JSON report; it needs --format json") }
        if xapiHome != XAPI.defaultHome && format != .xapi { throw ValidationError("--xapi-home names xAPI statements; it needs --format xapi") }
        if programme != nil && format != .html { throw ValidationError("--programme adds the benchmark and the trainee's history to the debrief page; it needs --format html") }
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
        var progressStore: (any ProgressStore)?
        if let store {
            do { progressStore = try openProgressStore(store) } catch { printError(error.description); throw ExitCode(2) }
        }
        var progression: Progression?
        if let programme {
            do { progression = try Programme.load(path: programme).progression(for: loaded.id) } catch { printError(error.description); throw ExitCode(2) }
        }
        let files = expandTraces(traces, scenarioPath: scenarioPath)
        if files.isEmpty { printError("no traces found in \(traces.joined(separator: " "))"); throw ExitCode(2) }
        if files.count == 1 && !isDirectory(traces[0]) && output == nil {
            try scoreOne(loaded, files[0], store: progressStore, rendering(progression))
        } else {
            try scoreMany(loaded, files, into: output ?? "reports", store: progressStore, rendering(progression))
        }
    }

    /// How each report is written.
    struct Rendering: Sendable {
        var format: Format
        var series: Bool
        var xapiHome: String
        /// With --programme: the scenario's benchmark and rule for the debrief.
        var progression: Progression?
    }

    func rendering(_ progression: Progression?) -> Rendering { Rendering(format: format, series: series, xapiHome: xapiHome, progression: progression) }

    /// The report of `trace` as the format asks; `store` (where the attempt was recorded) gives the debrief its history.
    static func render(_ r: Report, trace: String, _ how: Rendering, color: Bool, store: (any ProgressStore)? = nil) -> String {
        switch how.format {
        case .json: r.json(includeSeries: how.series)
        case .text: r.textSummary(color: color)
        case .html: r.debriefHTML(programme: debriefProgramme(r, trace: trace, how.progression, store: store))
        case .junit: JUnit.document(suite: r.context.scenarioID, cases: [r.junitCase(name: trace)])
        case .xapi: r.xapiJSON(home: how.xapiHome)
        }
    }

    private func scoreOne(_ scenario: Scenario, _ path: String, store progressStore: (any ProgressStore)?, _ rendering: Rendering) throws {
        var report: Report
        switch scoreTraceFile(scenario, tracePath: path, partial: partial, strict: strict) {
        case let .success(r): report = r
        case let .failure(e): printError(e.description); throw ExitCode(2)
        }
        for w in report.rescoringNotes { printError("\(path): warning: \(w)") }
        report.attempt = report.attempt.overridden(by: who.info)
        if let progressStore, let why = Self.record(report, path, in: progressStore) { printError(why); throw ExitCode(2) }
        print(Self.render(report, trace: path, rendering, color: isatty(STDOUT_FILENO) != 0, store: progressStore), terminator: "")
        if !report.inputComplete { printError("\(path): scored the intact part only; the report is marked incomplete") }
        if requirePass && !report.passed { throw ExitCode(1) }
    }

    /// The benchmark and (when the attempt is in `store`) history the debrief of `r` shows.
    static func debriefProgramme(_ r: Report, trace: String, _ progression: Progression?, store: (any ProgressStore)?) -> DebriefProgramme {
        let progression = progression ?? Progression()
        guard let store, let record = AttemptRecord(report: r, tracePath: trace),
              let attempts = try? store.attempts(trainee: record.trainee, scenario: record.scenarioID)
        else { return DebriefProgramme(benchmark: progression.benchmark) }
        return progression.debrief(record, among: attempts)
    }

    /// Records `r` (scored from `path`) in `store`; the reason when it could not be.
    static func record(_ r: Report, _ path: String, in store: any ProgressStore) -> String? {
        guard let attempt = AttemptRecord(report: r, tracePath: path) else {
            return "\(path): error: not recorded in the progress store: the trace names no trainee (give --trainee)"
        }
        do { try store.record(attempt) } catch { return "\(path): error: \(error.description)" }
        return nil
    }

    /// What became of one trace of a batch.
    private enum Outcome: Sendable {
        case scored(passed: Bool, score: Double, complete: Bool, duration: Double, errors: Int, critical: Int, junit: JUnit.TestCase)
        case notScored(String)
        case notWritten(String)
    }

    private func scoreMany(_ scenario: Scenario, _ files: [String], into folder: String, store progressStore: (any ProgressStore)?,
                           _ rendering: Rendering) throws {
        let reportPaths: [String]
        switch BatchLayout.reportPaths(traces: files, folder: folder, ext: format.fileExtension) {
        case let .success(p): reportPaths = p
        case let .failure(c): printError(c.description); throw ExitCode(2)
        }
        let summaries = ["\(folder)/summary.csv", "\(folder)/summary.json"] + (format == .junit ? ["\(folder)/summary.xml"] : [])
        // refuse before scoring anything: a batch must not stop half-way on a name that is taken
        if !force {
            var refused = false
            for t in reportPaths + summaries { do { try refuseExisting(t, force: false) } catch { refused = true } }
            if refused { throw ExitCode(2) }
        }
        for dir in Set(reportPaths.map { ($0 as NSString).deletingLastPathComponent } + [folder]).sorted() {
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                printError("\(dir): error: cannot create the folder: \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
        let log = ProgressLog(total: files.count, quiet: quiet)
        let (partial, strict, replace, who, store) = (self.partial, self.strict, force, self.who.info, progressStore)
        // each report is written the moment its trace is scored: a killed batch keeps what it finished
        let outcomes = BatchRunner.map(Array(zip(files, reportPaths))) { (path, reportPath) -> Outcome in
            switch scoreTraceFile(scenario, tracePath: path, partial: partial, strict: strict) {
            case var .success(r):
                for w in r.rescoringNotes { printError("\(path): warning: \(w)") }
                r.attempt = r.attempt.overridden(by: who)
                // recorded first, so that the debrief can show this attempt in the trainee's history; a crash
                // between the two leaves an attempt whose report a re-run (--force) writes, never a lost result
                if let store, let why = Self.record(r, path, in: store) {
                    log.finished(why, isError: true)
                    return .notWritten(why)
                }
                let text = Self.render(r, trace: path, rendering, color: false, store: store)
                do throws(OutputError) { try OutputFile.write(text, to: reportPath, replace: replace) } catch {
                    log.finished("\(reportPath): error: \(error.description)", isError: true)
                    return .notWritten(error.description)
                }
                let verdict = r.passed ? "passed" : "failed"
                log.finished("\(path): \(verdict), score \(String(format: "%.1f", r.score)) → \(reportPath)")
                let errors = r.evaluation.errors
                return .scored(passed: r.passed, score: r.score, complete: r.complete, duration: r.duration,
                               errors: errors.count, critical: errors.filter(\.critical).count, junit: r.junitCase(name: path))
            case let .failure(e):
                log.finished(e.description, isError: true)
                return .notScored(e.description)
            }
        }
        var table = SummaryTable(columns: ["trace", "status", "passed", "score", "complete", "duration_s", "errors", "critical_errors", "report"])
        var anyBad = false, anyFailed = false
        var cases: [JUnit.TestCase] = []
        for ((path, outcome), reportPath) in zip(zip(files, outcomes), reportPaths) {
            switch outcome {
            case let .scored(passed, score, complete, duration, errors, critical, junit):
                table.rows.append([.text(path), .text("scored"), .bool(passed), .number(score), .bool(complete),
                                   .number(duration), .number(Double(errors)), .number(Double(critical)), .text(reportPath)])
                if !passed { anyFailed = true }
                cases.append(junit)
            case let .notScored(why):
                anyBad = true
                table.rows.append([.text(path), .text("error"), .null, .null, .null, .null, .null, .null, .null])
                cases.append(JUnit.TestCase(name: path, classname: scenario.id, error: why))
            case let .notWritten(why):
                anyBad = true
                table.rows.append([.text(path), .text("not_written"), .null, .null, .null, .null, .null, .null, .null])
                cases.append(JUnit.TestCase(name: path, classname: scenario.id, error: why))
            }
        }
        let texts = [table.csv(), table.json()] + (format == .junit ? [JUnit.document(suite: scenario.id, cases: cases)] : [])
        for (summary, text) in zip(summaries, texts) {
            do { try OutputFile.write(text, to: summary, replace: replace) } catch {
                printError("\(summary): error: \(error.description)")
                anyBad = true
            }
        }
        print(table.csv(), terminator: "")
        if anyBad { throw ExitCode(2) }
        if requirePass && anyFailed { throw ExitCode(1) }
    }
}

/// Writes a result atomically; a failure is reported and exits 2, leaving no partial file. Without
/// `replace`, an existing file is refused (the caller's `--force` replaces it).
func writeOrExit(_ text: String, to path: String, replace: Bool) throws {
    do { try OutputFile.write(text, to: path, replace: replace) } catch {
        printError("\(path): error: \(error.description)")
        throw ExitCode(2)
    }
}

/// Refuses (exit 2) an output that exists unless `force`: checked before any work, so nothing is
/// computed for a result that could not be kept.
func refuseExisting(_ path: String, force: Bool) throws {
    guard !force, FileManager.default.fileExists(atPath: path) else { return }
    printError("\(path): error: the file exists; --force replaces it")
    throw ExitCode(2)
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
