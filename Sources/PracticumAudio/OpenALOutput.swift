import COpenAL

/// Plays cues on a sound device through OpenAL Soft.
///
/// Each distinct sound is synthesised once into an OpenAL buffer (mono 16-bit, 44.1 kHz) and played
/// on one of a small pool of sources; when all are busy the one started longest ago is taken, so a
/// burst of cues never waits and never grows the pool. Sources are head-relative at the listener,
/// so a cue sounds centred with no distance attenuation.
///
/// `play` is a handful of OpenAL calls (OpenAL Soft mixes on its own thread), except the first time
/// a sound is heard: call `prepare(_:)` with the scenario's tones at load to keep that off the frame
/// loop (the click is prepared at init).
///
/// OpenAL has one current context per process; this output makes its own current when it plays, so
/// it should be the only OpenAL user in the process.
public final class OpenALOutput: AudioOutput {
    /// The device's name as OpenAL reports it (OpenAL Soft 1.19 names its default device `OpenAL Soft`).
    public let deviceName: String
    /// Events that could not be played (an OpenAL error); they are dropped, not retried.
    public private(set) var failedCount = 0

    private var device: OpaquePointer?
    private var context: OpaquePointer?
    private var sources: [ALuint]
    // which play started each source, to find the oldest
    private var startedAt: [Int]
    private var plays = 0
    private var buffers: [SoundKind: (buffer: ALuint, lastUsed: Int)] = [:]

    /// Opens `device` (nil: the default) and creates a context and `sourceCount` sources.
    ///
    /// Throws, having released whatever it had opened, when no device opens (the usual case on a
    /// machine without a sound card: OpenAL Soft's `alcOpenDevice` returns NULL after trying its
    /// backends) or the context or sources cannot be made.
    public init(device name: String? = nil, sourceCount: Int = AudioLimits.defaultSources) throws {
        guard let device = alcOpenDevice(name) else {
            throw AudioError(name.map { "no sound device (OpenAL could not open '\($0)')" }
                             ?? "no sound device (OpenAL could not open the default device)")
        }
        guard let context = alcCreateContext(device, nil) else {
            alcCloseDevice(device)
            throw AudioError("no sound device (OpenAL could not create a context on '\(Self.name(of: device))')")
        }
        guard alcMakeContextCurrent(context) != 0 else {
            alcDestroyContext(context)
            alcCloseDevice(device)
            throw AudioError("no sound device (OpenAL could not make its context current)")
        }
        self.deviceName = Self.name(of: device)
        self.device = device
        self.context = context
        _ = alGetError()
        var ids = [ALuint](repeating: 0, count: max(1, sourceCount))
        alGenSources(ALsizei(ids.count), &ids)
        guard alGetError() == AL_NO_ERROR else {
            self.sources = []
            self.startedAt = []
            finish()
            throw AudioError("no sound device (OpenAL could not create \(ids.count) sources on '\(deviceName)')")
        }
        for id in ids {
            alSourcei(id, AL_SOURCE_RELATIVE, AL_TRUE)
            alSource3f(id, AL_POSITION, 0, 0, 0)
        }
        self.sources = ids
        self.startedAt = [Int](repeating: -1, count: ids.count)
        prepare([.click])
    }

    deinit { finish() }

    public func prepare(_ kinds: [SoundKind]) {
        guard makeCurrent() else { return }
        for kind in kinds { _ = buffer(for: kind) }
    }

    public func play(_ event: SoundEvent) {
        // an empty tone is silence, not a failure
        guard SoundSynth.sampleCount(for: event.kind) > 0, makeCurrent() else { return }
        _ = alGetError()
        guard let buffer = buffer(for: event.kind) else {
            failedCount += 1
            return
        }
        plays += 1
        let slot = freeSource() ?? oldestSource()
        let source = sources[slot]
        alSourceStop(source)
        alSourcei(source, AL_BUFFER, ALint(bitPattern: buffer))
        alSourcef(source, AL_GAIN, ALfloat(event.clampedGain))
        alSourcePlay(source)
        startedAt[slot] = plays
        if alGetError() != AL_NO_ERROR { failedCount += 1 }
    }

    /// Stops every source, deletes sources and buffers, destroys the context and closes the device.
    public func finish() {
        guard let device else { return }
        if let context {
            alcMakeContextCurrent(context)
            for source in sources { alSourceStop(source) }
            if !sources.isEmpty { alDeleteSources(ALsizei(sources.count), sources) }
            let ids = buffers.values.map(\.buffer)
            if !ids.isEmpty { alDeleteBuffers(ALsizei(ids.count), ids) }
            alcMakeContextCurrent(nil)
            alcDestroyContext(context)
        }
        alcCloseDevice(device)
        sources = []
        startedAt = []
        buffers = [:]
        self.context = nil
        self.device = nil
    }

    /// How many sources are playing now (for tests).
    var busySources: Int { sources.indices.filter { isPlaying($0) }.count }
    /// How many sounds are held as buffers (for tests).
    var cachedBuffers: Int { buffers.count }

    private func makeCurrent() -> Bool {
        guard let context else { return false }
        return alcGetCurrentContext() == context || alcMakeContextCurrent(context) != 0
    }

    private func isPlaying(_ slot: Int) -> Bool {
        var state: ALint = 0
        alGetSourcei(sources[slot], AL_SOURCE_STATE, &state)
        return state == AL_PLAYING
    }

    private func freeSource() -> Int? { sources.indices.first { !isPlaying($0) } }

    private func oldestSource() -> Int { startedAt.indices.min { startedAt[$0] < startedAt[$1] } ?? 0 }

    /// The buffer holding `kind`, made on first use; nil when OpenAL refuses it.
    private func buffer(for kind: SoundKind) -> ALuint? {
        if let hit = buffers[kind] {
            buffers[kind] = (hit.buffer, plays)
            return hit.buffer
        }
        let pcm = SoundSynth.samples(for: kind)
        guard !pcm.isEmpty else { return nil }
        if buffers.count >= AudioLimits.maxCachedBuffers { evictOne() }
        _ = alGetError()
        var id: ALuint = 0
        alGenBuffers(1, &id)
        pcm.withUnsafeBytes {
            alBufferData(id, AL_FORMAT_MONO16, $0.baseAddress, ALsizei($0.count), ALsizei(SoundSynth.sampleRate))
        }
        guard alGetError() == AL_NO_ERROR else {
            alDeleteBuffers(1, &id)
            return nil
        }
        buffers[kind] = (id, plays)
        return id
    }

    /// Deletes the least recently used buffer that no source holds (a buffer attached to a source
    /// cannot be deleted); with 64 buffers and 8 sources there is always one.
    private func evictOne() {
        let held = Set(sources.map { source -> ALuint in
            var id: ALint = 0
            alGetSourcei(source, AL_BUFFER, &id)
            return ALuint(bitPattern: id)
        })
        let idle = buffers.filter { !held.contains($0.value.buffer) }
        guard let victim = idle.min(by: { ($0.value.lastUsed, $0.value.buffer) < ($1.value.lastUsed, $1.value.buffer) }) else {
            return
        }
        var id = victim.value.buffer
        alDeleteBuffers(1, &id)
        buffers[victim.key] = nil
    }

    private static func name(of device: OpaquePointer) -> String {
        alcGetString(device, ALC_DEVICE_SPECIFIER).map { String(cString: $0) } ?? "unknown device"
    }
}
