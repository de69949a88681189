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
    private var pending: [Double]?
    private var pendingTime = 0.0
    private var pendingCount = 0

    public init(channels: Int, capacity: Int = 512, merge: Merge = .sample) {
        self.channels = max(channels, 0)
        self.capacity = max(capacity, 4) & ~1
        self.merge = merge
    }

    public var count: Int { times.count }
    public func value(_ i: Int, channel c: Int) -> Double { values[i * channels + c] }

    /// Adds one tick's values (`channels` of them; non-finite values are stored as 0).
    public mutating func append(time: Double, _ v: [Double]) {
        guard channels > 0 else { return }
        if pending == nil {
            pending = v
            pendingTime = time
        } else if merge == .peak {
            for c in 0..<channels where abs(v[c]) > abs(pending![c]) { pending![c] = v[c] }
        }
        pendingCount += 1
        guard pendingCount >= stride else { return }
        push(pendingTime, pending!)
        pending = nil
        pendingCount = 0
    }

    private mutating func push(_ t: Double, _ v: [Double]) {
        times.append(t)
        for c in 0..<channels { values.append(v[c].isFinite ? v[c] : 0) }
        guard times.count >= capacity else { return }
        // halve: merge pairs
        var newTimes: [Double] = []
        var newValues: [Double] = []
        newTimes.reserveCapacity(capacity / 2)
        newValues.reserveCapacity(capacity / 2 * channels)
        for i in Swift.stride(from: 0, to: times.count, by: 2) {
            newTimes.append(times[i])
            for c in 0..<channels {
                let a = values[i * channels + c], b = values[(i + 1) * channels + c]
                newValues.append(merge == .peak && abs(b) > abs(a) ? b : a)
            }
        }
        times = newTimes
        values = newValues
        stride *= 2
    }
}
