import Foundation
import Testing
@testable import PracticumAudio

/// OpenAL Soft reads its configuration once, at the process's first OpenAL call; these tests point it
/// at its wave-file backend first, so that they hear what OpenAL plays on any machine, sound card or
/// not, and never beep at whoever runs them. Every test that touches OpenAL reads `waveFile` first.
enum WaveDevice {
    static let folder = try! temporaryFolder("openal")

    static let waveFile: String = {
        let conf = "\(folder)/alsoft.conf", wav = "\(folder)/device.wav"
        // the backend writes the file while a device is open, so it goes when the process does
        atexit { try? FileManager.default.removeItem(atPath: WaveDevice.folder) }
        let text = "[general]\nchannels = mono\nsample-type = int16\nfrequency = 44100\n[wave]\nfile = \(wav)\n"
        try! text.write(toFile: conf, atomically: true, encoding: .utf8)
        setenv("ALSOFT_DRIVERS", "wave", 1)
        setenv("ALSOFT_CONF", conf, 1)
        // OpenAL Soft has read both now, once for the process; unset, they are not inherited by the
        // viewers and CLIs other suites start meanwhile, which would open this wave device too and
        // overwrite the file under a test reading it (a click read back as silence)
        if let first = try? OpenALOutput() { first.finish() }
        unsetenv("ALSOFT_DRIVERS")
        unsetenv("ALSOFT_CONF")
        return wav
    }()

    /// The output on the default (wave) device, or nil, with a note, where this OpenAL has no wave
    /// backend: then the playback checks are skipped.
    static func open() -> OpenALOutput? {
        _ = waveFile
        do {
            return try OpenALOutput()
        } catch {
            print("OpenAL playback checks skipped: \(error)")
            return nil
        }
    }
}

@Suite(.serialized) struct OpenALOutputTests {
    @Test func aDeviceThatDoesNotOpenFailsCleanly() {
        _ = WaveDevice.waveFile
        #expect {
            try OpenALOutput(device: "no such device")
        } throws: { error in
            "\(error)" == "no sound device (OpenAL could not open 'no such device')"
        }
    }

    @Test func playsAClickThroughTheDevice() throws {
        guard let out = WaveDevice.open() else { return }
        #expect(!out.deviceName.isEmpty)
        out.play(SoundEvent(time: 0, kind: .click))
        usleep(250_000)
        #expect(out.busySources == 0)  // a 15 ms click is over
        out.finish()
        let pcm = pcm16(try bytes(WaveDevice.waveFile))
        let peak = pcm.map { abs(Int($0)) }.max() ?? 0
        // what OpenAL mixed at gain 1, head-relative at the listener: the synthesised click
        #expect(abs(peak - 22_196) < 222, "peak \(peak)")
        #expect(out.failedCount == 0)
    }

    @Test func aBurstTakesTheOldestSources() {
        guard let out = WaveDevice.open() else { return }
        for i in 0..<12 { out.play(SoundEvent(time: 0, kind: .tone(frequency: 400 + 50 * Double(i), duration: 1))) }
        #expect(out.busySources == AudioLimits.defaultSources)
        #expect(out.failedCount == 0)
        out.finish()
        out.finish()
        out.play(SoundEvent(time: 0, kind: .click))  // after finish: ignored
        #expect(out.failedCount == 0 && out.busySources == 0)
    }

    @Test func bufferCacheLimit() {
        guard let out = WaveDevice.open() else { return }
        out.prepare((0..<70).map { .tone(frequency: 300 + Double($0), duration: 0.05) })
        #expect(out.cachedBuffers == AudioLimits.maxCachedBuffers)
        out.play(SoundEvent(time: 0, kind: .tone(frequency: 2_000, duration: 0.05)))
        #expect(out.cachedBuffers == 64 && out.failedCount == 0)
        out.finish()
    }

    @Test func choiceFallsBackOrPlays() throws {
        _ = WaveDevice.waveFile
        let live = try AudioOutputChoice.make(wavPath: nil)
        if live.output is OpenALOutput {
            #expect(live.note == nil)
        } else {
            #expect(live.output is NullOutput)
            #expect(live.note?.hasPrefix("audio: no sound device") == true)
        }
        try live.output.finish()

        let folder = try temporaryFolder()

        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try AudioOutputChoice.make(wavPath: "\(folder)/cues.wav").output is WAVOutput)
        #expect(throws: AudioError.self) { try AudioOutputChoice.make(wavPath: "\(folder)/no/cues.wav") }
    }
}
