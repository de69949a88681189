// One live session: a `Session` stepped at the scenario's fixed tick by the wall clock, fed by the
// samples a front end streams, recorded as it runs.
//
// Determinism: the clock only decides *when* a tick runs and which samples have arrived by then.
// The input of tick k (time k·dt) is resampled from those samples (the `Resampler` every source
// uses), appended to the trace with time k·dt, and the session steps on the frame the recorder
// returns — the viewer's `--record` design. A replay of the trace asks the resampler for time k·dt,
// finds a sample at exactly that time and gets it back bit for bit, so `practicum score` of the
// server's trace reproduces the live report byte for byte. Recording the tick's input, not the raw
// samples, means the live run never waits for the sample after a tick (which a replay of raw
// samples would interpolate towards); the cost is a trace at the tick rate (240 Hz) rather than
// the headset's 90 Hz.
//
// Isolation: each session has its own lock and its own tick task; a consumer only ever receives
// through its bounded `Outbox`, so a slow socket drops its own frames (counted) and never holds the
// lock or delays a tick.
import Foundation
import PracticumCore
import PracticumPhysics
import PracticumScenario
import PracticumScoring
import PracticumSession

/// What the server tells every consumer of a session; shared between consumers.
enum Outgoing: Sendable {
    /// A side message (steps, events, vitals…): the next one carries the whole state again, so it may be dropped.
    case text(String)
    /// A reply or notice the peer waits for (welcome, started, status, error, ended): dropped only
    /// when the queue holds nothing else.
    case reply(String)
    /// A state frame whose dropped-frame count each consumer patches in.
    case state([UInt8])
    case binary([UInt8])

    var droppable: Bool { if case .reply = self { false } else { true } }
}

/// One consumer's bounded outgoing queue. The tick loop only ever `send`s, which never blocks:
/// when `capacity` messages wait, the oldest droppable one goes (and is counted), so replies
/// survive a flood of state. The connection's writer task takes them with `next()`.
final class Outbox: @unchecked Sendable {
    let capacity: Int
    private let lock = NSLock()
    private var queue: [Outgoing] = []
    private var head = 0
    private var waiter: CheckedContinuation<Outgoing?, Never>?
    private var finished = false
    private var droppedCount = 0

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Messages this consumer lost because it read too slowly.
    var dropped: Int { lock.withLock { droppedCount } }

    func send(_ m: Outgoing) {
        let resume: CheckedContinuation<Outgoing?, Never>? = lock.withLock {
            guard !finished else { return nil }
            if let w = waiter { waiter = nil; return w }
            if queue.count - head >= capacity {
                let victim = queue[head...].firstIndex(where: \.droppable) ?? head
                queue.remove(at: victim)
                droppedCount += 1
            }
            queue.append(m)
            if head > 1024 { queue.removeFirst(head); head = 0 }
            return nil
        }
        resume?.resume(returning: m)
    }

    /// The next message, waiting for one; nil once finished and drained.
    func next() async -> Outgoing? {
        await withCheckedContinuation { (c: CheckedContinuation<Outgoing?, Never>) in
            let now: Outgoing?? = lock.withLock {
                if head < queue.count { defer { head += 1 }; return .some(queue[head]) }
                if finished { return .some(nil) }
                waiter = c
                return nil
            }
            if let now { c.resume(returning: now) }
        }
    }

    /// No more messages: `next()` drains what is queued, then returns nil.
    func finish() {
        let w: CheckedContinuation<Outgoing?, Never>? = lock.withLock {
            finished = true
            defer { waiter = nil }
            return waiter
        }
        w?.resume(returning: nil)
    }
}

/// Settings every session of a server shares.
public struct LiveSessionSettings: Sendable {
    /// How long a session whose front end disconnected waits (paused) for it to `attach` again, in seconds (default 10).
    public var grace: Double = 10
    /// Frames one consumer's queue holds before the oldest are dropped.
    public var queueCapacity: Int = Limits.liveQueueFrames
    /// Trace flushing (default: every second of session time).
    public var flush = TraceFlushPolicy()
    public init() {}
}

/// How a session ended and where its files are.
struct LiveSessionSummary: Sendable {
    var id: String
    var reason: String
    var tracePath: String
    var reportPath: String?
    var ticks: Int
    var score: Double?
    var passed: Bool?
    /// Why the trace or report could not be written completely, if so.
    var problem: String?
}

/// A running live session (see the file comment).
final class LiveSession: @unchecked Sendable {
    let id: String
    let scenario: Scenario
    let tracePath: String
    let reportPath: String
    let trainee: String?
    let settings: LiveSessionSettings
    /// The session's tick (s).
    let dt: Double

    private let lock = NSLock()
    private let clock = ContinuousClock()
    // everything below is guarded by `lock`
    private var session: Session
    private let recorder: TraceRecorder
    private var input = Resampler()
    private var lastSequence: UInt32?
    /// Instructor triggers for the next tick (their buttons).
    private var pendingTriggers: [String] = []
    private var inputs = 0
    /// Wall-clock instant of session time 0, moved on by every pause so that session time excludes pauses.
    private var origin: ContinuousClock.Instant
    private var phase: Phase = .running
    private var frontEnd: Outbox?
    private var observers: [ObjectIdentifier: Outbox] = [:]
    private var lateness = LatenessHistogram()
    private var summary: LiveSessionSummary?
    // what consumers last saw, to send side messages only on change
    private var sentSteps: [StepStatus] = []
    private var sentMessages = 0
    private var sentVitalsAt = -Double.infinity
    private var sentVitals: [Double] = []
    private var sentSurfaceAt = -Double.infinity
    private var sentSurfaces: [Int: [Vec3]] = [:]

    enum Phase: Equatable {
        case running
        case paused(since: ContinuousClock.Instant)
        /// The front end went away; ended at `deadline` unless it attaches again.
        case held(since: ContinuousClock.Instant, deadline: ContinuousClock.Instant)
        case ended
    }

    /// Creates the session and its trace (header written and flushed before the first tick).
    init(id: String, scenario: Scenario, trainee: String?, seed: UInt64?, tracePath: String, reportPath: String,
         settings: LiveSessionSettings, started: Date) throws {
        self.id = id; self.scenario = scenario; self.trainee = trainee; self.settings = settings
        self.tracePath = tracePath; self.reportPath = reportPath
        // variation: a given seed, or a new case; the trace records it so a replay draws the same
        var header = TraceHeader(scenario: scenario, sampleRate: 1 / scenario.tickLength)
        var runSeed: UInt64 = 0
        if scenario.hasVariation {
            runSeed = seed ?? UInt64.random(in: 0...UInt64.max)
            header.metadata[TraceHeader.seedKey] = String(runSeed)
        }
        header.metadata["live.session"] = id
        header = header.stamped(trainee: trainee, attempt: nil, started: started)
        session = try Session(scenario: scenario, seed: runSeed)
        dt = session.dt
        recorder = try TraceRecorder(path: tracePath, header: header, policy: settings.flush)
        origin = clock.now
    }

    // MARK: consumers

    /// Attaches the front end (the one consumer that sends input); nil when one is attached already.
    func attachFrontEnd(_ outbox: Outbox) -> Bool {
        lock.withLock {
            guard frontEnd == nil, phase != .ended else { return false }
            frontEnd = outbox
            if case let .held(since, _) = phase { resumeLocked(since) }
            return true
        }
    }

    /// The front end's connection closed: hold the session for the grace period (paused).
    func frontEndLeft(_ outbox: Outbox) {
        lock.withLock {
            guard frontEnd === outbox else { return }
            frontEnd = nil
            let now = clock.now
            switch phase {
            case .running: phase = .held(since: now, deadline: now + .seconds(settings.grace))
            case let .paused(since): phase = .held(since: since, deadline: now + .seconds(settings.grace))
            case .held, .ended: break
            }
            recorder.flush()
        }
    }

    func addObserver(_ outbox: Outbox) { lock.withLock { observers[ObjectIdentifier(outbox)] = outbox } }
    func removeObserver(_ outbox: Outbox) { lock.withLock { _ = observers.removeValue(forKey: ObjectIdentifier(outbox)) } }

    private var consumers: [Outbox] { (frontEnd.map { [$0] } ?? []) + observers.values }

    // MARK: control

    /// Takes one input sample, timed by the session clock at its arrival.
    func receive(_ sample: LiveProtocol.Input) {
        lock.withLock {
            guard phase != .ended else { return }
            var f = sample.sample
            f.time = sessionTime(at: clock.now)
            input.append(f)
            // paused (time frozen) or far behind, samples pile up unused: keep the newest bracket only
            if input.samples.count > Self.maxPendingSamples { input.discard(before: f.time) }
            lastSequence = sample.sequence
            inputs += 1
        }
    }

    func pause() {
        lock.withLock {
            guard case .running = phase else { return }
            phase = .paused(since: clock.now)
            recorder.flush()
        }
        broadcast(.reply(statusJSON(kind: "paused")))
    }

    func resume() {
        lock.withLock {
            guard case let .paused(since) = phase else { return }
            resumeLocked(since)
        }
        broadcast(.reply(statusJSON(kind: "resumed")))
    }

    /// Session time excludes the pause: the origin moves on by its length.
    private func resumeLocked(_ since: ContinuousClock.Instant) {
        origin += clock.now - since
        phase = .running
    }

    /// Session time (s) at wall instant `now`.
    private func sessionTime(at now: ContinuousClock.Instant) -> Double {
        let frozen: ContinuousClock.Instant
        switch phase {
        case .running: frozen = now
        case let .paused(since), let .held(since, _): frozen = since
        case .ended: frozen = now
        }
        let d = frozen - origin
        return max(0, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
    }

    var isEnded: Bool { lock.withLock { phase == .ended } }
    var tick: Int { lock.withLock { session.tick } }

    /// The session's state for `status` and the session list.
    func statusJSON(kind: String = "status", dropped: Int? = nil) -> String {
        lock.withLock {
            let phaseName = switch phase {
            case .running: "running"
            case .paused: "paused"
            case .held: "held"
            case .ended: "ended"
            }
            var fields: [(String, JSONValue)] = [
                ("type", .string(kind)), ("session", .string(id)), ("scenario", .string(scenario.id)),
                ("trainee", trainee.map(JSONValue.string) ?? .null), ("state", .string(phaseName)),
                ("tick", .int(session.tick)), ("time", .number(session.time)), ("inputs", .int(inputs)),
                ("recorded_frames", .int(recorder.recordedFrames)),
                ("tick_lateness_ms", lateness.json),
                ("steps", .array(session.frame.steps.map { .string($0.rawValue) })),
            ]
            if let dropped { fields.append(("dropped_frames", .int(dropped))) }
            return JSONValue.object(fields).text
        }
    }

    /// Ids of the events an instructor may fire (`instructor: true`), in scenario order.
    var instructorEvents: [String] { scenario.events.filter(\.instructor).map(\.id) }

    /// Fires an instructor-triggerable event at the next tick: its button goes into that tick's
    /// recorded input (docs/trace-format.md, "Instructor triggers"); an error when it is not one.
    func trigger(event: String) -> LiveError? {
        guard let e = scenario.events.first(where: { $0.id == event && $0.instructor }) else {
            return .refused("'\(event.quotedForMessage())' is not an event the instructor can trigger in '\(scenario.id)'")
        }
        return lock.withLock {
            guard phase != .ended else { return .refused("the session has ended") }
            if !pendingTriggers.contains(e.instructorButton) { pendingTriggers.append(e.instructorButton) }
            return nil
        }
    }

    // MARK: the tick loop

    /// Runs ticks as the clock makes them due until the session ends; then finishes its files.
    func run() async -> LiveSessionSummary {
        while true {
            let wake: ContinuousClock.Instant? = lock.withLock {
                switch phase {
                case .running: origin + .seconds(Double(session.tick + 1) * dt)
                case let .held(_, deadline): min(deadline, clock.now + .milliseconds(50))
                case .paused: clock.now + .milliseconds(50)
                case .ended: nil
                }
            }
            guard let wake else { break }
            try? await clock.sleep(until: wake, tolerance: .microseconds(50))
            if Task.isCancelled { _ = end(reason: "server shutdown"); break }
            let (out, endReason) = lock.withLock { runDueTicks() }
            for m in out { broadcast(m) }
            if let endReason { _ = end(reason: endReason) }
        }
        return lock.withLock { summary! }
    }

    /// Samples kept waiting for ticks before the older ones are dropped (45 s at 90 Hz).
    static let maxPendingSamples = 4096

    /// Most ticks one wake runs before state goes out: an overloaded machine catches up in bursts
    /// but consumers still hear from it.
    static let catchUpTicks = 64

    /// The ticks due by now, and what to tell consumers; a reason when the session must end.
    private func runDueTicks() -> ([Outgoing], String?) {
        let now = clock.now
        if case let .held(_, deadline) = phase, now >= deadline { return ([], "front end disconnected") }
        guard case .running = phase else { return ([], nil) }
        var ran = 0
        var events: [ProcedureEvent] = []
        while ran < Self.catchUpTicks, !session.ended {
            let t = Double(session.tick + 1) * dt
            let due = origin + .seconds(t)
            guard due <= now else { break }
            guard t <= Limits.traceDuration else { return ([], "the two-hour limit of a recording") }
            lateness.add(now - due)
            var f = input.frame(at: t)
            input.discard(before: t)
            if !pendingTriggers.isEmpty {
                // the trigger is part of this tick's input, so the trace replays it at this tick
                f.buttons = Array(Set(f.buttons + pendingTriggers.prefix(max(0, Limits.buttons - f.buttons.count)))).sorted()
                pendingTriggers = []
            }
            // samples were checked on arrival, so only a write error can refuse one: the trace would miss a tick
            guard let stored = recorder.record(f) else { return ([], "the trace cannot be written: \(recorder.writeError.map { "\($0)" } ?? "refused")") }
            session.step(stored)
            events += session.frame.events
            ran += 1
        }
        guard ran > 0 else { return ([], nil) }
        var out = stateMessages(events: events)
        if session.ended { out.append(.text(statusJSON(kindLocked: "procedure_ended"))) }
        return (out, session.ended ? "procedure ended" : nil)
    }

    private func statusJSON(kindLocked kind: String) -> String {
        JSONValue.object([("type", .string(kind)), ("session", .string(id)), ("tick", .int(session.tick))]).text
    }

    /// The binary state frame, and JSON side messages for what changed.
    private func stateMessages(events: [ProcedureEvent]) -> [Outgoing] {
        let obs = session.observations, frame = session.frame, s = scenario
        var out: [Outgoing] = [.state(LiveProtocol.encodeState(tick: session.tick, time: session.time, lastSequence: lastSequence,
                                                               bodies: obs.bodies.map(\.pose), couplingForces: obs.hands.map(\.couplingForce)))]
        let tick = JSONValue.int(session.tick)
        if frame.steps != sentSteps {
            sentSteps = frame.steps
            out.append(.text(stepsJSON()))
        }
        if !events.isEmpty {
            out.append(.text(JSONValue.object([("type", .string("events")), ("tick", tick),
                                               ("events", .array(events.map { LiveSession.eventJSON($0, s) }))]).text))
        }
        let messages = session.recentMessages
        let total = messages.last.map { _ in messages.count } ?? 0
        if total != sentMessages || (messages.last.map { $0.tick == session.tick } ?? false) {
            sentMessages = total
            out.append(.text(JSONValue.object([("type", .string("hud")), ("tick", tick), ("messages", .array(messages.suffix(4).compactMap { e in
                if case let .message(t) = e.kind { return .object([("time", .number(e.time)), ("text", .string(t))]) }
                return nil
            }))]).text))
        }
        // vitals and gauges move every tick: at most ten times a second, and only when they changed
        if session.time - sentVitalsAt >= 0.1 - 1e-9, frame.variables + frame.cues != sentVitals {
            sentVitalsAt = session.time
            sentVitals = frame.variables + frame.cues
            out.append(.text(vitalsJSON()))
        }
        // deformable surfaces: at most 30 times a second, each only when it moved
        if session.time - sentSurfaceAt >= 1.0 / 30 - 1e-9, let model = session.world.model.tissueSystem, let ts = session.world.state.tissue {
            sentSurfaceAt = session.time
            for (k, t) in model.tissues.enumerated() {
                guard case .deformable = t, case let .deformable(st) = ts.tissues[k], sentSurfaces[k] != st.soft.positions else { continue }
                sentSurfaces[k] = st.soft.positions
                out.append(.binary(LiveProtocol.encodeSurface(tissue: k, tick: session.tick, positions: st.soft.positions)))
            }
        }
        return out
    }

    /// The state of every step now.
    private func stepsJSON() -> String {
        JSONValue.object([("type", .string("steps")), ("tick", .int(session.tick)), ("time", .number(session.time)),
                          ("steps", .array(session.frame.steps.map { .string($0.rawValue) }))]).text
    }

    /// The visible variables and the gauges shown now, in display units.
    private func vitalsJSON() -> String {
        let frame = session.frame, s = scenario
        let vitals: [JSONValue] = s.variables.enumerated().filter { !$0.element.hidden }.map { i, v in
                let value = i < frame.variables.count ? frame.variables[i] : v.initial
                return .object([("id", .string(v.id)), ("name", .string(v.title)), ("value", .number(value / (v.unitScale == 0 ? 1 : v.unitScale))),
                                ("unit", .string(v.unit)), ("alarm", .bool(value <= v.min + 1e-12 || value >= v.max - 1e-12))])
            }
            let gauges: [JSONValue] = s.cues.gauges.compactMap { g in
                if let w = g.shownWhen, !(w < frame.cues.count && frame.cues[w] != 0) { return nil }
                let k = g.unitScale == 0 ? 1 : g.unitScale
                let raw = g.value < frame.cues.count && frame.cues[g.value].isFinite ? frame.cues[g.value] : 0
                return .object([("title", .string(g.title)), ("value", .number(raw / k)), ("unit", .string(g.unit)),
                                ("low", .number(g.low / k)), ("high", .number(g.high / k))])
            }
        return JSONValue.object([("type", .string("vitals")), ("tick", .int(session.tick)), ("time", .number(session.time)),
                                 ("vitals", .array(vitals)), ("gauges", .array(gauges))]).text
    }

    /// What a consumer that joins now needs before the next change: the steps and vitals as they are.
    func snapshotMessages() -> [String] { lock.withLock { [stepsJSON(), vitalsJSON()] } }

    /// One procedure event as JSON, with the names of what it refers to.
    static func eventJSON(_ e: ProcedureEvent, _ s: Scenario) -> JSONValue {
        var f: [(String, JSONValue)] = [("tick", .int(e.tick)), ("time", .number(e.time))]
        func step(_ kind: String, _ i: Int) {
            f += [("kind", .string(kind)), ("step", .string(i < s.steps.count ? s.steps[i].id : "\(i)")),
                  ("title", .string(i < s.steps.count ? s.steps[i].title : ""))]
        }
        switch e.kind {
        case let .stepStarted(i): step("step_started", i)
        case let .stepCompleted(i): step("step_completed", i)
        case let .stepFailed(i, reason): step("step_failed", i); f.append(("reason", .string(reason)))
        case let .stepSkipped(i): step("step_skipped", i)
        case let .stepRetried(i): step("step_retried", i)
        case let .stepOutOfOrder(i): step("step_out_of_order", i)
        case let .error(i):
            f += [("kind", .string("error")), ("title", .string(i < s.rubric.errors.count ? s.rubric.errors[i].title : "\(i)"))]
        case let .eventFired(i): f += [("kind", .string("event_fired")), ("event", .string(i < s.events.count ? s.events[i].id : "\(i)"))]
        case let .message(t): f += [("kind", .string("message")), ("text", .string(t))]
        case let .sample(m, v): f += [("kind", .string("sample")), ("metric", .int(m)), ("value", .number(v))]
        case let .ended(reason): f += [("kind", .string("ended")), ("reason", .string(reason))]
        }
        return .object(f)
    }

    /// Sends `m` to every consumer (never blocks).
    func broadcast(_ m: Outgoing) {
        for c in lock.withLock({ consumers }) { c.send(m) }
    }

    // MARK: ending

    /// Ends the session (once): finishes the run, closes the trace (its `end` line), writes the
    /// report exactly as `practicum score` of the trace would, and tells every consumer.
    @discardableResult
    func end(reason: String) -> LiveSessionSummary {
        let (summary, ended, all) = lock.withLock { () -> (LiveSessionSummary, Bool, [Outbox]) in
            if let s = self.summary { return (s, false, []) }
            phase = .ended
            session.finish()
            var problem: String?
            var reportPath: String? = self.reportPath
            var score: Double?, passed: Bool?
            do { try recorder.finish() } catch { problem = "\(error)"; reportPath = nil }
            if reportPath != nil {
                // the report of the trace: what `practicum score SCENARIO TRACE` writes for it
                var report = session.report()
                report.context.traceHash = Replay.traceHash(contentsOf: tracePath)
                report.attempt = recorder.header.attemptInfo
                do { try OutputFile.write(report.json(), to: self.reportPath, replace: false) } catch { problem = "\(error)"; reportPath = nil }
                score = report.score; passed = report.passed
            }
            let s = LiveSessionSummary(id: id, reason: reason, tracePath: tracePath, reportPath: reportPath, ticks: session.tick,
                                       score: score, passed: passed, problem: problem)
            self.summary = s
            return (s, true, consumers)
        }
        if ended {
            let text = JSONValue.object([
                ("type", .string("ended")), ("session", .string(id)), ("reason", .string(reason)), ("tick", .int(summary.ticks)),
                ("trace", .string(summary.tracePath)), ("report", summary.reportPath.map(JSONValue.string) ?? .null),
                ("score", summary.score.map(JSONValue.number) ?? .null), ("passed", summary.passed.map(JSONValue.bool) ?? .null),
                ("problem", summary.problem.map(JSONValue.string) ?? .null),
            ]).text
            for c in all { c.send(.reply(text)) }
        }
        return summary
    }
}

/// Tick lateness against schedule, in 0.1 ms bins up to 1 s (the last bin holds the rest).
struct LatenessHistogram {
    private var bins = [Int](repeating: 0, count: 10_001)
    private(set) var count = 0
    private(set) var maxMs = 0.0

    mutating func add(_ d: Duration) {
        // whole microseconds, so that bin edges are exact
        let us = max(0, d.components.seconds * 1_000_000 + d.components.attoseconds / 1_000_000_000_000)
        let ms = Double(us) / 1000
        bins[Int(min(Int64(bins.count - 1), us / 100))] += 1
        count += 1
        maxMs = max(maxMs, ms)
    }

    /// The upper edge of the bin holding quantile `q` (ms).
    func quantile(_ q: Double) -> Double {
        guard count > 0 else { return 0 }
        let rank = Int((Double(count) * q).rounded(.up))
        var seen = 0
        for (i, n) in bins.enumerated() {
            seen += n
            if seen >= max(rank, 1) { return Double(i + 1) / 10 }
        }
        return maxMs
    }

    var json: JSONValue {
        .object([("ticks", .int(count)), ("p50", .number(quantile(0.5))), ("p99", .number(quantile(0.99))), ("max", .number((maxMs * 10).rounded() / 10))])
    }
}
