import PracticumCore

// Force metrics: normal force between two bodies (from the tick's contacts) or the force on a
// deformable tissue (`Observations.tissueForces`). Peak, time-weighted mean while loaded, and time
// spent above a limit. Each tick's force holds over Δt_k = t_k − t_(k−1).

enum ForceSource: Sendable {
    case contact(of: Int, against: Int?)
    case tissue(Int)

    func force(in o: Observations) -> Double {
        switch self {
        case let .tissue(t):
            return t >= 0 && t < o.tissueForces.count ? o.tissueForces[t] : 0
        case let .contact(body, nil):
            var sum = 0.0
            for c in o.contacts where c.bodyA == body || c.bodyB == body { sum += c.normalForce }
            return sum
        case let .contact(body, other?):
            // contacts are sorted by (bodyA, bodyB): binary search the pair
            let key = (min(body, other), max(body, other))
            var lo = 0, hi = o.contacts.count
            while lo < hi {
                let mid = (lo + hi) / 2
                let c = o.contacts[mid]
                if (c.bodyA, c.bodyB) < key { lo = mid + 1 } else { hi = mid }
            }
            guard lo < o.contacts.count, o.contacts[lo].bodyA == key.0, o.contacts[lo].bodyB == key.1 else { return 0 }
            return o.contacts[lo].normalForce
        }
    }
}

struct ForceMetric: MetricAccumulator {
    enum Mode: Sendable { case peak, mean, timeAbove(Double) }
    let source: ForceSource
    let mode: Mode
    var clock = TickClock()
    var peak = 0.0
    var impulse = 0.0
    var loadedTime = 0.0
    var timeAbove = 0.0

    mutating func update(_ o: Observations, _ f: ProcedureFrame) {
        let dt = clock.advance(to: o.time)
        let force = source.force(in: o)
        guard force.isFinite, force > 0 else { return }
        peak = max(peak, force)
        impulse += force * dt
        loadedTime += dt
        if case let .timeAbove(limit) = mode, force > limit { timeAbove += dt }
    }

    func finish() -> MetricResult {
        // never loaded: the force it measures never happened, so no value (and no points)
        guard peak > 0 else { return MetricResult(0, defined: false, note: "never in contact") }
        switch mode {
        case .peak: return MetricResult(peak)
        case .mean: return MetricResult(impulse / loadedTime)
        case .timeAbove: return MetricResult(timeAbove)
        }
    }
}

/// Largest |axial| or lateral force over the needles (or one needle) across the run.
struct PeakNeedleForce: MetricAccumulator {
    let needle: Int?
    let lateral: Bool
    var peak = 0.0
    mutating func update(_ o: Observations, _ f: ProcedureFrame) {
        for n in o.needles where (needle ?? n.needle) == n.needle {
            let v = abs(lateral ? n.lateralForce : n.axialForce)
            if v.isFinite { peak = max(peak, v) }
        }
    }
    func finish() -> MetricResult { peak > 0 ? MetricResult(peak) : MetricResult(0, defined: false, note: "the needle was never loaded") }
}
