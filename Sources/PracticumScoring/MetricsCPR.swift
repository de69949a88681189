import PracticumCore

// CPR quality from the displacement of the chest body along the compression axis, judged against
// the American Heart Association 2020 guidelines (Panchal et al., Circulation 2020;142:S366–S468):
// rate 100–120/min, depth 5–6 cm, full recoil after each compression, chest-compression fraction
// > 80 %, pauses < 10 s.
//
// Depth d(t) = (p(t) − p(t₀)) · axis, with p(t₀) the body's first observed position (the chest at
// rest). A compression starts when d rises above `onset` and ends when d falls back below it; its
// depth is the peak of d in between. Its recoil is the lowest d between its end and the next
// compression's start (or the end of the run): full when |lowest d| ≤ `recoil_tolerance` (back to
// rest, not lifted above it). A gap between one
// compression's end and the next one's start (or the end of the run) is hands-off time; gaps of at
// least `pause_threshold` are pauses. The rate is (number of onset-to-onset intervals not containing
// a pause) / (their total duration). The CPR window runs from the first compression's start to the
// end of the run; CCF = 1 − (pause time in the window) / (window length). The adequate-depth
// fraction counts compressions whose depth lies in [min_depth, max_depth]; the adequate-rate
// fraction counts rate intervals whose instantaneous rate 1/interval lies in [min_rate, max_rate].

struct CPRParameters: Sendable {
    var body: Int
    var axis: Vec3
    var onset: Double
    var recoilTolerance: Double
    var pauseThreshold: Double
    /// Adequate depth and rate bands (AHA 2020 by default) for the `adequate_*` fractions.
    var depthBand: ClosedRange<Double> = 0.05...0.06
    var rateBand: ClosedRange<Double> = (100.0 / 60)...(120.0 / 60)
}

struct CPRAxis {
    let vector: Vec3
    init?(_ text: String) {
        let t = text.trimmingCharacters(in: " ")
        let negative = t.hasPrefix("-")
        let base: Vec3
        switch negative ? String(t.dropFirst()) : t {
        case "x": base = .unitX
        case "y": base = .unitY
        case "z": base = .unitZ
        default: return nil
        }
        vector = negative ? -base : base
    }
}

private extension String {
    func trimmingCharacters(in c: Character) -> String {
        var s = Substring(self)
        while s.first == c { s.removeFirst() }
        while s.last == c { s.removeLast() }
        return String(s)
    }
}

/// The compression state machine shared by the CPR metrics (and the debrief's waveform).
struct CPRAnalysis: Sendable {
    let p: CPRParameters
    var rest: Vec3?
    var lastTime = 0.0
    var compressing = false
    var currentPeak = 0.0
    // per-compression aggregates
    var compressions = 0
    var depthSum = 0.0
    var fullRecoils = 0
    var firstOnset: Double?
    var lastOnset: Double?
    var lastRelease: Double?
    var minSinceRelease = Double.infinity
    var rateIntervals = 0
    var rateTime = 0.0
    var adequateDepths = 0
    var adequateRates = 0
    var pauseTime = 0.0
    var longestGap = 0.0

    init(_ p: CPRParameters) { self.p = p }

    /// Compression depth at this tick, or nil when the body is not observed.
    func depth(in o: Observations) -> Double? {
        guard p.body >= 0, p.body < o.bodies.count, let rest else { return nil }
        return (o.bodies[p.body].pose.position - rest).dot(p.axis)
    }

    mutating func update(_ o: Observations) {
        guard p.body >= 0, p.body < o.bodies.count, o.bodies[p.body].pose.position.isFinite else { return }
        if rest == nil { rest = o.bodies[p.body].pose.position }
        let d = depth(in: o)!
        lastTime = o.time
        if compressing {
            currentPeak = max(currentPeak, d)
            if d < p.onset {
                compressing = false
                compressions += 1
                depthSum += currentPeak
                if p.depthBand.contains(currentPeak) { adequateDepths += 1 }
                lastRelease = o.time
                minSinceRelease = d
            }
        } else if d > p.onset {
            // a new compression: close the previous one's recoil and gap
            if let lastOnset, let lastRelease, o.time - lastRelease < p.pauseThreshold {
                rateIntervals += 1
                rateTime += o.time - lastOnset
                if p.rateBand.contains(1 / (o.time - lastOnset)) { adequateRates += 1 }
            }
            closeGap(until: o.time)
            if firstOnset == nil { firstOnset = o.time }
            lastOnset = o.time
            compressing = true
            currentPeak = d
        } else if lastRelease != nil {
            minSinceRelease = min(minSinceRelease, d)
        }
    }

    private mutating func closeGap(until t: Double) {
        guard let lastRelease else { return }
        // full recoil is a return to rest: within the tolerance of it on both sides (a chest pulled
        // above rest has not recoiled, it has been lifted)
        if abs(minSinceRelease) <= p.recoilTolerance { fullRecoils += 1 }
        let gap = t - lastRelease
        longestGap = max(longestGap, gap)
        if gap >= p.pauseThreshold { pauseTime += gap }
        self.lastRelease = nil
        minSinceRelease = .infinity
    }

    /// The totals with the trailing gap (last release → end of run) and an unfinished compression closed.
    var closed: CPRAnalysis {
        var c = self
        if c.compressing {
            // the run ended mid-compression: count it, without recoil
            c.compressing = false
            c.compressions += 1
            c.depthSum += c.currentPeak
            if c.p.depthBand.contains(c.currentPeak) { c.adequateDepths += 1 }
        } else {
            c.closeGap(until: c.lastTime)
        }
        return c
    }
}

struct CPRMetric: MetricAccumulator {
    enum Output: String, Sendable {
        case compression_rate, compression_depth, full_recoil_fraction, compression_fraction, longest_pause, compression_count
        case adequate_depth_fraction, adequate_rate_fraction
    }
    var analysis: CPRAnalysis
    let output: Output
    init(_ analysis: CPRAnalysis, output: Output) { self.analysis = analysis; self.output = output }

    mutating func update(_ o: Observations, _ f: ProcedureFrame) { analysis.update(o) }

    func finish() -> MetricResult {
        let c = analysis.closed
        let n = Double(c.compressions)
        // no compressions: nothing was measured, so no value (and no points), except the count itself
        let none = MetricResult(0, defined: false, note: "no compressions")
        let tooFew = MetricResult(0, defined: false, note: "fewer than two compressions in a row")
        switch output {
        case .compression_count: return MetricResult(n)
        case .compression_rate:
            return c.rateTime > 0 ? MetricResult(Double(c.rateIntervals) / c.rateTime) : tooFew
        case .compression_depth: return c.compressions > 0 ? MetricResult(c.depthSum / n) : none
        case .full_recoil_fraction: return c.compressions > 0 ? MetricResult(Double(c.fullRecoils) / n) : none
        case .compression_fraction:
            guard let first = c.firstOnset, c.lastTime > first else { return none }
            return MetricResult(1 - c.pauseTime / (c.lastTime - first))
        case .adequate_depth_fraction:
            return c.compressions > 0 ? MetricResult(Double(c.adequateDepths) / n) : none
        case .adequate_rate_fraction:
            return c.rateIntervals > 0 ? MetricResult(Double(c.adequateRates) / Double(c.rateIntervals)) : tooFew
        case .longest_pause:
            return c.compressions > 0 ? MetricResult(c.longestGap) : MetricResult(c.lastTime, defined: false, note: "no compressions")
        }
    }
}
