// Scoring overhead on a real headless replay: the tick of `Session.step`, stage by stage, with the
// scoring stage (`ReportRecorder.record`) timed apart from the rest (inputs, physics, observe,
// procedure). Usage (via tools/bench/session-overhead.sh): SCENARIO TRACE [REPEATS].
import Foundation
import PracticumCore
import PracticumPhysics
import PracticumScenario
import PracticumScoring
import PracticumSession

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

let args = Array(CommandLine.arguments.dropFirst())
guard args.count >= 2 else { print("usage: session-overhead SCENARIO TRACE [REPEATS]"); exit(2) }
let scenario = try loadScenarioForScoring(args[0]).get()
let trace = try TraceReader.read(contentsOf: args[1], mode: .strict)
let repeats = args.count > 2 ? Int(args[2]) ?? 5 : 5
let dt = 1.0 / 240.0

var rest: [Double] = [], scoring: [Double] = []
var hash = ""
for _ in 0..<repeats {
    // the same construction as Session.init
    var world = try World(SceneBuilder.worldDef(for: scenario, dt: dt))
    var runner = ProcedureRunner(scenario: scenario, dt: dt)
    let session = try Session(scenario: scenario, dt: dt)
    var recorder = session.recorder
    var source = Resampler(samples: trace.frames)
    var restTotal = 0.0, scoringTotal = 0.0
    while !runner.state.ended {
        let t = Double(world.state.tick + 1) * dt
        if t > trace.duration + 1e-9 { break }
        let t0 = now()
        let input = source.frame(at: t)
        world.step(inputs: input.hands)
        let obs = world.observations(buttons: input.buttons)
        let out = runner.tick(obs)
        for c in out.sceneCommands { if case let .moveBody(b, pose) = c { world.teleport(b, to: pose) } }
        let t1 = now()
        recorder.record(obs, out.frame)
        let t2 = now()
        restTotal += t1 - t0; scoringTotal += t2 - t1
    }
    let t3 = now()
    let report = recorder.report(inputComplete: trace.isComplete)
    hash = StateHash.of(bytes: Array(report.json().utf8)).hex
    scoringTotal += now() - t3
    rest.append(restTotal); scoring.append(scoringTotal)
}
let bestRest = rest.min()!, bestScoring = scoring.min()!
print("\(scenario.id): \(repeats) replays of \(args[1]) (report hash \(hash))")
print("inputs+physics+observe+procedure: best \(bestRest * 1e3) ms per replay")
print("scoring (record every tick + final report): best \(bestScoring * 1e3) ms per replay")
print("scoring adds \(100 * bestScoring / bestRest) % to the replay")
