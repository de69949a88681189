import PracticumCore

// Repetition in scenario files: an item `- for_each: {VAR: LIST}` with `do: [ITEMS]` in any list
// stands for ITEMS repeated once per value, with `$(VAR)` (or `$(VAR.FIELD)` for a list of
// mappings) replaced in every value and key. It is expanded on the YAML tree before anything else
// reads the file, so every later check (ids, references, units, expressions) sees the expanded
// items, and their positions are those of the template, where the instructor would fix them.
// `$(…)` rather than `${…}`: braces end a plain value inside a `{…}` flow mapping or `[…]` list,
// parentheses do not, so `{id: peg_$(n), …}` and `[o$(n)_place]` need no quotes.

/// Expands `for_each` templates in a scenario's YAML tree.
struct TemplateExpander {
    /// One value a template variable takes: text, or a mapping of named texts.
    enum Value: Sendable {
        case text(String)
        case fields([(String, String)])
    }

    var bag: DiagnosticBag
    /// Nodes the expansion may still make (the document's node limit, shared by all templates).
    var budget: Int
    private var exhausted = false

    init(bag: DiagnosticBag, budget: Int) { self.bag = bag; self.budget = budget }

    static let keys = ["for_each", "do"]

    /// `root` with every template expanded; templates with errors expand to nothing.
    mutating func expand(_ root: YNode) -> YNode {
        guard Self.mentionsTemplates(root) else { return root }
        return node(root, [:], path: "")
    }

    /// Whether the tree holds a `for_each` key or a `$(` (most files do not: they are returned untouched).
    static func mentionsTemplates(_ n: YNode) -> Bool {
        switch n {
        case let .scalar(s): s.text.contains("$(")
        case let .mapping(m): m.entries.contains { $0.key == "for_each" || $0.key.contains("$(") || mentionsTemplates($0.value) }
        case let .sequence(items, _): items.contains(where: mentionsTemplates)
        }
    }

    private mutating func spend(_ at: SourceLocation) -> Bool {
        if exhausted { return false }
        budget -= 1
        if budget < 0 {
            exhausted = true
            bag.error("the for_each templates expand to more than \(Limits.scenarioNodes) nodes; repeat less", at: at, path: "")
            return false
        }
        return true
    }

    private mutating func node(_ n: YNode, _ env: [String: Value], path: String) -> YNode {
        _ = spend(n.location)
        switch n {
        case let .scalar(s):
            var out = s
            out.text = substitute(s.text, env, at: s.location, path: path)
            return .scalar(out)
        case let .mapping(m):
            if let e = m.entries.first(where: { $0.key == "for_each" }) {
                bag.error("for_each repeats items of a list; write it as a list item (`- for_each: …` with `do:`)", at: e.keyLocation, path: path)
                return .mapping(YMapping(entries: [], location: m.location))
            }
            var out = YMapping(entries: [], location: m.location)
            for e in m.entries {
                let key = substitute(e.key, env, at: e.keyLocation, path: path)
                let sub = path.isEmpty ? key : "\(path).\(key)"
                out.entries.append(.init(key: key, keyLocation: e.keyLocation, value: node(e.value, env, path: sub)))
            }
            return .mapping(out)
        case let .sequence(items, loc):
            return .sequence(list(items, env, path: path), loc)
        }
    }

    /// The items of a list, each template replaced by its repetitions.
    private mutating func list(_ items: [YNode], _ env: [String: Value], path: String) -> [YNode] {
        var out: [YNode] = []
        for (i, item) in items.enumerated() {
            let at = "\(path)[\(i)]"
            guard case let .mapping(m) = item, let spec = m["for_each"] else {
                out.append(node(item, env, path: at))
                continue
            }
            for e in m.entries where !Self.keys.contains(e.key) {
                bag.error("unknown key '\(e.key)' in a for_each item; expected for_each, do", at: e.keyLocation, path: at)
            }
            guard let body = m["do"] else {
                bag.error("a for_each item needs 'do': the list of items to repeat", at: m.location, path: at)
                continue
            }
            guard case let .sequence(template, _) = body else {
                bag.error("expected a list of items to repeat, found \(body.kindName)", at: body.location, path: "\(at).do")
                continue
            }
            guard let rows = bindings(spec, env, path: "\(at).for_each") else { continue }
            for row in rows {
                if exhausted { return out }
                out += list(template, env.merging(row) { $1 }, path: "\(at).do")
            }
        }
        return out
    }

    /// Every combination of the variables' values, the first variable outermost.
    private mutating func bindings(_ spec: YNode, _ env: [String: Value], path: String) -> [[String: Value]]? {
        guard case let .mapping(m) = spec, !m.entries.isEmpty else {
            bag.error("expected one or more variables, each with its values: {n: [1, 2, 3]} or {n: {from: 1, to: 6}}", at: spec.location, path: path)
            return nil
        }
        var rows: [[String: Value]] = [[:]]
        var ok = true
        for e in m.entries {
            let name = e.key
            guard Self.isName(name) else {
                bag.error("'\(name)' is not a template variable name; use letters, digits and _, starting with a letter", at: e.keyLocation, path: path)
                ok = false; continue
            }
            if env[name] != nil {
                bag.error("template variable '\(name)' is already set by an enclosing for_each; choose another name", at: e.keyLocation, path: path)
                ok = false; continue
            }
            guard let values = values(e.value, env, path: "\(path).\(name)") else { ok = false; continue }
            if values.isEmpty { bag.warning("for_each over no values repeats nothing", at: e.value.location, path: "\(path).\(name)") }
            guard rows.count * max(values.count, 1) <= Limits.templateRepetitions else {
                bag.error("for_each repeats its items more than \(Limits.templateRepetitions) times; repeat less", at: e.value.location, path: path)
                return nil
            }
            rows = rows.flatMap { r in values.map { v in r.merging([name: v]) { $1 } } }
        }
        return ok ? rows : nil
    }

    /// The values of one variable: a list of texts or of mappings of texts, or `{from: A, to: B}` (whole numbers).
    private mutating func values(_ n: YNode, _ env: [String: Value], path: String) -> [Value]? {
        switch n {
        case let .sequence(items, _):
            var out: [Value] = []
            for (i, item) in items.enumerated() {
                switch item {
                case let .scalar(s): out.append(.text(substitute(s.text, env, at: s.location, path: "\(path)[\(i)]")))
                case let .mapping(m):
                    var fields: [(String, String)] = []
                    for e in m.entries {
                        guard case let .scalar(s) = e.value else {
                            bag.error("expected a single value for field '\(e.key)', found \(e.value.kindName)", at: e.value.location, path: "\(path)[\(i)].\(e.key)")
                            return nil
                        }
                        fields.append((e.key, substitute(s.text, env, at: s.location, path: "\(path)[\(i)].\(e.key)")))
                    }
                    out.append(.fields(fields))
                case .sequence:
                    bag.error("expected a value or a mapping of values, found a list", at: item.location, path: "\(path)[\(i)]")
                    return nil
                }
            }
            return out
        case let .mapping(m) where m["from"] != nil || m["to"] != nil:
            for e in m.entries where !["from", "to"].contains(e.key) {
                bag.error("unknown key '\(e.key)' in a range; expected from, to", at: e.keyLocation, path: path)
                return nil
            }
            guard case let .scalar(a)? = m["from"], let from = Int(a.text), case let .scalar(b)? = m["to"], let to = Int(b.text) else {
                bag.error("expected a range of whole numbers {from: 1, to: 6}", at: m.location, path: path)
                return nil
            }
            guard to >= from, to - from < Limits.templateRepetitions else {
                bag.error("expected 'to' at least 'from' and at most \(Limits.templateRepetitions) values, found \(from) to \(to)", at: m.location, path: path)
                return nil
            }
            return (from...to).map { .text(String($0)) }
        default:
            bag.error("expected the variable's values: a list [a, b, c] or a range {from: 1, to: 6}, found \(n.kindName)", at: n.location, path: path)
            return nil
        }
    }

    /// `text` with each `$(VAR)` / `$(VAR.FIELD)` replaced; `$$(` is a literal `$(`.
    private mutating func substitute(_ text: String, _ env: [String: Value], at loc: SourceLocation, path: String) -> String {
        guard text.contains("$(") else { return text }
        var out = ""
        var rest = Substring(text)
        while let r = rest.range(of: "$(") {
            if r.lowerBound > rest.startIndex, rest[rest.index(before: r.lowerBound)] == "$" {
                out += rest[..<rest.index(before: r.lowerBound)] + "$("
                rest = rest[r.upperBound...]
                continue
            }
            out += rest[..<r.lowerBound]
            guard let close = rest[r.upperBound...].firstIndex(of: ")") else {
                bag.error("'$(' opens a template variable that is not closed with ')'", at: loc, path: path)
                return out + rest[r.lowerBound...]
            }
            let ref = String(rest[r.upperBound..<close])
            out += resolve(ref, env, at: loc, path: path) ?? ""
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    private mutating func resolve(_ ref: String, _ env: [String: Value], at loc: SourceLocation, path: String) -> String? {
        let parts = ref.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let known = env.keys.sorted()
        guard let value = env[parts[0]] else {
            bag.error(known.isEmpty ? "'$(\(ref))' is outside any for_each; write $$( for a literal '$('"
                      : "unknown template variable '\(parts[0])' in '$(\(ref))'; set here: \(known.joined(separator: ", "))", at: loc, path: path)
            return nil
        }
        switch (value, parts.count) {
        case let (.text(t), 1): return t
        case (.text, _):
            bag.error("'\(parts[0])' is a single value; write $(\(parts[0])) without a field", at: loc, path: path)
        case let (.fields(f), 2):
            if let v = f.first(where: { $0.0 == parts[1] }) { return v.1 }
            bag.error("'\(parts[0])' has no field '\(parts[1])'; its fields: \(f.map(\.0).joined(separator: ", "))", at: loc, path: path)
        case let (.fields(f), _):
            bag.error("'\(parts[0])' has fields (\(f.map(\.0).joined(separator: ", "))); name one: $(\(parts[0]).\(f.first?.0 ?? "field"))", at: loc, path: path)
        }
        return nil
    }

    static func isName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }
}
