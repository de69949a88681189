#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
import Testing
import PracticumCore
import PracticumPhysics
import PracticumTestSupport

/// Drives a needle straight along `direction` through a slab whose surface is the world y = 0 plane.
struct SlabRun {
    let model: LayeredSlabModel
    var state: LayeredSlabState
    let dt = 1.0 / 240

    init(layers: [TissueLayerDef], needle: NeedleDef = NeedleDef(length: 0.08)) {
        model = LayeredSlabModel(LayeredSlabDef(layers: layers), needles: [needle])
        state = model.makeState(frame: .identity)
    }

    /// Direction at `angle` (rad) below the surface plane, in the x–y plane.
    static func direction(angle: Double) -> Vec3 { Vec3(cos(angle), -sin(angle), 0) }

    /// Steps with the tip at distance `s` (m) along `dir` from the entry point at the origin.
    mutating func step(s: Double, dir: Vec3) { model.step(&state, dt: dt, inputs: [NeedleInput(tip: dir * s, direction: dir)]) }
}

let skinOverFat: [TissueLayerDef] = [
    TissueLayerDef(name: "skin", thickness: 0.002, stiffness: 800, punctureForce: 1.2, friction: 30),
    TissueLayerDef(name: "fat", thickness: 0.02, stiffness: 200, punctureForce: 0.4, friction: 10),
]

@Suite struct NeedleSlabTests {
    @Test(arguments: [(90.0, 0.001), (45.0, 0.001), (20.0, 0.002), (70.0, 0.0005)])
    func quasiStaticPushPuncturesAtTheConfiguredForce(angleDegrees: Double, speed: Double) {
        let dir = SlabRun.direction(angle: angleDegrees * .pi / 180)
        var run = SlabRun(layers: skinOverFat)
        var before = 0.0
        var event: PunctureEvent?
        for k in 0..<4800 where event == nil {
            run.step(s: -0.001 + speed * Double(k + 1) * run.dt, dir: dir)
            event = run.state.needles[0].events.first
            if event == nil { before = run.state.needles[0].axialForce }
        }
        let e = try! #require(event)
        #expect(e.layer == 0)
        #expect(e.force >= 1.2 && e.force <= 1.2 * 1.05, "puncture at \(e.force) N")
        // the force built up to the threshold: the last tick before was within one tick's growth of it
        #expect(before < 1.2 && before > 1.2 - 800 * speed * run.dt - 1e-9, "force before puncture \(before) N")
        #expect(run.state.needles[0].attempts == 1)
    }

    @Test(arguments: [10.0, 20.0, 33.3, 45.0, 60.0, 89.0])
    func reportsTheEntryAngle(angleDegrees: Double) {
        let dir = SlabRun.direction(angle: angleDegrees * .pi / 180)
        var run = SlabRun(layers: skinOverFat)
        var angle: Double?
        for k in 0..<2000 where angle == nil {
            run.step(s: -0.001 + 0.005 * Double(k + 1) * run.dt, dir: dir)
            angle = run.state.needles[0].events.first?.angle
        }
        let a = try! #require(angle) * 180 / .pi
        #expect(abs(a - angleDegrees) < 0.5, "reported \(a)°")
    }

    @Test func fastNeedleDoesNotTunnelThroughThinSkin() {
        // 1 m/s at 1/240 s moves 4.2 mm per tick: more than the 2 mm skin
        let dir = SlabRun.direction(angle: .pi / 2)
        var run = SlabRun(layers: skinOverFat)
        var events: [PunctureEvent] = []
        // from 3 mm above the surface (a tip first seen inside the tissue punctures nothing)
        for k in -1..<4 {
            run.step(s: -0.003 + 1.0 * Double(k + 1) * run.dt, dir: dir)
            events += run.state.needles[0].events
        }
        #expect(events.map(\.layer) == [0, 1])
        #expect(events[0].force >= 1.2 && events[0].force < 1.2 * 1.05)
        #expect(run.state.needles[0].punctured == [true, true])
        // the skin was met on the surface, not below it
        #expect(abs(events[0].point.y) < 1e-9)
    }

    @Test func flashbackThenBackWall() {
        let dir = SlabRun.direction(angle: 30 * .pi / 180)
        var run = SlabRun(layers: TissueBenchScenes.needleLayers)
        var firstFlashback: Double?, backWall: Double?
        var depthAtFlashback = 0.0
        for k in 0..<4800 {
            let s = -0.001 + 0.005 * Double(k + 1) * run.dt
            run.step(s: s, dir: dir)
            let n = run.state.needles[0]
            if n.flashback && firstFlashback == nil { firstFlashback = s; depthAtFlashback = n.depth }
            if n.backWallPunctured && backWall == nil { backWall = s }
        }
        // lumen spans depths 13...17 mm
        #expect(firstFlashback != nil && depthAtFlashback >= 0.013 && depthAtFlashback < 0.017)
        let b = try! #require(backWall)
        #expect(b > firstFlashback!)
        let n = run.state.needles[0]
        #expect(!n.flashback && n.backWallPunctured)
        let obs = n.observation(needle: 2, tissue: 1, stack: run.model.stack)
        #expect(obs.needle == 2 && obs.tissue == 1 && obs.backWallPunctured && obs.attempts == 1)
        #expect(obs.layer == 5)
        #expect(isClose(obs.layerDepths[0], 0.002, abs: 1e-12) && isClose(obs.layerDepths[3], 0.004, abs: 1e-12))
    }

    @Test func backWallWithoutDeclaredWallsAndATiltedSlab() {
        // a slab on a body's side: surface normal +x; layers declared without vessel-wall kinds
        let frame = LayeredSlabDef.surfaceFrame(center: Vec3(0.1, 0.2, 0), normal: Vec3(1, 0, 0))
        #expect(isClose(frame.transformDirection(.unitY), Vec3(1, 0, 0), abs: 1e-12))
        let layers = [TissueLayerDef(name: "skin", thickness: 0.002, punctureForce: 1),
                      TissueLayerDef(name: "vein", kind: .lumen, thickness: 0.003, punctureForce: 0),
                      TissueLayerDef(name: "muscle", thickness: 0.02, punctureForce: 1)]
        let model = LayeredSlabModel(LayeredSlabDef(layers: layers), needles: [NeedleDef()])
        var state = model.makeState(frame: frame)
        var flashback = false
        for k in 0..<480 {
            let s = -0.001 + 0.02 * Double(k + 1) / 240
            model.step(&state, dt: 1.0 / 240, inputs: [NeedleInput(tip: Vec3(0.1 - s, 0.2, 0), direction: Vec3(-1, 0, 0))])
            flashback = flashback || state.needles[0].flashback
        }
        #expect(flashback && state.needles[0].backWallPunctured && state.needles[0].layer == 2)
        #expect(isClose(state.needles[0].depth, 0.039, abs: 1e-9))
    }

    @Test func retractionFrictionAndNewAttempt() {
        let dir = SlabRun.direction(angle: .pi / 2)
        var run = SlabRun(layers: skinOverFat)
        let v = 0.005
        var s = -0.001
        // in to 10 mm
        while s < 0.010 { s += v * run.dt; run.step(s: s, dir: dir) }
        let inserted = run.state.needles[0]
        #expect(inserted.inserted && inserted.layer == 1 && inserted.axialForce > 0)
        // friction grows with inserted length: 30 N/m × 2 mm + 10 N/m × 8 mm = 0.14 N
        #expect(isClose(inserted.axialForce, 0.14, abs: 0.01))
        // pull back: friction now pulls inward (negative axial force), and out
        s -= v * run.dt; run.step(s: s, dir: dir)
        #expect(isClose(run.state.needles[0].axialForce, -0.14, abs: 0.01))
        while s > -0.002 { s -= v * run.dt; run.step(s: s, dir: dir) }
        #expect(!run.state.needles[0].inserted && run.state.needles[0].punctured == [false, false])
        // second attempt
        while s < 0.005 { s += v * run.dt; run.step(s: s, dir: dir) }
        #expect(run.state.needles[0].attempts == 2)
    }

    @Test func lateralMotionIsResistedOnceInserted() {
        let dir = SlabRun.direction(angle: .pi / 2)
        var run = SlabRun(layers: skinOverFat, needle: NeedleDef(length: 0.08, trackStiffness: 300))
        var s = -0.001
        while s < 0.010 { s += 0.005 * run.dt; run.step(s: s, dir: dir) }
        #expect(run.state.needles[0].lateralForce.length < 1e-9)
        // shift the whole needle 1 mm sideways: entry and tip are both off the track by 1 mm
        run.model.step(&run.state, dt: run.dt, inputs: [NeedleInput(tip: dir * s + Vec3(0.001, 0, 0), direction: dir)])
        let f = run.state.needles[0].lateralForce
        #expect(isClose(f.x, -0.6, abs: 1e-9) && abs(f.y) < 1e-9)
    }

    @Test func lossOfResistanceIntoTheEpiduralSpace() {
        let names = ["skin", "fat", "ligament", "ligamentum flavum", "epidural space", "dura"]
        let layers = names.map { TissueLayerDef.preset($0, thickness: 0.005)! }
        #expect(TissueLayerDef.presetNames.allSatisfy { TissueLayerDef.preset($0, thickness: 0.001) != nil })
        #expect(TissueLayerDef.preset("bone", thickness: 0.01) == nil)
        let dir = SlabRun.direction(angle: .pi / 2)
        var run = SlabRun(layers: layers)
        var forces: [Double] = []
        var punctured: [Int] = []
        for k in 0..<2400 {
            run.step(s: -0.001 + 0.01 * Double(k + 1) * run.dt, dir: dir)
            forces.append(run.state.needles[0].axialForce)
            punctured += run.state.needles[0].events.map(\.layer)
            if run.state.needles[0].layer == 4 { break }
        }
        // the force peaks just under the flavum's 6 N plus 0.4 N of friction in the layers above, then drops
        // to friction alone (0.6 N) in the epidural space, which is entered without a puncture
        let peak = forces.max() ?? 0
        #expect(peak > 6.25 && peak <= 6.4, "peak \(peak) N")
        #expect(isClose(forces.last ?? 0, 0.6, abs: 1e-9))
        #expect(punctured == [0, 1, 2, 3])
    }

    @Test func missingTheSlabPuncturesNothing() {
        var run = SlabRun(layers: skinOverFat)
        let dir = SlabRun.direction(angle: .pi / 2)
        for k in 0..<240 {
            run.model.step(&run.state, dt: run.dt, inputs: [NeedleInput(tip: Vec3(0.2, 0, 0) + dir * (0.0001 * Double(k)), direction: dir)])
        }
        #expect(run.state.needles[0].attempts == 0 && run.state.needles[0].axialForce == 0)
    }
}

@Suite struct NeedleDeformableTests {
    @Test func quasiStaticPushPuncturesTheSkin() {
        let model = LayeredTissueModel(TissueBenchScenes.needleTissue(), needles: [NeedleDef(length: 0.06)])
        var state = model.makeState()
        let dir = Vec3(0, -1, 0)
        var event: PunctureEvent?
        var deepestBefore = 0.0
        for k in 0..<2400 where event == nil {
            let tip = Vec3(0.003, 0.051 - 0.002 * Double(k + 1) / 240, 0.002)
            model.step(&state, dt: 1.0 / 240, needles: [NeedleInput(tip: tip, direction: dir)])
            event = state.needles[0].events.first
            if event == nil { deepestBefore = 0.05 - tip.y }
        }
        let e = try! #require(event)
        #expect(e.force >= 1.2 && e.force <= 1.2 * 1.05, "puncture at \(e.force) N")
        #expect(abs(e.angle * 180 / .pi - 90) < 0.5)
        // the surface dimpled before it gave
        #expect(deepestBefore > 0.0005)
        #expect(state.embedded[0] != nil && state.needles[0].attempts == 1)
    }

    @Test(arguments: [1.0, 2.0])
    func fastNeedleDoesNotTunnelThroughTheSkin(speed: Double) {
        // 1 m/s: 4.2 mm per tick, 0.8 mm per substep, against a 0.5 mm tip
        let model = LayeredTissueModel(TissueBenchScenes.needleTissue(), needles: [NeedleDef(length: 0.06)])
        var state = model.makeState()
        var events: [PunctureEvent] = []
        var k = -1
        while events.isEmpty && k < 12 {
            k += 1
            let tip = Vec3(0.004, 0.053 - speed * Double(k) / 240, -0.003)
            model.step(&state, dt: 1.0 / 240, needles: [NeedleInput(tip: tip, direction: Vec3(0, -1, 0))])
            events += state.needles[0].events
        }
        // the skin gave while the tip was still within one tick's travel of the surface
        #expect(events.first?.layer == 0)
        #expect((events.first?.force ?? 0) >= 1.2)
        #expect(0.053 - speed * Double(k) / 240 > 0.05 - speed / 240 - 0.0005, "punctured at tick \(k)")
        #expect(state.soft.warnings == 0)
    }

    @Test func blockUnderATiltedPatch() throws {
        // a patch on a body's side (normal +x), 2 × 1.5 cm, skin over fat; needle in along −x
        let frame = Pose(position: Vec3(0.3, 1.0, 0)) * LayeredSlabDef.surfaceFrame(center: Vec3(0.05, 0, 0), normal: Vec3(1, 0, 0))
        let def = LayeredTissueDef.block(layers: Array(skinOverFat), halfExtentX: 0.01, halfExtentZ: 0.0075,
                                         counts: (5, 4, 5), pose: frame)
        #expect(def.body.pinned.count == 25)
        let model = LayeredTissueModel(def, needles: [NeedleDef()])
        var state = model.makeState()
        var events: [PunctureEvent] = []
        for k in 0..<480 {
            let s = -0.002 + 0.01 * Double(k) / 240
            model.step(&state, dt: 1.0 / 240, needles: [NeedleInput(tip: Vec3(0.35 - s, 1.0, 0.001), direction: Vec3(-1, 0, 0))],
                       anchor: frame)
            events += state.needles[0].events
        }
        try #require(events.count == 2)
        #expect(events.map(\.layer) == [0, 1])
        #expect(abs(events[0].angle * 180 / .pi - 90) < 0.5)
        #expect(state.needles[0].layer == 1 && state.needles[0].depth > 0.01)
    }

    @Test func benchSceneReachesTheLumenAndWithdraws() {
        let r = TissueBenchScenes.runNeedle(ticks: 2400, clock: { 0 })
        func x(_ k: String) -> Double { r.extra.first { $0.0 == k }!.1 }
        #expect(abs(x("entry_angle_deg") - 20) < 0.5)
        #expect(x("skin_puncture_n") >= 1.2 && x("skin_puncture_n") < 1.2 * 1.05)
        #expect(x("flashback_ticks") > 0)
        #expect(x("attempts") == 1)
        #expect(x("punctures") == 3)  // skin, fat, front wall; not the back wall
    }
}

@Suite struct TissueSystemTests {
    @Test func observationsComeFromTheTissueTheNeedleIsIn() {
        let system = TissueSystemModel(
            tissues: [.slab(LayeredSlabDef(layers: skinOverFat), frame: Pose(position: Vec3(1, 0, 0))),
                      .deformable(TissueBenchScenes.needleTissue())],
            needles: [NeedleDef(length: 0.08), NeedleDef(length: 0.08)])
        var state = system.makeState()
        let down = Vec3(0, -1, 0)
        var punctures: [Observations.Puncture] = []
        for k in 0..<240 {
            let s = -0.001 + 0.02 * Double(k + 1) / 240  // 20 mm/s down into the slab
            system.step(&state, dt: 1.0 / 240, needles: [NeedleInput(tip: Vec3(1, -s, 0), direction: down),
                                                          NeedleInput(tip: Vec3(0, 0.06, 0), direction: down)])
            punctures += system.observations(state, needleIDs: [7, 9]).punctures
        }
        let obs = system.observations(state, needleIDs: [7, 9])
        #expect(punctures.map(\.layer) == [0, 1] && punctures.allSatisfy { $0.needle == 7 && $0.tissue == 0 })
        #expect(obs.needles[0].needle == 7 && obs.needles[0].tissue == 0 && obs.needles[0].layer == 1)
        #expect(isClose(obs.needles[0].depth, 0.019, abs: 1e-9))
        #expect(obs.needles[1] == Observations.NeedleState(needle: 9))
        #expect(obs.tissueForces.count == 2 && obs.tissueForces[1] == 0)
    }

    @Test func pokeStateHashIsPinned() {
        // the same figure comes out of the release runner: tools/bench/tissue_bench.sh tissue-poke:240
        #expect(TissueBenchScenes.runPoke(ticks: 240, clock: { 0 }).stateHash == "7f9c2ddef6a9bce3")
    }
}
