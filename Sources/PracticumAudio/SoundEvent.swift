/// What a cue sounds like.
public enum SoundKind: Sendable, Hashable {
    /// A metronome beat: a 15 ms burst at 1.5 kHz that decays with a 3 ms time constant.
    case click
    /// A sine at `frequency` (Hz, clamped to `AudioLimits.toneFrequency`; 440–1000 Hz are typical
    /// alerts) lasting `duration` seconds (at most `AudioLimits.maxToneDuration`), with 5 ms ramps in
    /// and out.
    case tone(frequency: Double, duration: Double)
}

/// One cue at a moment of simulated time.
public struct SoundEvent: Sendable, Equatable {
    /// When the cue is due, in simulated seconds (session time, `tick × dt`). A `WAVOutput` places the
    /// sound here; live outputs play it when they are given it.
    public var time: Double
    /// What it sounds like.
    public var kind: SoundKind
    /// Loudness as a linear factor, 0...1 (clamped; 1 is the synthesised level, 0.8 of full scale).
    public var gain: Double

    public init(time: Double, kind: SoundKind, gain: Double = 1) {
        self.time = time
        self.kind = kind
        self.gain = gain
    }

    /// `gain` clamped to 0...1, NaN as 0.
    var clampedGain: Double { gain.isNaN ? 0 : min(max(gain, 0), 1) }
}
