import PracticumCore

/// Wall or CPU time spent in each stage of the tick, summed over ticks (Box2D's `b2Profile`).
///
/// Off unless a benchmark turns it on (`World.profiler`): the clock is injected and read only between
/// stages, and nothing it measures feeds back into the simulation, so profiling never changes a result.
public struct StageProfiler: Sendable {
    public enum Stage: Int, CaseIterable, Sendable {
        case inputs, broadPhase, narrowPhase, solve, tissue, sensors, procedure, scoring

        /// The stage's name in benchmark output (`broad_phase`, …).
        public var name: String {
            switch self {
            case .inputs: "inputs"
            case .broadPhase: "broad_phase"
            case .narrowPhase: "narrow_phase"
            case .solve: "solve"
            case .tissue: "tissue"
            case .sensors: "sensors"
            case .procedure: "procedure"
            case .scoring: "scoring"
            }
        }
    }

    let clock: @Sendable () -> Double
    /// Seconds spent in each stage, by `Stage.rawValue`.
    public private(set) var seconds: [Double] = Array(repeating: 0, count: Stage.allCases.count)
    /// Ticks measured.
    public private(set) var ticks = 0
    private var mark = 0.0

    public init(clock: @escaping @Sendable () -> Double) { self.clock = clock }

    /// Starts a tick.
    public mutating func start() { mark = clock(); ticks += 1 }

    /// Charges the time since the last mark to `stage`.
    public mutating func lap(_ stage: Stage) {
        let now = clock()
        seconds[stage.rawValue] += now - mark
        mark = now
    }

    /// Mean milliseconds per tick in each stage, as benchmark extras (`stage_solve_ms`, …).
    public var extras: [(String, Double)] {
        Stage.allCases.map { ("stage_\($0.name)_ms", ticks > 0 ? 1000 * seconds[$0.rawValue] / Double(ticks) : 0) }
    }
}
