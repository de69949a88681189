import Testing
@testable import PracticumAudio

@Suite struct SoundSynthTests {
    @Test(arguments: [(0.25, 11_025), (0.1, 4_410), (1.0, 44_100), (0.01, 441)])
    func toneHasDurationTimesRateSamples(duration: Double, count: Int) {
        let pcm = SoundSynth.samples(for: .tone(frequency: 440, duration: duration))
        #expect(pcm.count == count)
        #expect(SoundSynth.sampleCount(for: .tone(frequency: 440, duration: duration)) == count)
    }

    @Test func tonePeaksAtTheAmplitudeAndRampsFromAndToZero() {
        // 441 Hz is exactly 100 samples a period, so a sample lands on each crest: 0.8 × 32767, rounded
        let pcm = SoundSynth.samples(for: .tone(frequency: 441, duration: 0.1))
        #expect(pcm.map { abs(Int($0)) }.max() == 26_214)
        #expect(pcm[325] == 26_214)
        #expect(pcm.first == 0 && pcm.last == 0)
        // the 5 ms raised-cosine ramps: under 1 % of the peak within the first and last 10 samples
        #expect(pcm.prefix(10).allSatisfy { abs(Int($0)) < 262 })
        #expect(pcm.suffix(10).allSatisfy { abs(Int($0)) < 262 })
        // and full level from 5 ms (221 samples) on
        #expect(pcm[225] == 26_214)
    }

    @Test func clickIsAShortDecayingBurst() {
        let pcm = SoundSynth.samples(for: .click)
        #expect(pcm.count == 662)  // 15 ms at 44.1 kHz
        #expect(pcm.map { abs(Int($0)) }.max() == 22_196)
        #expect(pcm[22] == -22_196)  // at the end of its 0.5 ms attack
        #expect(pcm.first == 0 && pcm.last == 0)
        // decayed to under 4 % of the peak after 10 ms
        #expect(pcm[441...].allSatisfy { abs(Int($0)) < 888 })
    }

    @Test func toneShorterThanItsRampsIsAllRamp() {
        let pcm = SoundSynth.samples(for: .tone(frequency: 1_000, duration: 0.004))
        #expect(pcm.count == 176)
        #expect(pcm.first == 0 && pcm.last == 0)
    }

    @Test func toneDurationLimit() {
        // at the limit, and past it: cut to it
        #expect(SoundSynth.sampleCount(for: .tone(frequency: 440, duration: 10)) == 441_000)
        #expect(SoundSynth.samples(for: .tone(frequency: 440, duration: 11)).count == 441_000)
        for bad in [0, -1, Double.nan, -Double.infinity] {
            #expect(SoundSynth.samples(for: .tone(frequency: 440, duration: bad)).isEmpty)
        }
    }

    @Test func toneFrequencyIsClampedToTheAudibleBand() {
        func pcm(_ f: Double) -> [Int16] { SoundSynth.samples(for: .tone(frequency: f, duration: 0.05)) }
        #expect(pcm(20_000) != pcm(19_000))
        #expect(pcm(30_000) == pcm(20_000))
        #expect(pcm(.infinity) == pcm(20_000))
        #expect(pcm(20) != pcm(21))
        #expect(pcm(5) == pcm(20))
        #expect(pcm(-440) == pcm(20))
        #expect(pcm(.nan) == pcm(20))
    }
}
