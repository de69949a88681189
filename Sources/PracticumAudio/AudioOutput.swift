import Foundation
/// Where sound cues go: a sound device, a WAV file, or nowhere (recorded for tests).
///
/// The viewer calls `play` from its frame loop, once an event is due; implementations return within
/// microseconds (no synthesis of a new sound, no I/O, no waiting on a device — `prepare` is for the
/// work that cannot be that quick).
public protocol AudioOutput: AnyObject {
    /// Renders the sounds of `kinds` ahead of time, so that a later `play` of them is quick. Optional.
    func prepare(_ kinds: [SoundKind])
    /// Plays `event` now (a live output) or at `event.time` (a file). Ignored after `finish()`.
    func play(_ event: SoundEvent)
    /// Stops and releases everything; for a file, writes it. A second call does nothing.
    func finish() throws
}

extension AudioOutput {
    public func prepare(_ kinds: [SoundKind]) {}
}

/// An audio failure, with what was being done and to what.
public struct AudioError: Error, CustomStringConvertible, Equatable {
    /// One line, e.g. `cannot write out/cues.wav: rename: Is a directory`.
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// An output that plays nothing and records what it was given: for tests, and where there is no
/// sound device.
public final class NullOutput: AudioOutput {
    /// The events played, in order: the first `AudioLimits.nullMaxRecorded` of them.
    public private(set) var events: [SoundEvent] = []
    /// How many events were played, recorded or not.
    public private(set) var playedCount = 0
    /// Whether `finish()` was called.
    public private(set) var isFinished = false

    public init() {}

    public func play(_ event: SoundEvent) {
        guard !isFinished else { return }
        playedCount += 1
        if events.count < AudioLimits.nullMaxRecorded { events.append(event) }
    }

    public func finish() { isFinished = true }
}

/// Picks the output for a run: a WAV file when asked for one, else the default sound device through
/// OpenAL, else a `NullOutput` with the reason, so that a viewer runs the same in CI, under Xvfb and
/// on a machine without a sound card.
///
/// Where no device opens, OpenAL Soft (and libasound beneath it) print a few lines on stderr while
/// trying. `ALSOFT_LOGLEVEL=0` silences OpenAL Soft's own `AL lib: (EE)` lines; the `ALSA lib …` lines
/// are libasound's and go away with `ALSOFT_DRIVERS=-alsa` (any backend but ALSA) or `ALSOFT_DRIVERS=null`
/// (a device that opens and plays to nowhere). `ALSOFT_DRIVERS=wave` with `ALSOFT_CONF` naming a file
/// that sets `[wave] file = …` records what OpenAL itself plays, in real time.
public enum AudioOutputChoice {
    /// True when OpenAL could find something to play on: a sound card (`/dev/snd`), a PulseAudio or
    /// PipeWire server (`PULSE_SERVER`, or a socket under `XDG_RUNTIME_DIR`), or a backend chosen with
    /// `ALSOFT_DRIVERS`.
    public static func soundSystemPresent(environment: [String: String] = ProcessInfo.processInfo.environment,
                                          exists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) -> Bool {
        if environment["ALSOFT_DRIVERS"] != nil || environment["PULSE_SERVER"] != nil { return true }
        if exists("/dev/snd") { return true }
        if let run = environment["XDG_RUNTIME_DIR"], exists(run + "/pulse/native") || exists(run + "/pipewire-0") { return true }
        return false
    }

    /// The output chosen, and when it is not the one asked for, why, in one line for the log.
    public struct Choice {
        public let output: any AudioOutput
        /// E.g. `audio: no sound device (OpenAL could not open the default device); sound cues are off`.
        public let note: String?
    }

    /// A `WAVOutput` writing `wavPath` when it is given (throwing when its folder cannot be written:
    /// the run asked for that file, and should not find out after it ends), else an `OpenALOutput` on
    /// the default device, else a `NullOutput` with a note.
    public static func make(wavPath: String?) throws -> Choice {
        if let wavPath {
            return Choice(output: try WAVOutput(path: wavPath), note: nil)
        }
        // with no sound card and no sound server there is nothing to open, and trying makes libasound
        // print nine lines of errors: say so in one (ALSOFT_DRIVERS set means the user chose a backend)
        if !soundSystemPresent() {
            return Choice(output: NullOutput(), note: "audio: no sound device (no /dev/snd and no sound server); sound cues are off")
        }
        do {
            return Choice(output: try OpenALOutput(), note: nil)
        } catch {
            return Choice(output: NullOutput(), note: "audio: \(error); sound cues are off")
        }
    }
}
