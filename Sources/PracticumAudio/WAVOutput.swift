#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Renders every cue at its simulated time into a mono 16-bit 44.1 kHz WAV file: what the run would
/// have sounded like, tick-exact and independent of frame timing, for tests and for a debrief.
///
/// Nothing is written until `finish()`: `play` only keeps the event (a few dozen bytes), and `finish()`
/// mixes the timeline a chunk at a time into a temporary file beside `path`, syncs it and renames it
/// over `path`. So memory stays small whatever the length, and `path` is either the whole file or not
/// there: an output dropped without `finish()` (or a process killed while writing, which can leave the
/// hidden `.name.XXXXXX` temporary) never leaves a partial WAV. Overlapping sounds are summed and
/// clipped to int16, never wrapped.
///
/// The timeline is at most `AudioLimits.wavMaxDuration` (2 h); events starting later are dropped and
/// one that runs past it is cut. Events before time 0 lose the part before 0.
public final class WAVOutput: AudioOutput {
    /// The file `finish()` writes.
    public let path: String
    /// The timeline's length limit, in seconds.
    public let maxDuration: Double
    /// Events not rendered: past the timeline, wholly before 0, at a non-finite time, or beyond
    /// `AudioLimits.wavMaxEvents`.
    public private(set) var droppedCount = 0
    /// Whether `finish()` has written the file.
    public private(set) var isFinished = false

    private struct Placed {
        var start: Int
        var kind: SoundKind
        var gain: Double
    }
    private var placed: [Placed] = []
    private let maxSamples: Int
    private static let chunkSamples = 1 << 16

    /// A WAV output to `path`, its timeline at most `maxDuration` seconds (capped at
    /// `AudioLimits.wavMaxDuration`). Throws when the folder of `path` does not exist or cannot be
    /// written, so a run learns before it starts, not after it ends.
    public init(path: String, maxDuration: Double = AudioLimits.wavMaxDuration) throws {
        let folder = Self.folder(of: path)
        guard access(folder, W_OK) == 0 else {
            throw AudioError("cannot write \(path): \(folder): \(Self.errnoText())")
        }
        self.path = path
        self.maxDuration = maxDuration.isNaN ? 0 : min(max(maxDuration, 0), AudioLimits.wavMaxDuration)
        self.maxSamples = Int((self.maxDuration * SoundSynth.sampleRate).rounded())
    }

    public func play(_ event: SoundEvent) {
        guard !isFinished else { return }
        let count = SoundSynth.sampleCount(for: event.kind)
        guard event.time.isFinite, event.time < maxDuration, placed.count < AudioLimits.wavMaxEvents,
              count > 0 else {
            droppedCount += 1
            return
        }
        let start = Int((event.time * SoundSynth.sampleRate).rounded())
        guard start + count > 0, start < maxSamples else {
            droppedCount += 1
            return
        }
        placed.append(Placed(start: start, kind: event.kind, gain: event.clampedGain))
    }

    /// Writes the file (atomically; see the type's notes). Throws with the path and the failing call;
    /// after a failure nothing is at `path` that was not there before, and `finish()` may be tried again.
    public func finish() throws {
        guard !isFinished else { return }
        let total = placed.reduce(0) { max($0, $1.start + SoundSynth.sampleCount(for: $1.kind)) }
        let samples = min(total, maxSamples)
        try Self.writeAtomically(to: path) { write in
            try WAVFormat.header(sampleCount: samples).withUnsafeBytes(write)
            try render(sampleCount: samples) { chunk in
                try chunk.map(\.littleEndian).withUnsafeBytes(write)
            }
        }
        isFinished = true
        placed = []
    }

    /// Mixes the timeline's first `sampleCount` samples, handing them out a chunk at a time.
    private func render(sampleCount: Int, _ emit: ([Int16]) throws -> Void) throws {
        // by start, then by arrival, so the sums add in one order on every run
        let order = placed.indices.sorted { (placed[$0].start, $0) < (placed[$1].start, $1) }
        var cache: [SoundKind: [Int16]] = [:]
        var cached = 0
        var next = 0
        var active: [Placed] = []
        var chunkStart = 0
        while chunkStart < sampleCount {
            let chunkEnd = min(sampleCount, chunkStart + Self.chunkSamples)
            while next < order.count, placed[order[next]].start < chunkEnd {
                active.append(placed[order[next]])
                next += 1
            }
            var mix = [Double](repeating: 0, count: chunkEnd - chunkStart)
            for event in active {
                let pcm: [Int16]
                if let hit = cache[event.kind] {
                    pcm = hit
                } else {
                    pcm = SoundSynth.samples(for: event.kind)
                    // many distinct tones must not pile up: start the cache over past 8 M samples
                    if cached + pcm.count > 1 << 23 { cache = [:]; cached = 0 }
                    cache[event.kind] = pcm
                    cached += pcm.count
                }
                let lo = max(chunkStart, event.start), hi = min(chunkEnd, event.start + pcm.count)
                guard lo < hi else { continue }
                for i in lo..<hi { mix[i - chunkStart] += Double(pcm[i - event.start]) * event.gain }
            }
            active.removeAll { $0.start + SoundSynth.sampleCount(for: $0.kind) <= chunkEnd }
            try emit(mix.map { Int16(clamping: Int($0.rounded())) })
            chunkStart = chunkEnd
        }
    }

    // MARK: files

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    /// Writes `path` through a temporary file in the same folder (so the rename cannot cross file
    /// systems): create, write, fsync, rename, fsync the folder. On any failure the temporary is removed.
    static func writeAtomically(
        to path: String, _ body: (_ write: (UnsafeRawBufferPointer) throws -> Void) throws -> Void
    ) throws {
        let folder = folder(of: path)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        var template = Array("\(folder)/.\(name).XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw AudioError("cannot write \(path): temporary file: \(errnoText())") }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var isOpen = true
        var done = false
        defer {
            if isOpen { close(fd) }
            if !done { unlink(temporary) }
        }
        func fail(_ call: String) -> AudioError { AudioError("cannot write \(path): \(call): \(errnoText())") }
        // mkstemp makes the file private; a WAV is for listening to
        _ = fchmod(fd, 0o644)
        try body { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw fail("write")
                }
                offset += n
            }
        }
        guard fsync(fd) == 0 else { throw fail("fsync") }
        isOpen = false
        guard close(fd) == 0 else { throw fail("close") }
        guard rename(temporary, path) == 0 else { throw fail("rename") }
        done = true
        // the rename is durable only once the folder is synced; the file is complete either way
        let dir = open(folder, O_RDONLY)
        if dir >= 0 { _ = fsync(dir); close(dir) }
    }
}

/// The RIFF/WAVE layout the WAV output writes: canonical 44-byte header, PCM, mono, 16-bit, 44.1 kHz.
enum WAVFormat {
    static let channels = 1
    static let bitsPerSample = 16
    static let headerSize = 44

    static func header(sampleCount: Int, sampleRate: Int = Int(SoundSynth.sampleRate)) -> [UInt8] {
        let blockAlign = channels * bitsPerSample / 8
        let dataBytes = sampleCount * blockAlign
        var out: [UInt8] = []
        out.reserveCapacity(headerSize)
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { out += $0 } }
        func u16(_ v: Int) { withUnsafeBytes(of: UInt16(v).littleEndian) { out += $0 } }
        out += Array("RIFF".utf8); u32(36 + dataBytes); out += Array("WAVE".utf8)
        out += Array("fmt ".utf8); u32(16)
        u16(1)  // PCM
        u16(channels); u32(sampleRate); u32(sampleRate * blockAlign); u16(blockAlign); u16(bitsPerSample)
        out += Array("data".utf8); u32(dataBytes)
        return out
    }
}
