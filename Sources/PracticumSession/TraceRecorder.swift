import PracticumCore

/// Optional rounding of live input before it is stored, trading sub-micrometre detail for traces
/// about half the size. Rounding happens before the session sees the sample (the recorder returns
/// the stored frame), so a live run and its replay still see identical bits.
public struct TraceQuantization: Sendable, Equatable {
    /// Steps per metre for positions (100 000: 10 µm; trackers are good to ~0.1 mm).
    public var positionSteps: Double
    /// Steps per unit for quaternion components (1 000 000: ~1e-4°).
    public var rotationSteps: Double
    /// Steps per unit for grip and trigger (10 000).
    public var analogSteps: Double

    public init(positionSteps: Double = 100_000, rotationSteps: Double = 1_000_000, analogSteps: Double = 10_000) {
        self.positionSteps = positionSteps; self.rotationSteps = rotationSteps; self.analogSteps = analogSteps
    }

    /// `x` rounded to the nearest `1/steps`, computed as `n / steps` so the stored decimal is short.
    static func round(_ x: Double, _ steps: Double) -> Double {
        let r = (x * steps).rounded() / steps
        return r == 0 ? 0 : r // no "-0" in files
    }

    /// The frame as it will be stored.
    public func apply(_ f: InputFrame) -> InputFrame {
        func pose(_ p: Pose) -> Pose {
            let v = p.position, q = p.orientation
            return Pose(position: Vec3(Self.round(v.x, positionSteps), Self.round(v.y, positionSteps), Self.round(v.z, positionSteps)),
                        orientation: Quat(w: Self.round(q.w, rotationSteps), x: Self.round(q.x, rotationSteps),
                                          y: Self.round(q.y, rotationSteps), z: Self.round(q.z, rotationSteps)))
        }
        var out = f
        out.head = pose(f.head)
        out.hands = f.hands.map { HandInput(pose: pose($0.pose), grip: Self.round($0.grip, analogSteps), trigger: Self.round($0.trigger, analogSteps)) }
        return out
    }
}

/// Records a live session (the viewer's `--record`): wraps a `TraceWriter` so that a bad sample or a
/// full disk never interrupts the session; problems are counted and kept for the HUD and the log.
///
/// Feed the session the frame `record(_:)` returns: it is exactly what the trace stores.
public final class TraceRecorder {
    public let path: String
    public let quantization: TraceQuantization?
    public let policy: TraceFlushPolicy
    public var header: TraceHeader { writer.header }
    /// Samples not recorded: non-finite values, wrong hand count, time going back, or after a write error.
    public private(set) var droppedFrames = 0
    /// The first write error; recording stops there (frames before it are on disk).
    public private(set) var writeError: TraceError?
    public var recordedFrames: Int { writer.frameCount }

    private let writer: TraceWriter
    private var lastTime = -Double.infinity

    /// Creates the file and writes the header; throws only if the file cannot be created.
    public init(path: String, header: TraceHeader, policy: TraceFlushPolicy = TraceFlushPolicy(),
                quantization: TraceQuantization? = nil) throws(TraceError) {
        self.path = path; self.quantization = quantization; self.policy = policy
        writer = try TraceWriter(path: path, header: header, policy: policy)
    }

    /// Records one sample and returns it as stored, or nil when it was dropped (the session should
    /// then hold its previous input).
    @discardableResult
    public func record(_ frame: InputFrame) -> InputFrame? {
        let stored = quantization?.apply(frame) ?? frame
        guard writeError == nil, stored.time >= lastTime, stored.hands.count == writer.header.handCount,
              TraceCodec.fields(stored).allSatisfy(\.isFinite) else {
            droppedFrames += 1
            return nil
        }
        do {
            try writer.append(stored)
        } catch {
            droppedFrames += 1
            if case .invalidInput = error { return nil }
            writeError = error
            return nil
        }
        lastTime = stored.time
        return stored
    }

    /// Flushes now (e.g. when the session pauses, so a crash while paused loses nothing).
    public func flush() {
        guard writeError == nil else { return }
        do { try writer.flush() } catch { writeError = error }
    }

    /// Writes the `end` line and closes the file; throws the first write error, if any.
    public func finish() throws(TraceError) {
        if let writeError { throw writeError }
        try writer.close()
    }
}
