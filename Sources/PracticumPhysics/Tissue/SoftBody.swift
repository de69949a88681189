import PracticumCore

// Soft tissue as XPBD tetrahedra.
//
// Solver: extended position-based dynamics with small steps (Macklin et al. 2016, "XPBD"; Macklin et al.
// 2019, "Small Steps in Physics Simulation"): every tick is split into `substeps` substeps of one
// Gauss–Seidel sweep each, Lagrange multipliers reset per substep. Small steps converge better than many
// iterations of one big step and make damping and contact simple.
//
// Material: the stable Neo-Hookean constraints of Macklin & Müller 2021 ("A Constraint-based Formulation
// of Stable Neo-Hookean Materials"), per tetrahedron a deviatoric C_D = ‖F‖_F with compliance 1/(μV) and a
// hydrostatic C_H = det F − γ with compliance 1/(λ'V), γ = 1 + μ/λ'. Why this and not volume + edge
// distance constraints: it takes Young's modulus and Poisson ratio directly (μ, λ are the Lamé
// parameters), so a block under load deflects by E·A·δ/L without tuning per mesh, and it does not
// invert under large compression (the log-free energy is defined for det F ≤ 0). Two choices of our own:
//  * λ' = λ + μ: the energy μ/2(I_C − 3) + λ'/2(J − γ)² linearises to Lamé (μ, λ' − μ), so this gives the
//    small-strain E and ν asked for (Smith et al. 2018 derive the same shift for their variant).
//  * the two constraints are solved together as a 2×2 block per tet. At rest their gradients are
//    parallel and their residuals cancel only in the block solve; solved one after the other they fight,
//    and the mesh creeps away from its rest shape.
//
// Contact: tool capsules and spheres (kinematic) against the boundary triangles, so a thin tool cannot
// slip between surface points; the triangle is moved with barycentric weights (as for cloth–particle
// contact in Müller et al. 2007), and friction is positional (Macklin et al. 2014, "Unified Particle
// Physics"): tangential slip against the tool during a substep is cancelled up to μ × penetration.
// The force on a tool is the contact multiplier over h² (XPBD's force estimate), averaged over substeps.

/// How to build a soft body. Defaults are valid (a 1 cm cube of soft tissue).
public struct SoftBodyDef: Sendable {
    /// Rest mesh in the body's local frame (m).
    public var mesh: TetMesh
    /// Placement of the mesh in the world; pinned points follow the anchor pose (initially this one).
    public var pose: Pose
    /// Young's modulus (Pa). Typical: fat 3–20 kPa, muscle 10–100 kPa, skin 50–200 kPa.
    public var youngsModulus: Double
    /// Poisson ratio (dimensionless, 0...0.49). Soft tissue is nearly incompressible: 0.45–0.49.
    public var poissonRatio: Double
    /// Density (kg/m³). Soft tissue ≈ 1000–1100.
    public var density: Double
    /// Mass-proportional velocity damping (1/s). 1–10 for tissue that settles within a second.
    public var damping: Double
    /// Points held to the anchor (bone, a table): indices into `mesh.points`.
    public var pinned: [Int]
    /// Gravity (m/s²), +y up.
    public var gravity: Vec3
    /// Solver substeps per tick. With a 1/240 s tick, 5 substeps solve the tissue at 1,200 Hz.
    public var substeps: Int

    public init(mesh: TetMesh = .box(minimum: .zero, size: Vec3(0.01, 0.01, 0.01), counts: (2, 2, 2)),
                pose: Pose = .identity, youngsModulus: Double = 50_000, poissonRatio: Double = 0.45,
                density: Double = 1000, damping: Double = 2, pinned: [Int] = [], gravity: Vec3 = Vec3(0, -9.81, 0),
                substeps: Int = 5) {
        self.mesh = mesh; self.pose = pose; self.youngsModulus = youngsModulus; self.poissonRatio = poissonRatio
        self.density = density; self.damping = damping; self.pinned = pinned; self.gravity = gravity; self.substeps = substeps
    }
}

/// The immutable part of a soft body: rest geometry, masses, per-tet rest data and compliances.
public struct SoftBodyModel: Sendable {
    public let def: SoftBodyDef
    /// Lamé parameters from E and ν (Pa).
    public let mu: Double, lambda: Double
    /// Rest positions in the local frame (m).
    public let restLocal: [Vec3]
    /// Inverse lumped masses (1/kg); 0 for pinned points.
    public let inverseMass: [Double]
    public let mass: [Double]
    let tetIndices: [Int32]
    /// Inverse rest shape matrix per tet, row-major, 9 each.
    let restInverse: [Double]
    /// Per-tet compliances 1/(μV) and 1/(λ'V) (1/(Pa·m³)).
    let complianceDeviatoric: [Double], complianceHydrostatic: [Double]
    let gamma: Double
    /// Boundary triangles (flattened, 3 each).
    let surfaceIndices: [Int32]
    let substeps: Int

    public init(_ def: SoftBodyDef) {
        self.def = def
        let e = max(def.youngsModulus, 1e-6), nu = min(max(def.poissonRatio, 0), 0.495)
        mu = e / (2 * (1 + nu))
        lambda = e * nu / ((1 + nu) * (1 - 2 * nu))
        let lambdaPrime = lambda + mu
        gamma = 1 + mu / lambdaPrime
        let mesh = def.mesh
        restLocal = mesh.points
        var mass = [Double](repeating: 0, count: mesh.points.count)
        var idx: [Int32] = [], dmInv: [Double] = [], cD: [Double] = [], cH: [Double] = []
        for i in SoftBodyModel.colorOrder(mesh) {
            let t = mesh.tets[i]
            let v = mesh.volume(ofTet: i)
            guard v > 1e-18 else { continue }
            for k in 0..<4 { mass[Int(t[k])] += def.density * v / 4 }
            let x0 = mesh.points[Int(t[0])]
            let c1 = mesh.points[Int(t[1])] - x0, c2 = mesh.points[Int(t[2])] - x0, c3 = mesh.points[Int(t[3])] - x0
            dmInv += invert3(c1, c2, c3)
            idx += [t[0], t[1], t[2], t[3]]
            cD.append(1 / (mu * v)); cH.append(1 / (lambdaPrime * v))
        }
        var inv = mass.map { $0 > 0 ? 1 / $0 : 0 }
        for p in def.pinned where p >= 0 && p < inv.count { inv[p] = 0 }
        self.mass = mass
        inverseMass = inv
        tetIndices = idx; restInverse = dmInv; complianceDeviatoric = cD; complianceHydrostatic = cH
        surfaceIndices = mesh.surface.flatMap { [$0[0], $0[1], $0[2]] }
        substeps = max(1, def.substeps)
    }

    /// Tets in solve order: greedily coloured so that no two tets of one colour share a point, then by
    /// colour and index. Consecutive tets are then independent, so the CPU overlaps their solves instead of
    /// waiting for one tet's writes before the next one's reads (≈2× faster here); the order is still a
    /// fixed Gauss–Seidel order, so results are deterministic.
    static func colorOrder(_ mesh: TetMesh) -> [Int] {
        var used = [UInt64](repeating: 0, count: mesh.points.count)
        var color = [Int](repeating: 0, count: mesh.tets.count)
        for (i, t) in mesh.tets.enumerated() {
            let taken = used[Int(t[0])] | used[Int(t[1])] | used[Int(t[2])] | used[Int(t[3])]
            let c = taken == UInt64.max ? 63 : (~taken).trailingZeroBitCount
            color[i] = c
            for k in 0..<4 { used[Int(t[k])] |= 1 << UInt64(c) }
        }
        return mesh.tets.indices.sorted { color[$0] != color[$1] ? color[$0] < color[$1] : $0 < $1 }
    }

    /// The state at rest in the def's pose.
    public func makeState() -> SoftBodyState {
        SoftBodyState(positions: restLocal.map { def.pose.transform($0) },
                      velocities: [Vec3](repeating: .zero, count: restLocal.count), anchor: def.pose)
    }

    /// Boundary triangles for rendering, outward counter-clockwise, indexing ``SoftBodyState/positions``.
    public var surface: [SIMD3<Int32>] { def.mesh.surface }

    /// Advances one tick of `dt` seconds.
    ///
    /// - Parameters:
    ///   - tools: kinematic tool shapes at their end-of-tick poses. Keep their number and order stable
    ///     between ticks: each moves linearly from its pose in the previous tick.
    ///   - anchor: pose of whatever the pinned points are attached to at the end of this tick
    ///     (a rigid body's pose); `nil` keeps the current one.
    ///   - lines: embedded material points held to lines (a needle's track); their forces land in
    ///     ``SoftBodyState/lineForces``.
    public func step(_ state: inout SoftBodyState, dt: Double, tools: [ToolShape] = [], anchor: Pose? = nil,
                     lines: [EmbeddedLine] = []) {
        let before = state
        let h = dt / Double(substeps)
        let previousTools = state.toolPoses.count == tools.count ? state.toolPoses : tools.map(\.pose)
        let anchorStart = state.anchor, anchorEnd = anchor ?? state.anchor
        var forces = [Vec3](repeating: .zero, count: tools.count)
        var lineForces = [Vec3](repeating: .zero, count: lines.count)
        var start = state.positions
        // broad phase, once per tick: the faces near each tool's path, with room for the tissue's own motion
        var fastest = 0.0
        for v in state.velocities { fastest = max(fastest, v.lengthSquared) }
        let slack = 2 * fastest.squareRoot() * dt + anchorStart.position.distance(to: anchorEnd.position)
            + anchorStart.orientation.angle(to: anchorEnd.orientation) * 0.5 + 0.002
        let nearby = tools.indices.map { nearbyFaces(tools[$0], from: previousTools[$0], to: tools[$0].pose,
                                                     positions: state.positions, margin: slack) }
        for sub in 1...substeps {
            let f0 = Double(sub - 1) / Double(substeps), f1 = Double(sub) / Double(substeps)
            // predict: gravity, inertia; pinned points follow the anchor
            predict(&state, start: &start, h: h,
                    anchor: anchorStart.interpolated(to: anchorEnd, f1))
            // elasticity: one block Gauss–Seidel sweep over the tets
            solveTets(&state.positions, h: h)
            // contact: tools against the boundary triangles, with friction
            for (t, tool) in tools.enumerated() {
                let now = previousTools[t].interpolated(to: tool.pose, f1)
                let was = previousTools[t].interpolated(to: tool.pose, f0)
                forces[t] += solveContact(&state.positions, start: start, tool: tool, faces: nearby[t], now: now, was: was, h: h)
            }
            // tracks: embedded points pulled toward their lines
            for (k, line) in lines.enumerated() { lineForces[k] += solveLine(&state.positions, line, h: h) }
            // velocities from positions, then damping
            let damp = 1 / (1 + def.damping * h)
            for i in state.positions.indices {
                state.velocities[i] = (state.positions[i] - start[i]) * (damp / h)
            }
        }
        state.toolPoses = tools.map(\.pose)
        state.anchor = anchorEnd
        state.toolForces = forces.map { $0 / Double(substeps) }
        state.lineForces = lineForces.map { $0 / Double(substeps) }
        state.tick += 1
        // numerical trouble: keep the last good state and count a warning
        if !state.positions.allSatisfy(\.isFinite) || !state.velocities.allSatisfy(\.isFinite) {
            let warnings = before.warnings + 1
            state = before
            state.velocities = state.velocities.map { _ in .zero }
            state.toolPoses = tools.map(\.pose)
            state.anchor = anchorEnd
            state.tick += 1
            state.warnings = warnings
        }
    }

    private func predict(_ state: inout SoftBodyState, start: inout [Vec3], h: Double, anchor: Pose) {
        let g = def.gravity * h
        for i in state.positions.indices {
            start[i] = state.positions[i]
            if inverseMass[i] == 0 {
                state.positions[i] = anchor.transform(restLocal[i])
            } else {
                state.velocities[i] += g
                state.positions[i] += state.velocities[i] * h
            }
        }
    }

    /// One sweep of the stable Neo-Hookean block constraint over all tets (see the file comment).
    private func solveTets(_ positions: inout [Vec3], h: Double) {
        let invH2 = 1 / (h * h)
        let gamma = self.gamma
        positions.withUnsafeMutableBufferPointer { x in
            tetIndices.withUnsafeBufferPointer { tix in
                restInverse.withUnsafeBufferPointer { m in
                    inverseMass.withUnsafeBufferPointer { w in
                        complianceDeviatoric.withUnsafeBufferPointer { cD in
                            complianceHydrostatic.withUnsafeBufferPointer { cH in
                                for t in 0..<cD.count {
                                    let i0 = Int(tix[4 * t]), i1 = Int(tix[4 * t + 1])
                                    let i2 = Int(tix[4 * t + 2]), i3 = Int(tix[4 * t + 3])
                                    let w0 = w[i0], w1 = w[i1], w2 = w[i2], w3 = w[i3]
                                    let x0 = x[i0]
                                    let e1 = x[i1] - x0, e2 = x[i2] - x0, e3 = x[i3] - x0
                                    let b = 9 * t
                                    let m00 = m[b], m01 = m[b + 1], m02 = m[b + 2]
                                    let m10 = m[b + 3], m11 = m[b + 4], m12 = m[b + 5]
                                    let m20 = m[b + 6], m21 = m[b + 7], m22 = m[b + 8]
                                    // deformation gradient F = Ds · Dm⁻¹, by columns
                                    let f0 = e1 * m00 + e2 * m10 + e3 * m20
                                    let f1 = e1 * m01 + e2 * m11 + e3 * m21
                                    let f2 = e1 * m02 + e2 * m12 + e3 * m22
                                    let ic = f0.lengthSquared + f1.lengthSquared + f2.lengthSquared
                                    if ic < 1e-18 { continue }
                                    // cofactor columns: ∂ det F / ∂F
                                    let k0 = f1.cross(f2), k1 = f2.cross(f0), k2 = f0.cross(f1)
                                    let ch = f0.dot(k0) - gamma
                                    // gradients on points 1...3: (∂C/∂F) · Dm⁻ᵀ; point 0 takes minus their sum.
                                    // For C_D = √I_C the gradient is G/C_D with G = F · Dm⁻ᵀ; solving for
                                    // λ_D/C_D instead of λ_D removes the square root and a division from
                                    // the solve (the system's first row is multiplied through by C_D).
                                    let g1 = f0 * m00 + f1 * m01 + f2 * m02
                                    let g2 = f0 * m10 + f1 * m11 + f2 * m12
                                    let g3 = f0 * m20 + f1 * m21 + f2 * m22
                                    let g0 = -(g1 + g2 + g3)
                                    let q1 = k0 * m00 + k1 * m01 + k2 * m02
                                    let q2 = k0 * m10 + k1 * m11 + k2 * m12
                                    let q3 = k0 * m20 + k1 * m21 + k2 * m22
                                    let q0 = -(q1 + q2 + q3)
                                    let aDD = w0 * g0.lengthSquared + w1 * g1.lengthSquared + w2 * g2.lengthSquared
                                        + w3 * g3.lengthSquared + cD[t] * invH2 * ic
                                    let aDH = w0 * g0.dot(q0) + w1 * g1.dot(q1) + w2 * g2.dot(q2) + w3 * g3.dot(q3)
                                    let aHH = w0 * q0.lengthSquared + w1 * q1.lengthSquared + w2 * q2.lengthSquared
                                        + w3 * q3.lengthSquared + cH[t] * invH2
                                    // 2×2 block solve: [aDD aDH; aDH aHH] (λ_D/C_D, λ_H) = (−I_C, −C_H)
                                    let det = aDD * aHH - aDH * aDH
                                    if !(det > 0) { continue }
                                    let inv = 1 / det
                                    let ld = (-ic * aHH + ch * aDH) * inv
                                    let lh = (-ch * aDD + ic * aDH) * inv
                                    x[i0] += (g0 * ld + q0 * lh) * w0
                                    x[i1] += (g1 * ld + q1 * lh) * w1
                                    x[i2] += (g2 * ld + q2 * lh) * w2
                                    x[i3] += (g3 * ld + q3 * lh) * w3
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Pulls an embedded point toward its line (compliant, lateral only); returns the force on the line's owner (N).
    private func solveLine(_ x: inout [Vec3], _ line: EmbeddedLine, h: Double) -> Vec3 {
        let t = line.tet
        guard t >= 0, 4 * t + 3 < tetIndices.count else { return .zero }
        let ids = (0..<4).map { Int(tetIndices[4 * t + $0]) }
        let b = [line.weights.x, line.weights.y, line.weights.z, line.weights.w]
        var p = Vec3.zero
        for k in 0..<4 { p += x[ids[k]] * b[k] }
        let d = line.direction.normalized
        let rel = p - line.point
        let lateral = rel - d * rel.dot(d)
        let c = lateral.length
        if c < 1e-12 { return .zero }
        let n = lateral / c
        var wsum = line.compliance / (h * h)
        for k in 0..<4 { wsum += b[k] * b[k] * inverseMass[ids[k]] }
        if wsum < 1e-15 { return .zero }
        let dl = -c / wsum
        for k in 0..<4 { x[ids[k]] += n * (dl * b[k] * inverseMass[ids[k]]) }
        // the tissue pulls the line's owner toward the material point
        return n * (-dl / (h * h))
    }

    /// Barycentric weights of `p` in tet `t` at `positions`.
    func barycentric(_ p: Vec3, tet t: Int, positions x: [Vec3]) -> SIMD4<Double> {
        let i0 = Int(tetIndices[4 * t]), i1 = Int(tetIndices[4 * t + 1]), i2 = Int(tetIndices[4 * t + 2])
        let i3 = Int(tetIndices[4 * t + 3])
        let x0 = x[i0], c1 = x[i1] - x0, c2 = x[i2] - x0, c3 = x[i3] - x0
        let det = c1.dot(c2.cross(c3))
        guard abs(det) > 1e-30 else { return SIMD4(-1, -1, -1, -1) }
        let r = p - x0
        let b1 = r.dot(c2.cross(c3)) / det, b2 = c1.dot(r.cross(c3)) / det, b3 = c1.dot(c2.cross(r)) / det
        return SIMD4(1 - b1 - b2 - b3, b1, b2, b3)
    }

    /// The tet containing `p` at `positions` and its barycentric weights; if none contains it, the tet
    /// whose most negative weight is least negative (the nearest, roughly). Ties go to the lower index.
    public func locate(_ p: Vec3, positions: [Vec3]) -> (tet: Int, weights: SIMD4<Double>, inside: Bool) {
        var best = (tet: 0, weights: SIMD4<Double>(1, 0, 0, 0), score: -Double.infinity)
        for t in 0..<(tetIndices.count / 4) {
            let b = barycentric(p, tet: t, positions: positions)
            let score = min(b.x, b.y, b.z, b.w)
            if score > best.score { best = (t, b, score) }
            if score >= 0 { break }
        }
        return (best.tet, best.weights, best.score >= -1e-9)
    }

    /// The point with barycentric `weights` in tet `t`, at `positions` (pass `restLocal` for the rest shape).
    public func point(tet t: Int, weights: SIMD4<Double>, positions: [Vec3]) -> Vec3 {
        var p = Vec3.zero
        for k in 0..<4 { p += positions[Int(tetIndices[4 * t + k])] * weights[k] }
        return p
    }

    /// Tool against boundary triangles; returns the force of the tissue on the tool during this substep (N).
    /// Faces whose bounds come within `margin` (m) of the tool's bounds over its move from `from` to `to`.
    private func nearbyFaces(_ tool: ToolShape, from: Pose, to: Pose, positions x: [Vec3], margin: Double) -> [Int32] {
        let r = tool.radius + margin
        let (p0, p1) = tool.segment(at: to), (o0, o1) = tool.segment(at: from)
        let lo = Vec3.min(Vec3.min(p0, p1), Vec3.min(o0, o1)) - Vec3(r, r, r)
        let hi = Vec3.max(Vec3.max(p0, p1), Vec3.max(o0, o1)) + Vec3(r, r, r)
        var out: [Int32] = []
        var f = 0
        while f < surfaceIndices.count {
            let a = x[Int(surfaceIndices[f])], b = x[Int(surfaceIndices[f + 1])], c = x[Int(surfaceIndices[f + 2])]
            if !(max(a.x, b.x, c.x) < lo.x || min(a.x, b.x, c.x) > hi.x || max(a.y, b.y, c.y) < lo.y
                 || min(a.y, b.y, c.y) > hi.y || max(a.z, b.z, c.z) < lo.z || min(a.z, b.z, c.z) > hi.z) {
                out += [surfaceIndices[f], surfaceIndices[f + 1], surfaceIndices[f + 2]]
            }
            f += 3
        }
        return out
    }

    private func solveContact(_ x: inout [Vec3], start: [Vec3], tool: ToolShape, faces tri: [Int32], now: Pose, was: Pose,
                              h: Double) -> Vec3 {
        let r = tool.radius
        let (p0, p1) = tool.segment(at: now)
        let (o0, o1) = tool.segment(at: was)
        // swept bounds: a fast tool is also checked against faces it crossed during the substep
        let lo = Vec3.min(Vec3.min(p0, p1), Vec3.min(o0, o1)) - Vec3(r, r, r)
        let hi = Vec3.max(Vec3.max(p0, p1), Vec3.max(o0, o1)) + Vec3(r, r, r)
        var impulse = Vec3.zero
        var f = 0
        while f < tri.count {
            let ia = Int(tri[f]), ib = Int(tri[f + 1]), ic = Int(tri[f + 2])
            f += 3
            let a = x[ia], b = x[ib], c = x[ic]
            // the face's bounds over the substep: the elastic sweep can spring a face back past a thin tool
            let sa = start[ia], sb = start[ib], sc = start[ic]
            if max(a.x, b.x, c.x, sa.x, sb.x, sc.x) < lo.x || min(a.x, b.x, c.x, sa.x, sb.x, sc.x) > hi.x
                || max(a.y, b.y, c.y, sa.y, sb.y, sc.y) < lo.y || min(a.y, b.y, c.y, sa.y, sb.y, sc.y) > hi.y
                || max(a.z, b.z, c.z, sa.z, sb.z, sc.z) < lo.z || min(a.z, b.z, c.z, sa.z, sb.z, sc.z) > hi.z { continue }
            let wa = inverseMass[ia], wb = inverseMass[ib], wc = inverseMass[ic]
            if wa + wb + wc == 0 { continue }
            let q = closestSegmentTriangle(p0, p1, a, b, c)
            let n = (b - a).cross(c - a).normalized
            let sp = p0 + (p1 - p0) * q.s
            let tp = a * q.bary.0 + b * q.bary.1 + c * q.bary.2
            let above = (sp - tp).dot(n)
            // was the core in front of this face at the start of the substep (face and tool where they were)?
            // The face may have sprung back past a thin tool during the elastic sweep.
            func wasInFront(_ s: Double) -> Bool {
                let sa = start[ia], sn = (start[ib] - sa).cross(start[ic] - sa).normalized
                return ((o0 + (o1 - o0) * s) - sa).dot(sn) > -r
            }
            let interior = q.bary.0 > 1e-9 && q.bary.1 > 1e-9 && q.bary.2 > 1e-9
            var dir: Vec3, pen: Double
            if q.distance <= 1e-12 {
                // pierced: push the face along its inward normal, past the deeper end of the core
                let depth = max(0, -(p0 - a).dot(n), -(p1 - a).dot(n))
                dir = -n; pen = r + min(depth, r)
            } else if above < 0 && interior && (-above < 2 * r || wasInFront(q.s)) {
                // the core has slipped just behind the face (a thin tool in a dimple), or crossed it during
                // this substep (a fast needle): push the face back over it
                dir = -n; pen = r - above
            } else {
                // push the face away from the tool's core
                dir = (tp - sp) / q.distance; pen = r - q.distance
            }
            if pen <= 0 { continue }
            let (u, v, w) = q.bary
            let wsum = u * u * wa + v * v * wb + w * w * wc
            if wsum < 1e-12 { continue }
            // normal: move the contact point out of the tool
            let lambda = pen / wsum
            x[ia] += dir * (lambda * u * wa); x[ib] += dir * (lambda * v * wb); x[ic] += dir * (lambda * w * wc)
            impulse += dir * lambda
            // friction: cancel slip against the tool during this substep, up to μ × penetration
            let moved = (x[ia] - start[ia]) * u + (x[ib] - start[ib]) * v + (x[ic] - start[ic]) * w
            let toolMoved = sp - (o0 + (o1 - o0) * q.s)
            let rel = moved - toolMoved
            let slip = rel - dir * rel.dot(dir)
            let slipLength = slip.length
            if slipLength < 1e-15 || tool.friction <= 0 { continue }
            let corr = slip * (-min(1, tool.friction * pen / slipLength))
            let k = 1 / wsum
            x[ia] += corr * (k * u * wa); x[ib] += corr * (k * v * wb); x[ic] += corr * (k * w * wc)
            impulse += corr * k
        }
        // what moved the tissue one way pushes the tool the other
        return impulse / (-h * h)
    }
}

/// A material point of a soft body (tet and barycentric weights) held to a line by a compliant lateral
/// constraint: how a needle's track drags the tissue it passes through.
public struct EmbeddedLine: Hashable, Sendable {
    public var tet: Int
    public var weights: SIMD4<Double>
    /// A point on the line and its direction (world).
    public var point: Vec3
    public var direction: Vec3
    /// Compliance (m/N): 1 / stiffness.
    public var compliance: Double
    public init(tet: Int, weights: SIMD4<Double>, point: Vec3, direction: Vec3, compliance: Double) {
        self.tet = tet; self.weights = weights; self.point = point; self.direction = direction; self.compliance = compliance
    }
}

/// Everything about a soft body that changes while it runs. A value: copy to snapshot, assign to restore.
public struct SoftBodyState: Hashable, Sendable {
    /// Point positions in the world (m), by mesh point index.
    public var positions: [Vec3]
    /// Point velocities (m/s).
    public var velocities: [Vec3]
    /// Pose the pinned points are attached to.
    public var anchor: Pose
    /// Tool poses at the end of the last tick (where each tool starts moving from next tick).
    public var toolPoses: [Pose] = []
    /// Force of the tissue on each tool during the last tick, averaged over substeps (N).
    public var toolForces: [Vec3] = []
    /// Force of the tissue on the owner of each embedded line during the last tick (N).
    public var lineForces: [Vec3] = []
    /// Ticks stepped.
    public var tick: Int = 0
    /// Ticks on which the solver produced non-finite values and the previous state was kept.
    public var warnings: Int = 0

    public init(positions: [Vec3], velocities: [Vec3], anchor: Pose) {
        self.positions = positions; self.velocities = velocities; self.anchor = anchor
    }

    /// FNV-1a over the exact bits of everything in the state.
    public var stateHash: StateHash {
        var h = StateHash()
        h.combine(tick); h.combine(warnings); h.combine(anchor)
        for p in positions { h.combine(p) }
        for v in velocities { h.combine(v) }
        for p in toolPoses { h.combine(p) }
        for f in toolForces { h.combine(f) }
        for f in lineForces { h.combine(f) }
        return h
    }

    /// Kinetic energy given the model's masses (J).
    public func kineticEnergy(_ model: SoftBodyModel) -> Double {
        var e = 0.0
        for i in velocities.indices { e += 0.5 * model.mass[i] * velocities[i].lengthSquared }
        return e
    }
}

/// Inverse of the 3×3 matrix with columns c1, c2, c3, row-major.
private func invert3(_ c1: Vec3, _ c2: Vec3, _ c3: Vec3) -> [Double] {
    let det = c1.dot(c2.cross(c3))
    let r0 = c2.cross(c3) / det, r1 = c3.cross(c1) / det, r2 = c1.cross(c2) / det
    return [r0.x, r0.y, r0.z, r1.x, r1.y, r1.z, r2.x, r2.y, r2.z]
}
