import PracticumCore

// Groups: `groups: {objects: [o1, o2, o3]}` names a set of ids that a yes/no query takes where it
// takes one id, meaning any of them: `inside(objects, field)` is true while any object is inside.
// The members may be written with a for_each (docs/scenario-format.md, "Groups").

extension ScenarioCompiler {
    /// Reads `groups:` into the symbol table; run after every id, layer included, is declared.
    mutating func declareGroups(_ node: YNode?) {
        guard let node else { return }
        guard case let .mapping(m) = node else {
            if case let .scalar(s) = node, s.isNull { return }
            r.error("expected a mapping of group names to lists of ids (e.g. 'objects: [o1, o2, o3]'), found \(node.kindName)", node.location, "groups")
            return
        }
        for e in m.entries {
            let path = "groups.\(e.key)"
            guard let name = declareName(e, path, as: "group") else { continue }
            let items = r.list(e.value, path)
            guard !items.isEmpty, items.count <= Limits.groupMembers else {
                // still a group, so that its uses are not reported again as unknown names
                r.error("a group has 1 to \(Limits.groupMembers) members", e.value.location, path)
                symbols.groups[name] = []
                continue
            }
            var members: [String] = []
            for (i, item) in items.enumerated() {
                guard let id = r.text(item, "\(path)[\(i)]") else { continue }
                if symbols.groups[id] != nil {
                    r.error("'\(id.quotedForMessage())' is a group; a group's members are ids, not other groups", item.location, "\(path)[\(i)]"); continue
                }
                guard symbols.entities[id] != nil else {
                    r.error("unknown id '\(id.quotedForMessage())'\(r.didYouMean(id, Array(symbols.entities.keys)))", item.location, "\(path)[\(i)]"); continue
                }
                if members.contains(id) { r.error("'\(id.quotedForMessage())' is listed twice", item.location, "\(path)[\(i)]"); continue }
                members.append(id)
            }
            symbols.groups[name] = members
        }
    }
}
