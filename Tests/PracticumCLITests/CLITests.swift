import Foundation
import Testing
import PracticumTestSupport

/// Runs the built `practicum` binary and returns (exit code, stdout, stderr).
func practicum(_ args: [String], cwd: String = repositoryRoot()) throws -> (Int32, String, String) {
    let exe = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("practicum")
    let candidates = [exe.path, "\(repositoryRoot())/.build/debug/practicum"]
    guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw CLIError(message: "practicum binary not built; run swift build first")
    }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
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

    @Test func tracesWithTheSameNameGetDistinctReports() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let trace = repositoryRoot() + "/scenarios/cpr-adult/traces/do-nothing.trace"
        for sub in ["a", "b", "c"] {
            try FileManager.default.createDirectory(atPath: "\(dir)/\(sub)", withIntermediateDirectories: false)
            try FileManager.default.copyItem(atPath: trace, toPath: "\(dir)/\(sub)/summary.trace")
        }
        let (code, _, err) = try practicum(["score", "cpr-adult", "\(dir)/a/summary.trace", "\(dir)/b/summary.trace", "\(dir)/c",
                                           "--output", "\(dir)/out"])
        #expect(code == 0, "\(err)")
        let written = try FileManager.default.contentsOfDirectory(atPath: "\(dir)/out").sorted()
        #expect(written == ["summary-2.json", "summary-3.json", "summary-4.json", "summary.csv", "summary.json"])
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
        let exe = repositoryRoot() + "/.build/debug/practicum"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        // 4 blocks of 512 bytes: far less than a report
        p.arguments = ["-c", "ulimit -f 4; exec \"$0\" score cpr-adult scenarios/cpr-adult/traces/do-nothing.trace --output \"$1\"", exe, "\(dir)/r.json"]
        p.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot())
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
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
