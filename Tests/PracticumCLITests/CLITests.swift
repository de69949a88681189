import Foundation
import Testing
import PracticumCore
import PracticumTestSupport
import PracticumScoring

/// The built `practicum` binary.
func practicumPath() throws -> String {
    let exe = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("practicum")
    let candidates = [exe.path, "\(repositoryRoot())/.build/debug/practicum"]
    guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw CLIError(message: "practicum binary not built; run swift build first")
    }
    return path
}

/// Runs the built `practicum` binary and returns (exit code, stdout, stderr).
func practicum(_ args: [String], cwd: String = repositoryRoot(), environment: [String: String]? = nil) throws -> (Int32, String, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: try practicumPath())
    if let environment { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    p.arguments = args
    p.currentDirectoryURL = URL(fileURLWithPath: cwd)
    let out = Pipe(), err = Pipe()
    p.standardOutput = out; p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

struct CLIError: Error { var message: String }

@Suite struct ValidateCLITests {
    @Test func validScenarioExitsZero() throws {
        let (code, out, err) = try practicum(["validate", "scenarios/iv-cannulation/scenario.yaml"])
        #expect(code == 0, "\(err)")
        #expect(out.hasPrefix("scenarios/iv-cannulation/scenario.yaml: ok — iv-cannulation v1.0.0"))
    }

    @Test func shippedIdIsAccepted() throws {
        let (code, _, _) = try practicum(["validate", "iv-cannulation"])
        #expect(code == 0)
    }

    @Test func invalidScenarioExitsOneWithCompilerStyleLines() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-cli-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("bad.yaml")
        try "id: bad\ntitle: Bad\nversion: 1\nscene: {}\nprocedure:\n  steps:\n    - {id: s, title: S, complete_when: \"2mm > 5s\"}\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let (code, _, err) = try practicum(["validate", file.path, "scenarios/iv-cannulation/scenario.yaml"])
        #expect(code == 1)
        #expect(err.contains("\(file.path):7:47: error: cannot compare or combine a length with a time using '>' (at procedure.steps[0].complete_when)"), "\(err)")
        let (jcode, json, _) = try practicum(["validate", "--format", "json", file.path])
        #expect(jcode == 1)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        let diag = (parsed?.first?["diagnostics"] as? [[String: Any]])?.first
        #expect(diag?["line"] as? Int == 7 && diag?["column"] as? Int == 47 && diag?["severity"] as? String == "error")
    }

    @Test func warningsArePrintedAndValidationStillPasses() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-cli-warn-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("warn.yaml")
        try """
        id: warn
        title: Warn
        version: 1
        scene:
          bodies:
            - {id: ball, kind: dynamic, shape: {sphere: {radius: 1cm}}}
        procedure:
          steps:
            - {id: s, title: S, complete_when: 'button("done")'}
        events:
          - {id: e, when: 'button("x")', debounce: 1s, do: [{message: hi}]}

        """.write(to: file, atomically: true, encoding: .utf8)
        let (code, out, err) = try practicum(["validate", file.path])
        #expect(code == 0, "\(err)")
        #expect(err == """
        \(file.path):6:7: warning: dynamic body 'ball' falls under gravity, and no static body (a floor, table or patient) lies below it to land on; add one, or make the body static (at scene.bodies[0])
        \(file.path):11:44: warning: debounce has no effect on an event that fires once; add 'once: false' or remove it (at events[0].debounce)

        """)
        #expect(out.hasSuffix("ok — warn v1: 1 step, 1 event, 0 metrics, 0 rubric errors, 2 warnings\n"), "\(out)")
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try practicum(["validate"]).0 == 2)
        #expect(try practicum(["validate", "--format", "xml", "x.yaml"]).0 == 2)
        #expect(try practicum(["no-such-command"]).0 == 2)
    }

    @Test func missingFileIsInvalidNotACrash() throws {
        let (code, _, err) = try practicum(["validate", "nope/none.yaml"])
        #expect(code == 1)
        #expect(err.contains("nope/none.yaml:1:1: error: no such file"))
    }

    @Test func helpListsCommands() throws {
        let (code, out, _) = try practicum(["--help"])
        #expect(code == 0)
        for cmd in ["validate", "graph"] { #expect(out.contains(cmd)) }
    }
}

@Suite struct GraphCLITests {
    @Test func printsMermaid() throws {
        let (code, out, _) = try practicum(["graph", "docs/examples/step-flow.yaml"])
        #expect(code == 0)
        #expect(out.hasPrefix("flowchart TD\n"))
        #expect(out.contains("-.->|any|"))
    }
}

/// Results are never overwritten or lost: batch report names are unique, and a write that fails
/// leaves no partial file and exits 2.
@Suite struct OutputCLITests {
    func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-out-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func reportsMirrorTheTracePathsSoNoneCollides() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let trace = repositoryRoot() + "/scenarios/cpr-adult/traces/idle-quit.trace"
        for sub in ["a", "b", "c/d"] {
            try FileManager.default.createDirectory(atPath: "\(dir)/in/\(sub)", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: trace, toPath: "\(dir)/in/\(sub)/summary.trace")
        }
        let (code, out, err) = try practicum(["score", "cpr-adult", "\(dir)/in/a/summary.trace", "\(dir)/in/b/summary.trace", "\(dir)/in/c/d",
                                              "--output", "\(dir)/out", "--quiet"])
        #expect(code == 0, "\(err)")
        #expect(err.isEmpty)
        let written = try FileManager.default.subpathsOfDirectory(atPath: "\(dir)/out").sorted()
        #expect(written == ["a", "a/summary.report.json", "b", "b/summary.report.json", "c", "c/d", "c/d/summary.report.json",
                            "summary.csv", "summary.json"])
        #expect(out.hasPrefix("trace,status,passed,score,complete,duration_s,errors,critical_errors,report\n\(dir)/in/a/summary.trace,scored,false,"))
        let golden = try String(contentsOfFile: trace.replacingOccurrences(of: ".trace", with: ".report.json"), encoding: .utf8)
        #expect(try String(contentsOfFile: "\(dir)/out/c/d/summary.report.json", encoding: .utf8) == golden)
    }

    @Test func outputMeansAFolderForOneTraceAsForMany() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (code, _, err) = try practicum(["score", "cpr-adult", "scenarios/cpr-adult/traces/idle-quit.trace", "-o", "\(dir)/one"])
        #expect(code == 0, "\(err)")
        #expect(err == "[1/1] scenarios/cpr-adult/traces/idle-quit.trace: failed, score 0.0 → \(dir)/one/idle-quit.report.json\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(dir)/one").sorted() == ["idle-quit.report.json", "summary.csv", "summary.json"])
    }

    @Test func nothingIsReplacedWithoutForce() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: "\(dir)/out", withIntermediateDirectories: false)
        try "mine\n".write(toFile: "\(dir)/out/summary.csv", atomically: true, encoding: .utf8)
        let args = ["score", "cpr-adult", "scenarios/cpr-adult/traces/idle-quit.trace", "-o", "\(dir)/out", "--quiet"]
        let (code, out, err) = try practicum(args)
        #expect(code == 2)
        #expect(out.isEmpty)
        #expect(err == "\(dir)/out/summary.csv: error: the file exists; --force replaces it\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(dir)/out") == ["summary.csv"])
        #expect(try String(contentsOfFile: "\(dir)/out/summary.csv", encoding: .utf8) == "mine\n")
        let (forced, _, ferr) = try practicum(args + ["--force"])
        #expect(forced == 0, "\(ferr)")
        #expect(try String(contentsOfFile: "\(dir)/out/summary.csv", encoding: .utf8).hasPrefix("trace,status,"))
    }

    @Test func aTraceGivenTwiceIsRefusedBeforeScoring() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = "scenarios/cpr-adult/traces/idle-quit.trace"
        let (code, _, err) = try practicum(["score", "cpr-adult", t, "./" + t, "-o", "\(dir)/out"])
        #expect(code == 2)
        #expect(err == "./\(t): error: the trace is given twice\n")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/out"))
    }

    /// A batch killed with SIGKILL at seeded random moments keeps every report it said it finished,
    /// each whole and equal to the golden bytes, and no other file under a report's name.
    @Test func aKilledBatchKeepsEveryFinishedReport() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let trace = repositoryRoot() + "/scenarios/cpr-adult/traces/idle-quit.trace"
        let golden = try Data(contentsOf: URL(fileURLWithPath: trace.replacingOccurrences(of: ".trace", with: ".report.json")))
        try FileManager.default.createDirectory(atPath: "\(dir)/in", withIntermediateDirectories: false)
        for i in 0..<12 { try FileManager.default.copyItem(atPath: trace, toPath: "\(dir)/in/t\(i).trace") }
        var rng = SeededRandom(seed: 17)
        var kept: [Int] = []
        for round in 0..<5 {
            let out = "\(dir)/out\(round)"
            let log = "\(dir)/log\(round)"
            FileManager.default.createFile(atPath: log, contents: nil)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: try practicumPath())
            p.arguments = ["score", "cpr-adult", "\(dir)/in", "-o", out]
            p.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot())
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle(forWritingAtPath: log)
            try p.run()
            // up to 4 s: most rounds end mid-batch, some before the first report
            usleep(UInt32(rng.next() % 4_000_000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
            let finished = lines.compactMap { $0.components(separatedBy: " → ").last }
            #expect(finished.count == lines.count, "\(lines)")
            for r in finished { #expect(FileManager.default.contents(atPath: r) == golden, "\(r)") }
            let reports = ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).filter { !$0.hasPrefix(".") }
            for r in reports where r.hasSuffix(".report.json") {
                #expect(FileManager.default.contents(atPath: "\(out)/\(r)") == golden, "\(r)")
            }
            // a report is written before its line: at most the reports in flight lack one
            #expect(reports.filter { $0.hasSuffix(".report.json") }.count >= finished.count)
            kept.append(finished.count)
        }
        #expect(kept.contains { $0 > 0 && $0 < 12 }, "\(kept)")
    }

    @Test func anUnwritableReportExitsTwoAndLeavesNothing() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "not a folder".write(toFile: "\(dir)/file", atomically: true, encoding: .utf8)
        let (code, out, err) = try practicum(["score", "cpr-adult", "scenarios/cpr-adult/traces/do-nothing.trace", "--output", "\(dir)/file/report.json"])
        #expect(code == 2)
        #expect(out.isEmpty)
        #expect(err.hasPrefix("\(dir)/file/report.json: error: "), "\(err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["file"])
    }

    @Test func aWriteCutShortByAFileSizeLimitLeavesNoPartialReport() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let exe = try practicumPath()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        // 4 blocks of 512 bytes: far less than a report
        p.arguments = ["-c", "ulimit -f 4; exec \"$0\" score cpr-adult scenarios/cpr-adult/traces/do-nothing.trace --output \"$1\"", exe, "\(dir)/out"]
        p.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot())
        p.standardError = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 2)
        // the summaries are small enough to be written; the report is not there, whole or in part
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(dir)/out").sorted() == ["summary.csv", "summary.json"])
    }

    @Test func synthRefusesAHostileScriptWithoutWriting() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = "scenario: {id: demo, version: 1}\nhands:\n  right:\n    motion:\n      - hold: 1e-300s\n      - hold: 9000s\n"
        try script.write(toFile: "\(dir)/s.yaml", atomically: true, encoding: .utf8)
        let (code, _, err) = try practicum(["synth", "\(dir)/s.yaml", "--output", "\(dir)/s.trace"])
        #expect(code == 1)
        #expect(err == "\(dir)/s.yaml:6:15: error: hands.right.motion[1].hold: must be at most 7200 s\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["s.yaml"])
    }
}

@Suite struct BenchmarkCLITests {
    /// One expert run still gives a benchmark file, with a warning that it means little.
    @Test func tooFewExpertsIsAWarning() throws {
        let (code, out, err) = try practicum(["benchmark", "cpr-adult", "scenarios/cpr-adult/traces/expert.trace"])
        #expect(code == 0, "\(err)")
        #expect(err == "practicum benchmark: warning: 1 expert run is too few for a meaningful benchmark; use at least 3 "
                + "(with fewer the standard deviation says nothing and the 1.96 SD rule cannot exclude an outlier)\n")
        #expect(!out.isEmpty)
        let (code3, _, err3) = try practicum(["benchmark", "cpr-adult", "scenarios/cpr-adult/traces/expert.trace",
                                              "scenarios/cpr-adult/traces/novice-slow.trace", "scenarios/cpr-adult/traces/novice-fast.trace"])
        #expect(code3 == 0 && err3.isEmpty, "\(err3)")
    }
}

/// Every subcommand exits 0 (success), 1 (invalid input or a failed check) or 2 (usage error,
/// unreadable or unusable input, unwritable output), as `practicum --help` documents.
@Suite struct ExitCodeCLITests {
    @Test func graphExitsZeroOneOrTwo() throws {
        #expect(try practicum(["graph", "cpr-adult"]).0 == 0)
        let (code, out, err) = try practicum(["graph", "nope/none.yaml"])
        #expect(code == 1 && out.isEmpty)
        #expect(err.hasPrefix("nope/none.yaml:1:1: error: no such file"), "\(err)")
        #expect(try practicum(["graph"]).0 == 2)
        #expect(try practicum(["graph", "a.yaml", "b.yaml"]).0 == 2)
    }

    @Test func benchmarkExitsTwoOnAnUnusableInput() throws {
        let (code, out, err) = try practicum(["benchmark", "cpr-adult", "nope.trace"])
        #expect(code == 2 && out.isEmpty)
        #expect(err == "practicum benchmark: nope.trace: cannot read: no such file\n", "\(err)")
        let (scode, _, serr) = try practicum(["benchmark", "nope/none.yaml", "scenarios/cpr-adult/traces/expert.trace"])
        #expect(scode == 2)
        #expect(serr.hasPrefix("nope/none.yaml:1:1: error: no such file"), "\(serr)")
        let (wcode, _, werr) = try practicum(["benchmark", "cpr-adult", "scenarios/cpr-adult/traces/idle-quit.trace",
                                              "-o", "/nonexistent-folder/b.json"])
        #expect(wcode == 2)
        #expect(werr.hasSuffix("/nonexistent-folder/b.json: error: cannot write /nonexistent-folder/b.json: No such file or directory\n"), "\(werr)")
        #expect(try practicum(["benchmark", "cpr-adult"]).0 == 2)
    }

    @Test func scoreExitsOneOnlyForAFailedCheck() throws {
        let t = "scenarios/cpr-adult/traces/idle-quit.trace"
        #expect(try practicum(["score", "cpr-adult", t]).0 == 0)
        #expect(try practicum(["score", "cpr-adult", t, "--require-pass"]).0 == 1)
        #expect(try practicum(["score", "iv-cannulation", t]).0 == 2)
        #expect(try practicum(["score", "cpr-adult"]).0 == 2)
    }
}

/// `synth`, `score` and `run --record` set who and when; the report carries them in `session` and is
/// otherwise the same bytes.
@Suite struct AttemptCLITests {
    @Test func whoAndWhenChangeOnlyTheSessionBlock() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-who-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = "scenarios/cpr-adult/traces/idle-quit.yaml"
        let (s1, _, e1) = try practicum(["synth", script, "--scenario", "cpr-adult", "-o", "\(dir)/a.trace",
                                         "--trainee", "t-7", "--attempt", "2", "--started", "2026-12-03T09:30:00Z"])
        #expect(s1 == 0, "\(e1)")
        let (_, a, _) = try practicum(["score", "cpr-adult", "\(dir)/a.trace"])
        let (_, b, _) = try practicum(["score", "cpr-adult", "scenarios/cpr-adult/traces/idle-quit.trace", "--trainee", "t-7", "--attempt", "2",
                                       "--started", "2026-12-03T09:30:00Z"])
        #expect(a == b)
        #expect(a.hasSuffix("""
          "session": {
            "trainee": "t-7",
            "attempt": "2",
            "started": "2026-12-03T09:30:00Z"
          }
        }

        """))
        let golden = try String(contentsOfFile: "scenarios/cpr-adult/traces/idle-quit.report.json", encoding: .utf8)
        func scored(_ s: String) -> String { String(s[..<s.range(of: "\n  \"session\"")!.lowerBound]) }
        #expect(scored(a) == scored(golden))
        let (bad, _, err) = try practicum(["score", "cpr-adult", "scenarios/cpr-adult/traces/idle-quit.trace", "--started", "03/12/2026"])
        #expect(bad == 2)
        #expect(err.hasPrefix("Error: --started must be an ISO 8601 time with a zone, e.g. 2026-12-03T09:30:00Z\n"), "\(err)")
        #expect(try practicum(["run", "cpr-adult", "--trainee", "t-7"]).0 == 2)
    }
}

/// `--format junit` and `--format xapi` from the command line, read back by what reads them.
@Suite struct InteropCLITests {
    @Test func aJUnitBatchHasOneCasePerTraceAndASummary() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-junit-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (code, _, err) = try practicum(["score", "cpr-adult", "expert", "idle-quit", "scenarios/cpr-adult/traces/nope.trace", "--format", "junit", "-o", dir, "--quiet"])
        #expect(code == 2)
        #expect(err == "scenarios/cpr-adult/traces/nope.trace: cannot read: no such file\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
                == ["expert.report.xml", "idle-quit.report.xml", "summary.csv", "summary.json", "summary.xml"])
        let summary = try String(contentsOfFile: "\(dir)/summary.xml", encoding: .utf8)
        #expect(summary.contains("<testsuites name=\"practicum\" tests=\"3\" failures=\"1\" errors=\"1\" time=\"70.50416666666666\">"), "\(summary)")
        #expect(summary.contains("<error message=\"scenarios/cpr-adult/traces/nope.trace: cannot read: no such file\" type=\"not_scored\"/>"))
        let one = try String(contentsOfFile: "\(dir)/idle-quit.report.xml", encoding: .utf8)
        #expect(one.contains("<failure message=\"score 0 is below 80; required steps not done: Check for a response, "))
    }

    @Test func xapiFromTheCommandLineMatchesTheSpecSchema() throws {
        let schema = try JSONSchema(contentsOf: "\(repositoryRoot())/docs/xapi-statement.schema.json")
        let (code, out, err) = try practicum(["score", "cpr-adult", "expert", "--format", "xapi", "--xapi-home", "https://lms.example.edu/sim/",
                                              "--trainee", "t-7", "--started", "2026-12-03T09:30:00Z"])
        #expect(code == 0, "\(err)")
        let statements = try #require(try JSON.parse(out).array)
        #expect(statements.map { $0["verb"]?["display"]?["en-US"]?.string ?? "" } == ["completed", "passed"])
        for s in statements { #expect(schema.problems(s.serialized()) == []) }
        #expect(statements[1]["object"]?["id"]?.string == "https://lms.example.edu/sim/scenarios/cpr-adult")
        #expect(try practicum(["score", "cpr-adult", "expert", "--xapi-home", "https://x.org"]).0 == 2)
    }
}

/// Re-scoring against a changed scene warns on standard error, or with --strict refuses; a
/// rubric-only change is clean.
@Suite struct RescoringCLITests {
    @Test func aChangedSceneWarnsAndStrictRefuses() throws {
        let sandbox = try ScenarioSandbox("rescore")
        defer { sandbox.remove() }
        let dir = "\(sandbox.scenarios)/s"
        let original = try String(contentsOfFile: "scenarios/cpr-adult/scenario.yaml", encoding: .utf8)
        try sandbox.write(original, as: "s")
        #expect(try practicum(["synth", "scenarios/cpr-adult/traces/idle-quit.yaml", "--scenario", "\(dir)/scenario.yaml", "-o", "\(dir)/t.trace"]).0 == 0)
        try original.replacingOccurrences(of: "stiffness: 1500N/m", with: "stiffness: 3000N/m").write(toFile: "\(dir)/scenario.yaml", atomically: true, encoding: .utf8)
        let (code, out, err) = try practicum(["score", "\(dir)/scenario.yaml", "\(dir)/t.trace"])
        #expect(code == 0)
        // the content hash the trace recorded: that of the file as it was when synthesised
        let then = StateHash.of(bytes: Array(original.utf8)).hex
        #expect(err.hasPrefix("\(dir)/t.trace: warning: the scene or physics of 'cpr-adult' changed since this trace was recorded (content hash \(then) then, "), "\(err)")
        #expect(out.contains("\"changed_since_recording\": [\n      \"scene\"\n    ]"))
        let (strict, sout, serr) = try practicum(["score", "\(dir)/scenario.yaml", "\(dir)/t.trace", "--strict"])
        #expect(strict == 2 && sout.isEmpty)
        #expect(serr.hasPrefix("\(dir)/t.trace: error: the scene or physics of 'cpr-adult' changed") && serr.hasSuffix(" (--strict)\n"), "\(serr)")
        try original.replacingOccurrences(of: "weight: 18", with: "weight: 20").write(toFile: "\(dir)/scenario.yaml", atomically: true, encoding: .utf8)
        let (clean, cout, cerr) = try practicum(["score", "\(dir)/scenario.yaml", "\(dir)/t.trace", "--strict"])
        #expect(clean == 0 && cerr.isEmpty, "\(cerr)")
        #expect(cout.contains("\"changed_since_recording\": [\n      \"rubric\"\n    ]"))
    }
}

@Suite struct SearchPathCLITests {
    @Test func shippedIdsResolveFromAnyDirectory() throws {
        let elsewhere = FileManager.default.temporaryDirectory.path
        let (code, out, err) = try practicum(["validate", "cpr-adult"], cwd: elsewhere)
        #expect(code == 0, "\(err)")
        #expect(out.hasPrefix("\(repositoryRoot())/scenarios/cpr-adult/scenario.yaml: ok — cpr-adult v1.0"), "\(out)")
        #expect(try practicum(["score", "cpr-adult", "idle-quit"], cwd: elsewhere).0 == 0)
        // PRACTICUM_SCENARIOS comes first
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-ids-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: "\(dir)/cpr-adult", withIntermediateDirectories: true)
        try "id: mine\n".write(toFile: "\(dir)/cpr-adult/scenario.yaml", atomically: true, encoding: .utf8)
        let (mine, _, merr) = try practicum(["validate", "cpr-adult"], cwd: elsewhere, environment: ["PRACTICUM_SCENARIOS": dir])
        #expect(mine == 1)
        #expect(merr.hasPrefix("\(dir)/cpr-adult/scenario.yaml:"), "\(merr)")
    }
}

/// `score --store` records attempts; `progress` and `cohort` read them back.
@Suite struct ProgressCLITests {
    @Test func scoredAttemptsShowAsHistoryAndProficiency() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-progress-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = "sqlite:\(dir)/p.db"
        for (i, trace) in ["idle-quit", "expert", "expert"].enumerated() {
            let (code, _, err) = try practicum(["score", "cpr-adult", trace, "--store", store, "--trainee", "t-1", "--attempt", "\(i + 1)",
                                                "--started", "2026-12-0\(i + 1)T09:00:00Z"])
            #expect(code == 0, "\(err)")
        }
        try "scenarios:\n  cpr-adult:\n    rule: {consecutive: 2, total: 2}\n".write(toFile: "\(dir)/programme.yaml", atomically: true, encoding: .utf8)
        let (code, out, err) = try practicum(["progress", "t-1", "--store", store, "--programme", "\(dir)/programme.yaml", "--require-proficient"])
        #expect(code == 0, "\(err)")
        #expect(out == """
        t-1 at cpr-adult: proficient since attempt 3 (benchmark met on 2 consecutive attempts and 2 in total, at most 0 critical errors)
          #  attempt  started               score  passed  critical  qualifies
          1  1        2026-12-01T09:00:00Z    0.0  no             0  no: did not pass
          2  2        2026-12-02T09:00:00Z  100.0  yes            0  yes
          3  3        2026-12-03T09:00:00Z  100.0  yes            0  yes

        """)
        #expect(try practicum(["progress", "t-1", "--store", store, "--require-proficient"]).0 == 1)
        let (ccode, cohort, _) = try practicum(["cohort", "cpr-adult", "--store", store, "--programme", "\(dir)/programme.yaml"])
        #expect(ccode == 0)
        #expect(cohort == "trainee\tscenario\tattempts\tproficient_at\tscores\nt-1\tcpr-adult\t3\t3\t0 100 100\n")
        let (bad, _, berr) = try practicum(["progress", "t-1", "--store", "postgres://nobody@127.0.0.1:1/none"])
        #expect(bad == 2)
        #expect(berr.hasPrefix("postgres://nobody@127.0.0.1:1/none: cannot connect to the progress store: "), "\(berr)")
    }
}

/// The debrief page of `score --format html --programme FILE [--store URL]`: each benchmarked metric
/// beside the expert benchmark, and the attempt's place in the trainee's history; the JSON report
/// is the same bytes with or without the programme and the store.
@Suite struct DebriefProgrammeCLITests {
    @Test func theDebriefShowsTheBenchmarkAndTheAttemptsPlaceInTheHistory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-debrief-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let expert = "scenarios/cpr-adult/traces/expert.trace"
        let (b, _, berr) = try practicum(["benchmark", "cpr-adult", expert, expert, expert, "-o", "\(dir)/bench.json"])
        #expect(b == 0, "\(berr)")
        try "scenarios:\n  cpr-adult:\n    benchmark: bench.json\n    rule: {consecutive: 2, total: 3}\n"
            .write(toFile: "\(dir)/programme.yaml", atomically: true, encoding: .utf8)
        let store = "sqlite:\(dir)/p.db"
        var pages: [String] = []
        for (i, trace) in ["novice-slow", "expert", "novice-shallow"].enumerated() {
            let (code, out, err) = try practicum(["score", "cpr-adult", trace, "--format", "html", "--programme", "\(dir)/programme.yaml",
                                                  "--store", store, "--trainee", "t-9", "--attempt", "\(i + 1)",
                                                  "--started", "2026-12-0\(i + 1)T09:00:00Z"])
            #expect(code == 0, "\(err)")
            pages.append(out)
        }
        let third = pages[2]
        #expect(third.contains("<h2>t-9's progress at this procedure</h2>"))
        #expect(third.contains("<span class=\"kv\">Attempt <b>3</b> of 3</span><span class=\"kv\">Qualifying so far <b>1</b> of 3 needed</span>"
                               + "<span class=\"kv\">In a row <b>0</b> of 2 needed</span><span class=\"kv\"><b>Not yet proficient</b></span>"))
        #expect(third.contains("<span class=\"no\">This attempt does not qualify:</span> depth 4.163 cm outside the target; "
                               + "longest_pause 0.4833 s, benchmark ≤ 0.4708 s</p>"), "\(third)")
        #expect(third.contains("<h2>Metrics against targets and the expert benchmark</h2>"))
        #expect(third.contains("<td class=\"num\" title=\"mean of 3 of 3 expert runs, SD 0 cm\">5.504 cm</td><td><span class=\"no\">✗ short of it</span></td>"))
        #expect(third.contains("<td class=\"num\" title=\"mean of 3 of 3 expert runs, SD 0 /min\">110 /min</td><td><span class=\"ok\">✓ as good</span></td>"))
        #expect(third.contains("<title>this attempt</title>"))
        #expect(pages[1].contains("<span class=\"ok\">This attempt qualifies.</span>"))
        // the first attempt's page was written before the others existed: attempt 1 of 1, no curve
        #expect(pages[0].contains("Attempt <b>1</b> of 1") && !pages[0].contains("<title>this attempt</title>"))
        // without a store: the benchmark, no history; without a programme: neither
        let (_, benchOnly, _) = try practicum(["score", "cpr-adult", "novice-shallow", "--format", "html", "--programme", "\(dir)/programme.yaml"])
        #expect(benchOnly.contains("Expert benchmark") && !benchOnly.contains("progress at this procedure"))
        let (_, plain, _) = try practicum(["score", "cpr-adult", "novice-shallow", "--format", "html"])
        #expect(!plain.contains("Expert benchmark") && !plain.contains("progress at this procedure"))
        // the scored report does not depend on the store
        let who = ["--trainee", "t-9", "--attempt", "3", "--started", "2026-12-03T09:00:00Z"]
        let (_, stored, _) = try practicum(["score", "cpr-adult", "novice-shallow", "--store", store] + who)
        let (_, unstored, _) = try practicum(["score", "cpr-adult", "novice-shallow"] + who)
        #expect(stored == unstored && stored.contains("\"trainee\": \"t-9\""))
        let (bad, _, err) = try practicum(["score", "cpr-adult", "novice-shallow", "--programme", "\(dir)/programme.yaml"])
        #expect(bad == 2 && err.contains("--programme adds the benchmark and the trainee's history to the debrief page; it needs --format html"), "\(err)")
    }
}

/// `synth` and `benchmark -o` never replace a file without --force, and refuse before doing the work.
@Suite struct NoOverwriteCLITests {
    @Test func synthAndBenchmarkRefuseAnExistingOutputWithoutForce() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-force-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = "scenarios/cpr-adult/traces/idle-quit.yaml"
        for (out, args) in [("\(dir)/t.trace", ["synth", script, "-o", "\(dir)/t.trace"]),
                            ("\(dir)/b.json", ["benchmark", "cpr-adult", "scenarios/cpr-adult/traces/expert.trace", "-o", "\(dir)/b.json"])] {
            try "keep me".write(toFile: out, atomically: true, encoding: .utf8)
            let (code, stdout, err) = try practicum(args)
            #expect(code == 2 && stdout.isEmpty)
            #expect(err == "\(out): error: the file exists; --force replaces it\n", "\(err)")
            #expect(try String(contentsOfFile: out, encoding: .utf8) == "keep me")
            let (forced, _, ferr) = try practicum(args + ["--force"])
            #expect(forced == 0, "\(ferr)")
            #expect(try String(contentsOfFile: out, encoding: .utf8) != "keep me")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["b.json", "t.trace"])
    }
}

/// Seeded variation end to end: the trace's `meta seed` draws the case; the report says what was drawn.
@Suite struct VariationCLITests {
    @Test func theTracesSeedDrawsTheCaseAndTheReportSaysWhat() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-variation-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        id: varied
        title: Varied
        version: "1"
        scene:
          bodies:
            - {id: probe, kind: instrument, shape: {sphere: {radius: 1cm}}}
        variables:
          - {id: hr, title: Heart rate, unit: bpm, initial: {choice: [60bpm, 120bpm]}}
        procedure:
          steps:
            - {id: wait, title: Wait, complete_when: 'time > 0.5s'}
        events:
          - {id: bleed, at: 0.1s, probability: 50%, do: [{message: bleeding}]}

        """.write(toFile: "\(dir)/scenario.yaml", atomically: true, encoding: .utf8)
        var reports: [String] = []
        for seed in ["1", "1", "2"] {
            try "scenario: {id: varied}\nduration: 1s\nmetadata: {seed: \(seed)}\n".write(toFile: "\(dir)/m.yaml", atomically: true, encoding: .utf8)
            #expect(try practicum(["synth", "\(dir)/m.yaml", "--scenario", "\(dir)/scenario.yaml", "-o", "\(dir)/t.trace", "--force"]).0 == 0)
            let (code, out, err) = try practicum(["score", "\(dir)/scenario.yaml", "\(dir)/t.trace"])
            #expect(code == 0, "\(err)")
            reports.append(out)
        }
        #expect(reports[0] == reports[1])
        // seed 1 drew 120 bpm (2 Hz) and left the bleed unarmed
        #expect(reports[0].contains("  \"variation\": {\n    \"seed\": \"1\",\n    \"values\": {\n      \"hr\": 2\n    },\n    \"events_armed\": {\n      \"bleed\": false\n    }\n  },"), "\(reports[0])")
        #expect(reports[2].contains("  \"variation\": {\n    \"seed\": \"2\","))
        try "scenario: {id: varied}\nduration: 1s\nmetadata: {seed: lucky}\n".write(toFile: "\(dir)/m.yaml", atomically: true, encoding: .utf8)
        #expect(try practicum(["synth", "\(dir)/m.yaml", "--scenario", "\(dir)/scenario.yaml", "-o", "\(dir)/t.trace", "--force"]).0 == 0)
        let (bad, _, err) = try practicum(["score", "\(dir)/scenario.yaml", "\(dir)/t.trace"])
        #expect(bad == 2)
        #expect(err.contains("the trace's seed 'lucky' is not a whole number from 0 to 18446744073709551615"), "\(err)")
        // a fixed scenario's report has no variation block
        let (_, fixed, _) = try practicum(["score", "cpr-adult", "idle-quit"])
        #expect(!fixed.contains("\"variation\""))
    }
}
