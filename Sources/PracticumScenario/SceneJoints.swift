import PracticumCore

// Joints: the parts of a compound instrument (a stylet in its spinal needle, a syringe's plunger in
// its barrel, grasper jaws on the shaft) held together as physics joints. They are a scene-level
// list rather than a key of each body because a joint is a relation between two bodies with a
// name and a geometry of its own, and one list lets the loader see every pair at once (duplicates,
// two bodies that cannot move). A joint's `anchor` and `axis` are written in the frame of its
// `body`, like the body's `tip` and `axis`, so that a part's joint reads the same however the
// instrument is placed; the compiled joint holds them in world coordinates at the initial poses.

/// A joint between a body and another body (or the world), compiled to SI and world coordinates.
public struct Joint: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Welds the body to the other (a stylet locked in its needle).
        case fixed
        /// The body turns about `axis` through `anchor` and nothing else (grasper jaws).
        case hinge
        /// The body moves along `axis` and nothing else, sprung by `stiffness` and damped by
        /// `damping` (a plunger in its barrel): the physics' prismatic joint.
        case slide
    }
    public var id: String
    public var kind: Kind
    /// The part that moves (the physics joint's body A) and what holds it (B; nil for the world).
    public var body: Int
    public var to: Int?
    /// World point the two keep together (m), at the initial poses.
    public var anchor: Vec3
    /// Unit world direction of a hinge's or slide's axis at the initial poses (unused by `fixed`).
    public var axis: Vec3
    /// Along a slide: spring (N/m; 0 for a free slide) and damper (N·s/m).
    public var stiffness: Double = 0
    public var damping: Double = 0
    /// Travel from the initial pose, nil for none: a slide's extension (m) or a hinge's angle (rad).
    public var limits: ClosedRange<Double>?
}

extension ScenarioCompiler {
    /// Reads `scene.joints`. `bodies` are the scene's bodies in file order (`declared` their ids):
    /// the checks that need another body's kind run only when every body read.
    mutating func readJoints(_ node: YNode?, bodies: [Body], declared: [String]) -> [Joint] {
        var joints: [Joint] = []
        var pairs: [(pair: [Int], id: String, line: Int)] = []
        for (i, n) in r.list(node, "scene.joints").enumerated() {
            let path = "scene.joints[\(i)]"
            guard let m = r.mapping(n, path, ScenarioCatalog.joint) else { continue }
            guard let id = r.identifier(m["id"], "\(path).id") else { continue }
            if let prev = ids[id] {
                let whereText = prev.1 == .unknown ? "it is built in" : "already used for a \(prev.0) at line \(prev.1.line)"
                r.error("duplicate id '\(id.quotedForMessage())' (\(whereText)); ids must be unique in a scenario", m["id"]!.location, "\(path).id")
            } else if Self.reservedWords.contains(id) {
                r.error("'\(id.quotedForMessage())' is a reserved word of the expression language; choose another id", m["id"]!.location, "\(path).id")
            } else {
                ids[id] = ("joint", m["id"]!.location)
            }
            var kind: Joint.Kind?
            if let kn = m["kind"], let k = r.text(kn, "\(path).kind") {
                kind = Joint.Kind(rawValue: k)
                if kind == nil {
                    let names = Joint.Kind.allCases.map(\.rawValue)
                    r.error("unknown joint kind '\(k.quotedForMessage())'\(r.didYouMean(k, names)); expected one of \(names.joined(separator: ", "))", kn.location, "\(path).kind")
                }
            }
            guard case let .body(a)? = reference(m["body"], "\(path).body", [.body]) else { continue }
            var b: Int?
            if case let .scalar(s)? = m["to"], s.text == "world" { b = nil } else {
                guard case let .body(to)? = reference(m["to"], "\(path).to", [.body]) else { continue }
                b = to
            }
            let name = { (k: Int?) in k.map { "'\(declared[$0].quotedForMessage())'" } ?? "the world" }
            if b == a {
                r.error("a joint joins two different bodies; \(name(a)) cannot be joined to itself", m["to"]!.location, "\(path).to"); continue
            }
            if let dup = pairs.first(where: { $0.pair == [a, b ?? -1].sorted() }) {
                r.error("\(name(a)) and \(name(b)) are already joined by joint '\(dup.id.quotedForMessage())' at line \(dup.line); two bodies take one joint",
                        m.location, path)
            }
            pairs.append(([a, b ?? -1].sorted(), id, m.location.line))
            // a joint between two bodies that no force moves holds nothing
            if bodies.count == declared.count {
                func fixedInPlace(_ k: Int?) -> String? {
                    guard let k else { return "fixed" }
                    return bodies[k].kind == .static || bodies[k].kind == .kinematic ? bodies[k].kind.rawValue : nil
                }
                if let ka = fixedInPlace(a), let kb = fixedInPlace(b) {
                    let what = b == nil ? "\(name(a)) is \(ka) and the world does not move" : "\(name(a)) is \(ka) and \(name(b)) is \(kb)"
                    r.error("\(what), so the joint holds nothing; make one of them 'dynamic' or 'instrument'", m.location, path)
                }
            }
            guard let kind, bodies.count == declared.count else { continue }
            joints.append(readJointGeometry(m, path, id: id, kind: kind, body: bodies[a], a: a, b: b))
        }
        return joints
    }

    /// A joint's anchor, axis, spring and limits, from the frame of its body to the world's.
    mutating func readJointGeometry(_ m: YMapping, _ path: String, id: String, kind: Joint.Kind, body: Body, a: Int, b: Int?) -> Joint {
        let pose = body.pose
        let anchor = pose.transform(place(m["anchor"], "\(path).anchor") ?? .zero)
        var axis = body.axis
        if let an = m["axis"] {
            if kind == .fixed { r.error("a fixed joint turns and slides on no axis; remove 'axis'", an.location, "\(path).axis") }
            else if let v = r.vector(an, "\(path).axis", .none) {
                if v.length < 1e-9 { r.error("axis must not be zero", an.location, "\(path).axis") } else { axis = v.normalized }
            }
        }
        var joint = Joint(id: id, kind: kind, body: a, to: b, anchor: anchor, axis: pose.orientation.rotate(axis).normalized)
        for key in ["stiffness", "damping"] where kind != .slide && m[key] != nil {
            r.error("only a 'slide' joint has '\(key)' (along its axis); remove it", m[key]!.location, "\(path).\(key)")
        }
        if kind == .slide {
            joint.stiffness = m["stiffness"].flatMap { r.quantity($0, "\(path).stiffness", .stiffness, min: 0, max: 1e9) } ?? 0
            joint.damping = m["damping"].flatMap { r.quantity($0, "\(path).damping", .damping, min: 0, max: 1e9) } ?? 0
        }
        if let ln = m["limits"] {
            if kind == .fixed {
                r.error("a fixed joint does not move, so it has no limits; remove 'limits'", ln.location, "\(path).limits")
            } else {
                joint.limits = readJointLimits(ln, "\(path).limits", hinge: kind == .hinge)
            }
        }
        return joint
    }

    /// `[lowest, highest]`: lengths within ±`Limits.maximumSize` for a slide, angles within ±180°
    /// (bare numbers degrees) for a hinge; they must hold 0, the joint's initial position.
    mutating func readJointLimits(_ node: YNode, _ path: String, hinge: Bool) -> ClosedRange<Double>? {
        let items = r.list(node, path)
        guard items.count == 2 else {
            if case .sequence = node { r.error("limits are two values [lowest, highest], found \(items.count)", node.location, path) }
            return nil
        }
        let values = items.enumerated().compactMap { i, n -> Double? in
            guard hinge else { return r.quantity(n, "\(path)[\(i)]", .length, min: -Limits.maximumSize, max: Limits.maximumSize) }
            guard let v = r.quantity(n, "\(path)[\(i)]", .angle, defaultUnit: Units.unit("deg")) else { return nil }
            guard abs(v) <= .pi * (1 + 1e-12) else { r.error("a hinge's limits lie within -180deg … 180deg", n.location, "\(path)[\(i)]"); return nil }
            return min(max(v, -.pi), .pi)
        }
        guard values.count == 2 else { return nil }
        guard values[0] <= values[1] else { r.error("the lowest limit is above the highest", items[0].location, "\(path)[0]"); return nil }
        guard values[0] <= 0, values[1] >= 0 else {
            r.error("limits must include 0, where the joint starts (the bodies as placed)", node.location, path); return nil
        }
        return values[0]...values[1]
    }
}

extension ScenarioCompiler {
    /// For each body, whether joints tie it (directly or through other parts) to something that
    /// holds it up without a floor: the world, a static or kinematic body, an instrument (there to
    /// be held) or a body on a spring. Found by relaxing over the joints in file order until nothing
    /// changes (at most one pass per joint).
    func heldByJoints(_ bodies: [Body], _ joints: [Joint]) -> [Bool] {
        var held = bodies.map { $0.kind != .dynamic || $0.spring != nil }
        var changed = !joints.isEmpty
        while changed {
            changed = false
            for j in joints {
                let other = j.to.map { held[$0] } ?? true
                if held[j.body] != other { held[j.body] = true; if let t = j.to { held[t] = true }; changed = true }
            }
        }
        return held
    }
}
