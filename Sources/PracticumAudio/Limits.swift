/// Every bound the audio module puts on its input, in one place (DESIGN: limits are documented and
/// each has a test at and past it). Values past a bound are clamped or dropped, never an error: a
/// sound cue is feedback, and a bad one must not stop a training session.
public enum AudioLimits {
    /// Longest tone, in seconds; longer tones are cut to this. A cue is a moment, not music, and a
    /// tone's PCM is held in memory while it plays (10 s is 441,000 samples, 862 KiB).
    public static let maxToneDuration: Double = 10
    /// Tone frequencies are clamped into this band, in Hz: audible, and below the Nyquist frequency of
    /// the 44.1 kHz output.
    public static let toneFrequency: ClosedRange<Double> = 20...20_000
    /// Longest timeline a `WAVOutput` renders, in seconds (2 h: 635 MB of 16-bit mono at 44.1 kHz).
    /// Events starting at or after it are dropped; one that overlaps it is cut at it.
    public static let wavMaxDuration: Double = 2 * 3600
    /// Most events a `WAVOutput` keeps (about 40 MB); later ones are dropped and counted.
    public static let wavMaxEvents = 1_000_000
    /// Most events a `NullOutput` records; later ones are only counted.
    public static let nullMaxRecorded = 10_000
    /// Fastest metronome, in beats per second (1200/min); faster rates are clamped to it.
    public static let maxMetronomeRate: Double = 20
    /// Most clicks one `Metronome.events(upTo:)` call returns; after a longer jump in time only the
    /// latest are returned, so a jump of hours cannot allocate millions of events. (A viewer that seeks
    /// calls `Metronome.skip(to:)`, which returns none.)
    public static let maxBeatsPerCall = 64
    /// OpenAL sources an `OpenALOutput` plays on by default; when all are busy the oldest is taken.
    public static let defaultSources = 8
    /// Most distinct sounds an `OpenALOutput` keeps as OpenAL buffers; past it the least recently used
    /// idle buffer is deleted.
    public static let maxCachedBuffers = 64
}
