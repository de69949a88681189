import Foundation
import PracticumCore

/// A live recording, one trace per attempt. A restart closes the abandoned attempt's trace, complete
/// and scoreable, and opens `NAME-2.trace`, `NAME-3.trace`, … (the first free name), so that every
/// trace covers exactly one attempt and none is lost, overwritten or mixed into another. Each new
/// attempt's trace gets the wall-clock time it started (`started`, when the first had one) and
/// the next attempt id (`attempt`, when the first had one: a number counts on, `3` then `4`; any
/// other id gets `-2`, `-3`, …).
public final class AttemptRecording {
    /// The recorder of the current attempt.
    public private(set) var recorder: TraceRecorder
    /// 1 for the first attempt.
    public private(set) var attempt = 1
    /// Every trace written so far, the current one last.
    public private(set) var paths: [String]
    private var isOpen = true
    private let header: TraceHeader
    private let clock: () -> Date
    /// A new seed for each attempt after the first (a scenario with variation, no fixed seed), so a
    /// restart is a new case; nil keeps the first attempt's seed.
    private let reseed: (() -> UInt64)?

    public init(_ recorder: TraceRecorder, clock: @escaping () -> Date = Date.init, reseed: (() -> UInt64)? = nil) {
        self.recorder = recorder; header = recorder.header; paths = [recorder.path]; self.clock = clock; self.reseed = reseed
    }

    /// The header of attempt `n` (1 for the first): its start time and attempt id.
    func header(forAttempt n: Int) -> TraceHeader {
        var h = header
        if h.metadata[TraceHeader.startedKey] != nil { h.metadata[TraceHeader.startedKey] = WallClock.iso8601(clock()) }
        if let id = h.metadata[TraceHeader.attemptKey] {
            h.metadata[TraceHeader.attemptKey] = Int(id).map { String($0 + n - 1) } ?? "\(id)-\(n)"
        }
        if let reseed { h.metadata[TraceHeader.seedKey] = String(reseed()) }
        return h
    }

    /// Records one sample of the current attempt (see `TraceRecorder.record`); while no file is
    /// open (one could not be created), the sample passes through unrecorded.
    public func record(_ frame: InputFrame) -> InputFrame? { isOpen ? recorder.record(frame) : frame }

    /// Closes the current attempt's trace and opens the next one. Throws when either fails; the
    /// session goes on unrecorded then.
    public func nextAttempt() throws(TraceError) {
        attempt += 1
        if isOpen { isOpen = false; try recorder.finish() }
        let path = Self.freePath(after: paths[0], attempt: attempt)
        recorder = try TraceRecorder(path: path, header: header(forAttempt: attempt), policy: recorder.policy, quantization: recorder.quantization)
        isOpen = true
        paths.append(path)
    }

    /// Where the current attempt's HTML report goes: beside its trace, `NAME.report.html` (the trace's
    /// extension replaced), or the first free `NAME.report-N.html` when that exists: nothing is overwritten.
    public var reportPath: String {
        let ext = URL(fileURLWithPath: recorder.path).pathExtension
        let first = String(recorder.path.dropLast(ext.isEmpty ? 0 : ext.count + 1)) + ".report.html"
        return FileManager.default.fileExists(atPath: first) ? Self.freePath(after: first, attempt: 2) : first
    }

    /// Closes the current attempt's trace.
    public func finish() throws(TraceError) {
        guard isOpen else { return }
        isOpen = false
        try recorder.finish()
    }

    /// `dir/NAME-N.EXT` for the first N ≥ `attempt` that names no existing file.
    public static func freePath(after first: String, attempt: Int) -> String {
        let url = URL(fileURLWithPath: first)
        let ext = url.pathExtension
        let base = String(first.dropLast(ext.isEmpty ? 0 : ext.count + 1))
        var n = attempt
        while true {
            let candidate = base + "-\(n)" + (ext.isEmpty ? "" : "." + ext)
            if !FileManager.default.fileExists(atPath: candidate) { return candidate }
            n += 1
        }
    }
}
