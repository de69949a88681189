#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
import PracticumCore

/// The soft-tissue benchmark scenes, shared by `practicum bench`, the tests and the viewer.
///
/// Axes: the issue and the MuJoCo peer (`tools/bench/peer_tissue.py`) use +z up; our world is +y up.
/// A point (x, y, z) there is (x, z, −y) here, a proper rotation, so the block spans x, z ∈ [−0.05, 0.05],
/// y ∈ [0, 0.05] and the capsule tip moves in the x–y plane.
public enum TissueBenchScenes {
    /// Tick of both scenes (s).
    public static let dt = 1.0 / 240

    /// The tissue-poke block: 0.10 × 0.05 × 0.10 m (x, y up, z), 9 × 5 × 9 points, E 50 kPa, ν 0.45,
    /// 1000 kg/m³, the 81 bottom points pinned, 5 substeps (1,200 Hz).
    public static func pokeBody() -> SoftBodyDef {
        let mesh = TetMesh.box(minimum: Vec3(-0.05, 0, -0.05), size: Vec3(0.1, 0.05, 0.1), counts: (9, 5, 9))
        return SoftBodyDef(mesh: mesh, youngsModulus: 50_000, poissonRatio: 0.45, density: 1000, damping: 2,
                           pinned: Array(0..<81), substeps: 5)
    }

    /// Tip of the poking capsule at time t (s): x = 0.02 sin(2πt/5), height 0.055 − 0.01 (1 − cos(2πt/2)) (m).
    public static func pokeTip(_ t: Double) -> Vec3 {
        Vec3(0.02 * sin(2 * .pi * t / 5), 0.055 - 0.01 * (1 - cos(2 * .pi * t / 2)), 0)
    }

    /// The poking tool at time t: a vertical capsule, radius 5 mm, half-length 30 mm, friction 0.5.
    public static func pokeTool(_ t: Double) -> ToolShape {
        .verticalCapsule(tip: pokeTip(t), radius: 0.005, halfLength: 0.03, friction: 0.5)
    }

    /// Runs tissue-poke for `ticks` ticks; `clock` times each tick (s).
    public static func runPoke(ticks: Int, clock: @Sendable () -> Double) -> BenchResult {
        let model = SoftBodyModel(pokeBody())
        var state = model.makeState()
        state.toolPoses = [pokeTool(0).pose]
        let top = model.restLocal.indices.filter { model.restLocal[$0].y >= 0.05 - 1e-9 }
        var maxIndent = 0.0, maxForce = 0.0
        var times: [Double] = []
        times.reserveCapacity(ticks)
        for k in 0..<ticks {
            let tool = pokeTool(Double(k + 1) * dt)
            let t0 = clock()
            model.step(&state, dt: dt, tools: [tool])
            times.append(clock() - t0)
            var lowest = Double.infinity
            for i in top { lowest = min(lowest, state.positions[i].y) }
            maxIndent = max(maxIndent, 0.05 - lowest)
            maxForce = max(maxForce, state.toolForces[0].length)
        }
        return BenchResult(scene: "tissue-poke", n: 1, ticks: ticks, dt: dt, secondsPerTick: times,
                           kineticEnergyFinal: state.kineticEnergy(model), stateHash: state.stateHash.hex,
                           extra: [("max_indent_mm", maxIndent * 1000), ("max_force_n", maxForce),
                                   ("substep_hz", Double(model.def.substeps) / dt), ("warnings", Double(state.warnings))])
    }

    /// tissue-poke: a capsule indents and slides over a pinned soft block (see the definition).
    public static let tissuePoke = BenchScene(
        name: "tissue-poke",
        summary: "XPBD Neo-Hookean block (1,536 tets) poked by a sliding capsule; 1/240 s tick, 5 substeps",
        defaultN: 1, defaultTicks: 2400
    ) { _, ticks, clock in runPoke(ticks: ticks, clock: clock) }

    /// The layers of the tissue-needle block, outermost first (12 mm of tissue above a 4 mm vein).
    public static let needleLayers: [TissueLayerDef] = [
        TissueLayerDef(name: "skin", thickness: 0.002, stiffness: 800, punctureForce: 1.2, friction: 30, cuttingForce: 0.1),
        TissueLayerDef(name: "fat", thickness: 0.010, stiffness: 200, punctureForce: 0.3, friction: 10),
        TissueLayerDef(name: "vessel wall", kind: .vesselWall, thickness: 0.001, stiffness: 500, punctureForce: 0.6, friction: 20),
        TissueLayerDef(name: "lumen", kind: .lumen, thickness: 0.004, stiffness: 1, punctureForce: 0, friction: 0),
        TissueLayerDef(name: "vessel wall", kind: .vesselWall, thickness: 0.001, stiffness: 500, punctureForce: 0.6, friction: 20),
        TissueLayerDef(name: "muscle", thickness: 0.032, stiffness: 600, punctureForce: 1.0, friction: 25),
    ]

    /// Needle insertion angle against the surface in tissue-needle (rad).
    public static let needleAngle = 20 * Double.pi / 180

    /// The tissue-needle scene's needle at time t: enters the top face 2 cm left of centre at 20°, advancing
    /// 10 mm/s for 4.5 s (from 2 mm before the surface; about 15 mm deep, in the vein), holding for 2 s, then
    /// withdrawing at 20 mm/s.
    public static func needleInput(_ t: Double) -> NeedleInput {
        let dir = Vec3(cos(needleAngle), -sin(needleAngle), 0)
        let entry = Vec3(-0.02, 0.05, 0)
        let s: Double
        if t < 4.5 { s = -0.002 + 0.01 * t } else if t < 6.5 { s = 0.043 } else { s = 0.043 - 0.02 * (t - 6.5) }
        return NeedleInput(tip: entry + dir * s, direction: dir)
    }

    /// The tissue-needle tissue: the poke block with the layers above, its top face as the outer surface.
    public static func needleTissue() -> LayeredTissueDef {
        LayeredTissueDef(body: pokeBody(), layers: needleLayers, surface: Pose(position: Vec3(0, 0.05, 0)))
    }

    /// Runs tissue-needle for `ticks` ticks; `clock` times each tick (s).
    public static func runNeedle(ticks: Int, clock: @Sendable () -> Double) -> BenchResult {
        let model = LayeredTissueModel(needleTissue(), needles: [NeedleDef(length: 0.06)])
        var state = model.makeState()
        var times: [Double] = []
        var punctures = 0.0, flashbackTicks = 0.0, maxAxial = 0.0, maxDepth = 0.0, skinForce = 0.0, skinAngle = 0.0
        for k in 0..<ticks {
            let input = needleInput(Double(k + 1) * dt)
            let t0 = clock()
            model.step(&state, dt: dt, needles: [input])
            times.append(clock() - t0)
            let n = state.needles[0]
            for e in n.events {
                punctures += 1
                if e.layer == 0 { skinForce = e.force; skinAngle = e.angle * 180 / .pi }
            }
            if n.flashback { flashbackTicks += 1 }
            maxAxial = max(maxAxial, n.axialForce)
            maxDepth = max(maxDepth, n.depth)
        }
        return BenchResult(scene: "tissue-needle", n: 1, ticks: ticks, dt: dt, secondsPerTick: times,
                           kineticEnergyFinal: state.soft.kineticEnergy(model.soft), stateHash: state.stateHash.hex,
                           extra: [("punctures", punctures), ("skin_puncture_n", skinForce), ("entry_angle_deg", skinAngle),
                                   ("flashback_ticks", flashbackTicks), ("max_axial_n", maxAxial),
                                   ("max_depth_mm", maxDepth * 1000), ("attempts", Double(state.needles[0].attempts))])
    }

    /// tissue-needle: a needle at 20° through skin, fat and a vein wall of the deformable block, then out.
    public static let tissueNeedle = BenchScene(
        name: "tissue-needle",
        summary: "needle at 20° into the layered deformable block (skin, fat, vein, muscle), held, withdrawn",
        defaultN: 1, defaultTicks: 2400
    ) { _, ticks, clock in runNeedle(ticks: ticks, clock: clock) }
}
