import Foundation
import PracticumCore
import PracticumScoring

/// The outcome of loading a scenario file: the compiled scenario when there were no errors, and
/// every diagnostic found (errors and warnings, sorted by position).
public struct LoadResult: Sendable {
    public var scenario: Scenario?
    public var diagnostics: [Diagnostic]
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
}

/// Loads, validates and compiles scenario files.
public enum ScenarioLoader {
    /// Loads the file at `path`. Never throws and never crashes on bad input: problems are diagnostics.
    public static func load(path: String, limits: DocumentLimits = DocumentLimits()) -> LoadResult {
        let display = path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
            return LoadResult(scenario: nil, diagnostics: [Diagnostic(.error, file: display, at: .unknown, path: "",
                isDir.boolValue ? "is a folder, not a scenario file" : "no such file")])
        }
        // a FIFO or device would block or never end: only regular files are read
        guard let size = regularFileSize(path), size >= 0 else {
            return LoadResult(scenario: nil, diagnostics: [Diagnostic(.error, file: display, at: .unknown, path: "",
                "is not a regular file (a device or pipe)")])
        }
        if size > limits.maxBytes {
            return LoadResult(scenario: nil, diagnostics: [Diagnostic(.error, file: display, at: .unknown, path: "",
                "file is \(size) bytes; scenario files are limited to \(limits.maxBytes) bytes")])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return LoadResult(scenario: nil, diagnostics: [Diagnostic(.error, file: display, at: .unknown, path: "", "cannot read file")])
        }
        return load(bytes: [UInt8](data), file: display, directory: (path as NSString).deletingLastPathComponent, limits: limits)
    }

    /// Loads scenario text already in memory; `directory` is where asset paths resolve.
    public static func load(bytes: [UInt8], file: String, directory: String, limits: DocumentLimits = DocumentLimits()) -> LoadResult {
        var bag = DiagnosticBag(file: file)
        let root: YNode?
        switch DocumentReader.read(bytes: bytes, limits: limits) {
        case let .success(n): root = n
        case let .failure(.failed(loc, msg)):
            bag.error(msg, at: loc, path: "")
            return LoadResult(scenario: nil, diagnostics: bag.sorted)
        }
        guard let root else {
            bag.error("file is empty; a scenario needs at least 'id', 'title', 'version', 'scene' and 'procedure'", at: .unknown, path: "")
            return LoadResult(scenario: nil, diagnostics: bag.sorted)
        }
        // repetition first: every later check sees the expanded items (docs/scenario-format.md, "Repetition")
        var templates = TemplateExpander(bag: bag, budget: limits.maxNodes)
        let expanded = templates.expand(root)
        var c = ScenarioCompiler(r: Reader(bag: templates.bag), directory: directory)
        let scenario = c.compile(expanded, contentHash: StateHash.of(bytes: bytes).hex, sourcePath: file)
        let diags = c.r.bag.sorted
        return LoadResult(scenario: c.r.bag.hasErrors ? nil : scenario, diagnostics: diags)
    }
}

/// Turns the authored YAML tree into a `Scenario`: first every id is collected (so references may
/// point forward), then every field is read, converted to SI and checked, expressions are
/// type-checked, and the step graph is checked for cycles and unreachable steps.
struct ScenarioCompiler {
    var r: Reader
    let directory: String
    var symbols = SymbolTable()
    var exprs = ExprCompiler(symbols: SymbolTable(), slotCount: 0)
    var ids: [String: (String, SourceLocation)] = [:]
    /// SI scale of each variable's declared unit, for bare numbers in effects.
    var variableScales: [Double] = []
    /// Mesh assets read so far, by resolved path (they go into `Scene.meshes`).
    var meshes: [String: OBJModel] = [:]
    /// How glTF files say their meshes look, by the same keys (they go into `Scene.meshLooks`).
    var meshLooks: [String: MeshLook] = [:]
    /// Words the expression language reserves; not usable as ids.
    static let reservedWords = ["time", "and", "or", "not", "in", "true", "false"]

    mutating func compile(_ root: YNode, contentHash: String, sourcePath: String) -> Scenario? {
        guard let top = r.mapping(root, "", ScenarioCatalog.top) else { return nil }
        if let f = top["format"], let t = r.text(f, "format"), t != "practicum/1" {
            r.error("unsupported format '\(t.quotedForMessage())'; this version reads 'practicum/1'", f.location, "format")
        }
        let id = r.identifier(top["id"], "id") ?? "?"
        let title = r.text(top["title"], "title") ?? ""
        let version = r.text(top["version"], "version") ?? ""
        let description = r.text(top["description"], "description") ?? ""
        let objectives = r.texts(top["objectives"], "objectives")
        let timeLimit = top["time_limit"].flatMap { r.quantity($0, "time_limit", .time, min: 0.001) }
        var tickRate = Scenario.defaultTickRate, handRadius = Scenario.defaultHandRadius
        if let pm = r.mapping(top["physics"], "physics", ScenarioCatalog.physics) {
            if let rate = pm["rate"].flatMap({ r.quantity($0, "physics.rate", .rate, min: Limits.minimumTickRate, max: Limits.maximumTickRate) }) {
                tickRate = rate
            }
            if let radius = pm["hand_radius"].flatMap({ r.quantity($0, "physics.hand_radius", .length, min: 0, max: 0.2) }) {
                handRadius = radius
            }
        }

        // pass 1: ids
        let sceneMap = r.mapping(top["scene"], "scene", ScenarioCatalog.scene)
        let bodyNodes = r.list(sceneMap?["bodies"], "scene.bodies")
        let tissueNodes = r.list(sceneMap?["tissues"], "scene.tissues")
        let regionNodes = r.list(sceneMap?["regions"], "scene.regions")
        let variableNodes = r.list(top["variables"], "variables")
        let procMap = r.mapping(top["procedure"], "procedure", ScenarioCatalog.procedure)
        let stepNodes = r.list(procMap?["steps"], "procedure.steps")
        let eventNodes = r.list(top["events"], "events")
        let rubricMap = r.mapping(top["rubric"], "rubric", ScenarioCatalog.rubric)
        let metricNodes = r.list(rubricMap?["metrics"], "rubric.metrics")
        let errorNodes = r.list(rubricMap?["errors"], "rubric.errors")

        symbols.entities["left_hand"] = (.hand, .hand(0))
        symbols.entities["right_hand"] = (.hand, .hand(1))
        ids["left_hand"] = ("hand", .unknown); ids["right_hand"] = ("hand", .unknown)
        let bodyIds = declare(bodyNodes, "scene.bodies", kind: "body") { .body($0) }
        let tissueIds = declare(tissueNodes, "scene.tissues", kind: "tissue") { .tissue($0) }
        let regionIds = declare(regionNodes, "scene.regions", kind: "region") { .region($0) }
        let stepIds = declare(stepNodes, "procedure.steps", kind: "step") { .step($0) }
        let eventIds = declare(eventNodes, "events", kind: "event") { .event($0) }
        let errorIds = declare(errorNodes, "rubric.errors", kind: "error") { .error($0) }
        _ = (bodyIds, regionIds, eventIds, errorIds)
        var variables: [Variable] = []
        for (i, n) in variableNodes.enumerated() {
            if let v = readVariable(n, "variables[\(i)]") {
                if Self.reservedWords.contains(v.id) {
                    r.error("'\(v.id.quotedForMessage())' is a reserved word of the expression language; choose another id", n.location, "variables[\(i)].id")
                } else if let prev = ids[v.id] {
                    r.error("duplicate id '\(v.id.quotedForMessage())' (already used for a \(prev.0) at line \(prev.1.line))", n.location, "variables[\(i)].id")
                } else {
                    ids[v.id] = ("variable", n.location)
                    symbols.variables[v.id] = (variables.count, v.dimension)
                }
                variables.append(v)
                variableScales.append(v.unitScale)
            }
        }

        let conditionEntries = declareConditions(top["conditions"])

        // pass 2: scene
        var gravity = r.vector(sceneMap?["gravity"], "scene.gravity", .acceleration) ?? Vec3(0, -9.81, 0)
        if gravity.length > Limits.maximumGravity, let gn = sceneMap?["gravity"] {
            r.error("gravity above \(Limits.maximumGravity) m/s² cannot be simulated", gn.location, "scene.gravity")
            gravity = Vec3(0, -9.81, 0)
        }
        let bodies = bodyNodes.enumerated().compactMap { readBody($0.element, "scene.bodies[\($0.offset)]") }
        let joints = readJoints(sceneMap?["joints"], bodies: bodies, declared: bodyIds)
        for (k, j) in joints.enumerated() where symbols.entities[j.id] == nil && ids[j.id]?.0 == "joint" { symbols.entities[j.id] = (.joint, .joint(k)) }
        symbols.jointKinds = joints.map(\.kind)
        warnIfNothingBelow(bodies, bodyNodes, gravity: gravity, joints: joints)
        // tissues declare layers as `tissue.layer` names
        var tissues: [Tissue] = []
        for (i, n) in tissueNodes.enumerated() {
            if let t = readTissue(n, "scene.tissues[\(i)]") {
                for (li, l) in t.layers.enumerated() {
                    symbols.entities["\(t.id).\(l.id)"] = (.layer, .layer(tissue: tissueIds.firstIndex(of: t.id) ?? i, layer: li))
                }
                tissues.append(t)
            }
        }
        let regions = regionNodes.enumerated().compactMap { readRegion($0.element, "scene.regions[\($0.offset)]") }
        declareGroups(top["groups"])
        exprs = ExprCompiler(symbols: symbols, slotCount: 0)
        compileConditions(conditionEntries)

        // procedure
        var steps: [Step] = []
        for (i, n) in stepNodes.enumerated() {
            if let s = readStep(n, "procedure.steps[\(i)]", index: i, stepIds: stepIds, regionIds: regionIds) { steps.append(s) }
        }
        if stepNodes.isEmpty, procMap != nil { r.error("a procedure needs at least one step", procMap!.location, "procedure.steps") }
        if steps.count == stepNodes.count { checkGraph(steps, stepNodes) }

        let events = eventNodes.enumerated().compactMap { readEvent($0.element, "events[\($0.offset)]", stepIds: stepIds, errorIds: errorIds) }
        if events.count == eventNodes.count {
            for (i, e) in events.enumerated() {
                warnIfSelfReferring(e.when, .event(i), "event", e.id, eventNodes[i], "when", "events[\(i)]")
            }
            var enabledByEvents = Set<Int>()
            for e in events { for case let .enableSteps(s) in e.effects { enabledByEvents.formUnion(s) } }
            for (i, st) in steps.enumerated() where !st.enabled {
                if !enabledByEvents.contains(i), i < stepNodes.count {
                    r.warning("step '\(st.id.quotedForMessage())' starts disabled and no event enables it, so it never runs", stepNodes[i].location, "procedure.steps[\(i)].enabled")
                }
            }
        }

        // rubric
        var rubric = Rubric()
        var errorConditions: [CompiledExpr?] = []
        var errorEndConditions: [CompiledExpr?] = []
        var samples: [Scenario.Sample?] = []
        var errorDebounce: [Double] = []
        if let rm = rubricMap {
            rubric.stepPoints = rm["step_points"].flatMap { r.number($0, "rubric.step_points", min: 0, max: 100) } ?? 0
            rubric.outOfOrderPenalty = rm["out_of_order_penalty"].flatMap { r.number($0, "rubric.out_of_order_penalty", min: 0, max: 100) } ?? 0
            for (i, n) in errorNodes.enumerated() {
                if let (e, cond, endCond, debounce) = readError(n, "rubric.errors[\(i)]") {
                    rubric.errors.append(e); errorConditions.append(cond); errorEndConditions.append(endCond); errorDebounce.append(debounce)
                }
            }
            if errorConditions.count == errorNodes.count {
                for (i, cond) in errorConditions.enumerated() {
                    if let cond { warnIfSelfReferring(cond, .error(i), "error", rubric.errors[i].id, errorNodes[i], "when", "rubric.errors[\(i)]") }
                }
            }
            for (i, n) in metricNodes.enumerated() {
                if let (m, s) = readMetric(n, "rubric.metrics[\(i)]") { rubric.metrics.append(m); samples.append(s) }
            }
            var seenMetric: [String: Int] = [:]
            for (i, m) in rubric.metrics.enumerated() {
                if seenMetric[m.id] != nil { r.error("duplicate metric id '\(m.id.quotedForMessage())'", metricNodes[i].location, "rubric.metrics[\(i)].id") }
                seenMetric[m.id] = i
            }
            if let p = rm["pass"] { rubric.pass = readPass(p, "rubric.pass", metricIds: rubric.metrics.map(\.id)) }
        }

        warnIfOutOfReach(bodies: bodies, bodyNodes: bodyNodes, tissues: tissues, tissueNodes: tissueNodes,
                         regions: regions, regionNodes: regionNodes, handQueried: exprs.regionsQueriedByHand)

        // cues last: they may refer to anything above, and every button an expression queries gets a key
        let cues = readCues(top["cues"], bodyIds: bodyIds)

        var scenario = Scenario(id: id, title: title, version: version, description: description, objectives: objectives,
                        timeLimit: timeLimit, contentHash: contentHash, sourcePath: sourcePath,
                        scene: Scene(gravity: gravity, bodies: bodies, tissues: tissues, regions: regions, meshes: meshes, meshLooks: meshLooks, joints: joints),
                        variables: variables, steps: steps, events: events, rubric: rubric,
                        errorConditions: errorConditions, errorEndConditions: errorEndConditions, samples: samples, slotCount: exprs.slotCount,
                        tickRate: tickRate, cues: cues, history: exprs.history, errorDebounce: errorDebounce)
        scenario.peakWindows = exprs.peakWindows
        scenario.handRadius = handRadius
        return scenario
    }

    /// An event or error whose trigger reads its own state (`count(strike) < 3` in strike's own
    /// `when`) changes its trigger by firing: it fires again at once or never. Usually `max_count`,
    /// `once` or `debounce` says what was meant.
    mutating func warnIfSelfReferring(_ cond: CompiledExpr, _ ref: EntityRef, _ kind: String, _ id: String, _ node: YNode, _ key: String, _ path: String) {
        guard let q = cond.code.firstQuery(of: ref), case let .mapping(m) = node, case let .scalar(at)? = m[key] else { return }
        let limit = kind == "event" ? "'once' or 'debounce'" : "'max_count' or 'debounce'"
        r.warning("the \(key) condition of \(kind) '\(id.quotedForMessage())' reads its own state (\(q.rawValue)(\(id.quotedForMessage()))), which changes when it fires; "
                  + "to limit how often it fires, use \(limit) instead", location(at, 0), "\(path).\(key)")
    }

    /// A dynamic body falls under gravity; it needs a static or kinematic body (a floor, table or
    /// patient) below it to land on. Each shape is taken as its bounding sphere about the body's
    /// origin, which is larger than the shape, so the check errs towards silence: a body is warned
    /// about only when no such sphere lies under it (within the two radii across gravity, and not
    /// wholly above it). A spring holds a body; instruments are not warned about (they are there to
    /// be held, and minimal practice scenes float them); nor are parts joined to something held
    /// (`heldByJoints`).
    mutating func warnIfNothingBelow(_ bodies: [Body], _ nodes: [YNode], gravity: Vec3, joints: [Joint] = []) {
        guard gravity != .zero, bodies.count == nodes.count else { return }
        let down = gravity.normalized
        let supports = bodies.filter { $0.kind == .static || $0.kind == .kinematic }
        let joined = heldByJoints(bodies, joints)
        for (i, b) in bodies.enumerated() where b.kind == .dynamic && b.spring == nil && !joined[i] {
            let p = b.pose.position, rb = boundingRadius(b)
            let held = supports.contains { s in
                let d = s.pose.position - p, reach = boundingRadius(s) + rb
                let along = d.dot(down)
                return along >= -reach && (d - down * along).length <= reach
            }
            guard !held else { continue }
            r.warning("dynamic body '\(b.id.quotedForMessage())' falls under gravity, and no static body (a floor, table or patient) "
                      + "lies below it to land on; add one, or make the body static", nodes[i].location, "scene.bodies[\(i)]")
        }
    }

    /// Radius about the body's origin of a sphere that holds its shape (m).
    func boundingRadius(_ b: Body) -> Double {
        switch b.shape {
        case let .sphere(radius): radius
        case let .capsule(radius, halfLength): radius + halfLength
        case let .box(e): e.length
        case let .mesh(path, scale): (meshes[path]?.positions.map(\.length).max() ?? 0) * scale
        }
    }

    /// Records each item's `id` in the shared namespace; returns ids in order ("" where missing).
    mutating func declare(_ nodes: [YNode], _ path: String, kind: String, ref: (Int) -> EntityRef) -> [String] {
        var out: [String] = []
        for (i, n) in nodes.enumerated() {
            guard case let .mapping(m) = n else {
                r.error("expected a mapping with an 'id', found \(n.kindName)", n.location, "\(path)[\(i)]")
                out.append(""); continue
            }
            guard let idNode = m["id"] else {
                r.error("missing required key 'id'", m.location, "\(path)[\(i)]")
                out.append(""); continue
            }
            guard let id = r.identifier(idNode, "\(path)[\(i)].id") else { out.append(""); continue }
            if let prev = ids[id] {
                let whereText = prev.1 == .unknown ? "it is built in" : "already used for a \(prev.0) at line \(prev.1.line)"
                r.error("duplicate id '\(id.quotedForMessage())' (\(whereText)); ids must be unique in a scenario", idNode.location, "\(path)[\(i)].id")
                out.append(""); continue
            }
            if Self.reservedWords.contains(id) {
                r.error("'\(id.quotedForMessage())' is a reserved word of the expression language; choose another id", idNode.location, "\(path)[\(i)].id")
                out.append(""); continue
            }
            ids[id] = (kind, idNode.location)
            let k: EntityKind = switch kind {
            case "body": .body; case "tissue": .tissue; case "region": .region; case "step": .step; case "event": .event
            default: .error
            }
            symbols.entities[id] = (k, ref(i))
            out.append(id)
        }
        return out
    }

    // MARK: expressions

    /// Parses and type-checks the expression at `node`, reporting errors at the exact character.
    mutating func expression(_ node: YNode?, _ path: String, expect: ValueType?) -> CompiledExpr? {
        guard let node else { return nil }
        guard case let .scalar(s) = node, !s.isNull else {
            r.error("expected an expression (a condition such as \"contact(needle, skin)\"), found \(node.kindName)", node.location, path)
            return nil
        }
        // YAML reads `true`/numbers as plain scalars too; the text is all we need.
        func loc(_ offset: Int) -> SourceLocation { location(s, offset) }
        let parsed: Expr
        exprs.suggest = !r.bag.isFull
        do { parsed = try ExprParser.parse(s.text) } catch {
            r.error(error.message, loc(error.offset), path); return nil
        }
        guard checkExpansion(parsed, s, path) else { return nil }
        do {
            let (code, type) = try exprs.compile(parsed)
            if let expect, type != expect {
                let hint: String
                if expect == .bool, case .number = type { hint = "; compare it, e.g. \"… > 2mm\"" } else { hint = "" }
                r.error("expected \(expect), but this is \(type)\(hint)", loc(0), path)
                return nil
            }
            return CompiledExpr(code: code, type: type, source: s.text)
        } catch {
            if !error.message.isEmpty { r.error(error.message, loc(error.offset), path) }
            return nil
        }
    }

    func resolve(_ id: String, _ kind: EntityKind) -> EntityRef? {
        guard let (k, ref) = symbols.entities[id], k == kind else { return nil }
        return ref
    }

    /// Reads an id reference to an entity of `kind`, reporting unknown or wrong-kind names.
    mutating func reference(_ node: YNode?, _ path: String, _ kinds: [EntityKind]) -> EntityRef? {
        guard let node else { return nil }
        guard let s = r.scalar(node, path, what: "the id of \(withArticle(kinds.map(\.rawValue).joined(separator: " or ")))") else { return nil }
        if let (k, ref) = symbols.entities[s.text] {
            if kinds.contains(k) { return ref }
            r.error("'\(s.text.quotedForMessage())' is \(withArticle(k.rawValue)); expected \(withArticle(kinds.map(\.rawValue).joined(separator: " or ")))", s.location, path)
            return nil
        }
        let entities = symbols.entities
        r.error("unknown \(kinds.map(\.rawValue).joined(separator: " or ")) '\(s.text.quotedForMessage())'\(r.didYouMean(s.text, entities.compactMap { kinds.contains($0.value.0) ? $0.key : nil }))", s.location, path)
        return nil
    }
}
