// Adaptive multisampling: a headset runtime keeps its frame rate before its image quality (a late frame
// is felt as judder, aliasing is only seen), so when multisampling is what makes frames miss their
// budget the viewer draws without it. On a GPU multisampling costs next to nothing and stays on; on
// software GL (llvmpipe, two cores) 4× samples double the frame of a large scene (docs/benchmarks.md).
//
// Decisions are closed-loop: multisampling is dropped only after frames measured without it are
// clearly shorter. A frame held to the display's refresh (vsync) does not get shorter, so a 60 Hz
// monitor never costs the trainee their anti-aliasing.

/// Decides, frame by frame, how many samples per pixel the 3-D scene gets: the preferred count while
/// frames keep to the budget, none while dropping them is what keeps the budget. Pure logic, fed the
/// wall time of each frame; the viewer applies what it returns.
public struct MultisampleGovernor: Sendable, Equatable {
    /// What the governor is doing.
    public enum Phase: Sendable, Equatable {
        /// Multisampling on, frames measured against the budget.
        case on
        /// Multisampling off for a measurement: kept off only if frames get clearly shorter.
        case trialOff
        /// Multisampling off because it broke the budget; tried again after `retryDelay` seconds.
        case off
        /// Multisampling back on for a measurement: kept only if frames now keep to the budget.
        case trialOn
        /// Multisampling on for good: dropping it did not shorten the frames (they are held by something
        /// else, e.g. the display's refresh).
        case settledOn
    }

    /// A change of sample count, for the run's statistics.
    public struct Change: Sendable, Equatable {
        /// The frame (1-based count of observed frames) after which the change applies.
        public var frame: Int
        public var samples: Int
        /// Median frame time (s) of the measurement that decided it.
        public var medianSeconds: Double
    }

    /// Samples per pixel when they are affordable (0: never multisample; the governor does nothing).
    public let preferred: Int
    /// The frame time to keep to (s): 11.1 ms for a 90 Hz headset.
    public let budget: Double
    /// Frames skipped after each change before measuring (new buffers, shader variants compiled on first use).
    public var warmupFrames = 20
    /// Frames per measurement; its median is what is compared.
    public var windowFrames = 40
    /// Dropping multisampling is kept only if it shortens the median frame by at least this fraction.
    public var requiredGain = 0.2
    /// The longest wait (s) between tries to turn multisampling back on; the wait doubles after each failed try.
    public var maxRetryDelay = 60.0

    public private(set) var phase: Phase
    /// Samples per pixel the next frame should use.
    public private(set) var samples: Int
    /// Seconds to wait, multisampling off, before trying it again.
    public private(set) var retryDelay: Double
    /// Every change so far.
    public private(set) var changes: [Change] = []
    /// Frames observed.
    public private(set) var frames = 0
    /// The last medians measured with multisampling on and off (s).
    public private(set) var medianOn: Double?, medianOff: Double?

    private var window: [Double] = []
    private var skip: Int
    private var waited = 0.0

    /// `preferred`: samples per pixel to use when affordable; `budget`: frame time to keep to (s);
    /// `retryDelay`: first wait (s) before multisampling, once dropped, is tried again.
    public init(preferred: Int, budget: Double = 0.0111, retryDelay: Double = 5) {
        self.preferred = max(0, preferred)
        self.budget = budget
        self.retryDelay = retryDelay
        samples = self.preferred
        phase = self.preferred > 0 ? .on : .settledOn
        skip = warmupFrames
    }

    /// Records one frame's wall time (s) and returns the samples per pixel for the next frame.
    /// Non-finite or negative times (a clock step) are ignored.
    @discardableResult
    public mutating func observe(frameSeconds: Double) -> Int {
        frames += 1
        guard preferred > 0, phase != .settledOn, frameSeconds.isFinite, frameSeconds >= 0 else { return samples }
        if phase == .off {
            waited += frameSeconds
            if waited >= retryDelay { change(to: .trialOn, samples: preferred, median: medianOff ?? budget) }
            return samples
        }
        if skip > 0 {
            skip -= 1
            return samples
        }
        window.append(frameSeconds)
        guard window.count >= windowFrames else { return samples }
        let median = RunStats.median(window)
        window.removeAll(keepingCapacity: true)
        switch phase {
        case .on:
            medianOn = median
            if median > budget { change(to: .trialOff, samples: 0, median: median) }
        case .trialOff:
            medianOff = median
            if median < (medianOn ?? .infinity) * (1 - requiredGain) {
                phase = .off
                waited = 0
            } else {
                change(to: .settledOn, samples: preferred, median: median)
            }
        case .trialOn:
            medianOn = median
            if median <= budget {
                phase = .on
            } else {
                retryDelay = min(retryDelay * 2, maxRetryDelay)
                change(to: .off, samples: 0, median: median)
                waited = 0
            }
        case .off, .settledOn:
            break
        }
        return samples
    }

    private mutating func change(to phase: Phase, samples: Int, median: Double) {
        self.phase = phase
        if samples != self.samples { changes.append(Change(frame: frames, samples: samples, medianSeconds: median)) }
        self.samples = samples
        skip = warmupFrames
        window.removeAll(keepingCapacity: true)
    }
}
