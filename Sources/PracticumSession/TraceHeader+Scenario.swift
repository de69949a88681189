import Foundation
import PracticumScenario
import PracticumScoring

extension TraceHeader {
    /// The header for a session of `scenario`: its id, version and content hash, and the hashes of
    /// its parts as `meta scenario.scene`, `scenario.procedure` and `scenario.rubric` lines.
    public init(scenario: Scenario, sampleRate: Double = 90, handCount: Int = 2, metadata: [String: String] = [:]) {
        self.init(scenarioID: scenario.id, scenarioVersion: scenario.version, scenarioHash: scenario.contentHash,
                  sampleRate: sampleRate, handCount: handCount, metadata: metadata)
        if let parts = scenario.parts ?? ScenarioParts.of(scenario) { recordedParts = parts }
    }

    /// Metadata keys of the scenario's part hashes.
    public static let scenePartKey = "scenario.scene", procedurePartKey = "scenario.procedure", rubricPartKey = "scenario.rubric"

    /// The scenario parts the trace was recorded against; nil for a trace that does not record them (older than parts).
    public var recordedParts: ScenarioParts? {
        get {
            guard let s = metadata[Self.scenePartKey], let p = metadata[Self.procedurePartKey], let r = metadata[Self.rubricPartKey] else { return nil }
            return ScenarioParts(scene: s, procedure: p, rubric: r)
        }
        set {
            metadata[Self.scenePartKey] = newValue?.scene
            metadata[Self.procedurePartKey] = newValue?.procedure
            metadata[Self.rubricPartKey] = newValue?.rubric
        }
    }

    /// What changed in `scenario` since this trace was recorded against it: `scene`, `procedure`,
    /// `rubric`, or `unknown` when the content differs and the trace records no parts. Empty when
    /// the content hash is the same, when only what belongs to no part changed, and for a trace
    /// that names no scenario hash (synthesised without a scenario: it makes no claim).
    public func changes(against scenario: Scenario) -> [String] {
        guard !scenarioHash.isEmpty, scenarioHash != scenario.contentHash else { return [] }
        guard let recorded = recordedParts, let now = scenario.parts ?? ScenarioParts.of(scenario) else { return ["unknown"] }
        return now.changes(from: recorded)
    }

    /// Throws `TraceError.wrongScenario` unless this trace was recorded for `scenario`'s id.
    public func check(scenario: Scenario) throws(TraceError) { try check(scenarioID: scenario.id) }

    /// True when the trace was recorded against exactly this scenario file (same content hash).
    /// A different hash with the same id is legitimate (a revised rubric); `changes(against:)` says what changed.
    public func recordedAgainstSameContent(as scenario: Scenario) -> Bool { scenarioHash == scenario.contentHash }
}

extension TraceHeader {
    /// Metadata keys for who and when (docs/trace-format.md): `trainee`, `attempt`, `started`.
    public static let traineeKey = "trainee", attemptKey = "attempt", startedKey = "started"

    /// Who made the attempt and when, as the metadata records it.
    public var attemptInfo: AttemptInfo {
        get { AttemptInfo(trainee: metadata[Self.traineeKey], attempt: metadata[Self.attemptKey], started: metadata[Self.startedKey]) }
        set {
            metadata[Self.traineeKey] = newValue.trainee
            metadata[Self.attemptKey] = newValue.attempt
            metadata[Self.startedKey] = newValue.started
        }
    }

    /// This header for an attempt of `trainee` (when given) with id `attempt` (when given) starting at `started`.
    public func stamped(trainee: String?, attempt: String?, started: Date) -> TraceHeader {
        var h = self
        h.attemptInfo = attemptInfo.overridden(by: AttemptInfo(trainee: trainee, attempt: attempt, started: WallClock.iso8601(started)))
        return h
    }
}

/// Wall-clock times as traces and reports write them: ISO 8601, UTC, whole seconds (`2026-12-03T15:54:29Z`).
public enum WallClock {
    /// `date` in UTC, e.g. `2026-12-03T15:54:29Z`.
    public static func iso8601(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    /// True when `text` is an ISO 8601 date and time with a zone (`Z` or `±hh:mm`), optionally with fractional seconds.
    public static func isISO8601(_ text: String) -> Bool {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if f.date(from: text) != nil { return true }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: text) != nil
    }
}

extension TraceHeader {
    /// Metadata key of the run's seed (seeded variation): a whole number 0 … 2^64−1.
    public static let seedKey = "seed"

    /// The run's seed: 0 when the trace names none; nil when it names one that is not a whole number.
    public var seed: UInt64? {
        guard let text = metadata[Self.seedKey] else { return 0 }
        return UInt64(text)
    }
}
