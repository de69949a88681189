import Foundation
import Testing
import PracticumCore
import PracticumTestSupport
@testable import PracticumScoring

/// AHA 2020 targets as a rubric would state them (SI).
enum AHA {
    static let rate = Target.range(100.0 / 60, 120.0 / 60)
    static let depth = Target.range(0.05, 0.06)
    static let recoil = Target.atLeast(1)
    static let longestPause = Target.atMost(10)
    static let fraction = Target.atLeast(0.8)
}

@Suite struct CPRTests {
    func train(_ n: Int = 30, rate: Double = 110, depth: Double = 0.055, residual: Double = 0) -> CPRTrace.Segment {
        .compressions(count: n, perMinute: rate, depth: depth, residual: residual)
    }

    @Test(arguments: [(99.0, false), (101.0, true), (110.0, true), (119.0, true), (121.0, false)])
    func rate(perMinute: Double, passes: Bool) throws {
        let r = try CPRTrace(segments: [.rest(1), train(60, rate: perMinute)]).metric("compression_rate")
        #expect(isClose(r.value * 60, perMinute, abs: 0.3))
        #expect(AHA.rate.isMet(by: r.value) == passes)
    }

    @Test(arguments: [(0.049, false), (0.051, true), (0.059, true), (0.061, false)])
    func depth(depth: Double, passes: Bool) throws {
        let trace = CPRTrace(segments: [.rest(1), train(depth: depth)])
        let r = try trace.metric("compression_depth")
        #expect(isClose(r.value, depth, abs: 1e-12))
        #expect(AHA.depth.isMet(by: r.value) == passes)
        #expect(try trace.metric("compression_count").value == 30)
    }

    /// Recoil is a return to rest within 5 mm on either side: a chest left 6 mm down (leaning) or
    /// pulled 6 mm above rest (lifting) has not recoiled.
    @Test(arguments: [(0.004, 1.0, true), (0.006, 1.0 / 30, false), (-0.004, 1.0, true), (-0.006, 0, false)])
    func recoil(residual: Double, fraction: Double, passes: Bool) throws {
        // the last compression returns to 0 at the end of the run: it recoils fully when left down,
        // but a lift before that return is already outside the tolerance (so 0 of 30 for −6 mm)
        let r = try CPRTrace(segments: [.rest(1), train(residual: residual), .rest(1)]).metric("full_recoil_fraction")
        #expect(isClose(r.value, fraction, abs: 1e-12))
        #expect(AHA.recoil.isMet(by: r.value) == passes)
    }

    /// Hands-off gap around a rest of `r` seconds between two trains: the rest, the residual hold
    /// (T/4) and the ramps' parts below the 1 cm onset on either side (2 · T/4 · 1/5.5).
    func gap(rest r: Double, rate: Double = 110) -> Double {
        let q = 60 / rate / 4
        return r + q + 2 * q * 0.01 / 0.055
    }

    @Test(arguments: [(9.8, true), (10.2, false)])
    func longestPause(seconds: Double, passes: Bool) throws {
        let rest = seconds - gap(rest: 0)
        let r = try CPRTrace(segments: [.rest(1), train(), .rest(rest), train()]).metric("longest_pause")
        #expect(isClose(r.value, seconds, abs: 0.005))
        #expect(AHA.longestPause.isMet(by: r.value) == passes)
    }

    @Test(arguments: [(0.81, true), (0.79, false)])
    func compressionFraction(ccf: Double, passes: Bool) throws {
        // 100 compressions at 110/min in three trains, two equal pauses sized for the wanted CCF
        let period = 60.0 / 110
        let onsetDelay = period / 4 * 0.01 / 0.055
        let window = 100 * period - onsetDelay
        // CCF = 1 − 2g / (window + 2(g − gap(0))) with g the gap of each pause
        let g = (1 - ccf) * (window - 2 * gap(rest: 0)) / (2 * ccf)
        let rest = g - gap(rest: 0)
        let trace = CPRTrace(segments: [.rest(1), train(34), .rest(rest), train(33), .rest(rest), train(33)])
        let r = try trace.metric("compression_fraction")
        #expect(isClose(r.value, ccf, abs: 0.001))
        #expect(AHA.fraction.isMet(by: r.value) == passes)
        // the pauses do not disturb the rate
        #expect(isClose(try trace.metric("compression_rate").value * 60, 110, abs: 0.3))
    }

    @Test func adequateFractions() throws {
        // 10 compressions at 4.9 cm then 20 at 5.5 cm; 10 at 95/min then 20 at 110/min
        let trace = CPRTrace(segments: [.rest(1), train(10, rate: 95, depth: 0.049), train(20, rate: 110)])
        #expect(isClose(try trace.metric("adequate_depth_fraction").value, 20.0 / 30, abs: 1e-12))
        // 29 intervals: 9 inside the first train (95/min), the one spanning the trains is 95/min too, 19 at 110/min
        #expect(isClose(try trace.metric("adequate_rate_fraction").value, 19.0 / 29, abs: 1e-12))
        let strict = try evaluate("cpr_adequate_depth_fraction", ["of": .body(0), "min_depth": .quantity(0.056)], trace.ticks)
        #expect(strict.value == 0)
    }

    @Test func noCompressions() throws {
        // nothing was measured: no value and so no points, whatever the target (docs/metrics.md)
        let trace = CPRTrace(segments: [.rest(5)])
        for name in ["compression_rate", "compression_depth", "full_recoil_fraction", "compression_fraction", "longest_pause",
                     "adequate_depth_fraction", "adequate_rate_fraction"] {
            #expect(try trace.metric(name).defined == false, "\(name)")
        }
        #expect(isClose(try trace.metric("longest_pause").value, 5, abs: 0.003))
        let count = try trace.metric("compression_count")
        #expect(count.defined && count.value == 0)
    }

    @Test func axisParameter() throws {
        // the same trace measured along +y sees no compressions
        let r = try evaluate("cpr_compression_count", ["of": .body(0), "axis": .text("y")],
                             CPRTrace(segments: [.rest(1), train()]).ticks)
        #expect(r.value == 0)
        #expect(throws: MetricBuildError.wrongArgument(metric: "cpr_compression_count", parameter: "axis")) {
            try evaluate("cpr_compression_count", ["of": .body(0), "axis": .text("up")], [])
        }
    }
}
