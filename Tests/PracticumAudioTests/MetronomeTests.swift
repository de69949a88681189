import Testing
@testable import PracticumAudio

@Suite struct MetronomeTests {
    /// Drives `metronome` at 90 Hz session ticks (time = tick × dt), returning each beat with its tick.
    func tick(_ metronome: inout Metronome, from first: Int = 0, through last: Int) -> [(tick: Int, time: Double)] {
        var out: [(Int, Double)] = []
        for tick in first...last {
            for event in metronome.events(upTo: Double(tick) * (1.0 / 90)) { out.append((tick, event.time)) }
        }
        return out
    }

    @Test func hundredPerMinuteOverThreeSeconds() {
        var m = Metronome(rate: 100.0 / 60)
        let beats = tick(&m, through: 270)
        #expect(beats.map(\.time) == [0, 0.6, 1.2, 1.8, 2.4, 3.0])
        // each on the first tick at or after it
        #expect(beats.map(\.tick) == [0, 54, 108, 162, 216, 270])
        #expect(m.lastBeat == 3.0)
        #expect(m.nextBeat == 3.6)
    }

    @Test func oneCallGivesTheSameBeats() {
        var m = Metronome(rate: 100.0 / 60, gain: 0.5)
        let events = m.events(upTo: 3)
        #expect(events == [0, 0.6, 1.2, 1.8, 2.4, 3.0].map { SoundEvent(time: $0, kind: .click, gain: 0.5) })
        #expect(m.events(upTo: 3).isEmpty)
        #expect(m.events(upTo: 3.5).isEmpty)
        #expect(m.events(upTo: 3.6).map(\.time) == [3.6])
    }

    @Test func anHourAt110PerMinuteDoesNotDrift() {
        var m = Metronome(rate: 110.0 / 60, start: 2)
        var count = 0
        var last = 0.0
        for tick in 0...(3602 * 90) {
            for e in m.events(upTo: Double(tick) / 90) { count += 1; last = e.time }
        }
        #expect(count == 6_601)
        #expect(last == 3_602)
    }

    @Test func mutingKeepsTheGrid() {
        var m = Metronome(rate: 100.0 / 60)
        #expect(m.events(upTo: 1).map(\.time) == [0, 0.6])
        m.isEnabled = false
        #expect(m.events(upTo: 2).isEmpty)
        #expect(m.lastBeat == 1.8)
        m.isEnabled = true
        #expect(m.events(upTo: 3).map(\.time) == [2.4, 3.0])
    }

    @Test func rateChangeStartsFromTheLastBeat() {
        var m = Metronome(rate: 100.0 / 60)
        #expect(m.events(upTo: 1).map(\.time) == [0, 0.6])
        m.rate = 2
        #expect(m.nextBeat == 1.1)
        #expect(m.events(upTo: 2.2).map(\.time) == [1.1, 1.6, 2.1])
        #expect(m.events(upTo: 2.5).isEmpty)
        // faster: one new period after the last beat (2.1 + 0.25) is already past at 2.5, so that
        // beat is skipped, never played late
        m.rate = 4
        #expect(m.events(upTo: 3).map(\.time) == [2.6, 2.85])
        #expect(m.events(upTo: 2.9).isEmpty)  // time going back: nothing
    }

    @Test func rateChangeBeforeTheFirstBeatKeepsTheStart() {
        var m = Metronome(rate: 1, start: 1)
        #expect(m.events(upTo: 0.5).isEmpty)
        m.rate = 2
        #expect(m.events(upTo: 2).map(\.time) == [1, 1.5, 2])
    }

    @Test func silentRates() {
        for rate in [0, -1, Double.nan] {
            var m = Metronome(rate: rate)
            #expect(m.nextBeat == nil)
            #expect(m.events(upTo: 10).isEmpty)
        }
        var m = Metronome(rate: 1)
        #expect(m.events(upTo: .nan).isEmpty)
        #expect(m.events(upTo: .infinity).isEmpty)
        #expect(m.events(upTo: 1).count == 2)
    }

    @Test func rateLimit() {
        var atLimit = Metronome(rate: 20), past = Metronome(rate: 100)
        #expect(atLimit.events(upTo: 1).count == 21)
        #expect(past.events(upTo: 1).count == 21)
    }

    @Test func beatsPerCallLimit() {
        var m = Metronome(rate: 1)
        // 64 beats in one call at the limit, the latest 64 past it
        #expect(m.events(upTo: 63).count == 64)
        let late = m.events(upTo: 1_000)
        #expect(late.count == 64)
        #expect(late.first?.time == 937 && late.last?.time == 1_000)
        #expect(m.events(upTo: 1e300).count == 64)
    }

    @Test func skipKeepsThePhaseAndPlaysNothing() {
        var m = Metronome(rate: 2, start: 0.25)
        m.skip(to: 100.1)
        #expect(m.lastBeat == 99.75)
        #expect(m.events(upTo: 101).map(\.time) == [100.25, 100.75])
    }
}
