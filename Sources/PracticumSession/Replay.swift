import Foundation
import PracticumCore
import PracticumScenario
import PracticumScoring

/// Headless scoring: a recorded trace replayed through a `Session`, tick by tick.
public enum Replay {
    /// Replays `trace` against `scenario` and returns the report. Ticks run until the procedure
    /// ends or the input runs out (then the run is finished as it stands).
    public static func score(scenario: Scenario, trace: Trace, traceHash: String, dt: Double? = nil) throws(SessionError) -> Report {
        var session = try Session(scenario: scenario, traceHash: traceHash, dt: dt, seed: try seed(of: trace.header))
        run(&session, trace: trace)
        var report = session.report(inputComplete: trace.isComplete)
        report.attempt = trace.header.attemptInfo
        return report
    }

    /// The seed the trace's run drew its variation from.
    static func seed(of header: TraceHeader) throws(SessionError) -> UInt64 {
        guard let seed = header.seed else { throw SessionError.seed(header.metadata[TraceHeader.seedKey] ?? "") }
        return seed
    }

    /// Drives `session` with `trace`'s input to the end.
    public static func run(_ session: inout Session, trace: Trace) {
        var source = Resampler(samples: trace.frames)
        while step(&session, source: &source, until: trace.duration) {}
        session.finish()
    }

    /// Runs the next tick if the procedure is still running and input remains up to its time
    /// (tick k covers ((k−1)·dt, k·dt]); returns false when there is nothing more to run.
    public static func step(_ session: inout Session, source: inout Resampler, until end: Double) -> Bool {
        let t = Double(session.tick + 1) * session.dt
        guard !session.ended, t <= end + 1e-9 else { return false }
        session.step(source.frame(at: t))
        return true
    }

    /// Replays the trace `stream` reads against `scenario`, holding only the few frames around
    /// the current tick, and returns the report; the same report, tick for tick, as replaying the
    /// whole trace read into memory. Damage ends the input (the report is marked incomplete).
    public static func score(scenario: Scenario, stream: TraceStream, dt: Double? = nil) throws(SessionError) -> (Report, traceHash: String) {
        var session = try Session(scenario: scenario, traceHash: nil, dt: dt, seed: try seed(of: stream.header))
        var source = Resampler()
        var latest = -Double.infinity
        var exhausted = false
        while !session.ended {
            let t = Double(session.tick + 1) * session.dt
            // every sample at or before t, and the first after it: the bracket `frame(at:)` needs
            while !exhausted, latest <= t {
                if let f = stream.next() { source.append(f); latest = f.time } else { exhausted = true }
            }
            // the tick rule is `step`'s, as for a trace in memory: the latest sample read is the end so far
            guard step(&session, source: &source, until: latest) else { break }
            source.discard(before: t)
        }
        session.finish()
        let hash = stream.finish()
        var report = session.report(inputComplete: stream.damage == nil)
        report.context.traceHash = hash
        report.attempt = stream.header.attemptInfo
        return (report, hash)
    }

    /// FNV-1a of a trace file's bytes but its `meta` lines (hex): recorded in the report to say which
    /// input was scored; who and when (the metadata) do not change it. "" when the header cannot be read.
    public static func traceHash(contentsOf path: String) -> String {
        guard let stream = try? TraceStream(path: path) else { return "" }
        return stream.finish()
    }
}

/// Loads a scenario and checks that it can run: its scene builds and its rubric can be made. What
/// this accepts, every command runs (`validate` uses it, as scoring does); the rare problem only
/// the physics model sees is an error of the file like any other.
public func loadRunnableScenario(path: String) -> LoadResult {
    var r = ScenarioLoader.load(path: path)
    let parts = r.scenario.flatMap(ScenarioParts.of)
    r.scenario?.parts = parts
    if let s = r.scenario {
        do { _ = try Session(scenario: s) } catch {
            r.diagnostics.append(Diagnostic(.error, file: path, at: .unknown, path: "scene", "the scenario cannot be simulated: \(error)"))
            r.scenario = nil
        }
    }
    return r
}

/// Loads a scenario for scoring, or says why not (all diagnostics, compiler style).
public func loadScenarioForScoring(_ path: String) -> Result<Scenario, ScoringInputError> {
    let r = loadRunnableScenario(path: path)
    guard let s = r.scenario else {
        return .failure(.invalidScenario(r.errors.map(\.description).joined(separator: "\n")))
    }
    return .success(s)
}

/// Scores one trace file: read (strictly, or its intact prefix with `partial`), check it belongs to
/// the scenario, replay, report. The trace is streamed, so memory does not grow with its length.
/// Scoring reads the file to its end (for the hash), so strict reading refuses damage anywhere in
/// it after the one pass, and the report of a damaged trace is only returned with `partial`.
/// A scene or procedure changed since the trace was recorded is a note in the report
/// (`Report.rescoringNotes`), or with `strict` a refusal (`ScoringInputError.scenarioChanged`).
public func scoreTraceFile(_ scenario: Scenario, tracePath: String, partial: Bool, strict: Bool = false) -> Result<Report, ScoringInputError> {
    do throws(TraceError) {
        let stream = try TraceStream(path: tracePath)
        try stream.header.check(scenario: scenario)
        let changed = stream.header.changes(against: scenario)
        let warnings = rescoringWarnings(changed, scenario: scenario, recordedHash: stream.header.scenarioHash)
        if strict, let first = warnings.first { return .failure(.scenarioChanged(tracePath, first)) }
        var report: Report
        do { report = try Replay.score(scenario: scenario, stream: stream).0 } catch {
            return .failure(.session(error.description))
        }
        if !partial, let d = stream.damage { throw TraceError.damaged(d) }
        report.context.changedSinceRecording = changed
        report.notes += warnings
        return .success(report)
    } catch {
        return .failure(.badTrace(tracePath, error.description))
    }
}

extension Report {
    /// The notes `scoreTraceFile` added because the scene or procedure changed since recording (the last notes).
    public var rescoringNotes: [String] {
        Array(notes.suffix(context.changedSinceRecording.filter { $0 != "rubric" }.count))
    }
}

/// The sentences a re-score against a changed scene or procedure gets (a rubric-only change gets none).
public func rescoringWarnings(_ changed: [String], scenario s: Scenario, recordedHash: String) -> [String] {
    let hashes = "content hash \(recordedHash) then, \(s.contentHash) now"
    var out: [String] = []
    if changed.contains("unknown") {
        out.append("scenario '\(s.id)' changed since this trace was recorded (\(hashes)), and the trace records no part hashes, "
                   + "so whether its scene or procedure changed cannot be told")
    }
    if changed.contains("scene") {
        out.append("the scene or physics of '\(s.id)' changed since this trace was recorded (\(hashes)): the recorded motions "
                   + "were replayed in another world, so measured values may differ from the live run")
    }
    if changed.contains("procedure") {
        out.append("the procedure of '\(s.id)' (steps, events, variables or time limit) changed since this trace was recorded "
                   + "(\(hashes)): the recorded motions were judged against another task")
    }
    return out
}

public enum ScoringInputError: Error, Sendable, CustomStringConvertible {
    case invalidScenario(String)
    case badTrace(String, String)
    case session(String)
    /// With `strict`: the trace was recorded against another scene or procedure.
    case scenarioChanged(String, String)
    public var description: String {
        switch self {
        case let .invalidScenario(d): d
        // an I/O error names the file already
        case let .badTrace(path, why): why.hasPrefix("\(path): ") ? why : "\(path): \(why)"
        case let .session(m): m
        case let .scenarioChanged(path, why): "\(path): error: \(why) (--strict)"
        }
    }
}
