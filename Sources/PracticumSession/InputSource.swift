import PracticumCore

/// Where a session's input comes from: the viewer's keyboard and mouse, a recorded trace, later a
/// network client. The session asks for the input at each tick time; the source resamples.
///
/// Sources are values; the session owns one and calls `frame(at:)` with non-decreasing times.
public protocol InputSource {
    /// The input at tick time `time` (s since session start). Deterministic for a given history of samples.
    mutating func frame(at time: Double) -> InputFrame
    /// True when no further input will arrive after `time` (a replay past its last sample). Live sources never end.
    func isExhausted(at time: Double) -> Bool
}

/// Input at arbitrary times from samples taken at the tracker's rate (72–120 Hz).
///
/// Between two samples: positions, grip and trigger interpolate linearly and orientations by slerp
/// (shortest arc); buttons are those of the latest sample at or before `t`. Before the first sample
/// the first is held, after the last the last is held. At a sample's own time the sample is returned
/// bit-exactly (no renormalisation). Times are the query time, not the sample's.
public struct Resampler: Sendable {
    /// Samples in non-decreasing time order.
    public private(set) var samples: [InputFrame]
    /// Index of the sample last used as the lower bracket: sequential queries cost O(1).
    private var cursor = 0

    public init(samples: [InputFrame] = []) { self.samples = samples }

    /// Appends a sample (live and network sources); one older than the last is ignored, so a
    /// late packet cannot rewrite history the session has already used.
    public mutating func append(_ sample: InputFrame) {
        if let last = samples.last, sample.time < last.time { return }
        samples.append(sample)
    }

    /// Drops samples no longer needed for queries at or after `time`, keeping the bracket below it.
    public mutating func discard(before time: Double) {
        let keepFrom = lowerIndex(for: time) ?? 0
        if keepFrom > 0 { samples.removeFirst(keepFrom); cursor = max(0, cursor - keepFrom) }
    }

    /// Index of the latest sample with `time <= t`, or nil when `t` precedes every sample.
    mutating func lowerIndex(for t: Double) -> Int? {
        guard let first = samples.first, t >= first.time else { return nil }
        if cursor >= samples.count || samples[cursor].time > t { cursor = 0 }
        // Walk forward from the cursor; fall back to binary search for a long jump.
        var i = cursor
        var steps = 0
        while i + 1 < samples.count, samples[i + 1].time <= t {
            i += 1; steps += 1
            if steps == 8 {
                var lo = i, hi = samples.count - 1
                while lo < hi {
                    let mid = (lo + hi + 1) / 2
                    if samples[mid].time <= t { lo = mid } else { hi = mid - 1 }
                }
                i = lo
                break
            }
        }
        cursor = i
        return i
    }

    /// The input at time `t`; an empty resampler gives a neutral frame (identity poses, two idle hands).
    public mutating func frame(at t: Double) -> InputFrame {
        guard !samples.isEmpty else { return InputFrame(time: t) }
        guard let i = lowerIndex(for: t) else { return Self.retimed(samples[0], t) }
        let a = samples[i]
        guard i + 1 < samples.count, t > a.time else { return Self.retimed(a, t) }
        let b = samples[i + 1]
        let u = (t - a.time) / (b.time - a.time)
        return Resampler.interpolate(a, b, u, time: t)
    }

    /// `a` toward `b` by fraction `u` in [0, 1): poses lerp/slerp, grip and trigger lerp, buttons of `a`.
    /// Hands are interpolated pairwise; when the hand counts differ, `a`'s hands are held.
    public static func interpolate(_ a: InputFrame, _ b: InputFrame, _ u: Double, time: Double) -> InputFrame {
        if u == 0 { return retimed(a, time) }
        var out = a
        out.time = time
        out.head = a.head.interpolated(to: b.head, u)
        if a.hands.count == b.hands.count {
            for h in a.hands.indices {
                let (ha, hb) = (a.hands[h], b.hands[h])
                out.hands[h] = HandInput(pose: ha.pose.interpolated(to: hb.pose, u),
                                         grip: ha.grip + (hb.grip - ha.grip) * u,
                                         trigger: ha.trigger + (hb.trigger - ha.trigger) * u)
            }
        }
        return out
    }

    private static func retimed(_ f: InputFrame, _ t: Double) -> InputFrame {
        var f = f; f.time = t; return f
    }
}

/// Replays a recorded trace: input at tick times resampled from the recorded frames.
public struct TraceInputSource: InputSource, Sendable {
    public let header: TraceHeader
    private var resampler: Resampler
    /// Time of the last recorded frame (s); the replay is exhausted after it.
    public let endTime: Double

    public init(trace: Trace) {
        header = trace.header
        resampler = Resampler(samples: trace.frames)
        endTime = trace.frames.last?.time ?? 0
    }

    public mutating func frame(at time: Double) -> InputFrame { resampler.frame(at: time) }
    public func isExhausted(at time: Double) -> Bool { time > endTime }
}

/// Input pushed as it arrives (the viewer's keyboard/mouse mapping, a headset, later the network).
///
/// The session reads at tick times; samples newer than the tick are interpolated toward, a tick past
/// the newest sample holds it. Old samples are discarded as ticks pass.
public struct LiveInputSource: InputSource, Sendable {
    private var resampler = Resampler()
    public init() {}

    /// Adds a sample; samples must arrive in time order (an older one is dropped).
    public mutating func push(_ sample: InputFrame) { resampler.append(sample) }

    public mutating func frame(at time: Double) -> InputFrame {
        let f = resampler.frame(at: time)
        resampler.discard(before: time)
        return f
    }
    public func isExhausted(at time: Double) -> Bool { false }
}
