import PracticumCore

/// Named conditions and values: `conditions: {name: expression}` at the top level.
///
/// A name stands for its expression wherever it is used, as if written there. Definitions may use
/// one another in any order; they are compiled in dependency order (Kahn's algorithm, no recursion
/// over the definitions), and a cycle is an error. Written out, an expression must still fit the
/// expression limits (`Limits.expressionLength`, `Limits.expressionDepth`), so no chain of names
/// can make compiling or evaluating grow without bound.
extension ScenarioCompiler {
    struct ConditionEntry {
        var name: String
        var node: YScalar
        var path: String
        var parsed: Expr?
    }

    /// Reads the `conditions:` mapping, declares each name and parses each definition.
    /// Claims a mapping key as a name in the scenario's one namespace (an id, not a reserved word,
    /// not taken); the name, or nil when it was refused (reported at the key).
    mutating func declareName(_ e: YMapping.Entry, _ path: String, as kind: String) -> String? {
        let key = YNode.scalar(YScalar(text: e.key, location: e.keyLocation, quoted: false))
        guard let name = r.identifier(key, path) else { return nil }
        if Self.reservedWords.contains(name) {
            r.error("'\(name.quotedForMessage())' is a reserved word of the expression language; choose another name", e.keyLocation, path); return nil
        }
        if let prev = ids[name] {
            let whereText = prev.1 == .unknown ? "it is built in" : "already used for a \(prev.0) at line \(prev.1.line)"
            r.error("duplicate name '\(name.quotedForMessage())' (\(whereText)); names must be unique in a scenario", e.keyLocation, path); return nil
        }
        ids[name] = (kind, e.keyLocation)
        return name
    }

    mutating func declareConditions(_ node: YNode?) -> [ConditionEntry] {
        guard let node else { return [] }
        guard case let .mapping(m) = node else {
            if case let .scalar(s) = node, s.isNull { return [] }
            r.error("expected a mapping of names to expressions (e.g. 'in_vein: in_layer(cannula, arm.vein)'), found \(node.kindName)", node.location, "conditions")
            return []
        }
        r.checkFlowValues(m, "conditions")
        var out: [ConditionEntry] = []
        for e in m.entries {
            let path = "conditions.\(e.key)"
            guard let name = declareName(e, path, as: "named condition") else { continue }
            guard case let .scalar(s) = e.value, !s.isNull else {
                r.error("expected an expression (a condition such as \"contact(needle, skin)\" or a value), found \(e.value.kindName)", e.value.location, path)
                exprs.namedFailed.insert(name); out.append(ConditionEntry(name: name, node: YScalar(text: "", location: e.value.location, quoted: false), path: path)); continue
            }
            var parsed: Expr?
            do { parsed = try ExprParser.parse(s.text) } catch { r.error(error.message, location(s, error.offset), path) }
            out.append(ConditionEntry(name: name, node: s, path: path, parsed: parsed))
        }
        return out
    }

    func location(_ s: YScalar, _ offset: Int) -> SourceLocation {
        if s.block || s.text.contains("\n") { return s.location }
        return s.location.advanced(by: offset + (s.quoted ? 1 : 0))
    }

    /// Compiles the definitions in dependency order; reports cycles at the reference that closes them.
    mutating func compileConditions(_ entries: [ConditionEntry]) {
        guard !entries.isEmpty else { return }
        var index: [String: Int] = [:]
        for (i, e) in entries.enumerated() { index[e.name] = i }
        // each definition's references to other definitions: (target, offset), in source order
        var deps: [[(Int, Int)]] = entries.map { e in
            var out: [(Int, Int)] = []
            if let p = e.parsed { Self.names(in: p) { n, o in if let j = index[n] { out.append((j, o)) } } }
            return out
        }
        var pending = deps.map { Set($0.map(\.0)).count }
        var users = Array(repeating: [Int](), count: entries.count)
        for (i, d) in deps.enumerated() { for j in Set(d.map(\.0)).sorted() { users[j].append(i) } }
        var queue = entries.indices.filter { pending[$0] == 0 }
        var done = Array(repeating: false, count: entries.count)
        var head = 0
        let savedSlots = exprs.slotCount, savedHistory = exprs.history.count
        while head < queue.count {
            let i = queue[head]; head += 1
            done[i] = true
            compileCondition(entries[i])
            for u in users[i] { pending[u] -= 1; if pending[u] == 0 { queue.append(u) } }
        }
        // definitions only checked here: their uses compile them again with their own state slots
        exprs.slotCount = savedSlots
        exprs.history.removeSubrange(savedHistory...)
        exprs.peakWindows = exprs.peakWindows.filter { $0.key < savedHistory }
        // what is left depends on a cycle: walk each to its cycle and report every cycle once
        var walked = Array(repeating: -1, count: entries.count)
        for start in entries.indices where !done[start] {
            exprs.namedFailed.insert(entries[start].name)
            guard walked[start] < 0 else { continue }
            var path: [Int] = []
            var x = start
            while walked[x] < 0 {
                walked[x] = start; path.append(x)
                guard let next = deps[x].first(where: { !done[$0.0] }) else { break }
                x = next.0
            }
            guard walked[x] == start, let at = path.firstIndex(of: x) else { continue }
            let cycle = Array(path[at...])
            let first = entries[cycle[0]]
            let offset = deps[cycle[0]].first { $0.0 == (cycle.count > 1 ? cycle[1] : cycle[0]) }?.1 ?? 0
            let chain = (cycle + [cycle[0]]).map { entries[$0].name.quotedForMessage() }.joined(separator: " → ")
            r.error(cycle.count == 1 ? "named condition '\(first.name.quotedForMessage())' refers to itself"
                                     : "named conditions refer to each other in a cycle (\(chain))",
                    location(first.node, offset), first.path)
        }
        deps.removeAll()
    }

    private mutating func compileCondition(_ e: ConditionEntry) {
        guard let parsed = e.parsed, checkExpansion(parsed, e.node, e.path) else { exprs.namedFailed.insert(e.name); return }
        exprs.suggest = !r.bag.isFull
        do {
            _ = try exprs.compile(parsed)
            let size = exprs.expandedSize(parsed)
            exprs.named[e.name] = parsed
            exprs.namedSize[e.name] = (e.node.text.unicodeScalars.count + size.extra, size.height)
        } catch {
            if !error.message.isEmpty { r.error(error.message, location(e.node, error.offset), e.path) }
            exprs.namedFailed.insert(e.name)
        }
    }

    /// The expression with its named conditions written out must fit the expression limits.
    mutating func checkExpansion(_ parsed: Expr, _ s: YScalar, _ path: String) -> Bool {
        let size = exprs.expandedSize(parsed)
        guard size.extra > 0 || size.height > 1 else { return true }
        let length = s.text.unicodeScalars.count + size.extra
        if length > Limits.expressionLength {
            r.error("expression is \(length) characters long with its named conditions written out; expressions have at most \(Limits.expressionLength)", location(s, 0), path)
            return false
        }
        if size.height > Limits.expressionDepth {
            r.error("expression nested too deeply with its named conditions written out (more than \(Limits.expressionDepth) levels); use fewer levels of named conditions", location(s, 0), path)
            return false
        }
        return true
    }

    /// Calls `visit` for every plain name in `e`, with its offset, in source order.
    static func names(in e: Expr, _ visit: (String, Int) -> Void) {
        switch e {
        case let .name(n, o): visit(n, o)
        case .number, .bool, .string: break
        case let .unary(_, x, _): names(in: x, visit)
        case let .binary(_, x, y, _): names(in: x, visit); names(in: y, visit)
        case let .inRange(x, y, z, _): names(in: x, visit); names(in: y, visit); names(in: z, visit)
        case let .call(_, args, _): for a in args { names(in: a, visit) }
        }
    }
}
