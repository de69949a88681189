import Testing
import PracticumCore
import PracticumTestSupport
@testable import PracticumPhysics

/// Tissue and needles inside World.step, coupled both ways (NeedleInsertionScene).
@Suite struct Coupling {
    struct Tick {
        var time: Double
        var coupling: Double
        var axial: Double
        var tipSpeed: Double
        var tipDepth: Double
        var skinPunctured: Bool
        var punctures: [Observations.Puncture]
        var layer: Int?
    }

    /// Runs a scene from `NeedleInsertionScene.def`, recording what the hand and the tissue report each tick.
    /// `normal` names the cube face the needle goes in through (the patch's, when there is one).
    static func run(_ def: WorldDef, normal: Vec3 = .unitY, ticks: Int = NeedleInsertionScene.ticks) throws -> [Tick] {
        var w = try World(def)
        var out: [Tick] = []
        let normal = def.tissues.first?.normal ?? normal
        let h = NeedleInsertionScene.halfSize
        let face = Vec3(normal.x * h.x, normal.y * h.y, normal.z * h.z)
        for k in 0..<ticks {
            w.step(inputs: NeedleInsertionScene.input(tick: k, def: def))
            let o = w.observations()
            let tip = w.pose(of: 1).transform(Vec3(0, -(NeedleInsertionScene.halfLength + NeedleInsertionScene.radius), 0))
            let v = w.velocity(of: 1)
            var skin = false
            if case let .slab(s)? = w.state.tissue?.tissues.first { skin = s.needles[0].punctured[0] }
            out.append(Tick(time: o.time, coupling: o.hands[0].couplingForce, axial: o.needles.first?.axialForce ?? 0,
                            tipSpeed: v.linear.length, tipDepth: -(tip - face).dot(normal), skinPunctured: skin,
                            punctures: o.punctures, layer: o.needles.first?.layer))
        }
        return out
    }

    /// The force builds while the skin holds the tip, the skin gives at its puncture force, the force drops.
    @Test func handFeelsTheSkinBuildGiveAndDrop() throws {
        let ticks = try Self.run(NeedleInsertionScene.def())
        let F = NeedleInsertionScene.layers[0].punctureForce
        // holding at 1.14 mm: the tip has stopped, short of the puncture force, and the coupling carries
        // exactly what the tissue pushes back with
        let held = ticks.filter { $0.time > 1.5 && $0.time <= 2.0 }
        for t in held {
            #expect(!t.skinPunctured)
            #expect(t.tipSpeed < 1e-3, "tip still moving at \(t.tipSpeed) m/s at \(t.time) s")
            #expect(t.coupling < F)
            #expect(isClose(t.coupling, t.axial, rel: 0.05), "coupling \(t.coupling) N vs tissue \(t.axial) N at \(t.time) s")
        }
        // the skin pushes back as its stiffness × the tip's depth below the surface (0.56 N at 0.70 mm here)
        let skin = NeedleInsertionScene.layers[0].stiffness
        #expect(isClose(held.last!.coupling, skin * held.last!.tipDepth, rel: 0.02), "\(held.last!.coupling) N at \(held.last!.tipDepth) m")
        #expect(held.last!.coupling > 0.4 * F)
        // pushing on: the skin gives once, at its puncture force, and the force then drops
        let k = try #require(ticks.firstIndex { $0.punctures.contains { $0.layer == 0 } })
        #expect(ticks[k].time > 2 && ticks[k].time < 3)
        #expect(isClose(ticks[k].punctures.first { $0.layer == 0 }!.force, F, rel: 0.02))
        let peak = ticks[..<(k + 1)].map(\.coupling).max()!
        #expect(isClose(peak, F, rel: 0.05), "peak coupling \(peak) N")
        let after = ticks[(k + 1)...(k + 12)].map(\.coupling).min()!
        #expect(after < 0.5 * F, "coupling only fell to \(after) N after the pop")
        #expect(ticks.flatMap(\.punctures).filter { $0.layer == 0 }.count == 1)
        // the tip ends in the fat, the hand target 8 mm along
        #expect(ticks.last!.layer == 1)
    }

    /// A bare static cube (a bone, a table) stops the tip within 0.5 mm of its surface through every face,
    /// pushed perpendicular, at 30° and at 15° to the surface (tilts of 0°, 60° and 75° from perpendicular).
    /// (At 60° to the surface the friction correction's lever arm lets a stick-slipping tip sink about
    /// 1.3 mm under 7 N: a known limit of the single-point friction pass, not tested here.)
    @Test(arguments: [0.0, 60.0, 75.0], Self.normals) func rigidBodyStopsTheTip(tiltDegrees: Double, normal: Vec3) throws {
        let def = NeedleInsertionScene.def(normal: normal, tissue: false, tilt: tiltDegrees * .pi / 180)
        let ticks = try Self.run(def, normal: normal)
        // the hand drives the tip target 8 mm past the surface; the tip stays out (at 60° it slides along)
        let deepest = ticks.map(\.tipDepth).max()!
        #expect(deepest <= 0.0005, "tip \(deepest * 1000) mm into the cube through \(normal) at \(tiltDegrees)° from perpendicular")
        #expect(ticks.last!.coupling > 1)
    }

    static let normals: [Vec3] = [.unitX, Vec3(-1, 0, 0), .unitY, Vec3(0, -1, 0), .unitZ, Vec3(0, 0, -1)]

    /// The same patch on any face, for both needle models: `size` bounds the footprint along the two
    /// body axes across the normal, and a needle inside it punctures the skin and ends in the fat; just
    /// outside it, the body's surface stops the needle.
    @Test(arguments: normals, NeedleModel.allCases) func patchPuncturesTheSameInSixOrientations(normal: Vec3, model: NeedleModel) throws {
        let half = Vec3(0.02, 0.03, 0.04)
        let tangents = [Vec3.unitX, .unitY, .unitZ].filter { abs($0.dot(normal)) < 0.5 }
        for tangent in tangents {
            let extent = abs(tangent.dot(half))
            let inside = try Self.run(NeedleInsertionScene.def(normal: normal, model: model, offset: tangent * (0.9 * extent),
                                                               patchHalfSize: half))
            #expect(inside.flatMap(\.punctures).contains { $0.layer == 0 }, "\(normal) \(model) inside along \(tangent)")
            #expect(inside.last!.layer == 1, "\(normal) \(model): tip in layer \(String(describing: inside.last!.layer))")
            let outside = try Self.run(NeedleInsertionScene.def(normal: normal, model: model, offset: tangent * (1.1 * extent),
                                                                patchHalfSize: half))
            #expect(outside.flatMap(\.punctures).isEmpty, "\(normal) \(model) outside along \(tangent)")
            // beside the patch the carrying body itself stops the needle (a rib beside an intercostal space)
            #expect(outside.map(\.tipDepth).max()! <= 0.0005, "\(normal) \(model): \(outside.map(\.tipDepth).max()!) m into the body")
        }
    }

    /// The geometric model offers no resistance: the tip goes where the hand puts it.
    @Test func geometricModelDoesNotPushBack() throws {
        let ticks = try Self.run(NeedleInsertionScene.def(model: .geometric))
        #expect(ticks.map(\.coupling).max()! < 0.01)
        #expect(isClose(ticks.last!.tipDepth, 0.008, abs: 1e-4))
    }

    /// A tip that reaches the layers from inside the body (not through the surface) punctures nothing.
    @Test func tipStartingInsideTheBodyPuncturesNothing() throws {
        var def = NeedleInsertionScene.def()
        def.bodies[1].pose.position += NeedleInsertionScene.direction(normal: .unitY) * 0.03
        let ticks = try Self.run(def)
        #expect(ticks.flatMap(\.punctures).isEmpty)
        #expect(ticks.map(\.coupling).max()! < 0.01)
    }

    /// Tissue state is part of the physics state: snapshot, restore and rerun give the same hash, and
    /// the hash is pinned (the release binary must give it too: `tools/check-determinism` runs
    /// `practicum bench needle-insertion`).
    @Test func tissueStateIsHashedSnapshottedAndPinned() throws {
        let def = NeedleInsertionScene.def()
        var w = try World(def)
        for k in 0..<500 { w.step(inputs: NeedleInsertionScene.input(tick: k, def: def)) }
        let snapshot = w.state
        for k in 500..<NeedleInsertionScene.ticks { w.step(inputs: NeedleInsertionScene.input(tick: k, def: def)) }
        let expected = w.state.hash()
        #expect(expected.hex == Self.golden, "hash \(expected.hex)")
        w.state = snapshot
        for k in 500..<NeedleInsertionScene.ticks { w.step(inputs: NeedleInsertionScene.input(tick: k, def: def)) }
        #expect(w.state.hash().value == expected.value)
        // a different tissue state is a different hash
        var other = try World(NeedleInsertionScene.def(model: .geometric))
        for k in 0..<NeedleInsertionScene.ticks { other.step(inputs: NeedleInsertionScene.input(tick: k, def: def)) }
        #expect(other.state.hash().value != expected.value)
    }

    /// Two worlds with tissue, fed the same inputs, agree bit for bit on every tick.
    @Test func worldsWithTissueAgreeInLockstep() throws {
        let def = NeedleInsertionScene.def()
        var a = try World(def), b = try World(def)
        for k in 0..<NeedleInsertionScene.ticks {
            let input = NeedleInsertionScene.input(tick: k, def: def)
            a.step(inputs: input); b.step(inputs: input)
            if a.state.hash().value != b.state.hash().value { Issue.record("worlds differ at tick \(k)"); return }
        }
        #expect(a.state == b.state)
    }

    static let golden = "ad9a593d02aea1db"
}
