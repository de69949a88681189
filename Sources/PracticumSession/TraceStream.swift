import Foundation
import PracticumCore
import PracticumScenario

/// Reads a trace file's frames one at a time, in chunks, so that memory does not grow with the
/// length of the recording (a two-hour session is about 100 MB of text).
///
/// The header is read and checked on opening; `next()` returns frames until the `end` line, the end
/// of the file, or damage, which `damage` then describes exactly as `TraceReader` would. The hash
/// of every byte of the file but the header's `meta` lines (who and when, which must not change
/// which input a report says it scored) is kept as it is read (`finish()` reads the rest for it),
/// so scoring needs no second pass for the report's trace hash. A class because it owns an open file.
public final class TraceStream {
    /// The trace's header.
    public let header: TraceHeader
    /// Why the frames stopped before a clean `end` line; nil while reading and after a complete trace.
    public private(set) var damage: TraceDamage?
    /// Frames returned so far.
    public var frameCount: Int { decoder.count }
    /// True once `next()` has returned nil.
    public private(set) var isFinished = false

    /// Bytes read from the file per system call (1 MiB; tests use tiny chunks to cross every boundary).
    private let chunkSize: Int

    private let handle: FileHandle
    private let path: String
    private var decoder: TraceReader.FrameDecoder
    private var scanner: LineScanner
    /// Bytes after the last complete line of the current chunk.
    private var carry: [UInt8]
    /// File offset of the first byte not yet given to a scanner.
    private var nextOffset: Int
    private var atEndOfFile = false
    private var hash = StateHash()

    /// Opens the trace at `path` and reads its header.
    public init(path: String, chunkSize: Int = 1 << 20) throws(TraceError) {
        self.path = path
        self.chunkSize = max(1, chunkSize)
        guard let size = regularFileSize(path) else { throw .io(path: path, reason: "cannot read: no such file") }
        guard size >= 0 else { throw .io(path: path, reason: "cannot read: not a regular file (a folder, device or pipe)") }
        do { handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path)) } catch {
            throw .io(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        let first: [UInt8]
        do { first = [UInt8](try handle.read(upToCount: TraceCodec.maxHeaderLength + TraceCodec.maxLineLength) ?? Data()) } catch {
            try? handle.close()
            throw .io(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        var headerScanner = LineScanner(bytes: first[...])
        do { header = try TraceReader.readHeader(&headerScanner) } catch {
            try? handle.close()
            throw error
        }
        // the header's lines but `meta`, then everything after it
        var lineStart = 0
        for i in 0..<headerScanner.consumed where first[i] == 0x0a {
            if !first[lineStart...].starts(with: "meta ".utf8) { hash.combine(bytes: first[lineStart...i]) }
            lineStart = i + 1
        }
        hash.combine(bytes: first[headerScanner.consumed...])
        decoder = TraceReader.FrameDecoder(handCount: header.handCount)
        carry = Array(first[headerScanner.consumed...])
        nextOffset = headerScanner.consumed
        scanner = LineScanner(bytes: [][...], offsetBase: nextOffset, lineBase: headerScanner.lineNumber)
        atEndOfFile = first.count < TraceCodec.maxHeaderLength + TraceCodec.maxLineLength
    }

    deinit { try? handle.close() }

    /// The next frame, or nil at the end of the trace or at damage (see `damage`).
    public func next() -> InputFrame? {
        guard !isFinished else { return nil }
        while true {
            var scan = scanner.next()
            if case .endOfFile = scan {
                guard loadChunk() else {
                    return stop(decoder.decode(.endOfFile, endOffset: nextOffset, nextLine: scanner.lineNumber + 1))
                }
                scan = scanner.next()
            }
            switch decoder.decode(scan, endOffset: nextOffset, nextLine: scanner.lineNumber + 1) {
            case let .frame(f): return f
            case let step: return stop(step)
            }
        }
    }

    /// Reads what remains of the file (for the hash) and returns the FNV-1a hash of all its bytes.
    public func finish() -> String {
        while next() != nil {}
        while !atEndOfFile { _ = readMore() }
        return hash.hex
    }

    private func stop(_ step: TraceReader.FrameDecoder.Step) -> InputFrame? {
        isFinished = true
        switch step {
        case .frame: break
        case .end:
            // the `end` line must be the last: anything after it is damage
            var more = scanner.next()
            if case .endOfFile = more, loadChunk() { more = scanner.next() }
            if case .endOfFile = more { break }
            damage = TraceDamage(kind: .corrupt, byteOffset: scanner.lineStart, line: scanner.lineNumber, reason: "data after the 'end' line")
        case let .damage(d): damage = d
        }
        return nil
    }

    /// Appends up to one chunk of the file to `carry`; false at the end of the file.
    private func readMore() -> Bool {
        guard !atEndOfFile else { return false }
        let data: Data
        do { data = try handle.read(upToCount: chunkSize) ?? Data() } catch {
            atEndOfFile = true
            damage = TraceDamage(kind: .truncated, byteOffset: nextOffset + carry.count, line: scanner.lineNumber + 1,
                                 reason: "the file could not be read further: \(error.localizedDescription)")
            return false
        }
        if data.count < chunkSize { atEndOfFile = true }
        hash.combine(bytes: data)
        carry += data
        return !data.isEmpty
    }

    /// Hands the next run of complete lines to a fresh scanner; false when the file has no more bytes.
    private func loadChunk() -> Bool {
        // a chunk's worth (many whole lines, or proof that a line is too long)
        while carry.count < chunkSize, readMore() {}
        guard !carry.isEmpty else { return false }
        var chunk: [UInt8]
        if !atEndOfFile, let nl = carry.lastIndex(of: 0x0a) {
            chunk = Array(carry[...nl]); carry.removeFirst(nl + 1)
        } else {
            // the end of the file, or a line too long to hold a newline: the scanner reports either
            chunk = carry; carry = []
        }
        scanner = LineScanner(bytes: chunk[...], offsetBase: nextOffset, lineBase: scanner.lineNumber)
        nextOffset += chunk.count
        chunk = []
        return true
    }
}
