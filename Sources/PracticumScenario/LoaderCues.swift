import PracticumCore
import PracticumScoring

extension ScenarioCompiler {
    /// Reads `cues:`. Parts are declared first so `appearance` may name them; expressions compile
    /// after every other section, so a cue may refer to any step, event, error or variable.
    mutating func readCues(_ node: YNode?, bodyIds: [String]) -> Cues {
        var cues = Cues()
        guard let node, let m = r.mapping(node, "cues", ScenarioCatalog.cues) else {
            cues.buttons = buttonKeys(declared: [])
            return cues
        }
        if let en = m["errors"], let t = r.text(en, "cues.errors") {
            if let e = Cues.ErrorFeedback(rawValue: t) { cues.errors = e } else {
                r.error("expected 'live' (feedback as each error happens) or 'debrief' (only after the run), found '\(t.quotedForMessage())'", en.location, "cues.errors")
            }
        }
        if let vn = m["viewpoint"], let vm = r.mapping(vn, "cues.viewpoint", ScenarioCatalog.viewpoint),
           let eye = place(vm["eye"], "cues.viewpoint.eye"), let target = place(vm["look_at"], "cues.viewpoint.look_at") {
            if eye.distance(to: target) < 0.05 {
                r.error("the eye and the point it looks at must be at least 5 cm apart", vn.location, "cues.viewpoint")
            } else {
                cues.viewpoint = (eye, target)
            }
        }
        if let hn = m["hands"] { cues.hands = readHandLook(hn) }
        func add(_ e: CompiledExpr?) -> Int? {
            guard let e else { return nil }
            cues.expressions.append(e)
            return cues.expressions.count - 1
        }
        for (i, n) in r.list(m["gauges"], "cues.gauges").enumerated() {
            let p = "cues.gauges[\(i)]"
            guard let g = r.mapping(n, p, ScenarioCatalog.gauge) else { continue }
            let id = r.identifier(g["id"], "\(p).id") ?? ""
            guard let value = expression(g["value"], "\(p).value", expect: nil) else { continue }
            guard case let .number(dim) = value.type else {
                r.error("a gauge shows a number (e.g. displacement(chest)), but this is \(value.type)", g["value"]!.location, "\(p).value")
                continue
            }
            var unit = UnitDef(symbol: "", scale: 1, dimension: .none), unitText = ""
            if let un = g["unit"], let ut = r.text(un, "\(p).unit") {
                if let u = Units.unit(ut) {
                    if u.dimension == dim { unit = u; unitText = ut } else {
                        r.error("the value is \(dim.spoken); '\(ut.quotedForMessage())' is a unit of \(u.dimension)", un.location, "\(p).unit")
                    }
                } else {
                    r.error("unknown unit '\(ut.quotedForMessage())'\(r.didYouMean(ut, Units.all.filter { $0.dimension == dim }.map(\.symbol)))", un.location, "\(p).unit")
                }
            } else if dim != .none {
                r.error("a gauge of \(dim.spoken) needs a 'unit' to show it in (e.g. \(Units.all.first { $0.dimension == dim }?.symbol ?? "…"))", g.location, "\(p).unit")
            }
            var low = 0.0, high = 1.0
            if let rn = g["range"], let t = readTarget(rn, "\(p).range", dim) {
                if case let .range(l, h) = t, h > l { low = l; high = h } else {
                    r.error("a gauge's range is a span such as \"0cm...8cm\"", rn.location, "\(p).range")
                }
            }
            let target = g["target"].flatMap { readTarget($0, "\(p).target", dim) }
            let shown = add(g["when"].flatMap { expression($0, "\(p).when", expect: .bool) })
            cues.gauges.append(Cues.Gauge(id: id, title: g["title"].flatMap { r.text($0, "\(p).title") } ?? id, value: add(value)!,
                                          shownWhen: shown, unit: unitText, unitScale: unit.scale, low: low, high: high, target: target,
                                          assist: g["assist"].flatMap { r.bool($0, "\(p).assist") } ?? false,
                                          peak: g["peak"].flatMap { r.quantity($0, "\(p).peak", .time, min: 0.01, max: 10) }))
        }
        var partIds: [String: Int] = [:]
        for (i, n) in r.list(m["parts"], "cues.parts").enumerated() {
            let p = "cues.parts[\(i)]"
            guard let pm = r.mapping(n, p, ScenarioCatalog.cuePart) else { continue }
            guard let id = r.identifier(pm["id"], "\(p).id") else { continue }
            if let prev = ids[id] {
                r.error("duplicate id '\(id.quotedForMessage())' (already used for a \(prev.0) at line \(prev.1.line))", pm["id"]!.location, "\(p).id")
                continue
            }
            ids[id] = ("part", pm["id"]!.location)
            guard case let .body(b)? = reference(pm["body"], "\(p).body", [.body]) else { continue }
            guard let shape = readShape(pm["shape"], "\(p).shape") else { continue }
            if case .mesh = shape { r.error("a part is a sphere, capsule or box", pm["shape"]!.location, "\(p).shape"); continue }
            partIds[id] = cues.parts.count
            cues.parts.append(Cues.Part(id: id, body: b, shape: shape,
                                        pose: Pose(position: place(pm["position"], "\(p).position") ?? .zero,
                                                   orientation: readRotation(pm["rotation"], "\(p).rotation")),
                                        color: pm["color"].flatMap { r.color($0, "\(p).color") } ?? [0.9, 0.9, 0.9, 1]))
        }
        for (i, n) in r.list(m["appearance"], "cues.appearance").enumerated() {
            let p = "cues.appearance[\(i)]"
            guard let am = r.mapping(n, p, ScenarioCatalog.appearance) else { continue }
            guard let s = r.scalar(am["of"], "\(p).of", what: "the id of a body or part") else { continue }
            let target: Cues.Appearance.Target
            if let pi = partIds[s.text] { target = .part(pi) } else if case let .body(b)? = resolve(s.text, .body) { target = .body(b) } else {
                r.error("unknown body or part '\(s.text.quotedForMessage())'\(r.didYouMean(s.text, bodyIds + partIds.keys.sorted()))", s.location, "\(p).of")
                continue
            }
            let color = am["color"].flatMap { r.color($0, "\(p).color") }
            let visible = am["visible"].flatMap { r.bool($0, "\(p).visible") }
            if color == nil && visible == nil && am["color"] == nil && am["visible"] == nil {
                r.error("an appearance changes 'color', 'visible' or both", am.location, p)
            }
            cues.appearance.append(Cues.Appearance(target: target, when: add(am["when"].flatMap { expression($0, "\(p).when", expect: .bool) }),
                                                   color: color, visible: visible))
        }
        for (i, n) in r.list(m["sounds"], "cues.sounds").enumerated() {
            let p = "cues.sounds[\(i)]"
            guard let sm = r.mapping(n, p, ScenarioCatalog.sound) else { continue }
            let gain = sm["gain"].flatMap { r.number($0, "\(p).gain", min: 0, max: 1) } ?? 0.8
            if let mn = sm["metronome"] {
                if sm["tone"] != nil || sm["on"] != nil || sm["duration"] != nil {
                    r.error("a metronome plays 'while' a condition holds; 'tone', 'duration' and 'on' belong to a tone", sm.location, p)
                }
                guard let rate = r.quantity(mn, "\(p).metronome", .rate, min: 0.1, max: 10) else { continue }
                cues.sounds.append(Cues.Sound(kind: .metronome(rate: rate),
                                              condition: add(sm["while"].flatMap { expression($0, "\(p).while", expect: .bool) }), gain: gain))
            } else if let tn = sm["tone"] {
                if sm["while"] != nil { r.error("a tone sounds 'on' a condition becoming true; 'while' belongs to a metronome", sm["while"]!.location, "\(p).while") }
                guard let f = r.quantity(tn, "\(p).tone", .rate, min: 20, max: 20000),
                      let on = expression(sm["on"], "\(p).on", expect: .bool) else {
                    if sm["on"] == nil { r.error("a tone needs 'on': the condition whose start it marks", sm.location, p) }
                    continue
                }
                let d = sm["duration"].flatMap { r.quantity($0, "\(p).duration", .time, min: 0.01, max: 5) } ?? 0.15
                cues.sounds.append(Cues.Sound(kind: .tone(frequency: f, duration: d), condition: add(on), gain: gain))
            } else {
                r.error("a sound is a 'metronome' (a rate, e.g. 110/min) or a 'tone' (a pitch, e.g. 880Hz)", sm.location, p)
            }
        }
        var declared: [Cues.ButtonKey] = []
        for (i, n) in r.list(m["keys"], "cues.keys").enumerated() {
            let p = "cues.keys[\(i)]"
            guard let km = r.mapping(n, p, ScenarioCatalog.key) else { continue }
            guard let name = r.text(km["button"], "\(p).button"), let keyNode = km["key"], let key = r.text(keyNode, "\(p).key") else { continue }
            let k = key.uppercased()
            if Cues.reservedKeys.contains(k) || name != "hint" && k == "H" {
                r.error("the key '\(key.quotedForMessage())' is one the viewer uses; free keys are \(Cues.freeKeys.joined(separator: " "))", keyNode.location, "\(p).key")
            } else if !Cues.freeKeys.contains(k) {
                r.error("expected a letter or digit key, one of \(Cues.freeKeys.joined(separator: " ")), found '\(key.quotedForMessage())'", keyNode.location, "\(p).key")
            } else if let other = declared.first(where: { $0.key == k }) {
                r.error("the key '\(k)' is already bound to button '\(other.button.quotedForMessage())'", keyNode.location, "\(p).key")
            } else if name == "hint" {
                r.error("the 'hint' button is always the H key", km["button"]!.location, "\(p).button")
            } else {
                declared.append(Cues.ButtonKey(button: name, key: k, title: km["title"].flatMap { r.text($0, "\(p).title") } ?? name, declared: true))
            }
        }
        cues.buttons = buttonKeys(declared: declared)
        return cues
    }

    /// The declared keys, plus a free key for every other button an expression queries (in name
    /// order, so the assignment is stable), so that everything the scenario can ask of the trainee
    /// is playable. `hint` is the viewer's own H key.
    func buttonKeys(declared: [Cues.ButtonKey]) -> [Cues.ButtonKey] {
        var out = declared
        var free = Cues.freeKeys.filter { k in !declared.contains { $0.key == k } }
        for name in exprs.buttons.sorted() where name != "hint" && !out.contains(where: { $0.button == name }) {
            guard !free.isEmpty else { break }
            out.append(Cues.ButtonKey(button: name, key: free.removeFirst(), title: name.replacingOccurrences(of: "_", with: " "), declared: false))
        }
        return out.sorted { $0.button < $1.button }
    }

    /// `cues.hands: {open, closed, scale, position, rotation}`: the two poses of the mesh drawn as each
    /// tracked hand, which must share their vertices' order and triangles so the viewer can blend them.
    mutating func readHandLook(_ node: YNode) -> Cues.HandLook? {
        guard let hm = r.mapping(node, "cues.hands", ScenarioCatalog.handLook) else { return nil }
        let scale = hm["scale"].flatMap { r.number($0, "cues.hands.scale", min: 1e-6, max: 1e6) } ?? 1
        let offset = Pose(position: place(hm["position"], "cues.hands.position") ?? .zero, orientation: readRotation(hm["rotation"], "cues.hands.rotation"))
        let open = readMesh(hm["open"], "cues.hands.open", scale: scale), closed = readMesh(hm["closed"], "cues.hands.closed", scale: scale)
        guard let open, let closed else { return nil }
        if let a = meshes[open], let b = meshes[closed], a.positions.count != b.positions.count || a.triangles != b.triangles {
            r.error("the closed hand must be the open one with its vertices moved (same vertex count and triangles); the open mesh has \(a.positions.count) vertices and \(a.triangles.count / 3) triangles, this one \(b.positions.count) and \(b.triangles.count / 3)",
                    hm["closed"]!.location, "cues.hands.closed")
            return nil
        }
        return Cues.HandLook(open: MeshVisual(mesh: open, scale: scale, offset: offset), closed: MeshVisual(mesh: closed, scale: scale, offset: offset))
    }
}
