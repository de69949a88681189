import PracticumCore

// Metrics read from the procedure frame: run and step times, values sampled by the procedure,
// state variables and counts of events. See docs/metrics.md for the definitions.

/// Time of the first `ended` event, else the time of the last tick seen; defined only when the
/// run ended `completed` (a run that stopped or failed has no completion time to meet a target).
struct CompletionTime: MetricAccumulator {
    var last = 0.0
    var ended: (time: Double, reason: String)?
    mutating func update(_ o: Observations, _ f: ProcedureFrame) {
        last = max(last, o.time)
        guard ended == nil else { return }
        for e in f.events { if case let .ended(reason) = e.kind { ended = (e.time, reason); return } }
    }
    func finish() -> MetricResult {
        guard let ended else { return MetricResult(last, defined: false, note: "the run did not end") }
        return ended.reason == "completed" ? MetricResult(ended.time)
            : MetricResult(ended.time, defined: false, note: "the procedure was not completed (\(ended.reason))")
    }
}

/// From the step's start (a `stepStarted` event or its status becoming active) to its end (a
/// completed/failed/skipped event or status); a step still running ends at the last tick.
struct StepTime: MetricAccumulator {
    var timeline: StepTimeline
    var last = 0.0
    init(step: Int) { timeline = StepTimeline(step: step) }
    mutating func update(_ o: Observations, _ f: ProcedureFrame) {
        last = max(last, f.time)
        timeline.update(f)
    }
    func finish() -> MetricResult {
        guard let start = timeline.startTime else { return MetricResult(0, defined: false, note: "step never started") }
        // a step still running at the end was never done: its time is not a result to judge
        guard let end = timeline.endTime else { return MetricResult(last - start, defined: false, note: "step still running at the end") }
        return MetricResult(end - start)
    }
}

/// The first finite value the procedure sampled for this rubric metric.
struct Sampled: MetricAccumulator {
    let metric: Int
    var value: Double?
    mutating func update(_ o: Observations, _ f: ProcedureFrame) {
        guard value == nil else { return }
        for e in f.events {
            if case let .sample(m, v) = e.kind, m == metric, v.isFinite { value = v; return }
        }
    }
    func finish() -> MetricResult { value.map { MetricResult($0) } ?? MetricResult(0, defined: false, note: "never sampled") }
}

/// Minimum, maximum or final value of a state variable.
struct VariableValue: MetricAccumulator {
    enum Mode: Sendable { case min, max, final }
    let variable: Int
    let mode: Mode
    var value: Double?
    mutating func update(_ o: Observations, _ f: ProcedureFrame) {
        guard variable < f.variables.count else { return }
        let v = f.variables[variable]
        guard v.isFinite else { return }
        switch mode {
        case .min: value = Swift.min(value ?? v, v)
        case .max: value = Swift.max(value ?? v, v)
        case .final: value = v
        }
    }
    func finish() -> MetricResult { value.map { MetricResult($0) } ?? MetricResult(0, defined: false, note: "variable never observed") }
}

/// Occurrences of a rubric error or a scenario event.
struct EventCount: MetricAccumulator {
    enum Match: Sendable { case error(Int), event(Int), none }
    let match: Match
    var count = 0
    mutating func update(_ o: Observations, _ f: ProcedureFrame) {
        for e in f.events {
            switch (match, e.kind) {
            case let (.error(i), .error(j)) where i == j: count += 1
            case let (.event(i), .eventFired(j)) where i == j: count += 1
            default: break
            }
        }
    }
    func finish() -> MetricResult { MetricResult(Double(count)) }
}

/// Layers punctured, filtered by tissue, layer and needle.
struct PunctureCount: MetricAccumulator {
    let tissue: Int?
    let layer: Int?
    let needle: Int?
    var count = 0
    mutating func update(_ o: Observations, _ f: ProcedureFrame) {
        for p in o.punctures where (tissue ?? p.tissue) == p.tissue && (layer ?? p.layer) == p.layer && (needle ?? p.needle) == p.needle {
            count += 1
        }
    }
    func finish() -> MetricResult { MetricResult(Double(count)) }
}

/// Largest total of `NeedleState.attempts` (cumulative per needle) over the run.
struct InsertionAttempts: MetricAccumulator {
    let needle: Int?
    var most = 0
    mutating func update(_ o: Observations, _ f: ProcedureFrame) {
        var total = 0
        for n in o.needles where (needle ?? n.needle) == n.needle { total += n.attempts }
        most = max(most, total)
    }
    func finish() -> MetricResult { MetricResult(Double(most)) }
}

/// A drop is a hand's grasp ending (grasped body → none or another body) while the released body
/// is not inside the `except_in` region.
struct GraspDrops: MetricAccumulator {
    let hand: Int?
    let body: Int?
    let exceptIn: Int?
    var previous: [Int?] = []
    var count = 0
    mutating func update(_ o: Observations, _ f: ProcedureFrame) {
        if previous.count < o.hands.count { previous += Array(repeating: nil, count: o.hands.count - previous.count) }
        for (h, state) in o.hands.enumerated() {
            defer { previous[h] = state.grasped }
            guard (hand ?? h) == h, let held = previous[h], state.grasped != held, (body ?? held) == held else { continue }
            if let region = exceptIn, o.inside.contains(RegionOccupancy(region: region, body: held)) { continue }
            count += 1
        }
    }
    func finish() -> MetricResult { MetricResult(Double(count)) }
}

private typealias RegionOccupancy = Observations.RegionOccupancy

/// FLS peg transfer (Derossis et al. 1998; Fried et al. 2004): max(0, cutoff − T − penalty × drops),
/// where T is the time of `ended(completed)`; a run that never completes scores 0.
struct FLSPegTransfer: MetricAccumulator {
    let cutoff: Double
    let penalty: Double
    var drops: EventCount
    var completedAt: Double?
    mutating func update(_ o: Observations, _ f: ProcedureFrame) {
        drops.update(o, f)
        if completedAt == nil, let e = f.events.first(where: { $0.kind == .ended(reason: "completed") }) { completedAt = e.time }
    }
    func finish() -> MetricResult {
        guard let t = completedAt else { return MetricResult(0, note: "task not completed") }
        return MetricResult(max(0, cutoff - t - penalty * Double(drops.count)))
    }
}
