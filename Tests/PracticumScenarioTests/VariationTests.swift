import Testing
import PracticumCore
@testable import PracticumScenario
import PracticumTestSupport

/// Seeded variation: starting values drawn per run and complications armed by chance, from the run's seed.
let variationScenario = twoBodyScene("variation", region: "{id: r1, position: [1m, 0, 0], radius: 10cm}") + """
variables:
  - {id: hr, unit: bpm, initial: {uniform: [60bpm, 100bpm]}, min: 30bpm, max: 200bpm}
  - {id: sbp, unit: mmHg, initial: {normal: {mean: 120mmHg, sd: 10mmHg}}, min: 100mmHg, max: 130mmHg}
  - {id: rhythm, initial: {choice: [1, 2, 3]}}
  - {id: fixed, unit: bpm, initial: 70bpm}
procedure:
  steps:
    - {id: reach, title: Reach, complete_when: 'inside(a, r1)'}
events:
  - {id: bleed, at: 0.2s, probability: 50%, do: [{message: bleeding}]}
  - {id: always, at: 0.2s, do: [{message: always}]}
"""

@Suite struct VariationTests {
    static func scenario() throws -> Scenario {
        let r = load(variationScenario)
        return try #require(r.scenario, "\(r.diagnostics)")
    }

    @Test func theSeedDrawsTheStartingValuesAndWhichComplicationsAreArmed() throws {
        let s = try Self.scenario()
        #expect(s.hasVariation)
        let mmHg = 133.322387415
        let expected: [RandomDraw?] = [.uniform(1, 100.0 / 60), .normal(mean: 120 * mmHg, sd: 10 * mmHg), .choice([1, 2, 3]), nil]
        #expect(s.variables.map(\.draw) == expected)
        let runs = (0..<6).map { ProcedureRunner(scenario: s, dt: 0.1, seed: UInt64($0)).state }
        for r in runs {
            let hr = r.variables[0] * 60
            #expect(hr >= 60 && hr < 100)
            let sbp = r.variables[1] / 133.322387415
            #expect(sbp >= 100 - 1e-9 && sbp <= 130 + 1e-9) // clamped to min…max
            #expect([1, 2, 3].contains(r.variables[2]))
            #expect(r.variables[3] == 70.0 / 60)
            #expect(r.armed[1])
        }
        // the same seed, the same case; different seeds, different cases
        #expect(ProcedureRunner(scenario: s, dt: 0.1, seed: 3).state == runs[3])
        #expect(Set(runs.map { $0.variables[0] }).count == 6)
        let armed = (0..<64).map { ProcedureRunner(scenario: s, dt: 0.1, seed: UInt64($0)).state.armed[0] }.filter { $0 }.count
        #expect(armed > 16 && armed < 48, "50% over 64 seeds arms about half: \(armed)")
    }

    @Test func anEventThatIsNotArmedNeverFires() throws {
        let s = try Self.scenario()
        for seed in UInt64(0)..<8 {
            var runner = ProcedureRunner(scenario: s, dt: 0.1, seed: seed)
            var messages: [String] = []
            for tick in 1...4 {
                let obs = Observations(tick: tick, time: Double(tick) * 0.1, bodies: [.init(pose: Pose()), .init(pose: Pose())])
                for e in runner.tick(obs).frame.events { if case let .message(t) = e.kind { messages.append(t) } }
            }
            #expect(messages == (runner.state.armed[0] ? ["bleeding", "always"] : ["always"]), "seed \(seed)")
        }
    }

    @Test func aScenarioWithoutVariationIgnoresTheSeed() throws {
        let fixed = try #require(load(namedScenario).scenario)
        #expect(!fixed.hasVariation)
        #expect(ProcedureRunner(scenario: fixed, dt: 0.1, seed: 99).state == ProcedureRunner(scenario: fixed, dt: 0.1).state)
    }

    @Test(arguments: [
        ("{uniform: [60bpm, 100bpm]}", "{uniform: [100bpm, 60bpm]}", "11:53: error: expected low below high (at variables[0].initial.uniform[1])"),
        ("{uniform: [60bpm, 100bpm]}", "{uniform: [60bpm]}", "11:44: error: expected [low, high] (at variables[0].initial.uniform)"),
        ("{uniform: [60bpm, 100bpm]}", "{uniform: [60mmHg, 100bpm]}", "11:45: error: expected a rate such as 2Hz or 2/s or 2/min, found a pressure ('60mmHg') (at variables[0].initial.uniform[0])"),
        ("{uniform: [60bpm, 100bpm]}", "{gauss: [60bpm, 100bpm]}", "11:35: error: unknown key 'gauss' (at variables[0].initial.gauss)"),
        ("{choice: [1, 2, 3]}", "{choice: []}", "13:36: error: expected 1 to 100 values (at variables[2].initial.choice)"),
        ("sd: 10mmHg", "sd: -10mmHg", "12:65: error: the standard deviation must not be negative (at variables[1].initial.normal.sd)"),
        ("probability: 50%", "probability: 150%", "19:40: error: a probability is from 0 to 1 (0% to 100%) (at events[0].probability)"),
    ])
    func badVariation(_ c: (String, String, String)) {
        let found = diagnostics(of: variationScenario, replacing: c.0, with: c.1)
        #expect(found == ["test.yaml:" + c.2], "\(found)")
    }
}
