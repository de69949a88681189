/// A metronome on simulated time: beat k falls at `anchor + k / rate`, and each call hands out the
/// beats that fell since the previous one.
///
/// It reads no clock — the caller passes session time (`tick × dt`) — so a replay clicks on the same
/// ticks as the live run. Each beat is computed from the anchor rather than by adding periods, so an
/// hour of beats does not drift, and rounded to the nanosecond, so 100/min gives beats at 0.6, 1.2,
/// 1.8 s rather than at 1.7999999999999998 s. A beat is due when it is at most a nanosecond after the
/// time asked for, so a beat at 3 s is not missed because `270 × (1/90)` rounds below 3.
///
/// Phase: turning the metronome off mutes it but keeps the beat grid going, so it comes back in time
/// with the beats before; a rate change starts the new rate from the last beat (the next beat is one
/// new period after it), or from the start when there has been no beat yet.
public struct Metronome: Sendable, Equatable {
    /// Beats per second (a scenario's `110/min` is 110/60). Clamped to `AudioLimits.maxMetronomeRate`;
    /// zero, negative or NaN keeps the metronome silent.
    public var rate: Double {
        didSet {
            guard rate != oldValue else { return }
            if let lastBeat {
                anchor = lastBeat
                index = 1
            } else {
                index = 0
            }
        }
    }
    /// False mutes the beats without moving the grid.
    public var isEnabled: Bool
    /// Gain of each click, 0...1.
    public var gain: Double
    /// The time of the last beat handed out or muted, in simulated seconds; nil before the first.
    public private(set) var lastBeat: Double?

    // beat `index` is the next one not yet handed out; beats before `anchor` never exist
    private var anchor: Double
    private var index: Int = 0
    private var lastTime = -Double.infinity

    /// A metronome whose first beat is at `start` (simulated seconds).
    public init(rate: Double, start: Double = 0, gain: Double = 1, isEnabled: Bool = true) {
        self.rate = rate
        self.anchor = start
        self.gain = gain
        self.isEnabled = isEnabled
    }

    /// The next beat's time, or nil when the rate is not positive.
    public var nextBeat: Double? { effectiveRate.map { beatTime(index, $0) } }

    /// The clicks due in (previous call's time, `time`], in order, at most
    /// `AudioLimits.maxBeatsPerCall` (the latest); none while muted. Time should not go back; a
    /// call with an earlier time than the last returns nothing.
    public mutating func events(upTo time: Double) -> [SoundEvent] {
        let times = advance(to: time)
        guard isEnabled else { return [] }
        return times.map { SoundEvent(time: $0, kind: .click, gain: gain) }
    }

    /// Moves to `time` without handing out the beats on the way, for a viewer that seeks or resumes
    /// after a pause; the grid keeps its phase.
    public mutating func skip(to time: Double) {
        _ = advance(to: time, keeping: 0)
    }

    /// The beats in (lastTime, time], the last `keeping` of them returned.
    private mutating func advance(to time: Double, keeping: Int = AudioLimits.maxBeatsPerCall) -> [Double] {
        guard time.isFinite, time > lastTime else { return [] }
        defer { lastTime = time }
        guard let rate = effectiveRate else { return [] }
        // beats before the last call's time are past: a faster rate re-anchored at the last beat
        // may have put some there
        if lastTime.isFinite { index = max(index, firstIndex(after: lastTime, rate)) }
        let end = firstIndex(after: time, rate)
        guard end > index else { return [] }
        let first = max(index, end - keeping)
        let times = (first..<end).map { beatTime($0, rate) }
        lastBeat = beatTime(end - 1, rate)
        index = end
        return times
    }

    private var effectiveRate: Double? {
        guard rate > 0 else { return nil }
        return min(rate, AudioLimits.maxMetronomeRate)
    }

    private func beatTime(_ k: Int, _ rate: Double) -> Double {
        ((anchor + Double(k) / rate) * 1e9).rounded() / 1e9
    }

    /// The index of the first beat later than `time` (plus the nanosecond of tolerance).
    private func firstIndex(after time: Double, _ rate: Double) -> Int {
        let estimate = ((time - anchor) * rate).rounded(.down)
        // far past any real session: hold the index where Double still counts in ones
        guard estimate < 1e15 else { return Int(1e15) }
        var k = estimate > 0 ? Int(estimate) : 0
        while k > 0, beatTime(k - 1, rate) > time + 1e-9 { k -= 1 }
        while beatTime(k, rate) <= time + 1e-9 { k += 1 }
        return k
    }
}
