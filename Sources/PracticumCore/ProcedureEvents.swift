/// What the procedure runner says happened, tick by tick; scoring and the report consume it.
///
/// Indices refer to the compiled scenario's declaration order: `step` into its steps, `error`
/// into its rubric errors, `event` into its events, `metric` into its rubric metrics.
public struct ProcedureEvent: Sendable, Equatable, Codable {
    public var tick: Int
    public var time: Double
    public var kind: Kind

    public init(tick: Int, time: Double, kind: Kind) { self.tick = tick; self.time = time; self.kind = kind }

    public enum Kind: Sendable, Equatable, Codable {
        case stepStarted(step: Int)
        case stepCompleted(step: Int)
        case stepFailed(step: Int, reason: String)
        case stepSkipped(step: Int)
        /// A settled (or active) step went back to pending for another attempt (a `retry` effect).
        case stepRetried(step: Int)
        /// A pending step's completion condition held before the step was reached (done out of order).
        case stepOutOfOrder(step: Int)
        /// A rubric error (or critical error) occurred.
        case error(error: Int)
        /// A scripted event / complication fired.
        case eventFired(event: Int)
        /// A message for the trainee (HUD, debrief).
        case message(text: String)
        /// A value captured for a rubric metric at a moment (e.g. the angle at the first puncture).
        case sample(metric: Int, value: Double)
        /// The run ended: `completed`, `failed`, `time_limit` or an event's reason.
        case ended(reason: String)
    }
}

/// The procedure's visible state after one tick: what the HUD shows and the report plots.
public struct ProcedureFrame: Sendable, Equatable {
    public var tick: Int
    public var time: Double
    /// State variable values (SI) by variable index.
    public var variables: [Double]
    /// Step states by step index.
    public var steps: [StepStatus]
    /// Events emitted during this tick, in order.
    public var events: [ProcedureEvent]
    /// True once the run has ended.
    public var ended: Bool
    /// The values of the scenario's cue expressions this tick (`Cues.expressions`), for the viewer; never scored.
    public var cues: [Double] = []

    public init(tick: Int, time: Double, variables: [Double], steps: [StepStatus], events: [ProcedureEvent], ended: Bool) {
        self.tick = tick; self.time = time; self.variables = variables; self.steps = steps; self.events = events; self.ended = ended
    }
}

/// Lifecycle of a procedure step.
public enum StepStatus: String, Sendable, Equatable, Codable {
    /// Not yet reachable (predecessors not done).
    case pending
    /// Reachable; its completion condition is being watched.
    case active
    case completed
    case failed
    /// Skipped by an event or because another branch was taken.
    case skipped
}
