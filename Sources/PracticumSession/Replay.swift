import Foundation
import PracticumCore
import PracticumScenario
import PracticumScoring

/// Headless scoring: a recorded trace replayed through a `Session`, tick by tick.
public enum Replay {
    /// Replays `trace` against `scenario` and returns the report. Ticks run until the procedure
    /// ends or the input runs out (then the run is finished as it stands).
    public static func score(scenario: Scenario, trace: Trace, traceHash: String, dt: Double = 1.0 / 240.0) throws(SessionError) -> Report {
        var session = try Session(scenario: scenario, traceHash: traceHash, dt: dt)
        run(&session, trace: trace)
        return session.report(inputComplete: trace.isComplete)
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

    /// FNV-1a of a trace file's bytes (hex): recorded in the report to say which input was scored.
    public static func traceHash(contentsOf path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return StateHash.of(bytes: data).hex
    }
}

/// Loads a scenario for scoring, or says why not (all diagnostics, compiler style).
public func loadScenarioForScoring(_ path: String) -> Result<Scenario, ScoringInputError> {
    let r = ScenarioLoader.load(path: path)
    guard let s = r.scenario else {
        return .failure(.invalidScenario(r.errors.map(\.description).joined(separator: "\n")))
    }
    return .success(s)
}

/// Scores one trace file: read (strictly, or its intact prefix with `partial`), check it belongs to
/// the scenario, replay, report.
public func scoreTraceFile(_ scenario: Scenario, tracePath: String, partial: Bool) -> Result<Report, ScoringInputError> {
    let trace: Trace
    do { trace = try TraceReader.read(contentsOf: tracePath, mode: partial ? .lenient : .strict) } catch {
        return .failure(.badTrace(tracePath, error.description))
    }
    do { try trace.header.check(scenario: scenario) } catch {
        return .failure(.badTrace(tracePath, error.description))
    }
    do {
        return .success(try Replay.score(scenario: scenario, trace: trace, traceHash: Replay.traceHash(contentsOf: tracePath)))
    } catch {
        return .failure(.session(error.description))
    }
}

public enum ScoringInputError: Error, Sendable, CustomStringConvertible {
    case invalidScenario(String)
    case badTrace(String, String)
    case session(String)
    public var description: String {
        switch self {
        case let .invalidScenario(d): d
        case let .badTrace(path, why): "\(path): \(why)"
        case let .session(m): m
        }
    }
}
