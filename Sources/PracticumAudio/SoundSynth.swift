#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PCM synthesis of each `SoundKind`, shared by the live (OpenAL) and file (WAV) outputs so that what a
/// test reads from a WAV is what a trainee hears.
///
/// Every sound starts and ends on an exact zero with a raised-cosine ramp: a waveform that jumps at an
/// edge is heard as a click of its own (and a tone's edges would click on every alert).
public enum SoundSynth {
    /// The output rate of both outputs, in Hz.
    public static let sampleRate: Double = 44_100
    /// Peak level of a sound at gain 1, as a fraction of int16 full scale; the headroom lets a click
    /// and a tone overlap before they clip.
    public static let amplitude: Double = 0.8

    // the click: short and bright enough to be heard over a tone, like a mechanical metronome
    static let clickDuration = 0.015
    static let clickFrequency = 1_500.0
    static let clickDecay = 0.003
    static let clickAttack = 0.0005
    static let clickRelease = 0.001
    // a tone's ramps: 5 ms is below what is heard as a fade, above what is heard as a click
    static let toneRamp = 0.005

    /// How many samples `samples(for:sampleRate:)` returns, without synthesising them.
    public static func sampleCount(for kind: SoundKind, sampleRate: Double = sampleRate) -> Int {
        guard sampleRate.isFinite, sampleRate > 0 else { return 0 }
        switch kind {
        case .click:
            return Int((clickDuration * sampleRate).rounded())
        case .tone(_, let duration):
            guard duration.isFinite, duration > 0 else { return 0 }
            return Int((min(duration, AudioLimits.maxToneDuration) * sampleRate).rounded())
        }
    }

    /// The sound as mono 16-bit PCM at `sampleRate` (Hz), peaking near `amplitude` of full scale.
    ///
    /// A tone has `duration × sampleRate` samples (rounded); a tone with a duration that is not
    /// positive, or NaN, is empty. First and last samples are 0.
    public static func samples(for kind: SoundKind, sampleRate: Double = sampleRate) -> [Int16] {
        let n = sampleCount(for: kind, sampleRate: sampleRate)
        guard n > 0 else { return [] }
        let frequency: Double, attack: Int, release: Int, decay: Double
        switch kind {
        case .click:
            frequency = clickFrequency
            attack = Int((clickAttack * sampleRate).rounded())
            release = Int((clickRelease * sampleRate).rounded())
            decay = clickDecay
        case .tone(let f, _):
            let band = AudioLimits.toneFrequency
            frequency = f.isNaN ? band.lowerBound : min(max(f, band.lowerBound), band.upperBound)
            // a tone shorter than its two ramps is all ramp
            attack = min(Int((toneRamp * sampleRate).rounded()), n / 2)
            release = attack
            decay = .infinity
        }
        let scale = amplitude * Double(Int16.max)
        let step = 2 * Double.pi * frequency / sampleRate
        return (0..<n).map { i in
            let t = Double(i) / sampleRate
            let envelope = ramp(i, attack) * ramp(n - 1 - i, release) * exp(-t / decay)
            return Int16((scale * envelope * sin(step * Double(i))).rounded())
        }
    }

    /// A raised-cosine rise from 0 at `i == 0` to 1 at `i == length`.
    private static func ramp(_ i: Int, _ length: Int) -> Double {
        guard i < length else { return 1 }
        return 0.5 - 0.5 * cos(Double.pi * Double(i) / Double(length))
    }
}
