import PracticumCore

/// What the scoring layer needs to know about a procedure step (from the compiled scenario).
public struct StepInfo: Sendable, Equatable {
    public var id: String
    public var title: String
    /// Required steps count towards completion and step points; optional ones are only shown.
    public var required: Bool
    public init(id: String, title: String, required: Bool = true) { self.id = id; self.title = title; self.required = required }
}

/// When a step started and ended, from the runner's events and, where events are missing, from
/// the step statuses of each frame.
public struct StepTimeline: Sendable, Equatable {
    public var step: Int
    public var startTick: Int?
    public var startTime: Double?
    public var endTick: Int?
    public var endTime: Double?
    /// Status in the last frame seen.
    public var status: StepStatus = .pending
    /// The runner reported the step done before it was reached.
    public var outOfOrder = false
    /// How many times the step was attempted: 1, plus one per `retry` that sent it back.
    public var attempts = 1

    public init(step: Int) { self.step = step }

    mutating func update(_ f: ProcedureFrame) {
        for e in f.events {
            switch e.kind {
            case let .stepStarted(s) where s == step: start(e.tick, e.time)
            case let .stepCompleted(s) where s == step, let .stepFailed(s, _) where s == step, let .stepSkipped(s) where s == step:
                start(e.tick, e.time)
                end(e.tick, e.time)
            case let .stepOutOfOrder(s) where s == step: outOfOrder = true
            case let .stepRetried(s) where s == step:
                if endTick == nil {
                    // sent back while only active (a step it waits on was retried): it has not really started
                    startTick = nil; startTime = nil
                } else {
                    // another attempt: the step ends when its last attempt settles
                    attempts += 1
                    endTick = nil; endTime = nil
                }
            default: break
            }
        }
        guard step < f.steps.count else { return }
        status = f.steps[step]
        switch status {
        case .pending: break
        case .active: start(f.tick, f.time)
        case .completed, .failed, .skipped:
            start(f.tick, f.time)
            end(f.tick, f.time)
        }
    }

    private mutating func start(_ tick: Int, _ time: Double) {
        if startTick == nil { startTick = tick; startTime = time }
    }
    private mutating func end(_ tick: Int, _ time: Double) {
        if endTick == nil { endTick = tick; endTime = time }
    }
}
