import PracticumCore
import PracticumScoring

/// The procedure's state during a run: a value, so snapshot and restore are plain copies.
public struct ProcedureState: Sendable, Equatable {
    public var tick = 0
    public var time = 0.0
    public var variables: [Double]
    public var trends: [Double]
    public var steps: [StepStatus]
    /// Skipped because another branch was taken (propagates to successors), as opposed to skipped by an event.
    public var notTaken: [Bool]
    public var enabled: [Bool]
    public var activatedAt: [Double]
    public var settledAt: [Double]
    var outOfOrderReported: [Bool]
    var completePrev: [Bool]
    public var eventCounts: [Int]
    public var eventLast: [Double]
    var eventPrev: [Bool]
    /// When each event's trigger last turned false after being true (`debounce`); `-never` before that.
    var eventQuietSince: [Double]
    public var errorCounts: [Int]
    /// Times each step was sent back for another attempt (`retry`).
    public var retries: [Int] = []
    /// Whether each event is armed in this run (`probability:`, drawn from the seed).
    public var armed: [Bool] = []
    var errorPrev: [Bool]
    /// When each error's condition last turned false after being true (`debounce`); `-never` before that.
    var errorQuietSince: [Double]
    var sampleTaken: [Bool]
    var slots: [Double]
    /// Each `prev`/`rate` argument's value at the end of the last tick, by history slot.
    var history: [Double]
    /// For each `peak` slot: the values of the ticks inside its window, as a monotone queue.
    var peaks: [Int: PeakWindow] = [:]
    /// Punctures so far: (needle, tissue, layer) → count and the latest entry angle.
    var punctures: [PunctureRecord] = []
    var initialPositions: [Vec3] = []
    /// False until the first tick has been processed (edges need a previous value).
    var primed = false
    var previousHandPositions: [Vec3] = []
    public var ended = false
    public var failed = false
    /// The cue expressions' values at the last tick (display only; `Cues`).
    public var cues: [Double] = []

    struct PunctureRecord: Sendable, Equatable { var needle: Int; var tissue: Int; var layer: Int; var count: Int; var angle: Double }
}

/// A scene change an event asks for; the session applies it to physics.
public enum SceneCommand: Sendable, Equatable {
    case moveBody(Int, Pose)
    case setMaterial(Int, Material)
}

/// What one tick of the procedure produced.
public struct RunnerOutput: Sendable {
    public var frame: ProcedureFrame
    public var sceneCommands: [SceneCommand]
}

/// Advances a compiled scenario's procedure from each tick's observations: steps, events, variable
/// trends, rubric errors and samples. Pure and deterministic: it reads only its inputs and state,
/// iterates in declaration order and never reads a clock. No procedure-specific code lives here.
public struct ProcedureRunner: Sendable {
    public let scenario: Scenario
    public let dt: Double
    public internal(set) var state: ProcedureState
    /// Largest value `since(…)` reports for something that never happened (s); finite so nothing non-finite reaches a report.
    public static let never = 1e9
    /// Where the scene's joints start among the physics joints (`Observations.joints`).
    let jointOffset: Int

    /// `seed` draws the run's variation (random starting values, complications armed by chance);
    /// a scenario without variation runs the same whatever it is.
    public init(scenario: Scenario, dt: Double, seed: UInt64 = 0) {
        self.scenario = scenario
        self.dt = dt
        jointOffset = scenario.scene.worldJointIndex(0)
        let nS = scenario.steps.count, nE = scenario.events.count, nR = scenario.rubric.errors.count
        state = ProcedureState(
            variables: scenario.variables.map(\.initial), trends: scenario.variables.map(\.trend),
            steps: Array(repeating: .pending, count: nS), notTaken: Array(repeating: false, count: nS),
            enabled: scenario.steps.map(\.enabled), activatedAt: Array(repeating: -1, count: nS),
            settledAt: Array(repeating: -1, count: nS), outOfOrderReported: Array(repeating: false, count: nS),
            completePrev: Array(repeating: false, count: nS),
            eventCounts: Array(repeating: 0, count: nE), eventLast: Array(repeating: -1, count: nE),
            eventPrev: Array(repeating: false, count: nE), eventQuietSince: Array(repeating: -Self.never, count: nE),
            errorCounts: Array(repeating: 0, count: nR),
            errorPrev: Array(repeating: false, count: nR), errorQuietSince: Array(repeating: -Self.never, count: nR),
            sampleTaken: Array(repeating: false, count: scenario.rubric.metrics.count),
            slots: Array(repeating: -1, count: scenario.slotCount), history: Array(repeating: 0, count: scenario.history.count))
        state.retries = Array(repeating: 0, count: nS)
        (state.variables, state.armed) = Self.draw(scenario, seed: seed)
    }

    /// Restores a snapshot taken from `state`.
    public mutating func restore(_ s: ProcedureState) { state = s }

    /// Consumes one tick's observations and returns the procedure frame for it.
    public mutating func tick(_ obs: Observations) -> RunnerOutput {
        var events: [ProcedureEvent] = []
        var commands: [SceneCommand] = []
        func emit(_ k: ProcedureEvent.Kind) { events.append(ProcedureEvent(tick: obs.tick, time: obs.time, kind: k)) }
        if state.initialPositions.isEmpty { state.initialPositions = obs.bodies.map(\.pose.position) }
        state.tick = obs.tick
        state.time = obs.time
        guard !state.ended else { return output(obs, events, commands) }

        // history: punctures reported by physics, or inferred from tip depth when physics has no needle model
        trackNeedles(obs)

        // variables follow their trends
        for i in state.variables.indices {
            let v = scenario.variables[i]
            state.variables[i] = Swift.min(v.max, Swift.max(v.min, state.variables[i] + state.trends[i] * dt))
        }

        // steps advance until nothing changes (bounded: each pass settles or activates at least one step)
        var guardPasses = scenario.steps.count + 1
        while guardPasses > 0, advanceSteps(obs, emit) { guardPasses -= 1 }

        // events fire on their trigger's rising edge, once it has been quiet for the debounce time
        for (i, e) in scenario.events.enumerated() {
            let now = truth(e.when.code, obs)
            let rising = edge(now, &state.eventPrev[i], &state.eventQuietSince[i], debounce: e.debounce, obs)
            // an instructor's trigger is a button in this tick's input, so a trace replays it at the same tick
            let triggered = e.instructor && obs.buttons.contains(e.instructorButton)
            // an event this run's draw did not arm never fires (its condition is still evaluated, for its timers)
            guard rising || triggered, state.armed[i], !(e.once && state.eventCounts[i] > 0) else { continue }
            state.eventCounts[i] += 1
            state.eventLast[i] = obs.time
            emit(.eventFired(event: i))
            for effect in e.effects { apply(effect, obs, emit, &commands) }
        }

        // rubric errors on their condition's rising edge, debounced the same way
        for (i, cond) in scenario.errorConditions.enumerated() {
            guard let cond else { continue }
            let now = truth(cond.code, obs)
            let debounce = i < scenario.errorDebounce.count ? scenario.errorDebounce[i] : 0
            if edge(now, &state.errorPrev[i], &state.errorQuietSince[i], debounce: debounce, obs) { raise(i, emit) }
        }

        // samples for rubric metrics, on the first tick their moment arrives
        for (i, s) in scenario.samples.enumerated() {
            guard let s, !state.sampleTaken[i], truth(s.at.code, obs) else { continue }
            let v = value(s.value.code, obs)
            if v.isFinite { state.sampleTaken[i] = true; emit(.sample(metric: i, value: v)) }
        }

        // the end: all required steps settled, an end effect, or the time limit
        if !state.ended {
            let required = scenario.steps.indices.filter { !scenario.steps[$0].optional && state.enabled[$0] }
            if required.allSatisfy({ state.steps[$0] != .pending && state.steps[$0] != .active }) {
                end("completed", failed: required.contains { state.steps[$0] == .failed }, obs, emit)
            } else if let limit = scenario.timeLimit, obs.time >= limit - 1e-9 {
                end("time_limit", failed: true, obs, emit)
            }
        }
        // cues: display only, after everything that can change state this tick
        state.cues = scenario.cues.expressions.map { value($0.code, obs) }
        // history for prev and rate: every argument read at the end of the tick, all before any is stored
        if !scenario.history.isEmpty {
            state.history = scenario.history.map { value($0, obs) }
            for (slot, window) in scenario.peakWindows { state.peaks[slot, default: PeakWindow()].push(obs.time, state.history[slot], window: window) }
        }
        state.previousHandPositions = obs.hands.map(\.pose.position)
        state.primed = true
        return output(obs, events, commands)
    }

    /// A rising edge of a trigger that counts: false → true, and (after the first) only once the
    /// trigger has been false for at least `debounce` seconds since it last turned false. A rising
    /// edge that does not count is still an edge: the quiet time starts again when it next turns false.
    private func edge(_ now: Bool, _ prev: inout Bool, _ quietSince: inout Double, debounce: Double, _ obs: Observations) -> Bool {
        defer {
            if !now && prev { quietSince = obs.time }
            prev = now
        }
        return now && !prev && obs.time - quietSince >= debounce - 1e-9
    }

    /// Finishes the run now (e.g. the input ended): open steps stay as they are.
    public mutating func finish(at obs: Observations) -> RunnerOutput {
        var events: [ProcedureEvent] = []
        if !state.ended {
            // unfinished optional steps are skipped without penalty
            for i in scenario.steps.indices where scenario.steps[i].optional && (state.steps[i] == .pending || state.steps[i] == .active) {
                state.steps[i] = .skipped
                events.append(ProcedureEvent(tick: obs.tick, time: obs.time, kind: .stepSkipped(step: i)))
            }
            end("input_ended", failed: true, obs) { events.append(ProcedureEvent(tick: obs.tick, time: obs.time, kind: $0)) }
        }
        return output(obs, events, [])
    }

    private func output(_ obs: Observations, _ events: [ProcedureEvent], _ commands: [SceneCommand]) -> RunnerOutput {
        var frame = ProcedureFrame(tick: obs.tick, time: obs.time, variables: state.variables, steps: state.steps,
                                   events: events, ended: state.ended)
        frame.cues = state.cues
        return RunnerOutput(frame: frame, sceneCommands: commands)
    }

    private mutating func end(_ reason: String, failed: Bool, _ obs: Observations, _ emit: (ProcedureEvent.Kind) -> Void) {
        guard !state.ended else { return }
        // errors judged on how the run ended (e.g. a needle never disposed of)
        for (i, cond) in scenario.errorEndConditions.enumerated() {
            if let cond, truth(cond.code, obs) { raise(i, emit) }
        }
        state.ended = true; state.failed = failed
        emit(.ended(reason: reason))
    }

    /// Sets a variable within its `min` and `max`; a non-finite value changes nothing.
    private mutating func setClamped(_ i: Int, _ v: Double) {
        guard v.isFinite else { return }
        state.variables[i] = Swift.min(scenario.variables[i].max, Swift.max(scenario.variables[i].min, v))
    }

    private mutating func raise(_ i: Int, _ emit: (ProcedureEvent.Kind) -> Void) {
        guard state.errorCounts[i] < scenario.rubric.errors[i].maxCount else { return }
        state.errorCounts[i] += 1
        emit(.error(error: i))
    }

    private mutating func apply(_ e: Effect, _ obs: Observations, _ emit: (ProcedureEvent.Kind) -> Void, _ commands: inout [SceneCommand]) {
        switch e {
        case let .setVariable(i, v): setClamped(i, v)
        case let .setVariableTo(i, x): setClamped(i, value(x.code, obs))
        case let .trendVariable(i, r): state.trends[i] = r
        case let .message(t): emit(.message(text: t))
        case let .enableSteps(s): for i in s { state.enabled[i] = true }
        case let .skipSteps(s):
            for i in s where state.steps[i] == .pending || state.steps[i] == .active {
                state.steps[i] = .skipped; state.settledAt[i] = obs.time; emit(.stepSkipped(step: i))
            }
        case let .retrySteps(s, max): retry(s, max: max, emit)
        case let .moveBody(b, p): commands.append(.moveBody(b, p))
        case let .setMaterial(b, m): commands.append(.setMaterial(b, m))
        case let .raiseError(i): raise(i, emit)
        case let .end(reason, failed): end(reason, failed: failed, obs, emit)
        }
    }

    /// One pass over the steps; returns true if any step changed state.
    private mutating func advanceSteps(_ obs: Observations, _ emit: (ProcedureEvent.Kind) -> Void) -> Bool {
        var changed = false
        let steps = scenario.steps
        for i in steps.indices {
            // fields are read in place: a copy of a Step retains all its strings and expressions
            switch state.steps[i] {
            case .pending:
                // a branch not taken upstream makes this one not taken too
                if steps[i].after.contains(where: { state.notTaken[$0] }) || (!steps[i].afterAny.isEmpty && steps[i].afterAny.allSatisfy({ state.notTaken[$0] })) {
                    state.steps[i] = .skipped; state.notTaken[i] = true; state.settledAt[i] = obs.time
                    emit(.stepSkipped(step: i)); changed = true; continue
                }
                guard state.enabled[i] else { continue }
                let ready = steps[i].after.allSatisfy { settledForSuccessors($0) } &&
                    (steps[i].afterAny.isEmpty || steps[i].afterAny.contains { state.steps[$0] == .completed })
                if ready, steps[i].precondition.map({ truth($0.code, obs) }) ?? true {
                    state.steps[i] = .active; state.activatedAt[i] = obs.time
                    emit(.stepStarted(step: i)); changed = true
                } else {
                    // done before its turn: record once, on the condition's rising edge
                    // (a condition already true on the first tick is the scene's starting state, not an action)
                    let now = truth(steps[i].completeWhen.code, obs)
                    if now && !state.completePrev[i] && !state.outOfOrderReported[i] && state.primed {
                        state.outOfOrderReported[i] = true
                        emit(.stepOutOfOrder(step: i))
                    }
                    state.completePrev[i] = now
                }
            case .active:
                if truth(steps[i].completeWhen.code, obs) {
                    state.steps[i] = .completed; state.settledAt[i] = obs.time
                    emit(.stepCompleted(step: i)); changed = true
                    if let group = steps[i].choice {
                        for j in steps.indices where j != i && steps[j].choice == group && (state.steps[j] == .pending || state.steps[j] == .active) {
                            state.steps[j] = .skipped; state.notTaken[j] = true; state.settledAt[j] = obs.time
                            emit(.stepSkipped(step: j))
                        }
                    }
                } else if let f = steps[i].failWhen, truth(f.code, obs) {
                    fail(i, "fail condition met", obs, emit); changed = true
                } else if let limit = steps[i].timeLimit, obs.time - state.activatedAt[i] >= limit - 1e-9 {
                    fail(i, "time limit", obs, emit); changed = true
                }
            case .completed, .failed, .skipped:
                break
            }
        }
        return changed
    }

    /// Sends `steps` (those under their retry limit and not pending) back to pending, and with them
    /// every step that waits on one of them, directly or through others, and is not completed: it
    /// was started, or failed or was skipped, because this step had settled.
    private mutating func retry(_ steps: [Int], max: Int?, _ emit: (ProcedureEvent.Kind) -> Void) {
        var reset = Set(steps.filter { i in state.steps[i] != .pending && (max.map { state.retries[i] < $0 } ?? true) })
        for i in reset.sorted() { state.retries[i] += 1 }
        var grew = true
        while grew {
            grew = false
            for (j, st) in scenario.steps.enumerated() where !reset.contains(j) && state.steps[j] != .completed && state.steps[j] != .pending {
                if st.after.contains(where: reset.contains) || st.afterAny.contains(where: reset.contains) { reset.insert(j); grew = true }
            }
        }
        for i in reset.sorted() {
            state.steps[i] = .pending; state.notTaken[i] = false; state.activatedAt[i] = -1; state.settledAt[i] = -1
            state.completePrev[i] = false
            emit(.stepRetried(step: i))
        }
    }

    private func settledForSuccessors(_ j: Int) -> Bool {
        switch state.steps[j] {
        case .completed, .failed, .skipped: true
        case .active: scenario.steps[j].optional
        case .pending: false
        }
    }

    private mutating func fail(_ i: Int, _ reason: String, _ obs: Observations, _ emit: (ProcedureEvent.Kind) -> Void) {
        state.steps[i] = .failed; state.settledAt[i] = obs.time
        emit(.stepFailed(step: i, reason: reason))
    }
}

/// The recent values of one `peak(x, window)`: (time, value) from oldest to newest, each value
/// larger than every later one (a smaller older value can never be the peak again), so the front is
/// the window's maximum and the queue holds at most the ticks of one window.
struct PeakWindow: Sendable, Equatable {
    var times: [Double] = []
    var values: [Double] = []
    var head = 0

    mutating func push(_ t: Double, _ v: Double, window: Double) {
        guard v.isFinite else { return }
        while values.count > head, values[values.count - 1] <= v { times.removeLast(); values.removeLast() }
        times.append(t); values.append(v)
        while head < times.count, times[head] <= t - window + 1e-9 { head += 1 }
        // drop what the head has passed once it is most of the storage
        if head > 64, head * 2 > times.count { times.removeFirst(head); values.removeFirst(head); head = 0 }
    }

    /// The largest value recorded after time `t`, if any.
    func max(after t: Double) -> Double? {
        var i = head
        while i < times.count, times[i] <= t + 1e-9 { i += 1 }
        return i < values.count ? values[i] : nil
    }
}
