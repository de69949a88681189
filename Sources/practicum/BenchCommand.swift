import ArgumentParser
import PracticumPhysics
import Foundation

/// `practicum bench SCENE [--n N] [--ticks T] [--json]`: runs a named scene single-threaded and reports
/// the median wall time per tick. Scenes come from `BenchScenes.all`; `--list` names them.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a benchmark scene (physics, tissue, scenario loading, headless replay) and print the median time per tick.",
        discussion: "Scenes are shared with the tests and the viewer; --list names them. Build with -c release to measure."
    )

    @Argument(help: "Scene name (see --list).") var scene: String?
    @Option(help: "Scene size (e.g. number of spheres).") var n: Int?
    @Option(help: "Ticks to run.") var ticks: Int?
    @Flag(help: "Print one JSON object.") var json = false
    @Flag(help: "List the scenes and exit.") var list = false
    @Option(help: "Clock for the per-tick times: wall (monotonic) or cpu (this thread's CPU time, fair on a loaded machine).")
    var clock: String = "wall"

    func run() throws {
        if list {
            for s in benchSceneList() { print("\(s.name)\t\(s.summary) (default n \(s.defaultN), \(s.defaultTicks) ticks)") }
            return
        }
        guard let name = scene else { return try usage("missing SCENE; `practicum bench --list` names them") }
        guard let sc = benchSceneList().first(where: { $0.name == name }) else {
            return try usage("unknown scene '\(name)'; known: \(benchSceneList().map(\.name).joined(separator: ", "))")
        }
        let count = n ?? sc.defaultN, steps = ticks ?? sc.defaultTicks
        guard count >= 1, steps >= 1 else { return try usage("--n and --ticks must be at least 1") }
        guard clock == "wall" || clock == "cpu" else { return try usage("--clock must be wall or cpu") }
        let r = sc.run(count, steps, clock == "cpu" ? threadCPUSeconds : monotonicSeconds)
        if json {
            var fields = [("scene", "\"\(r.scene)\""), ("n", "\(r.n)"), ("ticks", "\(r.ticks)"), ("dt", "\(r.dt)"),
                          ("ms_per_step_median", "\(r.msPerStepMedian)"), ("clock", "\"\(clock)\""), ("kinetic_energy_final", "\(r.kineticEnergyFinal)"),
                          ("state_hash", "\"\(r.stateHash)\"")]
            for (k, v) in r.extra { fields.append((k, v.isFinite ? "\(v)" : "null")) }
            print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
        } else {
            print("\(r.scene) n=\(r.n) ticks=\(r.ticks) dt=\(r.dt) s")
            print("  median \(r.msPerStepMedian) ms/step (\(clock) clock), final kinetic energy \(r.kineticEnergyFinal) J, state hash \(r.stateHash)")
            for (k, v) in r.extra { print("  \(k) \(v)") }
        }
    }

    private func usage(_ message: String) throws {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        throw ExitCode(2)
    }
}

@Sendable private func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

@Sendable private func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
