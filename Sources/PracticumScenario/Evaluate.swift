import PracticumCore

#if canImport(Glibc)
import Glibc
#endif

/// Expression evaluation against one tick's observations and the procedure's state.
///
/// Pure and bounded: a compiled expression is a finite tree with no loops. Booleans are 0/1;
/// division by zero gives 0 and nothing non-finite is produced from finite inputs.
extension ProcedureRunner {
    mutating func truth(_ c: CExpr, _ obs: Observations) -> Bool { value(c, obs) != 0 }

    mutating func value(_ c: CExpr, _ obs: Observations) -> Double {
        switch c {
        case let .const(v): return v
        case .time: return obs.time
        case let .variable(i): return state.variables[i]
        case let .unary(op, x):
            let v = value(x, obs)
            return op == .not ? (v == 0 ? 1 : 0) : -v
        case let .binary(op, a, b):
            switch op {
            // both sides always evaluated: stateful queries (held) must see every tick
            case .and: let x = truth(a, obs), y = truth(b, obs); return x && y ? 1 : 0
            case .or: let x = truth(a, obs), y = truth(b, obs); return x || y ? 1 : 0
            default: break
            }
            let x = value(a, obs), y = value(b, obs)
            switch op {
            case .add: return x + y
            case .sub: return x - y
            case .mul: return x * y
            case .div: return y == 0 ? 0 : x / y
            case .lt: return x < y ? 1 : 0
            case .le: return x <= y ? 1 : 0
            case .gt: return x > y ? 1 : 0
            case .ge: return x >= y ? 1 : 0
            case .eq: return x == y ? 1 : 0
            case .ne: return x != y ? 1 : 0
            case .and, .or: return 0
            }
        case let .inRange(v, lo, hi):
            let x = value(v, obs)
            return x >= value(lo, obs) && x <= value(hi, obs) ? 1 : 0
        case let .call(b, args, slot):
            return call(b, args, slot, obs)
        }
    }

    private mutating func call(_ b: Builtin, _ args: [CArg], _ slot: Int, _ obs: Observations) -> Double {
        func ref(_ i: Int) -> EntityRef { if case let .entity(r) = args[i] { return r }; return .body(0) }
        func body(_ i: Int) -> Int { if case let .body(x) = ref(i) { return x }; return -1 }
        func step(_ i: Int) -> Int { if case let .step(x) = ref(i) { return x }; return 0 }
        func tissue(_ i: Int) -> Int { if case let .tissue(x) = ref(i) { return x }; return 0 }
        func layer(_ i: Int) -> (Int, Int) { if case let .layer(t, l) = ref(i) { return (t, l) }; return (0, 0) }
        func joint(_ i: Int) -> Int { if case let .joint(x) = ref(i) { return x }; return 0 }
        func arg(_ i: Int) -> CExpr { if case let .expr(e) = args[i] { return e }; return .const(0) }
        func bool(_ v: Bool) -> Double { v ? 1 : 0 }
        switch b {
        case .inside:
            guard case let .region(r) = ref(1) else { return 0 }
            return bool(regionContains(r, point(ref(0), obs), obs))
        case .contact:
            return bool(contact(body(0), body(1), obs) != nil)
        case .contactForce:
            return contact(body(0), body(1), obs)?.normalForce ?? 0
        case .grasped:
            return bool(obs.hands.contains { $0.grasped == body(0) })
        case .graspedBy:
            guard case let .hand(h) = ref(1), h < obs.hands.count else { return 0 }
            return bool(obs.hands[h].grasped == body(0))
        case .distance:
            return point(ref(0), obs).distance(to: point(ref(1), obs))
        case .height, .y: return point(ref(0), obs).y
        case .x: return point(ref(0), obs).x
        case .z: return point(ref(0), obs).z
        case .speed:
            switch ref(0) {
            case let .body(i) where i < obs.bodies.count: return obs.bodies[i].linearVelocity.length
            case let .hand(h) where h < obs.hands.count && h < state.previousHandPositions.count && dt > 0:
                return obs.hands[h].pose.position.distance(to: state.previousHandPositions[h]) / dt
            default: return 0
            }
        case .displacement:
            let i = body(0)
            guard i >= 0, i < obs.bodies.count, i < state.initialPositions.count else { return 0 }
            return obs.bodies[i].pose.position.distance(to: state.initialPositions[i])
        case .angle:
            return surfaceAngle(body(0), tissue(1), obs)
        case .axisAngle:
            return axis(body(0), obs).angle(to: axis(body(1), obs))
        case .tiltX, .tiltZ:
            // the axis in the landmark's frame; 0 when it points along the landmark's −y (into its top face)
            let u = bodyPose(body(1), obs).orientation.inverseRotate(axis(body(0), obs))
            return finite(atan2(b == .tiltX ? u.x : u.z, -u.y))
        case .depth:
            let (n, t) = (body(0), tissue(1))
            return needleState(n, obs).map { $0.tissue == t ? $0.depth : 0 } ?? 0
        case .layerDepth:
            let (t, l) = layer(1)
            guard let ns = needleState(body(0), obs) else { return 0 }
            return ns.tissue == t && l < ns.layerDepths.count ? ns.layerDepths[l] : 0
        case .inLayer:
            let (t, l) = layer(1)
            return bool(needleState(body(0), obs).map { $0.tissue == t && $0.layer == l } ?? false)
        case .punctured:
            let (t, l) = layer(1)
            return bool(state.punctures.contains { $0.needle == body(0) && $0.tissue == t && $0.layer == l })
        case .punctures:
            let (t, l) = layer(1)
            return Double(state.punctures.first { $0.needle == body(0) && $0.tissue == t && $0.layer == l }?.count ?? 0)
        case .punctureAngle:
            let (t, l) = layer(1)
            return state.punctures.first { $0.needle == body(0) && $0.tissue == t && $0.layer == l }?.angle ?? 0
        case .attempts:
            return Double(needleState(body(0), obs)?.attempts ?? 0)
        case .tissueForce:
            let t = tissue(0)
            return t < obs.tissueForces.count ? obs.tissueForces[t] : 0
        case .button:
            if case let .text(name) = args[0] { return bool(obs.buttons.contains(name)) }
            return 0
        case .grip, .trigger:
            guard case let .hand(h) = ref(0), h < obs.hands.count else { return 0 }
            let v = b == .grip ? obs.hands[h].grip : obs.hands[h].trigger
            return v.isFinite ? v : 0
        case .completed: return bool(state.steps[step(0)] == .completed)
        case .failed: return bool(state.steps[step(0)] == .failed)
        case .active: return bool(state.steps[step(0)] == .active)
        case .skipped: return bool(state.steps[step(0)] == .skipped)
        case .started: return bool(state.activatedAt[step(0)] >= 0)
        case .fired:
            if case let .event(e) = ref(0) { return bool(state.eventCounts[e] > 0) }
            return 0
        case .occurred:
            if case let .error(e) = ref(0) { return bool(state.errorCounts[e] > 0) }
            return 0
        case .count:
            switch ref(0) {
            case let .event(e): return Double(state.eventCounts[e])
            case let .error(e): return Double(state.errorCounts[e])
            default: return 0
            }
        case .since:
            switch ref(0) {
            case let .step(i): return state.steps[i] == .completed ? obs.time - state.settledAt[i] : ProcedureRunner.never
            case let .event(e): return state.eventLast[e] >= 0 ? obs.time - state.eventLast[e] : ProcedureRunner.never
            default: return ProcedureRunner.never
            }
        case .stepTime:
            let i = step(0)
            guard state.activatedAt[i] >= 0 else { return 0 }
            return (state.settledAt[i] >= 0 ? state.settledAt[i] : obs.time) - state.activatedAt[i]
        case .held:
            let cond = truth(arg(0), obs)
            let duration = value(arg(1), obs)
            if cond {
                if state.slots[slot] < 0 { state.slots[slot] = obs.time }
                return bool(obs.time - state.slots[slot] >= duration - 1e-9)
            }
            state.slots[slot] = -1
            return 0
        case .abs: return Swift.abs(value(arg(0), obs))
        case .min: return Swift.min(value(arg(0), obs), value(arg(1), obs))
        case .max: return Swift.max(value(arg(0), obs), value(arg(1), obs))
        case .clamp:
            // low first, then high: with low above high the result is high
            let x = value(arg(0), obs), lo = value(arg(1), obs), hi = value(arg(2), obs)
            return Swift.min(Swift.max(x, lo), hi)
        case .sqrt: return finite(Swift.max(0, value(arg(0), obs)).squareRoot())
        case .sin: return finite(sin(value(arg(0), obs)))
        case .cos: return finite(cos(value(arg(0), obs)))
        case .tan: return finite(tan(value(arg(0), obs)))
        // clamped to the domain: 1.0000001 from rounding is 1, not undefined
        case .asin: return finite(asin(Swift.min(1, Swift.max(-1, value(arg(0), obs)))))
        case .acos: return finite(acos(Swift.min(1, Swift.max(-1, value(arg(0), obs)))))
        case .atan2: return finite(atan2(value(arg(0), obs), value(arg(1), obs)))
        case .prev:
            // at the first tick there is no previous one: the value now
            return state.primed ? state.history[slot] : value(arg(0), obs)
        case .peak:
            // the ticks before this one within the window, and this tick's value
            let now = value(arg(0), obs)
            let window = scenario.peakWindows[slot] ?? 0
            return Swift.max(now, state.peaks[slot]?.max(after: obs.time - window) ?? now)
        case .couplingForce:
            guard case let .hand(h) = ref(0), h < obs.hands.count else { return 0 }
            return finite(obs.hands[h].couplingForce)
        case .needleForce: return finite(needleState(body(0), obs)?.axialForce ?? 0)
        case .lateralForce: return finite(needleState(body(0), obs)?.lateralForce ?? 0)
        case .jointPosition:
            let w = jointOffset + joint(0)
            return w < obs.joints.count ? finite(obs.joints[w]) : 0
        case .rate:
            let now = value(arg(0), obs)
            guard state.primed, dt > 0 else { return 0 }
            return finite((now - state.history[slot]) / dt)
        }
    }

    /// `x`, or 0 where it is not finite (nothing non-finite reaches a report).
    private func finite(_ x: Double) -> Double { x.isFinite ? x : 0 }

    // MARK: geometry from observed poses

    func bodyPose(_ i: Int, _ obs: Observations) -> Pose {
        if i >= 0 && i < obs.bodies.count { return obs.bodies[i].pose }
        if i >= 0 && i < scenario.scene.bodies.count { return scenario.scene.bodies[i].pose }
        return .identity
    }

    /// A body's tip, a region's centre or a hand's position, in world coordinates.
    func point(_ r: EntityRef, _ obs: Observations) -> Vec3 {
        switch r {
        case let .body(i): return bodyPose(i, obs).transform(i < scenario.scene.bodies.count ? scenario.scene.bodies[i].tip : .zero)
        case let .hand(h): return h < obs.hands.count ? obs.hands[h].pose.position : .zero
        case let .region(x):
            let reg = scenario.scene.regions[x]
            return reg.body.map { bodyPose($0, obs).transform(reg.center) } ?? reg.center
        default: return .zero
        }
    }

    func regionContains(_ x: Int, _ p: Vec3, _ obs: Observations) -> Bool {
        let reg = scenario.scene.regions[x]
        let frame = reg.body.map { bodyPose($0, obs) } ?? .identity
        let local = frame.inverseTransform(p) - reg.center
        switch reg.shape {
        case let .sphere(r): return local.lengthSquared <= r * r
        case let .box(e): return Swift.abs(local.x) <= e.x && Swift.abs(local.y) <= e.y && Swift.abs(local.z) <= e.z
        }
    }

    func contact(_ a: Int, _ b: Int, _ obs: Observations) -> Observations.Contact? {
        let (lo, hi) = (Swift.min(a, b), Swift.max(a, b))
        return obs.contacts.first { $0.bodyA == lo && $0.bodyB == hi }
    }

    func axis(_ i: Int, _ obs: Observations) -> Vec3 {
        guard i >= 0, i < scenario.scene.bodies.count else { return .unitY }
        return bodyPose(i, obs).transformDirection(scenario.scene.bodies[i].axis)
    }

    /// Angle between a body's axis and a tissue's surface plane: 0 parallel, π/2 perpendicular.
    func surfaceAngle(_ b: Int, _ t: Int, _ obs: Observations) -> Double {
        let a = axis(b, obs)
        let tis = scenario.scene.tissues[t]
        let n = bodyPose(tis.body, obs).transformDirection(tis.normal)
        return atan2(Swift.abs(a.dot(n)), a.cross(n).length)
    }

    func needleState(_ n: Int, _ obs: Observations) -> Observations.NeedleState? {
        obs.needles.first { $0.needle == n }
    }

    /// Records this tick's punctures (physics reports them for both needle models).
    mutating func trackNeedles(_ obs: Observations) {
        for p in obs.punctures { recordPuncture(p.needle, p.tissue, p.layer, p.angle) }
    }

    mutating func recordPuncture(_ n: Int, _ t: Int, _ l: Int, _ angle: Double) {
        if let i = state.punctures.firstIndex(where: { $0.needle == n && $0.tissue == t && $0.layer == l }) {
            state.punctures[i].count += 1; state.punctures[i].angle = angle
        } else {
            state.punctures.append(.init(needle: n, tissue: t, layer: l, count: 1, angle: angle))
        }
    }
}
