import Foundation
import Testing
import PracticumCore
@testable import PracticumScenario
import PracticumTestSupport

/// A scenario whose gauges show `values` (expression, unit or nil for a plain number): the runner
/// evaluates every gauge each tick, so `state.cues` holds each value at that tick, in SI.
func gaugeScenario(_ values: [(String, String?)], extra: String = "") -> String {
    let gauges = values.enumerated().map { i, v in
        let unit = v.1.map { "unit: \($0), range: '0\($0)...1\($0)'" } ?? "range: '0...1'"
        return "    - {id: g\(i), value: '\(v.0)', \(unit)}"
    }.joined(separator: "\n")
    return twoBodyScene("builtins", region: "{id: r1, position: [1m, 0, 0], radius: 10cm}") + """
    procedure:
      steps:
        - {id: wait, title: Wait, complete_when: 'button("done")'}
    \(extra)
    cues:
      gauges:
    \(gauges)

    """
}

@Suite struct ExpressionBuiltinTests {
    static let deg = Double.pi / 180

    @Test func mathAndTrigValuesAreExactAndUnitChecked() throws {
        let values: [(String, String?)] = [
            ("sin(30deg)", nil), ("cos(60deg)", nil), ("tan(45deg)", nil), ("sin(0)", nil),
            ("asin(0.5)", "deg"), ("acos(-0.5)", "deg"), ("asin(2)", "deg"), ("acos(-7)", "deg"),
            ("atan2(1m, -1m)", "deg"), ("atan2(0, 0)", "deg"), ("atan2(y(a), x(a))", "deg"),
            ("sqrt(4cm * 1cm)", "cm"), ("sqrt(-4)", nil), ("sqrt(2.25)", nil),
            ("clamp(distance(a, b), 10cm, 20cm)", "cm"), ("clamp(x(a), 0, 5cm)", "cm"), ("clamp(1, 3, 2)", nil),
            ("abs(-2mm)", "mm"), ("min(1s, 2s)", "s"), ("max(1s, 2s)", "s"),
            ("tan(90deg)", nil), ("20cmH2O", "cmH2O"), ("500mL", "mL"), ("6L/min", "L/min"),
        ]
        let r = load(gaugeScenario(values))
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        var d = try Driver(gaugeScenario(values))
        d.run(1, a: Vec3(0.03, 0.04, 0), b: Vec3(0.03, 0.04, 0))
        let expected: [Double] = [
            sin(30 * Self.deg), cos(60 * Self.deg), tan(45 * Self.deg), 0,
            asin(0.5), acos(-0.5), Double.pi / 2, Double.pi,
            atan2(1, -1), 0, atan2(0.04, 0.03),
            (0.04 * 0.01).squareRoot(), 0, 1.5,
            0.1, 0.03, 2,
            0.002, 1, 2,
            tan(90 * Self.deg), 20 * 98.0665, 500 * 1e-6, 6 * (1e-3 / 60),
        ]
        #expect(d.runner.state.cues == expected)
        // no value is non-finite, even tan at 90°
        #expect(d.runner.state.cues.allSatisfy { $0.isFinite })
    }

    @Test func prevAndRateFollowTheFixedTickAndStartDefined() throws {
        let values: [(String, String?)] = [
            ("prev(x(a))", "m"), ("rate(x(a))", "m/s"), ("prev(prev(x(a)))", "m"), ("rate(rate(x(a)))", "m/s2"),
            ("rate(time)", nil),
        ]
        let text = gaugeScenario(values, extra: """
        events:
          - id: entered
            when: inside(a, r1) and not prev(inside(a, r1))
            once: false
        """ + "\n    do: [{message: in}]")
        var d = try Driver(text)
        let xs = [0.0, 0.1, 0.3, 0.95, 1.0, 0.5, 1.0]
        var rows: [[Double]] = []
        for x in xs { d.run(1, a: Vec3(x, 0, 0)); rows.append(d.runner.state.cues) }
        // tick 1 has no previous tick: prev is the value now, rate 0
        #expect(rows[0] == [0, 0, 0, 0, 0])
        for k in 1..<xs.count {
            let v = (xs[k] - xs[k - 1]) / 0.1
            let vBefore = k >= 2 ? (xs[k - 1] - xs[k - 2]) / 0.1 : 0
            #expect(rows[k][0] == xs[k - 1], "tick \(k + 1)")
            #expect(rows[k][1] == v, "tick \(k + 1)")
            #expect(rows[k][2] == xs[max(0, k - 2)], "tick \(k + 1)")
            #expect(rows[k][3] == (v - vBefore) / 0.1, "tick \(k + 1)")
            // time advances by the tick: dt / dt, rounded
            #expect(isClose(rows[k][4], 1, abs: 1e-9), "tick \(k + 1)")
        }
        // the edge `c and not prev(c)` fires on each entry into the region: ticks 4 and 7
        #expect(d.log.filter { $0.contains("event") } == ["4 event entered", "7 event entered"])
    }

    @Test func prevIsRecordedEveryTickEvenWhereItsExpressionIsNotEvaluated() throws {
        // the second step's fail condition is evaluated only while it is active, from tick 3 on;
        // prev(x(a)) there is x at the end of the tick before (0.5 m at tick 3: no jump), not the
        // value when it was last evaluated (never: that would read 0, a jump of 0.6 m)
        let text = twoBodyScene("prev-late", region: "{id: r1, position: [1m, 0, 0], radius: 10cm}") + """
        procedure:
          steps:
            - {id: first, title: First, complete_when: 'button("go")'}
            - {id: second, title: Second, complete_when: 'button("end")', fail_when: 'x(a) - prev(x(a)) > 25cm'}

        """
        var d = try Driver(text)
        d.run(1, a: Vec3(0, 0, 0))
        d.run(1, a: Vec3(0.5, 0, 0))
        d.run(1, a: Vec3(0.6, 0, 0), buttons: ["go"])
        d.run(1, a: Vec3(0.7, 0, 0))
        d.run(1, a: Vec3(1.0, 0, 0))
        #expect(d.log == ["1 start first", "3 done first", "3 start second", "5 fail second fail condition met", "5 end completed"])
    }

    @Test func sameInputsGiveTheSameStateAndASnapshotReplaysExactly() throws {
        let values: [(String, String?)] = [("rate(distance(a, b))", "m/s"), ("prev(sin(angle_ab))", nil), ("clamp(rate(x(a)), -1m/s, 1m/s)", "m/s")]
        let text = gaugeScenario(values, extra: "conditions:\n  angle_ab: atan2(y(a) - y(b), x(a) - x(b))")
        func inputs(_ k: Int) -> (Vec3, Vec3) { (Vec3(sin(Double(k) * 0.7), cos(Double(k) * 0.3), 0), Vec3(0.1 * Double(k), -0.2, 0.05)) }
        func run(_ ticks: ClosedRange<Int>, _ d: inout Driver) -> [[Double]] {
            ticks.map { k in let (a, b) = inputs(k); d.run(1, a: a, b: b); return d.runner.state.cues }
        }
        var one = try Driver(text), two = try Driver(text)
        let first = run(1...40, &one), second = run(1...40, &two)
        #expect(first == second && one.runner.state == two.runner.state)
        // snapshot at tick 20, run on, restore and rerun: the same values, bit for bit
        var three = try Driver(text)
        _ = run(1...20, &three)
        let snapshot = three.runner.state
        let onward = run(21...40, &three)
        three.runner.restore(snapshot); three.tick = 20
        #expect(run(21...40, &three) == onward)
        #expect(onward == Array(first[20...]))
    }

    @Test(arguments: [
        ("sin(30)", "sin(…) expects an angle, found a plain number; give it a unit, e.g. 30deg or 0.5rad", 4),
        ("cos(2mm)", "cos(…) expects an angle, found a length", 4),
        ("asin(2mm)", "asin(…) expects a plain number (a ratio from -1 to 1), found a length; divide it by a value of the same unit", 5),
        ("acos(30deg)", "acos(…) expects a plain number (a ratio from -1 to 1), found an angle; divide it by a value of the same unit", 5),
        ("atan2(1m, 2s)", "atan2(…) needs two values of the same unit, found a length and a time", 10),
        ("sqrt(2mm)", "sqrt(…) needs a plain number or a squared quantity (such as an area), found a length; its unit has no square root", 5),
        ("clamp(1m, 0, 2s)", "clamp(…) needs a value and two bounds of the same unit, found a length and a time", 13),
        ("clamp(1m, 2m)", "clamp(…) takes 3 arguments, found 2", 0),
        ("prev(a)", "'a' is a body, not a value; use it inside a query such as contact(a, b) or inside(a, region)", 5),
        ("rate(inside(a, r1))", "rate(…) expects a number here, found a condition (true/false)", 5),
        ("prev(inside(a, r1)) > 1m", "'>' needs numbers, found a condition (true/false)", 0),
        ("rate(x(a)) > 1m", "cannot compare or combine a speed with a length using '>'", 13),
        ("sqrt(4cm * 1cm) > 1s", "cannot compare or combine a length with a time using '>'", 18),
        ("rate(20mmHg) > 1mmHg", "cannot compare or combine a pressure per second with a pressure using '>'", 15),
        ("asin(0.5) > 2mm", "cannot compare or combine an angle with a length using '>'", 12),
        ("sinn(30deg) > 0", "unknown function 'sinn'; did you mean 'sin'?", 0),
    ])
    func badUsesAreExactErrorsAtTheirCharacter(_ c: (String, String, Int)) {
        // the fail condition starts at column 67 of line 12
        let text = twoBodyScene("bad", region: "{id: r1, position: [1m, 0, 0], radius: 10cm}") + """
        procedure:
          steps:
            - {id: s, title: S, complete_when: 'done', fail_when: '\(c.0)'}

        """.replacingOccurrences(of: "'done'", with: "'button(\"x\")'")
        #expect(load(text).errors.map(\.description) == ["test.yaml:12:\(67 + c.2): error: \(c.1) (at procedure.steps[0].fail_when)"], "\(c.0)")
    }

    @Test func clinicalUnitsAndWordsInMessages() {
        let v = twoBodyScene("units", region: "{id: r1, position: [1m, 0, 0], radius: 10cm}") + """
        variables:
          - {id: peep, unit: cmH2O, initial: 5, min: 0, max: 30}
          - {id: tidal, unit: mL, initial: 500, min: 0, max: 2L}
          - {id: flow, unit: L/min, initial: 6, min: 0, max: 60}
        procedure:
          steps:
            - {id: s, title: S, complete_when: 'peep > 8cmH2O and tidal < 0.6L and flow >= 500mL/s'}

        """
        let r = load(v)
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        let vars = r.scenario?.variables ?? []
        let si: [Double] = [5 * 98.0665, 500 * 1e-6, 6 * (1e-3 / 60)]
        #expect(vars.map(\.initial) == si)
        #expect(vars.map(\.dimension) == [.pressure, .volume, .flow])
        // messages speak of kinds, with the right article
        let bad = v.replacingOccurrences(of: "peep > 8cmH2O", with: "peep > 8deg").replacingOccurrences(of: "max: 60}", with: "max: 60deg}")
        #expect(load(bad).errors.map(\.description) == [
            "test.yaml:13:54: error: expected a flow such as 2L/min or 2mL/s, found an angle ('60deg') (at variables[2].max)",
            "test.yaml:16:48: error: cannot compare or combine a pressure with an angle using '>' (at procedure.steps[0].complete_when)",
        ])
    }
}
