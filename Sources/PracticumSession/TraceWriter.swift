import Foundation
import PracticumCore

/// When a `TraceWriter` hands buffered lines to the operating system.
public struct TraceFlushPolicy: Sendable, Equatable {
    /// Flush once the buffered frames span this much sample time, in seconds (default 1 s: a crash
    /// loses at most the last second).
    public var interval: Double
    /// Flush when this many bytes are buffered, whatever their time span.
    public var maxBufferedBytes: Int
    /// Also `fsync` on every flush, so frames survive a power cut, not only a killed process.
    public var synchronize: Bool

    public init(interval: Double = 1.0, maxBufferedBytes: Int = 64 * 1024, synchronize: Bool = false) {
        self.interval = interval; self.maxBufferedBytes = maxBufferedBytes; self.synchronize = synchronize
    }
}

/// Appends frames to a trace file (docs/trace-format.md).
///
/// The header is written and flushed on creation; frames are buffered and flushed per
/// `TraceFlushPolicy`; `close()` flushes and writes the `end` line that marks the trace complete.
/// A process killed at any instant leaves a file that reads back to its last flushed frame.
/// A class because it owns an open file.
public final class TraceWriter {
    public let header: TraceHeader
    public let policy: TraceFlushPolicy
    /// Frames appended so far.
    public private(set) var frameCount = 0
    /// Bytes handed to the file so far (header included).
    public private(set) var bytesWritten = 0
    /// True once `close()` has run.
    public private(set) var isClosed = false

    private let handle: FileHandle
    private let ownsHandle: Bool
    private let path: String
    private var pending: [UInt8] = []
    private var previous: InputFrame?
    private var lastFlushTime: Double?

    /// Creates (or truncates) the file at `path` and writes the header.
    public convenience init(path: String, header: TraceHeader, policy: TraceFlushPolicy = TraceFlushPolicy()) throws(TraceError) {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw .io(path: path, reason: "cannot create the file")
        }
        let handle: FileHandle
        do { handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path)) } catch {
            throw .io(path: path, reason: "cannot open for writing: \(error.localizedDescription)")
        }
        try self.init(handle: handle, header: header, policy: policy, ownsHandle: true, path: path)
    }

    /// Writes to an already open handle (a pipe, or a file positioned at its end); the handle stays open after `close()`.
    public convenience init(fileHandle: FileHandle, header: TraceHeader, policy: TraceFlushPolicy = TraceFlushPolicy()) throws(TraceError) {
        try self.init(handle: fileHandle, header: header, policy: policy, ownsHandle: false, path: "<file handle>")
    }

    private init(handle: FileHandle, header: TraceHeader, policy: TraceFlushPolicy, ownsHandle: Bool, path: String) throws(TraceError) {
        self.handle = handle; self.header = header; self.policy = policy; self.ownsHandle = ownsHandle; self.path = path
        pending = try TraceCodec.headerLines(header)
        try flush()
    }

    deinit {
        if ownsHandle && !isClosed { try? handle.close() }
    }

    /// Appends one frame; its hand count must match the header and its time must not go back.
    public func append(_ frame: InputFrame) throws(TraceError) {
        guard !isClosed else { throw .invalidInput(reason: "the trace is closed") }
        if let previous, frame.time < previous.time {
            throw .invalidInput(reason: "frame time \(frame.time) s goes back from \(previous.time) s")
        }
        pending += try TraceCodec.frameLine(frame, previous: previous, handCount: header.handCount)
        previous = frame
        frameCount += 1
        let since = lastFlushTime ?? frame.time
        if lastFlushTime == nil { lastFlushTime = frame.time }
        if frame.time - since >= policy.interval || pending.count >= policy.maxBufferedBytes {
            lastFlushTime = frame.time
            try flush()
        }
    }

    /// Hands buffered lines to the OS now (and `fsync`s when the policy says so).
    public func flush() throws(TraceError) {
        if !pending.isEmpty {
            do { try handle.write(contentsOf: pending) } catch {
                throw .io(path: path, reason: "write failed: \(error.localizedDescription)")
            }
            bytesWritten += pending.count
            pending.removeAll(keepingCapacity: true)
        }
        if policy.synchronize {
            do { try handle.synchronize() } catch { throw .io(path: path, reason: "fsync failed: \(error.localizedDescription)") }
        }
    }

    /// Writes the `end` line, flushes, syncs, and closes the file if this writer opened it.
    public func close() throws(TraceError) {
        guard !isClosed else { return }
        pending += TraceCodec.endLine(frameCount: frameCount)
        try flush()
        isClosed = true
        do {
            if !policy.synchronize { try handle.synchronize() }
            if ownsHandle { try handle.close() }
        } catch {
            throw .io(path: path, reason: "close failed: \(error.localizedDescription)")
        }
    }

    /// The complete bytes of a trace, for synthesis and tests (no file involved).
    public static func encode(header: TraceHeader, frames: [InputFrame], complete: Bool = true) throws(TraceError) -> [UInt8] {
        var out = try TraceCodec.headerLines(header)
        var previous: InputFrame?
        for f in frames {
            if let previous, f.time < previous.time {
                throw .invalidInput(reason: "frame time \(f.time) s goes back from \(previous.time) s")
            }
            out += try TraceCodec.frameLine(f, previous: previous, handCount: header.handCount)
            previous = f
        }
        if complete { out += TraceCodec.endLine(frameCount: frames.count) }
        return out
    }
}
