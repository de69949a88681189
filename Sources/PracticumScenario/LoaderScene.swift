import Foundation
import PracticumCore
import PracticumScoring

extension ScenarioCompiler {
    mutating func readBody(_ node: YNode, _ path: String) -> Body? {
        guard let m = r.mapping(node, path, ScenarioCatalog.body) else { return nil }
        let id = r.identifier(m["id"], "\(path).id") ?? ""
        var kind = BodyKind.static, kindKnown = true
        if let k = m["kind"], let s = r.text(k, "\(path).kind") {
            if let bk = BodyKind(rawValue: s) { kind = bk } else {
                kindKnown = false
                r.error("unknown body kind '\(s.quotedForMessage())'\(r.didYouMean(s, BodyKind.allCases.map(\.rawValue))); expected one of \(BodyKind.allCases.map(\.rawValue).joined(separator: ", "))", k.location, "\(path).kind")
            }
        }
        let shape = readShape(m["shape"], "\(path).shape") ?? .sphere(radius: 0.01)
        if kind != .static, case let .mesh(asset, scale) = shape, let mesh = meshes[asset],
           !spansVolume(mesh.scaled(scale).hullPoints()), let sn = m["shape"] {
            r.error("this mesh is flat (its points lie on one plane), so a moving body cannot be made of it; give it thickness or make the body 'static'", sn.location, "\(path).shape.mesh.asset")
        }
        var mass = 1.0
        // a static or kinematic body is never pushed, so physics has no use for its mass
        if kindKnown, kind == .static || kind == .kinematic, let key = ["mass", "density"].first(where: { m[$0] != nil }) {
            r.error("'\(key)' has no effect on \(withArticle(kind.rawValue)) body (it \(kind == .static ? "never moves" : "moves only when an event moves it")); remove it or make the body 'dynamic'",
                    m[key]!.location, "\(path).\(key)")
        }
        if let mn = m["mass"] {
            mass = r.quantity(mn, "\(path).mass", .mass, min: 1e-6, max: 1e4) ?? 1
            if m["density"] != nil { r.error("give either 'mass' or 'density', not both", m["density"]!.location, "\(path).density") }
        } else if let dn = m["density"], let rho = r.quantity(dn, "\(path).density", .density, min: 1, max: 1e5) {
            mass = rho * volume(of: shape)
            if !(mass > 0) { r.error("this mesh encloses no volume, so 'density' cannot give a mass; give 'mass'", dn.location, "\(path).density"); mass = 1 }
        }
        let friction = m["friction"].flatMap { r.number($0, "\(path).friction", min: 0, max: 5) } ?? 0.5
        let staticFriction = m["static_friction"].flatMap { r.number($0, "\(path).static_friction", min: 0, max: 5) } ?? friction
        let restitution = m["restitution"].flatMap { r.number($0, "\(path).restitution", min: 0, max: 1) } ?? 0
        let position = place(m["position"], "\(path).position") ?? .zero
        let rotation = readRotation(m["rotation"], "\(path).rotation")
        let tip = place(m["tip"], "\(path).tip") ?? .zero
        var axis = Vec3.unitY
        if let an = m["axis"], let a = r.vector(an, "\(path).axis", .none) {
            if a.length < 1e-9 { r.error("axis must not be zero", an.location, "\(path).axis") } else { axis = a.normalized }
        }
        let visual = m["visual"].flatMap { readVisual($0, "\(path).visual", tinted: m["color"] != nil) }
        // a glTF visual brings its own colour unless the body gives one
        let color = m["color"].flatMap { r.color($0, "\(path).color") } ?? visual.flatMap { meshLooks[$0.mesh]?.baseColor } ?? defaultColor(kind)
        var spring: Body.Spring?
        if let sn = m["spring"], let sm = r.mapping(sn, "\(path).spring", ScenarioCatalog.spring) {
            let k = r.quantity(sm["stiffness"], "\(path).spring.stiffness", .stiffness, min: 0, max: 1e9) ?? 0
            let c = sm["damping"].flatMap { r.quantity($0, "\(path).spring.damping", .damping, min: 0, max: 1e9) } ?? 0
            // in the body's frame, like every axis; the body keeps its initial rotation, so it is fixed in the world
            var ax = Vec3.unitY
            if let an = sm["axis"], let a = r.vector(an, "\(path).spring.axis", .none) {
                if a.length < 1e-9 { r.error("axis must not be zero", an.location, "\(path).spring.axis") } else { ax = a.normalized }
            }
            spring = Body.Spring(stiffness: k, damping: c, axis: rotation.rotate(ax).normalized)
            if kind == .static { r.error("a static body cannot have a spring; make it 'dynamic'", sn.location, "\(path).spring") }
            if kind == .kinematic, kindKnown { r.error("a kinematic body cannot have a spring (only events move it); make it 'dynamic'", sn.location, "\(path).spring") }
        }
        let needle = m["needle"].flatMap { r.bool($0, "\(path).needle") } ?? false
        let twoHanded = m["two_handed"].flatMap { r.bool($0, "\(path).two_handed") } ?? false
        if twoHanded, kindKnown, kind != .instrument, let tn = m["two_handed"] {
            r.error("only an instrument is held by hands, so only an instrument can be two-handed; make the body 'instrument'", tn.location, "\(path).two_handed")
        }
        var body = Body(id: id, title: r.text(m["title"], "\(path).title") ?? id, kind: kind, shape: shape, mass: mass,
                    material: Material(staticFriction: staticFriction, dynamicFriction: friction, restitution: restitution),
                    pose: Pose(position: position, orientation: rotation), tip: tip, axis: axis, color: color,
                    spring: spring, isNeedle: needle, visual: visual)
        body.twoHanded = twoHanded
        return body
    }

    /// `[x, y, z]` sizes, each from `Limits.minimumSize` to `Limits.maximumSize`.
    /// A tissue patch (`surface: true`) may give 0 along its normal.
    mutating func size(_ node: YNode?, _ path: String, surface: Bool = false) -> Vec3? {
        guard let node, let v = r.vector(node, path, .length) else { return nil }
        let all = [v.x, v.y, v.z]
        let checked = surface ? all.filter { $0 != 0 } : all
        guard all.allSatisfy({ $0 >= 0 }), checked.count >= (surface ? 2 : 3) else {
            r.error(surface ? "sizes must be positive (one may be 0: the patch's thickness)" : "sizes must be positive", node.location, path); return nil
        }
        guard checked.min()! >= Limits.minimumSize, max(v.x, v.y, v.z) <= Limits.maximumSize else {
            r.error("sizes must be from \(Limits.minimumSize * 1000) mm to \(Limits.maximumSize) m", node.location, path); return nil
        }
        return v
    }

    /// A position `[x, y, z]` within `Limits.maximumPosition` of the origin on each axis.
    mutating func place(_ node: YNode?, _ path: String) -> Vec3? {
        guard let node, let v = r.vector(node, path, .length) else { return nil }
        guard max(abs(v.x), abs(v.y), abs(v.z)) <= Limits.maximumPosition else {
            r.error("positions must lie within \(Limits.maximumPosition) m of the origin", node.location, path); return nil
        }
        return v
    }

    func defaultColor(_ k: BodyKind) -> [Double] {
        switch k {
        case .static: [0.85, 0.72, 0.62, 1]
        case .dynamic: [0.6, 0.65, 0.75, 1]
        case .instrument: [0.75, 0.78, 0.82, 1]
        case .kinematic: [0.5, 0.7, 0.5, 1]
        }
    }

    func volume(of s: Shape) -> Double {
        switch s {
        case let .sphere(r): 4.0 / 3.0 * .pi * r * r * r
        case let .capsule(r, h): .pi * r * r * (2 * h) + 4.0 / 3.0 * .pi * r * r * r
        case let .box(e): 8 * e.x * e.y * e.z
        case let .mesh(path, scale): (meshes[path]?.enclosedVolume ?? 0) * scale * scale * scale
        }
    }

    /// Rotation as `[rx, ry, rz]` (degrees unless a unit is given), applied x, then y, then z.
    mutating func readRotation(_ node: YNode?, _ path: String) -> Quat {
        guard let node else { return .identity }
        guard let v = r.vector(node, path, .angle, defaultUnit: Units.unit("deg")) else { return .identity }
        return Quat.euler(x: v.x, y: v.y, z: v.z)
    }

    mutating func readShape(_ node: YNode?, _ path: String) -> Shape? {
        guard let m = r.mapping(node, path, ScenarioCatalog.shape) else { return nil }
        guard m.entries.count == 1, let e = m.entries.first else {
            r.error("a shape has exactly one of 'sphere', 'capsule', 'box' or 'mesh'", m.location, path)
            return nil
        }
        let p = "\(path).\(e.key)"
        switch e.key {
        case "sphere":
            guard let sm = r.mapping(e.value, p, ScenarioCatalog.sphere) else { return nil }
            return r.quantity(sm["radius"], "\(p).radius", .length, min: 1e-5, max: 10).map { .sphere(radius: $0) }
        case "capsule":
            guard let sm = r.mapping(e.value, p, ScenarioCatalog.capsule) else { return nil }
            guard let rad = r.quantity(sm["radius"], "\(p).radius", .length, min: 1e-5, max: 10),
                  let len = r.quantity(sm["length"], "\(p).length", .length, min: 0, max: 10) else { return nil }
            return .capsule(radius: rad, halfLength: len / 2)
        case "box":
            guard let sm = r.mapping(e.value, p, ScenarioCatalog.box) else { return nil }
            guard let s = size(sm["size"], "\(p).size") else { return nil }
            return .box(halfExtents: s * 0.5)
        case "mesh":
            guard let sm = r.mapping(e.value, p, ScenarioCatalog.mesh) else { return nil }
            let scale = sm["scale"].flatMap { r.number($0, "\(p).scale", min: 1e-6, max: 1e6) } ?? 1
            guard let asset = readMesh(sm["asset"], "\(p).asset", scale: scale) else { return nil }
            return .mesh(path: asset, scale: scale)
        default: return nil
        }
    }

    /// Loads the mesh an `asset` names into `meshes` (once per file), checked at `scale`; the
    /// resolved path that keys it, or nil after an error at the `asset` line.
    mutating func readMesh(_ node: YNode?, _ p: String, scale: Double) -> String? {
        guard let asset = assetPath(node, p) else { return nil }
        // read it now: a broken mesh is an error of this file, at this line, not a surprise at run time
        var name = asset
        if case let .scalar(written)? = node { name = written.text }
        do {
            let (mesh, look) = try loadMeshFile(path: asset, name: name)
            if mesh.corners.isEmpty {
                r.error("mesh file '\(name.quotedForMessage())' has no faces", node!.location, p)
                return nil
            }
            let extent = mesh.positions.reduce((Vec3(.infinity, .infinity, .infinity), -Vec3(.infinity, .infinity, .infinity))) {
                (Vec3.min($0.0, $1), Vec3.max($0.1, $1))
            }
            let size = (extent.1 - extent.0) * scale
            guard size.isFinite, max(size.x, size.y, size.z) <= Limits.maximumSize,
                  mesh.positions.allSatisfy({ ($0 * scale).isFinite && max(abs($0.x), abs($0.y), abs($0.z)) * scale <= Limits.maximumPosition }) else {
                r.error("mesh '\(name.quotedForMessage())' at scale \(Format.number(scale)) is larger than \(Format.number(Limits.maximumSize)) m or lies farther than \(Format.number(Limits.maximumPosition)) m out", node!.location, p)
                return nil
            }
            guard max(size.x, size.y, size.z) >= Limits.minimumSize else {
                r.error("mesh '\(name.quotedForMessage())' at scale \(Format.number(scale)) is smaller than \(Format.number(Limits.minimumSize * 1000)) mm", node!.location, p)
                return nil
            }
            meshes[asset] = mesh
            if look != MeshLook() { meshLooks[asset] = look }
        } catch {
            r.error("\(error)", node!.location, p)
            return nil
        }
        return asset
    }

    /// `visual: {mesh, scale, position, rotation}`: a mesh drawn for the body in place of its shape.
    mutating func readVisual(_ node: YNode?, _ path: String, tinted: Bool) -> MeshVisual? {
        guard let vm = r.mapping(node, path, ScenarioCatalog.visual) else { return nil }
        let scale = vm["scale"].flatMap { r.number($0, "\(path).scale", min: 1e-6, max: 1e6) } ?? 1
        guard let mesh = readMesh(vm["mesh"], "\(path).mesh", scale: scale) else { return nil }
        let offset = Pose(position: place(vm["position"], "\(path).position") ?? .zero, orientation: readRotation(vm["rotation"], "\(path).rotation"))
        return MeshVisual(mesh: mesh, scale: scale, offset: offset, tinted: tinted)
    }

    /// Resolves an asset path relative to the scenario's folder and confines it: after resolving
    /// every symlink, the file must lie inside that folder or inside the project's shared `assets/`
    /// folder (`<root>/assets`, beside `<root>/scenarios`), and must be a regular file. Returns the
    /// canonical path, or nil with an error that names the path as written (never the content).
    mutating func assetPath(_ node: YNode?, _ path: String) -> String? {
        guard let s = r.scalar(node, path, what: "a file path relative to the scenario") else { return nil }
        let shown = s.text.quotedForMessage()
        if s.text.hasPrefix("/") {
            r.error("asset paths must be relative to the scenario's folder, not absolute", s.location, path); return nil
        }
        guard !s.text.isEmpty, s.text.utf8.count <= 1024, !s.text.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            r.error("'\(shown)' is not a usable file path", s.location, path); return nil
        }
        // lexical paths: "." and ".." folded by hand, never through the file system (Foundation's
        // standardizing resolves symlinks, and a linked checkout or assets folder would then fail)
        let lexicalBase = lexicallyNormalized(directory.isEmpty ? "." : directory)
        let lexicalShared = lexicallyNormalized(lexicalBase + "/../../assets")
        let sharedRoot = lexicallyNormalized(lexicalBase + "/..").hasSuffix("/scenarios") ? canonicalPath(lexicalShared) : nil
        func leaves(_ how: String) -> String {
            "asset path '\(shown)' leads outside the scenario's folder\(how); keep assets beside the scenario or in the project's shared assets/ folder"
        }
        // a path that names a place outside lexically is refused before anything is looked at
        let lexical = lexicallyNormalized(lexicalBase + "/" + s.text)
        guard lexical.hasPrefix(lexicalBase + "/") || (sharedRoot != nil && lexical.hasPrefix(lexicalShared + "/")) else {
            r.error(leaves(""), s.location, path); return nil
        }
        guard let base = canonicalPath(lexicalBase), let full = canonicalPath(lexical) else {
            r.error("asset '\(shown)' does not exist (looked for \(lexical.quotedForMessage(limit: 1024)))", s.location, path); return nil
        }
        // and so is one that gets there through a symlink
        guard full.hasPrefix(base + "/") || (sharedRoot.map { full.hasPrefix($0 + "/") } ?? false) else {
            r.error(leaves(" through a symbolic link"), s.location, path); return nil
        }
        guard let size = regularFileSize(full), size >= 0 else {
            r.error("asset '\(shown)' is not a regular file (a folder, device or pipe)", s.location, path); return nil
        }
        return full
    }

    /// True if the points span a volume (not all on one plane, line or point), as a convex hull needs.
    func spansVolume(_ points: [Vec3]) -> Bool {
        guard var a = points.first else { return false }
        var lo = a, hi = a
        for p in points { lo = Vec3.min(lo, p); hi = Vec3.max(hi, p) }
        let scale = (hi - lo).length
        guard scale > 0, scale.isFinite else { return false }
        // the farthest point from the first, then the farthest from that line, then from that plane
        a = points.max { $0.distance(to: points[0]) < $1.distance(to: points[0]) }!
        guard let b = points.max(by: { $0.distance(to: a) < $1.distance(to: a) }) else { return false }
        let ab = (b - a).normalized
        func offLine(_ p: Vec3) -> Double { let d = p - a; return (d - ab * d.dot(ab)).length }
        guard let c = points.max(by: { offLine($0) < offLine($1) }), offLine(c) > 1e-6 * scale else { return false }
        let n = (b - a).cross(c - a).normalized
        let height = points.map { abs(($0 - a).dot(n)) }.max() ?? 0
        return height > 1e-6 * scale
    }

    mutating func readTissue(_ node: YNode, _ path: String) -> Tissue? {
        guard let m = r.mapping(node, path, ScenarioCatalog.tissue) else { return nil }
        let id = r.identifier(m["id"], "\(path).id") ?? ""
        var body = 0
        if case let .body(b)? = reference(m["body"], "\(path).body", [.body]) { body = b }
        let center = place(m["position"], "\(path).position") ?? .zero
        var normal = Vec3.unitY
        if let nn = m["normal"], let n = r.vector(nn, "\(path).normal", .none) {
            if n.length < 1e-9 { r.error("normal must not be zero", nn.location, "\(path).normal") } else { normal = n.normalized }
        }
        let size = m["size"].flatMap { self.size($0, "\(path).size", surface: true) } ?? Vec3(0.1, 0.05, 0.1)
        var layers: [Tissue.Layer] = []
        var seen: Set<String> = []
        for (i, ln) in r.list(m["layers"], "\(path).layers").enumerated() {
            let lp = "\(path).layers[\(i)]"
            guard let lm = r.mapping(ln, lp, ScenarioCatalog.layer) else { continue }
            guard let lid = r.identifier(lm["id"], "\(lp).id") else { continue }
            if seen.contains(lid) { r.error("duplicate layer id '\(lid.quotedForMessage())' in tissue '\(id.quotedForMessage())'", lm["id"]!.location, "\(lp).id") }
            seen.insert(lid)
            layers.append(readLayer(lm, lid, lp))
        }
        if layers.isEmpty, let ln = m["layers"] { r.error("a tissue needs at least one layer", ln.location, "\(path).layers") }
        var deformable: Tissue.Deformable?
        if let dn = m["deformable"], let dm = r.mapping(dn, "\(path).deformable", ScenarioCatalog.deformable) {
            let e = r.quantity(dm["youngs_modulus"], "\(path).deformable.youngs_modulus", .pressure, min: 1, max: 1e9) ?? 5e4
            let nu = dm["poisson_ratio"].flatMap { r.number($0, "\(path).deformable.poisson_ratio", min: 0, max: 0.49) } ?? 0.45
            let rho = dm["density"].flatMap { r.quantity($0, "\(path).deformable.density", .density, min: 1, max: 1e5) } ?? 1000
            var res = [9, 5, 9]
            if let rn = dm["resolution"] {
                let items = r.list(rn, "\(path).deformable.resolution")
                let vals = items.enumerated().compactMap { r.integer($0.element, "\(path).deformable.resolution[\($0.offset)]", min: 2, max: 64) }
                if vals.count == 3 { res = vals } else if items.count != 3 { r.error("resolution is three point counts [nx, ny, nz]", rn.location, "\(path).deformable.resolution") }
            }
            deformable = Tissue.Deformable(youngsModulus: e, poissonRatio: nu, density: rho, resolution: res)
        }
        var model = Tissue.NeedleModel.force
        if let mn = m["needle_model"], let t = r.text(mn, "\(path).needle_model") {
            if let nm = Tissue.NeedleModel(rawValue: t) { model = nm } else {
                r.error("needle_model is 'force' or 'geometric', found '\(t.quotedForMessage())'", mn.location, "\(path).needle_model")
            }
        }
        let visual = m["visual"].flatMap { readVisual($0, "\(path).visual", tinted: false) }
        if visual != nil, deformable != nil, let vn = m["visual"] {
            r.error("a deformable tissue is drawn as its own moving surface, so it cannot have a 'visual'; give the mesh to its body or a region", vn.location, "\(path).visual")
        }
        return Tissue(id: id, body: body, center: center, normal: normal, halfSize: size * 0.5, layers: layers, deformable: deformable,
                      needleModel: model, visual: deformable == nil ? visual : nil)
    }

    /// A layer: its preset's kind and numbers (`TissuePreset`), each overridden by the key that gives it.
    mutating func readLayer(_ lm: YMapping, _ lid: String, _ lp: String) -> Tissue.Layer {
        var preset: TissuePreset?
        if let pn = lm["preset"], let name = r.text(pn, "\(lp).preset") {
            preset = TissuePreset.named(name)
            if preset == nil {
                let names = TissuePreset.all.map(\.name)
                r.error("unknown layer preset '\(name.quotedForMessage())'\(r.didYouMean(name, names)); expected one of \(names.joined(separator: ", "))", pn.location, "\(lp).preset")
            }
        }
        var kind = preset?.kind ?? .tissue
        var kindGiven: TissueLayerKind?
        if let kn = lm["kind"], let k = r.text(kn, "\(lp).kind") {
            let names = TissueLayerKind.allCases.map(\.rawValue)
            if let lk = TissueLayerKind(rawValue: k) { kind = lk; kindGiven = lk } else {
                r.error("unknown layer kind '\(k.quotedForMessage())'\(r.didYouMean(k, names)); expected one of \(names.joined(separator: ", "))", kn.location, "\(lp).kind")
            }
        }
        // `lumen: true` is `kind: lumen`; `lumen: false` says the layer is not one
        if let ln = lm["lumen"], let isLumen = r.bool(ln, "\(lp).lumen") {
            if let k = kindGiven, (k == .lumen) != isLumen {
                r.error("'lumen: \(isLumen)' contradicts 'kind: \(k.rawValue)'; give only 'kind'", ln.location, "\(lp).lumen")
            } else if isLumen { kind = .lumen } else if kind == .lumen { kind = .tissue }
        }
        return Tissue.Layer(
            id: lid,
            thickness: r.quantity(lm["thickness"], "\(lp).thickness", .length, min: 1e-5, max: 1) ?? 0.001,
            stiffness: lm["stiffness"].flatMap { r.quantity($0, "\(lp).stiffness", .stiffness, min: 0, max: 1e9) } ?? preset?.stiffness ?? 500,
            punctureForce: lm["puncture_force"].flatMap { r.quantity($0, "\(lp).puncture_force", .force, min: 0, max: 1000) } ?? preset?.punctureForce ?? 0,
            friction: lm["friction"].flatMap { r.quantity($0, "\(lp).friction", .stiffness, min: 0, max: 1e9) } ?? preset?.friction ?? 20,
            cuttingForce: lm["cutting_force"].flatMap { r.quantity($0, "\(lp).cutting_force", .force, min: 0, max: 1000) } ?? preset?.cuttingForce ?? 0,
            kind: kind)
    }

    mutating func readRegion(_ node: YNode, _ path: String) -> Region? {
        guard let m = r.mapping(node, path, ScenarioCatalog.region) else { return nil }
        let id = r.identifier(m["id"], "\(path).id") ?? ""
        var body: Int?
        if let bn = m["body"], case let .body(b)? = reference(bn, "\(path).body", [.body]) { body = b }
        let center = place(m["position"], "\(path).position") ?? .zero
        var shape = Region.RegionShape.sphere(radius: 0.02)
        if let rn = m["radius"] {
            if let rad = r.quantity(rn, "\(path).radius", .length, min: 1e-4, max: 10) { shape = .sphere(radius: rad) }
            if m["size"] != nil { r.error("give either 'radius' (sphere) or 'size' (box), not both", m["size"]!.location, "\(path).size") }
        } else if let sn = m["size"], let s = size(sn, "\(path).size") {
            shape = .box(halfExtents: s * 0.5)
        } else if m["size"] == nil {
            r.error("a region needs 'radius' (a sphere) or 'size' (a box)", m.location, path)
        }
        let color = m["color"].flatMap { r.color($0, "\(path).color") } ?? [0.2, 0.8, 0.3, 0.35]
        // a region's colour is its marker's; its mesh keeps the glTF file's colours
        let visual = m["visual"].flatMap { readVisual($0, "\(path).visual", tinted: false) }
        return Region(id: id, title: r.text(m["title"], "\(path).title") ?? id, body: body, center: center, shape: shape, color: color, visual: visual)
    }

    mutating func readVariable(_ node: YNode, _ path: String) -> Variable? {
        guard let m = r.mapping(node, path, ScenarioCatalog.variable) else { return nil }
        guard let id = r.identifier(m["id"], "\(path).id") else { return nil }
        var unit = Units.unit("%")!
        var unitText = ""
        if let un = m["unit"], let ut = r.text(un, "\(path).unit") {
            if let u = Units.unit(ut) { unit = u; unitText = ut } else {
                r.error("unknown unit '\(ut.quotedForMessage())'\(r.didYouMean(ut, Units.all.map(\.symbol)))", un.location, "\(path).unit")
            }
        } else {
            unit = UnitDef(symbol: "", scale: 1, dimension: .none)
        }
        let dim = unit.dimension
        let lo = m["min"].flatMap { r.quantity($0, "\(path).min", dim, defaultUnit: unit) } ?? -Double.greatestFiniteMagnitude
        let hi = m["max"].flatMap { r.quantity($0, "\(path).max", dim, defaultUnit: unit) } ?? Double.greatestFiniteMagnitude
        // a mapping draws the starting value per run (seeded variation); `initial` is then its middle
        let (read, draw) = readInitial(m["initial"], "\(path).initial", dim, unit)
        let initial = read ?? 0
        if lo > hi, let mn = m["min"] { r.error("min is above max", mn.location, "\(path).min") }
        if read != nil, draw == nil, initial < lo || initial > hi, let iN = m["initial"] { r.error("initial value is outside min…max", iN.location, "\(path).initial") }
        let perSecond = UnitDef(symbol: unit.symbol + "/s", scale: unit.scale, dimension: dim / .time)
        let trend = m["trend"].flatMap { r.quantity($0, "\(path).trend", dim / .time, defaultUnit: perSecond) } ?? 0
        // a plain number without a unit (a counter, a phase) is bookkeeping unless said otherwise
        let hidden = m["hidden"].flatMap { r.bool($0, "\(path).hidden") } ?? (unitText.isEmpty && dim == .none)
        return Variable(id: id, title: r.text(m["title"], "\(path).title") ?? id, unit: unitText, unitScale: unit.scale,
                        dimension: dim, initial: Swift.min(hi, Swift.max(lo, initial)), min: lo, max: hi, trend: trend, hidden: hidden, draw: draw)
    }
}
