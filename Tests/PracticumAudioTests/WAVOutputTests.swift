import Foundation
import Testing
@testable import PracticumAudio

@Suite struct WAVOutputTests {
    @Test func headerAndSamplesOfKnownEvents() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/cues.wav"
        let out = try WAVOutput(path: path)
        out.play(SoundEvent(time: 0, kind: .click))
        out.play(SoundEvent(time: 0.5, kind: .tone(frequency: 441, duration: 0.1), gain: 0.5))
        try out.finish()
        let b = try bytes(path)
        // 0.5 s × 44100 + 4410 samples = 26460, two bytes each
        #expect(b.count == 44 + 52_920)
        #expect(Array(b[0..<44]) == [
            0x52, 0x49, 0x46, 0x46, 0xDC, 0xCE, 0x00, 0x00,  // "RIFF", 36 + 52920 = 52956
            0x57, 0x41, 0x56, 0x45,                          // "WAVE"
            0x66, 0x6D, 0x74, 0x20, 0x10, 0x00, 0x00, 0x00,  // "fmt ", 16
            0x01, 0x00, 0x01, 0x00,                          // PCM, mono
            0x44, 0xAC, 0x00, 0x00, 0x88, 0x58, 0x01, 0x00,  // 44100 Hz, 88200 bytes/s
            0x02, 0x00, 0x10, 0x00,                          // 2 bytes a frame, 16 bits
            0x64, 0x61, 0x74, 0x61, 0xB8, 0xCE, 0x00, 0x00,  // "data", 52920
        ])
        let pcm = pcm16(b)
        #expect(pcm.count == 26_460)
        #expect(Array(pcm[0..<662]) == SoundSynth.samples(for: .click))
        #expect(pcm[662..<22_050].allSatisfy { $0 == 0 })
        #expect(pcm[22_050 + 325] == 13_107)  // the crest at gain 0.5
        #expect(out.isFinished && out.droppedCount == 0)
    }

    @Test func overlappingSoundsClipInsteadOfWrapping() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/loud.wav"
        let out = try WAVOutput(path: path)
        let tone = SoundKind.tone(frequency: 441, duration: 0.1)
        out.play(SoundEvent(time: 0, kind: tone))
        out.play(SoundEvent(time: 0, kind: tone))
        try out.finish()
        let pcm = pcm16(try bytes(path))
        let one = SoundSynth.samples(for: tone)
        // 2 × 26214 would wrap to −12 894 in int16; it is held at full scale
        #expect(pcm[325] == Int16.max)
        #expect(pcm[375] == Int16.min)
        for i in pcm.indices { #expect(Int(pcm[i]) == min(max(2 * Int(one[i]), -32_768), 32_767)) }
    }

    @Test func emptyTimelineIsAValidEmptyFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let out = try WAVOutput(path: "\(folder)/none.wav")
        try out.finish()
        let b = try bytes("\(folder)/none.wav")
        #expect(b.count == 44 && u32(b, 4) == 36 && u32(b, 40) == 0)
    }

    @Test func nothingIsWrittenWithoutFinish() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let out = try WAVOutput(path: "\(folder)/dropped.wav")
            out.play(SoundEvent(time: 0, kind: .click))
        }
        #expect(contents(of: folder).isEmpty)
    }

    @Test func aFailedWriteLeavesNothingBehind() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // a folder where the file should be: the rename fails after the data is written
        try FileManager.default.createDirectory(atPath: "\(folder)/taken.wav", withIntermediateDirectories: false)
        let out = try WAVOutput(path: "\(folder)/taken.wav")
        out.play(SoundEvent(time: 0, kind: .click))
        #expect(throws: AudioError.self) { try out.finish() }
        #expect(contents(of: folder) == ["taken.wav"])
        #expect(!out.isFinished)
    }

    @Test func aFolderThatCannotBeWrittenFailsAtOnce() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect {
            try WAVOutput(path: "\(folder)/missing/cues.wav")
        } throws: { error in
            "\(error)" == "cannot write \(folder)/missing/cues.wav: \(folder)/missing: No such file or directory"
        }
    }

    @Test func replacesAnExistingFileWhole() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/cues.wav"
        try Data(repeating: 7, count: 100_000).write(to: URL(fileURLWithPath: path))
        let out = try WAVOutput(path: path)
        out.play(SoundEvent(time: 0, kind: .click))
        try out.finish()
        #expect(try bytes(path).count == 44 + 2 * 662)
        #expect(contents(of: folder) == ["cues.wav"])
    }

    @Test func finishTwiceAndPlayAfterFinishDoNothing() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/cues.wav"
        let out = try WAVOutput(path: path)
        out.play(SoundEvent(time: 0, kind: .click))
        try out.finish()
        out.play(SoundEvent(time: 1, kind: .click))
        try FileManager.default.removeItem(atPath: path)
        try out.finish()
        #expect(contents(of: folder).isEmpty)
    }

    @Test func timelineLimit() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/cut.wav"
        let out = try WAVOutput(path: path, maxDuration: 1)
        out.play(SoundEvent(time: 0.99, kind: .click))   // runs past the end: cut at 44100
        out.play(SoundEvent(time: 1, kind: .click))      // at the limit: dropped
        out.play(SoundEvent(time: 5, kind: .click))      // past it: dropped
        out.play(SoundEvent(time: .nan, kind: .click))
        try out.finish()
        let pcm = pcm16(try bytes(path))
        #expect(pcm.count == 44_100)
        #expect(Array(pcm[43_659...]) == Array(SoundSynth.samples(for: .click).prefix(441)))
        #expect(out.droppedCount == 3)
        // the documented cap
        #expect(try WAVOutput(path: path, maxDuration: 1e9).maxDuration == 7_200)
        #expect(AudioLimits.wavMaxDuration == 7_200)
    }

    @Test func eventsBeforeZeroLoseTheirStart() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/early.wav"
        let out = try WAVOutput(path: path)
        out.play(SoundEvent(time: -0.005, kind: .click))  // starts at sample −221 (−220.5 rounded)
        out.play(SoundEvent(time: -1, kind: .click))      // over before 0: dropped
        try out.finish()
        #expect(pcm16(try bytes(path)) == Array(SoundSynth.samples(for: .click)[221...]))
        #expect(out.droppedCount == 1)
    }

    @Test func rendersAcrossChunks() throws {
        // sounds straddling the 65 536-sample chunk boundary mix as if there were none
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/chunks.wav"
        let out = try WAVOutput(path: path)
        let tone = SoundKind.tone(frequency: 523, duration: 1)
        out.play(SoundEvent(time: 1, kind: tone, gain: 0.3))
        out.play(SoundEvent(time: 1.4, kind: .click, gain: 0.7))
        try out.finish()
        let pcm = pcm16(try bytes(path))
        let a = SoundSynth.samples(for: tone), c = SoundSynth.samples(for: .click)
        #expect(pcm.count == 88_200)
        for i in 44_100..<88_200 {
            var v = Double(a[i - 44_100]) * 0.3
            if (61_740..<61_740 + 662).contains(i) { v += Double(c[i - 61_740]) * 0.7 }
            #expect(Int(pcm[i]) == Int(v.rounded()))
        }
    }
}

@Suite struct NullOutputTests {
    @Test func recordsWhatItIsGiven() {
        let out = NullOutput()
        let events = [SoundEvent(time: 0, kind: .click), SoundEvent(time: 0.5, kind: .tone(frequency: 880, duration: 0.2), gain: 0.4)]
        for e in events { out.play(e) }
        out.finish()
        out.play(SoundEvent(time: 1, kind: .click))
        #expect(out.events == events && out.playedCount == 2 && out.isFinished)
    }

    @Test func recordingLimit() {
        let out = NullOutput()
        for i in 0..<AudioLimits.nullMaxRecorded { out.play(SoundEvent(time: Double(i), kind: .click)) }
        #expect(out.events.count == 10_000)
        out.play(SoundEvent(time: -1, kind: .click))
        #expect(out.events.count == 10_000 && out.playedCount == 10_001)
        #expect(out.events.last?.time == 9_999)
    }
}
