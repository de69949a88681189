import PracticumCore

/// A named, reproducible scene that `practicum bench`, the tests and the viewer share.
public struct BenchScene: Sendable {
    public var name: String
    public var summary: String
    public var defaultN: Int
    public var defaultTicks: Int
    /// Runs the scene single-threaded for `ticks` ticks with size parameter `n`, timing each tick
    /// with `clock` (seconds; injected so the physics never reads a clock itself).
    public var run: @Sendable (_ n: Int, _ ticks: Int, _ clock: @escaping @Sendable () -> Double) -> BenchResult

    public init(name: String, summary: String, defaultN: Int, defaultTicks: Int,
                run: @escaping @Sendable (_ n: Int, _ ticks: Int, _ clock: @escaping @Sendable () -> Double) -> BenchResult) {
        self.name = name; self.summary = summary; self.defaultN = defaultN; self.defaultTicks = defaultTicks; self.run = run
    }
}

/// What one bench run measured. `extra` holds scene-specific figures (e.g. `max_indent_mm`), in key order.
public struct BenchResult: Sendable {
    public var scene: String
    public var n: Int
    public var ticks: Int
    public var dt: Double
    public var secondsPerTick: [Double]
    public var kineticEnergyFinal: Double
    public var stateHash: String
    public var extra: [(String, Double)]

    public init(scene: String, n: Int, ticks: Int, dt: Double, secondsPerTick: [Double], kineticEnergyFinal: Double,
                stateHash: String, extra: [(String, Double)] = []) {
        self.scene = scene; self.n = n; self.ticks = ticks; self.dt = dt; self.secondsPerTick = secondsPerTick
        self.kineticEnergyFinal = kineticEnergyFinal; self.stateHash = stateHash; self.extra = extra
    }

    /// Median wall time per tick in milliseconds.
    public var msPerStepMedian: Double {
        guard !secondsPerTick.isEmpty else { return 0 }
        let s = secondsPerTick.sorted()
        let m = s.count / 2
        return 1000 * (s.count % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m]))
    }
}
