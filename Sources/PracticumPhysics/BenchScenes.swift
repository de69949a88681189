import PracticumCore

/// The scenes `practicum bench` runs; tests and the viewer build the same worlds from the same functions.
/// Other modules' scenes are appended to `all` (tissue scenes live with the tissue code).
public enum BenchScenes {
    public static var all: [BenchScene] { [spherePile] }

    /// Looks a scene up by name.
    public static func named(_ name: String) -> BenchScene? { all.first { $0.name == name } }

    /// Runs `world` for `ticks` ticks, timing each `step` with `clock`, and fills a result.
    public static func measure(_ scene: String, n: Int, ticks: Int, world: inout World, clock: @Sendable () -> Double,
                               extra: (World) -> [(String, Double)] = { _ in [] }) -> BenchResult {
        var times: [Double] = []
        times.reserveCapacity(ticks)
        for _ in 0..<ticks {
            let t0 = clock()
            world.step()
            times.append(clock() - t0)
        }
        return BenchResult(scene: scene, n: n, ticks: ticks, dt: world.model.dt, secondsPerTick: times,
                           kineticEnergyFinal: world.kineticEnergy, stateHash: world.state.hash().hex, extra: extra(world))
    }

    /// `sphere-pile`: N spheres (r 0.02 m, 1000 kg/m³, friction 0.5, no restitution) dropped from a jittered
    /// lattice into a tray, tick 1/240 s. The same scene as `tools/bench/peer_pile.py`.
    public static let spherePile = BenchScene(
        name: "sphere-pile",
        summary: "N spheres r=0.02 m dropped into a tray (half-width 0.10 m for N≤100, 0.30 m to N=2000, then 0.30·√(N/2000) m), dt 1/240 s",
        defaultN: 100, defaultTicks: 2400
    ) { n, ticks, clock in
        var world = try! World(SpherePile.def(n: n))
        return measure("sphere-pile", n: n, ticks: ticks, world: &world, clock: clock) { w in
            [("escaped", Double(SpherePile.escaped(w, n: n)))]
        }
    }
}

/// The sphere-pile scene, shared by the bench, the tests and the peer script (same lattice, same jitter).
public enum SpherePile {
    public static let radius = 0.02, density = 1000.0, friction = 0.5, spacing = 0.05, jitter = 0.004
    public static let wallHeight = 0.5, wallThickness = 0.02, firstLayer = 0.05, seed: UInt64 = 42

    /// Inner half-width of the tray (m): 0.10 up to 100 spheres, 0.30 up to 2,000, then widened with √N so
    /// that the settled pile is no taller than at 2,000 (about 0.31 m under the 0.5 m walls).
    ///
    /// A fixed 0.30 m tray overflowed at N = 3,000: the pile settles 0.47 m high (packing ≈ 0.6) and,
    /// while the last layers land, its top passes the rim, so about 20 spheres rolled over the walls and
    /// fell for the rest of the run (the world has no floor outside the tray); their free fall was the
    /// 2,900 J "final kinetic energy", while the spheres inside had settled. `trayHolds` is the check.
    public static func halfWidth(n: Int) -> Double {
        n <= 100 ? 0.10 : 0.30 * max(1, (Double(n) / 2000).squareRoot())
    }

    /// Bulk packing fraction of a poured pile, a lower bound: the bench's settled piles measure 0.57 (N = 1,000)
    /// to 0.60 (N = 3,000); random loose packing of equal spheres is about 0.55.
    public static let pouredPacking = 0.55

    /// Height (m) a settled pile of `n` spheres reaches at `pouredPacking` in its tray (or one of half-width `tray`).
    public static func settledHeight(n: Int, tray: Double? = nil) -> Double {
        let w = tray ?? halfWidth(n: n)
        return Double(n) * 4 / 3 * Double.pi * radius * radius * radius / (pouredPacking * 4 * w * w)
    }

    /// Whether the tray holds `n` spheres with room for the pour: the settled pile reaches at most 3/4 of the
    /// walls, as the heap stands up to a third higher while the top layers land on it (0.6 m against a
    /// settled 0.47 m at N = 3,000 in the 0.30 m tray, which spilled).
    public static func trayHolds(n: Int, tray: Double? = nil) -> Bool { settledHeight(n: n, tray: tray) <= 0.75 * wallHeight }

    /// Sphere centres: rows of ⌊2W/spacing⌋ along x then z, layers upward from `firstLayer`, each
    /// coordinate jittered by a uniform ±4 mm from SplitMix64 seeded 42 (x, y, z in order per sphere).
    /// `tray` replaces `halfWidth(n:)` (tests of the tray's capacity).
    public static func positions(n: Int, tray: Double? = nil) -> [Vec3] {
        let w = tray ?? halfWidth(n: n)
        let perRow = Int((2 * w / spacing).rounded(.down))
        var rng = SeededRandom(seed: seed)
        var out: [Vec3] = []
        for i in 0..<n {
            let ix = i % perRow, iz = (i / perRow) % perRow, iy = i / (perRow * perRow)
            let base = Vec3(-w + spacing / 2 + Double(ix) * spacing, firstLayer + Double(iy) * spacing, -w + spacing / 2 + Double(iz) * spacing)
            let j = Vec3(rng.uniform(-jitter, jitter), rng.uniform(-jitter, jitter), rng.uniform(-jitter, jitter))
            out.append(base + j)
        }
        return out
    }

    /// The world: floor and four walls (static boxes), then the spheres (bodies 5…).
    public static func def(n: Int, tray: Double? = nil) -> WorldDef {
        let w = tray ?? halfWidth(n: n), t = wallThickness / 2, hh = wallHeight / 2
        let mat = MaterialDef(density: density, friction: friction, restitution: 0)
        func wall(_ c: Vec3, _ h: Vec3) -> BodyDef {
            BodyDef(kind: .static, pose: Pose(position: c), shapes: [ShapeDef(.box(halfExtents: h), material: mat)])
        }
        var bodies = [
            wall(Vec3(0, -0.05, 0), Vec3(w + wallThickness, 0.05, w + wallThickness)),
            wall(Vec3(-w - t, hh, 0), Vec3(t, hh, w + wallThickness)),
            wall(Vec3(w + t, hh, 0), Vec3(t, hh, w + wallThickness)),
            wall(Vec3(0, hh, -w - t), Vec3(w, hh, t)),
            wall(Vec3(0, hh, w + t), Vec3(w, hh, t)),
        ]
        for p in positions(n: n, tray: w) {
            bodies.append(BodyDef(pose: Pose(position: p), shapes: [ShapeDef(.sphere(radius: radius), material: mat)]))
        }
        return WorldDef(bodies: bodies, hands: [], dt: 1.0 / 240.0)
    }

    /// Spheres whose centre is outside the tray's inner volume (walls' height included).
    public static func escaped(_ world: World, n: Int, tray: Double? = nil) -> Int {
        let w = tray ?? halfWidth(n: n)
        var count = 0
        for b in 5..<(5 + n) {
            let p = world.pose(of: b).position
            if abs(p.x) > w || abs(p.z) > w || p.y < 0 || p.y > wallHeight { count += 1 }
        }
        return count
    }
}
