// The parts of the motion-script language that make a script readable without a generator: named
// poses (`poses:`, `move: {to: NAME}`), relative moves (`by`, `along` the hand's own axis, `offset`
// from a pose), reusable motion lists with parameters (`sequences:`, `play: {sequence, with}`), a
// pace that scales every duration (`pace:`), and sync points (`sync: NAME`) where the hands wait for
// each other, so that a mid-air hand-over needs no timing arithmetic. docs/trace-format.md.
import PracticumCore
import Yams

/// One element of a track's motion before the hands are synchronised.
enum Entry {
    case piece(Piece)
    /// A point where this track waits until every track that names `name` has reached it.
    case sync(String, state: TrackState, at: Double, node: Node?, path: String)
}

extension ScriptParser {
    static let motionKinds = ["move", "hold", "grasp", "release", "oscillate", "repeat", "sync", "play"]
    static let trackNames = ["the head", "the left hand", "the right hand"]

    static func ordinal(_ n: Int) -> String {
        let suffix = (11...13).contains(n % 100) ? "th" : [1: "st", 2: "nd", 3: "rd"][n % 10] ?? "th"
        return "\(n)\(suffix)"
    }

    static func isName(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= Limits.traceName && s.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }

    /// Reads `poses`, `sequences` and `pace`.
    mutating func definitions(_ top: [String: Node]) throws(Failure) {
        if let n = top["pace"] {
            pace = try quantity(n, "pace", .none)
            guard (0.1...10).contains(pace) else { throw fail(n, "pace", "expected a factor from 0.1 to 10 (2 makes every motion take twice as long)") }
        }
        if let n = top["poses"] {
            guard let m = n.mapping else { throw fail(n, "poses", "expected a mapping of names to poses {position, rotation, grip, trigger}") }
            for (k, v) in m {
                guard let name = k.string, Self.isName(name) else { throw fail(k, "poses", "pose names are letters, digits and _") }
                poses[name] = try fields(v, "poses.\(name)", allowed: ["position", "rotation", "grip", "trigger"])
                _ = try apply(poses[name]!, "poses.\(name)", to: TrackState())
            }
        }
        if let n = top["sequences"] {
            guard let m = n.mapping else { throw fail(n, "sequences", "expected a mapping of names to lists of motions") }
            for (k, v) in m {
                guard let name = k.string, Self.isName(name) else { throw fail(k, "sequences", "sequence names are letters, digits and _") }
                guard v.sequence != nil else { throw fail(v, "sequences.\(name)", "expected a list of motions (\(Self.motionKinds.joined(separator: ", ")))") }
                sequences[name] = v
            }
        }
    }

    /// The fields of the pose `node` names.
    func named(_ node: Node, _ path: String) throws(Failure) -> [String: Node] {
        let name = try scalar(node, path)
        guard let pose = poses[name] else {
            throw fail(node, path, poses.isEmpty ? "unknown pose '\(name)'; define it under poses:" : "unknown pose '\(name)'; poses: \(poses.keys.sorted().joined(separator: ", "))")
        }
        return pose
    }

    /// Where a `move` goes: a pose (`to`, shifted by `offset`), a step from here (`by`, or `along` the
    /// hand's own axis), or an absolute `position`; then any `rotation`, `grip`, `trigger` given.
    func moveTarget(_ m: [String: Node], _ body: Node, _ path: String, from state: TrackState) throws(Failure) -> TrackState {
        let places = ["position", "to", "by", "along"].filter { m[$0] != nil }
        guard places.count <= 1 else { throw fail(body, path, "give at most one of position, to, by, along (found \(places.joined(separator: " and ")))") }
        var target = state
        if let n = m["to"] { target = try apply(try named(n, path + ".to"), "poses.\(try scalar(n, path + ".to"))", to: target) }
        if let n = m["offset"] {
            guard m["to"] != nil else { throw fail(n, path + ".offset", "offset shifts a pose; use it with to") }
            target.position += try vector(n, path + ".offset", .length)
        }
        if let n = m["by"] { target.position += try vector(n, path + ".by", .length) }
        if let n = m["along"] {
            var axis = Vec3(0, 0, -1), distance: Double
            if n.mapping != nil {
                let f = try fields(n, path + ".along", allowed: ["axis", "distance"], required: ["distance"])
                if let a = f["axis"] {
                    axis = try vector(a, path + ".along.axis", .none)
                    guard axis.length > 0 else { throw fail(a, path + ".along.axis", "the axis must not be zero") }
                }
                distance = try quantity(f["distance"]!, path + ".along.distance", .length)
            } else {
                distance = try quantity(n, path + ".along", .length)
            }
            guard abs(distance) <= Limits.tracePosition else { throw fail(n, path + ".along", "must be within ±\(Self.shown(Limits.tracePosition, .length))") }
            target.position += state.orientation.rotate(axis.normalized) * distance
        }
        target = try apply(m, path, to: target) // position, rotation, grip, trigger as given
        for i in 0..<3 where !(abs(target.position[i]) <= Limits.tracePosition) {
            throw fail(body, path, "the move ends more than \(Self.shown(Limits.tracePosition, .length)) from the origin")
        }
        return target
    }

    /// `play: {sequence: NAME, with: {PARAM: VALUE}, pace: F}`: the named motions, `$(PARAM)` replaced.
    func play(_ body: Node, _ path: String, state: inout TrackState, time: inout Double, into out: inout [Entry], depth: Int, pace: Double) throws(Failure) {
        let f: [String: Node]
        if body.scalar != nil { f = ["sequence": body] } else { f = try fields(body, path, allowed: ["sequence", "with", "pace"], required: ["sequence"]) }
        let name = try scalar(f["sequence"]!, path + ".sequence")
        guard let motions = sequences[name] else {
            throw fail(f["sequence"], path + ".sequence", sequences.isEmpty ? "unknown sequence '\(name)'; define it under sequences:"
                       : "unknown sequence '\(name)'; sequences: \(sequences.keys.sorted().joined(separator: ", "))")
        }
        var params: [String: String] = [:]
        if let w = f["with"] {
            guard let m = w.mapping else { throw fail(w, path + ".with", "expected a mapping of parameter names to values") }
            for (k, v) in m {
                guard let key = k.string, Self.isName(key) else { throw fail(k, path + ".with", "parameter names are letters, digits and _") }
                params[key] = try scalar(v, "\(path).with.\(key)")
            }
        }
        let needed = Self.parameterNames(motions)
        if let extra = params.keys.sorted().first(where: { !needed.contains($0) }) {
            throw fail(f["with"], path + ".with", "sequence '\(name)' has no parameter '\(extra)'" + (needed.isEmpty ? "" : "; its parameters: \(needed.sorted().joined(separator: ", "))"))
        }
        if let missing = needed.sorted().first(where: { params[$0] == nil }) {
            throw fail(body, path, "sequence '\(name)' needs a value for '\(missing)' (give it under with:)")
        }
        var factor = pace
        if let n = f["pace"] {
            let v = try quantity(n, path + ".pace", .none)
            guard (0.1...10).contains(v) else { throw fail(n, path + ".pace", "expected a factor from 0.1 to 10") }
            factor *= v
        }
        // errors inside point at the sequence's definition, where they are fixed
        try pieces(motions, "sequences.\(name)", state: &state, time: &time, into: &out, depth: depth + 1, pace: factor, params: params)
    }

    /// Every `$(NAME)` a node mentions.
    static func parameterNames(_ node: Node) -> Set<String> {
        switch node {
        case let .scalar(s): return references(s.string)
        case let .mapping(m): return m.reduce(into: Set<String>()) { $0.formUnion(parameterNames($1.key)); $0.formUnion(parameterNames($1.value)) }
        case let .sequence(q): return q.reduce(into: Set<String>()) { $0.formUnion(parameterNames($1)) }
        case .alias: return []
        }
    }

    static func references(_ text: String) -> Set<String> {
        var out = Set<String>()
        var rest = Substring(text)
        while let r = rest.range(of: "$("), let close = rest[r.upperBound...].firstIndex(of: ")") {
            out.insert(String(rest[r.upperBound..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return out
    }

    /// `node` with each `$(NAME)` replaced by its value.
    func substitute(_ node: Node, _ params: [String: String], _ path: String) throws(Failure) -> Node {
        switch node {
        case var .scalar(s):
            guard s.string.contains("$(") else { return node }
            var text = s.string
            for (k, v) in params { text = text.replacingOccurrences(of: "$(\(k))", with: v) }
            if text.contains("$(") { throw fail(node, path, "'\(s.string)' names a parameter the sequence was not given") }
            s.string = text
            return .scalar(s)
        case let .mapping(m):
            var pairs: [(Node, Node)] = []
            for (k, v) in m { pairs.append((try substitute(k, params, path), try substitute(v, params, path))) }
            return .mapping(Node.Mapping(pairs, m.tag, m.style, m.mark))
        case let .sequence(q):
            var items: [Node] = []
            for n in q { items.append(try substitute(n, params, path)) }
            return .sequence(Node.Sequence(items, q.tag, q.style, q.mark))
        case .alias:
            return node
        }
    }

    /// The tracks' pieces with the waits their sync points need: at each sync, every track that
    /// names it holds still until the last of them arrives (the k-th `sync: x` of one track meets
    /// the k-th of the others).
    func schedule(_ tracks: [[Entry]]) throws(Failure) -> [[Piece]] {
        var participants: [String: [Int]] = [:]
        for (k, entries) in tracks.enumerated() {
            for case let .sync(name, _, _, _, _) in entries where participants[name]?.contains(k) != true { participants[name, default: []].append(k) }
        }
        var out = [[Piece]](repeating: [], count: tracks.count)
        var cursor = [Int](repeating: 0, count: tracks.count), offset = [Double](repeating: 0, count: tracks.count)
        var reached = [[String: Int]](repeating: [:], count: tracks.count)
        var waiting = [(name: String, count: Int, arrival: Double, state: TrackState, node: Node?, path: String)?](repeating: nil, count: tracks.count)
        while true {
            for k in tracks.indices where waiting[k] == nil {
                while cursor[k] < tracks[k].count {
                    let e = tracks[k][cursor[k]]
                    cursor[k] += 1
                    switch e {
                    case var .piece(p):
                        p.start += offset[k]; p.end += offset[k]
                        out[k].append(p)
                        continue
                    case let .sync(name, state, at, node, path):
                        reached[k][name, default: 0] += 1
                        waiting[k] = (name, reached[k][name]!, at + offset[k], state, node, path)
                    }
                    break
                }
            }
            guard let first = waiting.firstIndex(where: { $0 != nil }) else { break }
            var released = false
            for k in tracks.indices {
                guard let w = waiting[k] else { continue }
                let group = participants[w.name] ?? [k]
                guard group.allSatisfy({ waiting[$0]?.name == w.name && waiting[$0]?.count == w.count }) else { continue }
                let meet = group.map { waiting[$0]!.arrival }.max()!
                for g in group {
                    let a = waiting[g]!
                    if meet > a.arrival {
                        guard meet <= Limits.traceDuration else { throw fail(a.node, a.path, "waiting here, the motion would last past two hours") }
                        out[g].append(Piece(start: a.arrival, end: meet, from: a.state, kind: .hold))
                        offset[g] += meet - a.arrival
                    }
                    waiting[g] = nil
                }
                released = true
            }
            if released { continue }
            let w = waiting[first]!
            let group = participants[w.name] ?? []
            if let absent = group.first(where: { waiting[$0] == nil }) {
                throw fail(w.node, w.path, "\(Self.trackNames[first]) waits at sync '\(w.name)' for the \(Self.ordinal(w.count)) time, which \(Self.trackNames[absent]) reaches only \(reached[absent][w.name] ?? 0) time\(reached[absent][w.name] == 1 ? "" : "s")")
            }
            let others = group.filter { $0 != first }.compactMap { g in waiting[g].map { "\(Self.trackNames[g]) at '\($0.name)'" } }
            throw fail(w.node, w.path, "the hands wait for each other: \(Self.trackNames[first]) at '\(w.name)', \(others.joined(separator: ", ")); "
                       + "every track must reach its sync points in the same order")
        }
        for k in tracks.indices {
            if let last = out[k].last, last.end > Limits.traceDuration {
                throw fail(nil, "", "with its waits, \(Self.trackNames[k])'s motion lasts past \(Int(Limits.traceDuration)) s (two hours), the longest a trace may be")
            }
        }
        return out
    }
}
