import ArgumentParser
import Foundation
import PracticumCore
import PracticumScenario
import PracticumSession

/// `practicum synth SCRIPT [-o OUT]`: turns a motion script into a trace.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Generate a trace from a motion script.",
        discussion: """
        A motion script is a short YAML file describing head and hand motion (waypoints, holds, \
        grasp/release, periodic compressions, button presses, seeded tremor); see docs/trace-format.md. \
        The same script always gives the same bytes.

        The trace is written whole or not at all (through a temporary file), and an existing trace \
        is not replaced without --force (refused before anything is generated).

        Exit codes: 0 written, 1 invalid script, 2 unreadable script, or an output that cannot be \
        written or already exists.
        """
    )

    @Argument(help: "Motion script (YAML).")
    var script: String

    @Option(help: "Scenario file or shipped id: its version and content hash go into the header (the script's scenario id must match).")
    var scenario: String?

    @Option(name: .shortAndLong, help: "Output trace path ('-' for standard output). Default: the script path with a .trace extension.")
    var output: String?

    @Flag(help: "Replace the output trace if it exists (without it, an existing file is an error).")
    var force = false

    @OptionGroup(title: "Who and when (replace the script's metadata)")
    var who: AttemptOptions

    func run() throws {
        let text: String
        switch regularFileSize(script) {
        case nil: printError("\(script): error: cannot read the script: no such file"); throw ExitCode(2)
        case let size? where size < 0: printError("\(script): error: cannot read the script: not a regular file"); throw ExitCode(2)
        case let size? where size > Limits.scenarioBytes:
            printError("\(script): error: the script is \(size) bytes; scripts are limited to \(Limits.scenarioBytes) bytes"); throw ExitCode(1)
        default: break
        }
        do { text = try String(contentsOfFile: script, encoding: .utf8) } catch {
            printError("\(script): error: cannot read the script: \(error.localizedDescription)")
            throw ExitCode(2)
        }
        var parsed: MotionScript
        do { parsed = try MotionScript.parse(yaml: text) } catch {
            printError("\(script):\(error)")
            throw ExitCode(1)
        }
        if let scenario {
            let path = resolveScenarioPath(scenario)
            let result = ScenarioLoader.load(path: path)
            guard let s = result.scenario else {
                for d in result.errors { printError(d.description) }
                throw ExitCode(2)
            }
            guard s.id == parsed.header.scenarioID else {
                printError("\(script): error: the script is for scenario '\(parsed.header.scenarioID)', but \(path) is '\(s.id)'")
                throw ExitCode(1)
            }
            parsed.header = TraceHeader(scenario: s, sampleRate: parsed.header.sampleRate, metadata: parsed.header.metadata)
        }
        parsed.header.attemptInfo = parsed.header.attemptInfo.overridden(by: who.info)
        let out = output ?? SynthCommand.defaultOutput(for: script)
        if out == "-" {
            let bytes: [UInt8]
            do { bytes = try parsed.traceBytes() } catch {
                printError("\(script): error: \(error)")
                throw ExitCode(1)
            }
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        try refuseExisting(out, force: force)
        // streamed to a temporary file beside the output, renamed when complete: a long script
        // needs no memory for its frames, and a failed write leaves nothing under the final name
        let temp = OutputFile.temporaryPath(for: out)
        let bytes: Int
        do {
            let writer = try TraceWriter(path: temp, header: parsed.header, policy: TraceFlushPolicy(interval: .infinity, maxBufferedBytes: 1 << 20))
            try parsed.write(to: writer)
            bytes = writer.bytesWritten
        } catch {
            unlink(temp)
            if case .invalidInput = error { printError("\(script): error: \(error)"); throw ExitCode(1) }
            printError("\(out): error: cannot write the trace: \(error)")
            throw ExitCode(2)
        }
        do { try OutputFile.commit(temp, to: out, replace: force) } catch {
            printError("\(out): error: \(error.description)")
            throw ExitCode(2)
        }
        // a rate over less than a second would say little (and overflow for a near-zero duration)
        let perSecond = parsed.duration >= 1 ? " (\(Int((Double(bytes) / parsed.duration).rounded())) bytes/s)" : ""
        print("\(out): \(parsed.frameCount) frames, \(parsed.duration) s at \(parsed.header.sampleRate) Hz, \(bytes) bytes\(perSecond)")
    }

    static func defaultOutput(for script: String) -> String {
        let url = URL(fileURLWithPath: script)
        let ext = url.pathExtension
        return (ext == "yaml" || ext == "yml" ? url.deletingPathExtension() : url).appendingPathExtension("trace").path
    }
}
