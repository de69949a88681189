import Foundation
import Testing
import PracticumTestSupport

/// `practicum serve` as a real server, driven by the reference client (tools/live/client.py) as a
/// real peer. Skipped when tools/live/.venv is missing (tools/live/setup creates it; tools/test does).
let venvPython = repositoryRoot() + "/tools/live/.venv/bin/python"
let haveClient = FileManager.default.isExecutableFile(atPath: venvPython)
let haveBrowser = FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")

/// A running `practicum serve --port 0` with fixed tokens and its own data folder.
final class ServerProcess {
    let process = Process()
    let port: Int
    let data: String
    let token = "session-token-for-tests", observerToken = "observer-token-for-tests"
    private let stdout = Pipe(), stderr = Pipe()

    init(extra: [String] = [], scenarios: String? = nil) throws {
        data = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-serve-\(getpid())-\(UUID().uuidString.prefix(8))").path
        let exe = repositoryRoot() + "/.build/debug/practicum"
        guard FileManager.default.isExecutableFile(atPath: exe) else { throw ServerTestError("practicum not built") }
        process.executableURL = URL(fileURLWithPath: exe)
        process.arguments = ["serve", "--port", "0", "--data", data, "--token", token, "--observer-token", observerToken] + extra
        process.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot())
        process.standardOutput = stdout; process.standardError = stderr
        if let scenarios { process.environment = ProcessInfo.processInfo.environment.merging(["PRACTICUM_SCENARIOS": scenarios]) { $1 } }
        try process.run()
        // line 1 of standard output is the bound port
        var line: [UInt8] = []
        let handle = stdout.fileHandleForReading
        while true {
            let b = handle.readData(ofLength: 1)
            guard let c = b.first else { throw ServerTestError("the server exited before printing its port") }
            if c == 10 { break }
            line.append(c)
        }
        guard let p = Int(String(decoding: line, as: UTF8.self)) else { throw ServerTestError("line 1 is not a port: \(line)") }
        port = p
    }

    /// SIGTERM, then the exit status.
    func terminate() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate(); process.waitUntilExit() } }

    /// Starts the reference client streaming an idle pose to a `cpr-adult` session for `seconds`.
    func streamingClient(seconds: Int) throws -> Process {
        let client = Process()
        client.executableURL = URL(fileURLWithPath: venvPython)
        client.arguments = ["tools/live/client.py", "--url", "ws://127.0.0.1:\(port)/live", "--token", token,
                            "--scenario", "cpr-adult", "--duration", "\(seconds)"]
        client.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot())
        client.standardOutput = FileHandle.nullDevice; client.standardError = FileHandle.nullDevice
        try client.run()
        return client
    }

    /// Waits (at most 90 s) until the first trace has `n` frames on disk.
    func waitForRecordedFrames(_ n: Int) {
        func frames() -> Int {
            guard let t = try? traces().first, let text = try? String(contentsOfFile: t.trace, encoding: .utf8) else { return 0 }
            return text.components(separatedBy: "\nf ").count - 1
        }
        var waited = 0.0
        while waited < 90, frames() < n { usleep(200_000); waited += 0.2 }
    }

    /// Every trace the server wrote, each with its report.
    func traces() throws -> [(trace: String, report: String)] {
        try FileManager.default.contentsOfDirectory(atPath: data).filter { $0.hasSuffix(".trace") }.sorted().map {
            ("\(data)/\($0)", "\(data)/\($0.dropLast(6)).report.json")
        }
    }
}

struct ServerTestError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// A folder holding `live-drill/scenario.yaml`: needle decompression with an instructor-only
/// complication (`sudden_desaturation`) — the shipped scenarios stay as they are (their goldens pin them).
func drillScenarios() throws -> String {
    // a scenarios folder beside a link to the shared assets, as the scenario's meshes expect
    let dir = try ScenarioSandbox("drill").scenarios
    try FileManager.default.createDirectory(atPath: dir + "/live-drill", withIntermediateDirectories: true)
    var text = try String(contentsOfFile: repositoryRoot() + "/scenarios/needle-decompression/scenario.yaml", encoding: .utf8)
    text = text.replacingOccurrences(of: "\nid: needle-decompression\n", with: "\nid: live-drill\n")
    text = text.replacingOccurrences(of: "\nevents:\n", with: """

        events:
          - id: sudden_desaturation
            title: Sudden desaturation
            instructor: true
            do:
              - message: "The saturation falls suddenly: check the catheter."
              - set: {spo2: 80%}

        """)
    try text.write(toFile: dir + "/live-drill/scenario.yaml", atomically: true, encoding: .utf8)
    return dir
}

/// Runs a program to its end: (exit status, standard output, standard error).
func runTool(_ exe: String, _ args: [String]) throws -> (Int32, String, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = args
    p.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot())
    let out = Pipe(), err = Pipe()
    p.standardOutput = out; p.standardError = err
    try p.run()
    // read both pipes concurrently, so neither fills and blocks the child
    let errData = LockedData()
    let reader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
    reader.start()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    while !errData.done { usleep(10_000) }
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: errData.value, as: UTF8.self))
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data(), finished = false
    func set(_ d: Data) { lock.withLock { data = d; finished = true } }
    var done: Bool { lock.withLock { finished } }
    var value: Data { lock.withLock { data } }
}

/// Scores `trace` headlessly with the built binary and says whether the bytes equal `report`.
func rescoresIdentically(_ scenario: String, _ trace: String, _ report: String) throws -> Bool {
    let (code, out, err) = try runTool(repositoryRoot() + "/.build/debug/practicum", ["score", scenario, trace])
    guard code == 0 else { throw ServerTestError("practicum score \(trace): exit \(code): \(err)") }
    return Data(out.utf8) == FileManager.default.contents(atPath: report)
}

func jsonObject(_ text: String) throws -> [String: Any] {
    guard let o = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { throw ServerTestError("not a JSON object: \(text)") }
    return o
}

@Suite(.serialized, .enabled(if: haveClient, "tools/live/.venv is missing: run tools/live/setup"))
struct LiveServerTests {
    /// A front end streams the shipped expert trace of needle decompression at its 90 Hz; the
    /// procedure completes; the report the server wrote is byte for byte what scoring its trace gives.
    @Test func liveReportEqualsTheHeadlessScoreOfItsTrace() throws {
        let server = try ServerProcess()
        let (code, out, err) = try runTool(venvPython, [
            "tools/live/client.py", "--url", "ws://127.0.0.1:\(server.port)/live", "--token", server.token,
            "--scenario", "needle-decompression", "--trainee", "expert-live",
            "--trace", "scenarios/needle-decompression/traces/expert.trace"])
        #expect(code == 0, "\(out)\n\(err)")
        let summary = try jsonObject(out)
        let ended = try #require(summary["ended"] as? [String: Any], "\(out)")
        #expect(ended["reason"] as? String == "procedure ended")
        #expect(ended["passed"] as? Bool == true)
        #expect((summary["states"] as? Int ?? 0) > 1000)
        #expect(server.terminate() == 0)
        let files = try server.traces()
        #expect(files.count == 1)
        for f in files {
            #expect(try rescoresIdentically("needle-decompression", f.trace, f.report), "\(f.trace)")
            let text = try String(contentsOfFile: f.trace, encoding: .utf8)
            #expect(text.contains("meta trainee expert-live"))
        }
    }

    /// An instructor fires the scenario's instructor-only complication during a live session: the
    /// trace records it at its tick, and the headless score of the trace fires it at the same tick.
    @Test func anInstructorTriggerIsRecordedAndReplayed() throws {
        let scenarios = try drillScenarios()
        let server = try ServerProcess(scenarios: scenarios)
        let (code, out, err) = try runTool(venvPython, [
            "tools/live/client.py", "--url", "ws://127.0.0.1:\(server.port)/live", "--token", server.token,
            "--scenario", "live-drill", "--duration", "4", "--observer-token", server.observerToken,
            "--trigger", "sudden_desaturation", "--trigger-after", "1.5"])
        #expect(code == 0, "\(out)\n\(err)")
        let summary = try jsonObject(out)
        let tick = try #require(summary["trigger_fired_at_tick"] as? Int, "\(out)")
        #expect(server.terminate() == 0)
        let f = try #require(try server.traces().first)
        let text = try String(contentsOfFile: f.trace, encoding: .utf8)
        #expect(text.components(separatedBy: "instructor.sudden_desaturation").count == 2, "recorded in exactly one tick's input")
        #expect(try rescoresIdentically(scenarios + "/live-drill/scenario.yaml", f.trace, f.report))
        let report = try String(contentsOfFile: f.report, encoding: .utf8)
        #expect(report.contains("The saturation falls suddenly"), "the report has the event's message")
        #expect(tick > 0)
    }

    /// Garbage, oversized and implausible frames, bad JSON, wrong tokens, a killed front end, a
    /// front end faster than the tick, a slow observer and 200 idle connections, all beside a
    /// steady session that must keep running; then SIGTERM, and every trace scores to its report.
    @Test func faultsCloseOnlyTheirConnectionAndEveryTraceScores() throws {
        let server = try ServerProcess(extra: ["--grace", "1"])
        let (code, out, err) = try runTool(venvPython, [
            "tools/live/faults.py", "--port", "\(server.port)", "--token", server.token, "--observer-token", server.observerToken,
            "--idle", "200"])
        #expect(code == 0, "\(err)")
        let r = try jsonObject(out)
        func check(_ name: String, _ code: String) {
            let o = r[name] as? [String: Any]
            #expect(o?["error"] as? String == code, "\(name): \(String(describing: o))")
            #expect(o?["close_code"] as? Int == 1002, "\(name): \(String(describing: o))")
        }
        check("wrong_token", "unauthorized")
        check("observer_token_on_live", "unauthorized")
        check("no_hello", "unauthorized")
        check("wrong_protocol", "unauthorized")
        check("bad_json", "bad_message")
        check("garbage_frame", "bad_frame")
        check("oversized_frame", "bad_frame")
        check("non_unit_quaternion", "bad_frame")
        #expect((r["fast"] as? [String: Any])?["ended"] as? String == "ended by the front end")
        #expect((r["killed"] as? [String: Any])?["killed"] as? Bool == true)
        let reattach = r["reattach"] as? [String: Any]
        #expect(reattach?["attach_reply"] as? String == "started", "\(String(describing: reattach))")
        #expect(reattach?["ended"] as? String == "ended by the front end", "a session reattached within the grace period goes on")
        let steady = try #require(r["steady"] as? [String: Any])
        #expect(steady["ended"] as? String == "ended by the front end")
        #expect((steady["errors"] as? [Any])?.isEmpty == true)
        #expect((steady["states"] as? Int ?? 0) > 1000, "the steady session kept being served")
        #expect(((r["slow_observer"] as? [String: Any])?["dropped_frames"] as? Int ?? 0) > 0, "a slow observer's frames are dropped and counted")
        #expect(r["idle_opened"] as? Int == 200)
        #expect(r["idle_still_open"] as? Int == 200)
        #expect(server.terminate() == 0)
        let files = try server.traces()
        #expect(files.count == 7, "steady, garbage, oversized, quaternion, fast, killed and reattached")
        for f in files {
            #expect(FileManager.default.fileExists(atPath: f.report), "\(f.trace) has no report")
            #expect(try rescoresIdentically("cpr-adult", f.trace, f.report), "\(f.trace)")
        }
    }

    /// SIGTERM in the middle of a session: the server exits 0, the trace is complete (its `end`
    /// line) and its report was written.
    @Test func sigtermFinishesEverySession() throws {
        let server = try ServerProcess()
        let client = try server.streamingClient(seconds: 60)
        // wait until the session has run a while (its trace has frames on disk)
        server.waitForRecordedFrames(1)
        #expect(server.terminate() == 0)
        client.waitUntilExit()
        let files = try server.traces()
        #expect(files.count == 1)
        for f in files {
            let text = try String(contentsOfFile: f.trace, encoding: .utf8)
            #expect(text.split(separator: "\n").last?.hasPrefix("end ") == true)
            #expect(try rescoresIdentically("cpr-adult", f.trace, f.report))
        }
    }

    /// A server killed outright (SIGKILL) mid-session leaves a trace that reads up to its last
    /// flushed second: `practicum score --partial` scores that part and marks the report incomplete.
    @Test func aKilledServerLeavesATraceThatScoresUpToTheDamage() throws {
        let server = try ServerProcess()
        let client = try server.streamingClient(seconds: 60)
        // more than two seconds of frames on disk (flushed every second of session time)
        server.waitForRecordedFrames(480)
        kill(server.process.processIdentifier, SIGKILL)
        server.process.waitUntilExit()
        client.waitUntilExit()
        let f = try #require(try server.traces().first)
        #expect(!FileManager.default.fileExists(atPath: f.report), "no report: the server never ended the session")
        let (strict, _, strictErr) = try runTool(repositoryRoot() + "/.build/debug/practicum", ["score", "cpr-adult", f.trace])
        #expect(strict == 2 && strictErr.contains("truncated"), "\(strictErr)")
        let (code, out, err) = try runTool(repositoryRoot() + "/.build/debug/practicum", ["score", "cpr-adult", f.trace, "--partial"])
        #expect(code == 0, "\(err)")
        let report = try jsonObject(out)
        #expect(report["input_complete"] as? Bool == false)
        #expect((report["ticks"] as? Int ?? 0) >= 480)
    }

    /// The instructor page in headless Chromium (selenium + chromedriver): it lists the session,
    /// shows it progressing, and its trigger button fires the complication, which the trace records.
    @Test(.enabled(if: haveBrowser, "chromium and chromedriver are needed (tools/setup --deps installs them)"))
    func theObserverPageWatchesAndTriggersInARealBrowser() throws {
        let scenarios = try drillScenarios()
        let server = try ServerProcess(scenarios: scenarios)
        let shot = server.data + "-observer.png"
        let (code, out, err) = try runTool(venvPython, [
            "tools/live/observer_browser.py", "--port", "\(server.port)", "--token", server.token, "--observer-token", server.observerToken,
            "--scenario", "live-drill", "--event", "sudden_desaturation", "--duration", "12", "--screenshot", shot])
        #expect(code == 0, "\(out)\n\(err)")
        let r = try jsonObject(out)
        let ticks = try #require(r["ticks_seen"] as? [Int], "\(out)")
        #expect(ticks.count == 2 && ticks[1] > ticks[0], "the page shows the session progressing")
        #expect((r["steps"] as? [String])?.first == "active")
        #expect((r["fired"] as? String)?.contains("event fired sudden_desaturation") == true)
        #expect(r["canvas_nonblank"] as? Bool == true)
        #expect(FileManager.default.fileExists(atPath: shot))
        #expect(server.terminate() == 0)
        let f = try #require(try server.traces().first)
        let text = try String(contentsOfFile: f.trace, encoding: .utf8)
        #expect(text.contains("instructor.sudden_desaturation"), "the trace records the trigger")
        #expect(try rescoresIdentically(scenarios + "/live-drill/scenario.yaml", f.trace, f.report))
    }
}
