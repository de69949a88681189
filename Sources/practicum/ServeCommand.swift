import ArgumentParser
import Foundation
import PracticumServer
import PracticumSession

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run live sessions for headset front ends and instructors over WebSocket.",
        discussion: """
        A front end (a headset app, or tools/live/client.py) connects to ws://HOST:PORT/live, says \
        hello with the session token, starts a session of a scenario for a trainee, streams hand poses, \
        grips and buttons, and receives the state to draw after every tick (docs/live-protocol.md). \
        Each session runs at its scenario's fixed tick and is recorded from the first tick as a trace \
        in the data folder; when it ends its report is written beside it (.report.json), the same bytes \
        `practicum score SCENARIO TRACE` gives for that trace. No existing file is ever replaced. \
        Instructors open http://HOST:PORT/ (observer token): the live sessions, a session's steps, \
        vitals and events as they happen, a top-down view, and pause, end and instructor-triggered \
        complications.

        The first line of standard output is the port listened on (useful with --port 0); generated \
        tokens follow. A front end that disconnects holds its session (paused) for --grace seconds so \
        it can attach again; then the session ends. SIGTERM or SIGINT stops accepting connections, ends \
        every session (trace closed, report written) and exits 0.
        """)

    @Option(help: "Address to listen on; the default accepts connections from this machine only.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one (printed on the first line of standard output).")
    var port = 8765

    @Option(help: ArgumentHelp("Folder for the sessions' traces and reports (created).", valueName: "dir"))
    var data = "live-data"

    @Option(help: ArgumentHelp("Token front ends give in their hello (default: $PRACTICUM_SESSION_TOKEN, else a random one, printed). Prefer the variable: other users can read a command line.", valueName: "token"))
    var token: String?

    @Option(help: ArgumentHelp("Token observers give in their hello (default: $PRACTICUM_OBSERVER_TOKEN, else a random one, printed).", valueName: "token"))
    var observerToken: String?

    @Option(help: ArgumentHelp("Seconds a session whose front end disconnected waits (paused) for it to attach again.", valueName: "s"))
    var grace = 10.0

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 … 65535") }
        guard grace.isFinite, grace >= 0, grace <= 3600 else { throw ValidationError("--grace must be 0 … 3600 seconds") }
        for (name, t) in [("--token", token), ("--observer-token", observerToken)] {
            if let t, t.isEmpty { throw ValidationError("\(name) must not be empty") }
        }
    }

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        var generated: [String] = []
        func pick(_ given: String?, _ key: String, _ what: String) -> String {
            if let given { return given }
            if let e = env[key], !e.isEmpty { return e }
            let t = LiveServerConfiguration.randomToken()
            generated.append("\(what) token: \(t)")
            return t
        }
        var config = LiveServerConfiguration(sessionToken: pick(token, "PRACTICUM_SESSION_TOKEN", "session"),
                                             observerToken: pick(observerToken, "PRACTICUM_OBSERVER_TOKEN", "observer"))
        // one token for both roles would let any front end steer every session
        guard config.sessionToken != config.observerToken else {
            printError("practicum serve: the session and observer tokens must differ")
            throw ExitCode(2)
        }
        config.host = host; config.port = port; config.dataFolder = data
        config.session.grace = grace
        let lines = generated, host = host
        let done = DispatchSemaphore(value: 0)
        let failure = LockedBox<String?>(nil)
        Task.detached {
            do {
                try await LiveServer.run(config) { bound in
                    var out = "\(bound)\n"
                    out += "practicum serve: front ends ws://\(host):\(bound)/live, instructors http://\(host):\(bound)/\n"
                    for l in lines { out += l + "\n" }
                    FileHandle.standardOutput.write(Data(out.utf8))
                }
            } catch {
                failure.value = "\(error)"
            }
            done.signal()
        }
        done.wait()
        if let f = failure.value { printError("practicum serve: \(f)"); throw ExitCode(2) }
    }
}

/// A value shared between the server task and the command's thread.
final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ v: T) { stored = v }
    var value: T {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
