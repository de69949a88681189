import PracticumCore

/// Collects one run for scoring: fed once per tick after the procedure stage, it advances every
/// rubric metric, follows step timelines, keeps the procedure's events and downsampled series for
/// the debrief (bounded memory), and produces the `Report` at the end.
public struct ReportRecorder: Sendable {
    public let rubric: Rubric
    public let steps: [StepInfo]
    public let context: ReportContext
    /// Cap on kept `message` events (errors and step events are always kept).
    public static let maxMessages = 500

    private var metrics: [any MetricAccumulator]
    private var timelines: [StepTimeline]
    private var events: [ProcedureEvent] = []
    private var messages: [ReportMessage] = []
    private var droppedMessages = 0
    private var lastTick = 0
    private var lastTime = 0.0
    private var warnings = 0
    private var physicsWarnings: [Observations.PhysicsWarning] = []
    private var tickLength = 0.0
    private var nonFinite = 0
    private var pathSeries: Series
    private var forceSeries: Series
    private var forceSources: [ForceSource]
    private var forceNames: [String]
    private var variableSeries: Series
    private var cpr: CPRAnalysis?
    private var cprSeries: Series?
    private var scratch: [Double] = []
    private var errorMarks: [ErrorMark?] = []

    /// - Throws: `MetricBuildError` when a rubric metric cannot be built.
    public init(rubric: Rubric, steps: [StepInfo], context: ReportContext) throws {
        self.rubric = rubric; self.steps = steps; self.context = context
        metrics = try rubric.metrics.enumerated().map { i, m in try MetricLibrary.make(m.metric, rubricIndex: i) }
        timelines = steps.indices.map { StepTimeline(step: $0) }
        pathSeries = Series(channels: 3 * context.tracked.count, capacity: 1024)
        // forces: every tissue, then the pairs and tissues the rubric's force metrics watch
        var sources = context.tissues.indices.map { ForceSource.tissue($0) }
        var names = context.tissues
        for m in rubric.metrics where m.metric.kind.hasSuffix("contact_force") || m.metric.kind == "contact_time_above_force" {
            guard case let .body(of)? = m.metric.params["of"] else { continue }
            var against: Int?
            if case let .body(b)? = m.metric.params["against"] { against = b }
            sources.append(.contact(of: of, against: against))
            names.append(m.title)
        }
        forceSources = sources
        forceNames = names
        forceSeries = Series(channels: sources.count, capacity: 1024, merge: .peak)
        variableSeries = Series(channels: context.variables.count, capacity: 1024)
        if let m = rubric.metrics.first(where: { $0.metric.kind.hasPrefix("cpr_") }),
           let built = try MetricLibrary.make(m.metric, rubricIndex: 0) as? CPRMetric {
            cpr = CPRAnalysis(built.analysis.p)
            cprSeries = Series(channels: 1, capacity: 8192)
        }
    }

    /// Takes one tick: the observations physics produced and the frame the procedure runner emitted.
    /// Recording a second frame for the same observations (the runner's `finish(at:)` frame) is
    /// harmless: time-based metrics see Δt = 0 and motion metrics no displacement.
    public mutating func record(_ o: Observations, _ f: ProcedureFrame) {
        // metrics and step timelines
        for i in metrics.indices { metrics[i].update(o, f) }
        for i in timelines.indices { timelines[i].update(f) }

        // events: messages capped, errors and the end kept
        for e in f.events {
            if case let .error(i) = e.kind, i >= 0, i < rubric.errors.count {
                errorMarks.append(errorMark(o))
            }
            // kept for the evaluation: errors (the runner caps them at max_count) and the end;
            // step events live in the timelines, repeating scenario events only in their counts
            switch e.kind {
            case let .message(text):
                if messages.count < Self.maxMessages { messages.append(ReportMessage(tick: e.tick, time: e.time, text: text)) } else { droppedMessages += 1 }
            case .error, .ended: events.append(e)
            default: break
            }
        }
        lastTick = max(lastTick, o.tick)
        lastTime = max(lastTime, o.time)
        warnings = max(warnings, o.warnings)
        if o.physicsWarnings != physicsWarnings { physicsWarnings = o.physicsWarnings }
        if o.tick > 0 && tickLength == 0 { tickLength = o.time / Double(o.tick) }

        // debrief series
        if pathSeries.channels > 0 {
            scratch.removeAll(keepingCapacity: true)
            for t in context.tracked {
                let pose = t.tracked.pose(in: o)
                let p = pose.map { $0.position + $0.orientation.rotate(t.offset) } ?? Vec3(.nan, .nan, .nan)
                scratch.append(p.x); scratch.append(p.y); scratch.append(p.z)
            }
            pathSeries.append(time: o.time, scratch)
        }
        if forceSeries.channels > 0 {
            scratch.removeAll(keepingCapacity: true)
            for s in forceSources { scratch.append(s.force(in: o)) }
            forceSeries.append(time: o.time, scratch)
        }
        if variableSeries.channels > 0 {
            scratch.removeAll(keepingCapacity: true)
            for i in 0..<variableSeries.channels {
                let v = i < f.variables.count ? f.variables[i] : 0
                if !v.isFinite { nonFinite += 1 }
                scratch.append(v)
            }
            variableSeries.append(time: f.time, scratch)
        }
        if cpr != nil {
            cpr!.update(o)
            cprSeries!.append(time: o.time, cpr!.depth(in: o) ?? 0)
        }
    }

    /// The tracked source a hand holds (the first such), else the first tracked source, and its point.
    private func errorMark(_ o: Observations) -> ErrorMark? {
        var chosen = context.tracked.isEmpty ? nil : 0
        search: for h in o.hands {
            guard let held = h.grasped else { continue }
            for (i, t) in context.tracked.enumerated() where t.source == .body(held) { chosen = i; break search }
        }
        guard let i = chosen, let pose = context.tracked[i].tracked.pose(in: o) else { return nil }
        return ErrorMark(source: i, position: pose.position + pose.orientation.rotate(context.tracked[i].offset))
    }

    /// The report of the run so far.
    /// - Parameter inputComplete: false when the trace ended before the procedure did (or was truncated).
    public func report(inputComplete: Bool = true) -> Report {
        let results = metrics.map { $0.finish() }
        let evaluation = RubricEvaluator.evaluate(rubric, steps: steps, timelines: timelines, events: events, metrics: results)
        var outcome = "incomplete"
        for e in events { if case let .ended(reason) = e.kind { outcome = reason; break } }
        var notes: [String] = []
        if droppedMessages > 0 { notes.append("\(droppedMessages) messages beyond the first \(Self.maxMessages) not kept") }
        if nonFinite > 0 { notes.append("\(nonFinite) non-finite state-variable values plotted as 0") }
        for m in evaluation.metrics where !m.result.defined || m.result.note != nil {
            notes.append("metric \(m.id): \(m.result.note ?? "not defined")")
        }
        let warningList = physicsWarnings.map { ReportWarning($0, context: context, dt: tickLength) }
        notes += warningList.map(\.message)
        return Report(context: context, passed: evaluation.passed, score: evaluation.score, complete: evaluation.complete, outcome: outcome,
                      duration: lastTime, ticks: lastTick, inputComplete: inputComplete, evaluation: evaluation, messages: messages,
                      numericalWarnings: warnings, physicsWarnings: warningList, notes: notes,
                      series: DebriefSeries(path: pathSeries, force: forceSeries, forceNames: forceNames, variables: variableSeries,
                                            cprDepth: cprSeries, errorMarks: errorMarks))
    }
}
