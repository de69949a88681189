import PracticumScenario

extension TraceHeader {
    /// The header for a session of `scenario`: its id, version and content hash.
    public init(scenario: Scenario, sampleRate: Double = 90, handCount: Int = 2, metadata: [String: String] = [:]) {
        self.init(scenarioID: scenario.id, scenarioVersion: scenario.version, scenarioHash: scenario.contentHash,
                  sampleRate: sampleRate, handCount: handCount, metadata: metadata)
    }

    /// Throws `TraceError.wrongScenario` unless this trace was recorded for `scenario`'s id.
    public func check(scenario: Scenario) throws(TraceError) { try check(scenarioID: scenario.id) }

    /// True when the trace was recorded against exactly this scenario file (same content hash).
    /// A different hash with the same id is legitimate (a revised rubric) but worth a warning.
    public func recordedAgainstSameContent(as scenario: Scenario) -> Bool { scenarioHash == scenario.contentHash }
}
