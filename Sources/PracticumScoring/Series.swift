/// A time series of bounded size for the debrief plots.
///
/// Samples are taken every `stride` ticks; when `capacity` points are held, neighbouring pairs are
/// merged and the stride doubles, so memory stays at `capacity × channels` whatever the run length
/// and the kept points stay evenly spaced. `.peak` merges by the larger magnitude (a force spike is
/// never lost), `.sample` keeps the earlier point of each pair.
public struct Series: Sendable, Equatable {
    public enum Merge: Sendable, Equatable { case sample, peak }
    public let channels: Int
    public let capacity: Int
    public let merge: Merge
    /// Sample times (s).
    public private(set) var times: [Double] = []
    /// Values, `channels` per time, flattened.
    public private(set) var values: [Double] = []
    public private(set) var stride = 1
    private var pending: [Double]
    private var pendingTime = 0.0
    private var pendingCount = 0

    public init(channels: Int, capacity: Int = 512, merge: Merge = .sample) {
        self.channels = max(channels, 0)
        self.capacity = max(capacity, 4) & ~1
        self.merge = merge
        pending = Array(repeating: 0, count: self.channels)
        times.reserveCapacity(self.capacity)
        values.reserveCapacity(self.capacity * self.channels)
    }

    public var count: Int { times.count }
    public func value(_ i: Int, channel c: Int) -> Double { values[i * channels + c] }

    /// Adds one tick's values (`channels` of them; non-finite values are stored as 0).
    public mutating func append(time: Double, _ v: [Double]) {
        guard channels > 0 else { return }
        // the bucket's values live in `pending`, copied element by element: no allocation per tick
        if pendingCount == 0 {
            pendingTime = time
            for c in 0..<channels { pending[c] = v[c] }
        } else if merge == .peak {
            for c in 0..<channels where abs(v[c]) > abs(pending[c]) { pending[c] = v[c] }
        }
        pendingCount += 1
        guard pendingCount >= stride else { return }
        pendingCount = 0
        push()
    }

    /// Adds one tick's value to a one-channel series.
    public mutating func append(time: Double, _ v: Double) {
        guard channels == 1 else { return }
        if pendingCount == 0 {
            pendingTime = time
            pending[0] = v
        } else if merge == .peak, abs(v) > abs(pending[0]) {
            pending[0] = v
        }
        pendingCount += 1
        guard pendingCount >= stride else { return }
        pendingCount = 0
        push()
    }

    private mutating func push() {
        times.append(pendingTime)
        for c in 0..<channels { values.append(pending[c].isFinite ? pending[c] : 0) }
        guard times.count >= capacity else { return }
        // halve in place: merge pairs
        let half = times.count / 2
        for i in 0..<half {
            times[i] = times[2 * i]
            for c in 0..<channels {
                let a = values[2 * i * channels + c], b = values[(2 * i + 1) * channels + c]
                values[i * channels + c] = merge == .peak && abs(b) > abs(a) ? b : a
            }
        }
        times.removeLast(times.count - half)
        values.removeLast(values.count - half * channels)
        stride *= 2
    }
}
