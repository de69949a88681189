import Foundation
import PracticumCore
@testable import PracticumScoring

/// One tick of a synthetic run.
struct Tick {
    var obs: Observations
    var frame: ProcedureFrame
}

func frame(_ tick: Int, _ time: Double, events: [ProcedureEvent.Kind] = [], steps: [StepStatus] = [],
           variables: [Double] = [], ended: Bool = false) -> ProcedureFrame {
    ProcedureFrame(tick: tick, time: time, variables: variables, steps: steps,
                   events: events.map { ProcedureEvent(tick: tick, time: time, kind: $0) }, ended: ended)
}

/// Ticks at times `k · dt` (k = 1…) with body 0 at the given positions.
func bodyPath(_ positions: [Vec3], dt: Double = 0.1) -> [Tick] {
    positions.enumerated().map { k, p in
        let t = Double(k + 1) * dt
        return Tick(obs: Observations(tick: k + 1, time: t, bodies: [.init(pose: Pose(position: p))]), frame: frame(k + 1, t))
    }
}

/// Ticks with only procedure frames (observations carry tick and time).
func frames(_ fs: [ProcedureFrame]) -> [Tick] {
    fs.map { Tick(obs: Observations(tick: $0.tick, time: $0.time), frame: $0) }
}

func evaluate(_ kind: String, _ params: [String: MetricArgument] = [:], rubricIndex: Int = 0, _ ticks: [Tick]) throws -> MetricResult {
    var m = try MetricLibrary.make(MetricInstance(kind: kind, params: params), rubricIndex: rubricIndex)
    for t in ticks { m.update(t.obs, t.frame) }
    return m.finish()
}

/// A synthetic CPR trace: the chest body (index 0) is pushed along −y.
///
/// Each compression cycle of period T: depth ramps from the residual to the peak over T/4, holds
/// T/4, ramps back over T/4 and holds the residual for T/4 (flat tops make the sampled peak exact).
struct CPRTrace {
    enum Segment { case compressions(count: Int, perMinute: Double, depth: Double, residual: Double), rest(Double) }
    var segments: [Segment]
    var dt = 0.002

    /// Depth at time t (piecewise linear).
    func depth(at t: Double) -> Double {
        var start = 0.0
        for s in segments {
            switch s {
            case let .rest(d):
                if t < start + d { return 0 }
                start += d
            case let .compressions(n, rate, depth, residual):
                let period = 60 / rate
                if t < start + Double(n) * period {
                    let phase = (t - start).truncatingRemainder(dividingBy: period) / period
                    let base = (t - start) < period ? 0 : residual   // the first compression starts from rest
                    switch phase {
                    case ..<0.25: return base + (depth - base) * phase / 0.25
                    case ..<0.5: return depth
                    case ..<0.75: return depth - (depth - residual) * (phase - 0.5) / 0.25
                    default: return residual
                    }
                }
                start += Double(n) * period
            }
        }
        return 0
    }

    var duration: Double {
        segments.reduce(0) { sum, s in
            switch s {
            case let .rest(d): sum + d
            case let .compressions(n, rate, _, _): sum + Double(n) * 60 / rate
            }
        }
    }

    var ticks: [Tick] {
        let n = Int((duration / dt).rounded(.down))
        return (0...n).map { k in
            let t = Double(k) * dt
            let p = Vec3(0, -depth(at: t), 0)
            return Tick(obs: Observations(tick: k, time: t, bodies: [.init(pose: Pose(position: p))]), frame: frame(k, t))
        }
    }

    func metric(_ name: String) throws -> MetricResult { try evaluate("cpr_" + name, ["of": .body(0)], ticks) }
}

func evaluate(_ kind: String, _ ticks: [Tick]) throws -> MetricResult { try evaluate(kind, [:], ticks) }
func evaluate(_ kind: String, rubricIndex: Int, _ ticks: [Tick]) throws -> MetricResult {
    try evaluate(kind, [:], rubricIndex: rubricIndex, ticks)
}
