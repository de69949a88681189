import Foundation
import PracticumCore

// Motion metrics of an instrument or hand, from its pose each tick. Speeds are finite differences
// of positions (hands carry no velocity); smoothness follows Balasubramanian, Melendez-Calderon,
// Roby-Brami & Burdet (2015), "On the analysis of movement smoothness", J NeuroEng Rehabil 12:112,
// and Balasubramanian et al. (2012), IEEE TBME 59(8): log dimensionless jerk
//   LDLJ = −ln( (t₂ − t₁)³ / v_peak² · ∫ |d²v/dt²|² dt ).

/// Whether the trainee ever handled what a motion metric follows: a body grasped by a hand, or a
/// hand that grasped something. Motion metrics measure handling; a body nobody picked up (it may
/// still settle or be knocked) or a hand that never took hold of anything has no value, so a run in
/// which the trainee does nothing earns no points for short paths (docs/metrics.md).
struct HandlingWatch: Sendable {
    let of: Tracked
    private(set) var handled = false
    init(_ of: Tracked) { self.of = of }
    mutating func see(_ o: Observations) {
        guard !handled else { return }
        switch of {
        case let .body(b): handled = o.hands.contains { $0.grasped == b }
        case let .hand(h): handled = h >= 0 && h < o.hands.count && o.hands[h].grasped != nil
        }
    }
    /// `value` when handled, else undefined.
    func result(_ value: MetricResult) -> MetricResult {
        handled ? value : MetricResult(value.value, defined: false, note: of.isHand ? "the hand never held anything" : "never handled")
    }
}

/// Σ |p_k − p_(k−1)| over ticks.
struct PathLength: MetricAccumulator {
    let of: Tracked
    var last: Vec3?
    var total = 0.0
    var watch: HandlingWatch
    init(of: Tracked) { self.of = of; watch = HandlingWatch(of) }
    mutating func update(_ o: Observations, _ f: ProcedureFrame) {
        watch.see(o)
        guard let p = of.pose(in: o)?.position, p.isFinite else { return }
        if let last { total += p.distance(to: last) }
        last = p
    }
    func finish() -> MetricResult { watch.result(MetricResult(total)) }
}

/// Σ angle(q_(k−1), q_k): the rotation between consecutive orientations (rad).
struct AngularPathLength: MetricAccumulator {
    let of: Tracked
    var last: Quat?
    var total = 0.0
    var watch: HandlingWatch
    init(of: Tracked) { self.of = of; watch = HandlingWatch(of) }
    mutating func update(_ o: Observations, _ f: ProcedureFrame) {
        watch.see(o)
        guard let q = of.pose(in: o)?.orientation, q.isFinite else { return }
        if let last { total += last.angle(to: q) }
        last = q
    }
    func finish() -> MetricResult { watch.result(MetricResult(total)) }
}

/// max(L, d_min) / max(d, d_min): path length over straight-line distance from first to last position.
struct EconomyOfMotion: MetricAccumulator {
    let of: Tracked
    let minDistance: Double
    var path: PathLength
    var first: Vec3?
    init(of: Tracked, minDistance: Double) { self.of = of; self.minDistance = max(minDistance, 1e-9); path = PathLength(of: of) }
    mutating func update(_ o: Observations, _ f: ProcedureFrame) {
        path.update(o, f)
        if first == nil { first = path.last }
    }
    func finish() -> MetricResult {
        guard let first, let last = path.last else { return MetricResult(1, defined: false, note: "never observed") }
        let d = first.distance(to: last)
        return path.watch.result(MetricResult(max(path.total, d, minDistance) / max(d, minDistance),
                                              note: d < minDistance ? "start and end closer than \(minDistance) m" : nil))
    }
}

/// Speed from consecutive positions, |Δp| / Δt, for ticks with Δt > 0.
struct SpeedProbe: Sendable {
    let of: Tracked
    var last: (p: Vec3, t: Double)?
    /// Speed over the interval ending at this tick and that interval, or nil on the first sample.
    mutating func sample(_ o: Observations) -> (speed: Double, dt: Double)? {
        guard let p = of.pose(in: o)?.position, p.isFinite else { return nil }
        defer { last = (p, o.time) }
        guard let last, o.time > last.t else { return nil }
        let dt = o.time - last.t
        return (p.distance(to: last.p) / dt, dt)
    }
}

/// Σ Δt over intervals whose speed is below the threshold.
struct IdleTime: MetricAccumulator {
    var probe: SpeedProbe
    let threshold: Double
    var idle = 0.0
    var watch: HandlingWatch
    init(of: Tracked, threshold: Double) { probe = SpeedProbe(of: of); self.threshold = threshold; watch = HandlingWatch(of) }
    mutating func update(_ o: Observations, _ f: ProcedureFrame) {
        watch.see(o)
        if let s = probe.sample(o), s.speed < threshold { idle += s.dt }
    }
    func finish() -> MetricResult { watch.result(MetricResult(idle)) }
}

/// Movements: the speed rises above `threshold` (a movement starts) and must fall below
/// `threshold / 2` before the next one can start (hysteresis against tracking jitter).
struct MovementCount: MetricAccumulator {
    var probe: SpeedProbe
    let threshold: Double
    var moving = false
    var count = 0
    init(of: Tracked, threshold: Double) { probe = SpeedProbe(of: of); self.threshold = threshold }
    mutating func update(_ o: Observations, _ f: ProcedureFrame) {
        guard let s = probe.sample(o) else { return }
        if !moving, s.speed > threshold { moving = true; count += 1 } else if moving, s.speed < threshold / 2 { moving = false }
    }
    func finish() -> MetricResult { MetricResult(Double(count)) }
}

/// LDLJ over the whole run, on positions resampled every `interval` seconds (the first tick at or
/// after each multiple): v, a and j are first, second and third backward differences; the jerk
/// integral is Σ |j_i|² Δt_i; the duration t₂ − t₁ spans the sample intervals whose speed exceeds
/// `restSpeed` (rest before and after the movement would otherwise inflate it); DLJ is floored at
/// 1 so that LDLJ ≤ 0.
struct LogDimensionlessJerk: MetricAccumulator {
    let of: Tracked
    let interval: Double
    let restSpeed: Double
    var nextTime = 0.0
    var lastP: Vec3?
    var lastT = 0.0
    var moveStart: Double?
    var moveEnd = 0.0
    var v: Vec3?
    var a: Vec3?
    var peakSpeed = 0.0
    var jerkIntegral = 0.0
    init(of: Tracked, interval: Double, restSpeed: Double) { self.of = of; self.interval = max(interval, 1e-6); self.restSpeed = restSpeed }

    mutating func update(_ o: Observations, _ f: ProcedureFrame) {
        // the 1e-6 slack keeps t = k·Δ on the grid despite rounding (0.03 / 0.01 = 2.9999…)
        guard o.time >= nextTime - 1e-6 * interval, let p = of.pose(in: o)?.position, p.isFinite else { return }
        nextTime = (o.time / interval + 1e-6).rounded(.down) * interval + interval
        defer { lastP = p; lastT = o.time }
        guard let lastP, o.time > lastT else { return }
        let dt = o.time - lastT
        let vNew = (p - lastP) / dt
        peakSpeed = max(peakSpeed, vNew.length)
        if vNew.length > restSpeed {
            if moveStart == nil { moveStart = lastT }
            moveEnd = o.time
        }
        if let v {
            let aNew = (vNew - v) / dt
            if let a { jerkIntegral += ((aNew - a) / dt).lengthSquared * dt }
            a = aNew
        }
        v = vNew
    }

    func finish() -> MetricResult {
        guard let moveStart, a != nil, peakSpeed > 0 else { return MetricResult(0, defined: false, note: "no movement to measure") }
        let duration = moveEnd - moveStart
        let dlj = pow(duration, 3) / (peakSpeed * peakSpeed) * jerkIntegral
        return MetricResult(-log(max(dlj, 1)))
    }
}
