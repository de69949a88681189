// Motion scripts: short YAML descriptions of what the head and hands do (waypoints, holds,
// grasp/release, periodic CPR compressions, button presses, seeded tremor and noise), turned into traces so
// every trace the project ships or tests is reproducible from a committed script.
// The format is specified in docs/trace-format.md ("Motion scripts").
import PracticumCore
import Yams

/// A script error with its place in the YAML (1-based line and column) and element path.
public struct MotionScriptError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    /// Element path, e.g. `hands.right.motion[2].move.duration`.
    public var path: String
    public var message: String
    public var description: String { "\(line):\(column): error: \(path.isEmpty ? "" : "\(path): ")\(message)" }
}

/// A parsed, compiled motion script.
public struct MotionScript: Sendable {
    /// Header of the trace it produces (scenario id/version/hash, sample rate, metadata; two hands).
    public var header: TraceHeader
    /// Seed of the tremor and noise.
    public var seed: UInt64
    /// Length of the trace in seconds; frames are sampled at `i / sampleRate` for `0 ... duration`.
    public var duration: Double
    /// Head, left hand, right hand.
    var tracks: [Track]
    var buttons: [ButtonSpan]

    /// Parses and checks a script; every error carries line, column and element path.
    public static func parse(yaml: String) throws(MotionScriptError) -> MotionScript {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else { throw MotionScriptError(line: 1, column: 1, path: "", message: "the script is empty") }
            root = node
        } catch let e as MotionScriptError {
            throw e
        } catch let YamlError.scanner(_, problem, mark, _), let YamlError.parser(_, problem, mark, _), let YamlError.composer(_, problem, mark, _) {
            throw MotionScriptError(line: mark.line, column: mark.column, path: "", message: "YAML: \(problem)")
        } catch {
            throw MotionScriptError(line: 1, column: 1, path: "", message: "YAML: \(error)")
        }
        return try ScriptParser().script(root)
    }

    /// Number of frames the script describes: `⌊duration · rate⌋ + 1`.
    public var frameCount: Int { Int((duration * header.sampleRate).rounded(.down)) + 1 }

    /// The frames the script describes, at `i / sampleRate` seconds, `i = 0 ... ⌊duration · rate⌋`.
    public func frames() -> [InputFrame] {
        var out: [InputFrame] = []
        out.reserveCapacity(frameCount)
        forEachFrame { out.append($0) }
        return out
    }

    /// Calls `body` with each frame in order, holding none of them (a long script streams to a file).
    public func forEachFrame<E: Error>(_ body: (InputFrame) throws(E) -> Void) throws(E) {
        var rng = SeededRandom(seed: seed)
        let count = frameCount
        var cursors = [Int](repeating: 0, count: tracks.count)
        // tremor partials first, drawn once: per track (head, left, right), per axis, three (frequency, phase)
        let partials: [[[(frequency: Double, phase: Double)]]] = tracks.map { track in
            guard track.tremor > 0 else { return [] }
            return (0..<3).map { _ in
                (0..<3).map { _ in
                    let f = rng.uniform(8, 12)
                    return (f, rng.uniform(0, 2 * Double.pi))
                }
            }
        }
        // buttons by a sweep over their press and release times, not a scan of every span per frame
        let edges = buttons.flatMap { [(time: $0.from, name: $0.name, delta: 1), (time: $0.to, name: $0.name, delta: -1)] }
            .enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        var nextEdge = 0
        var held: [String: Int] = [:]
        for i in 0..<count {
            let t = Double(i) / header.sampleRate
            // evaluate each track, add its tremor, then its sensor noise (draws: head, left, right; x, y, z)
            var states: [TrackState] = []
            for k in tracks.indices {
                var s = tracks[k].state(at: t, cursor: &cursors[k])
                if tracks[k].tremor > 0 {
                    // three partials of amplitude a have RMS a·√(3/2); scale so the RMS is `tremor`
                    let a = tracks[k].tremor * (2.0 / 3).squareRoot()
                    for axis in 0..<3 {
                        var sum = 0.0
                        for p in partials[k][axis] { sum += _sine(2 * Double.pi * p.frequency * t + p.phase) }
                        s.position[axis] += a * sum
                    }
                }
                if tracks[k].noise > 0 {
                    let nx = rng.gaussian(), ny = rng.gaussian(), nz = rng.gaussian()
                    s.position += Vec3(nx, ny, nz) * tracks[k].noise
                }
                states.append(s)
            }
            // a span is held for from ≤ t < to: every edge at or before t has happened
            while nextEdge < edges.count, edges[nextEdge].time <= t {
                held[edges[nextEdge].name, default: 0] += edges[nextEdge].delta
                nextEdge += 1
            }
            let pressed = held.filter { $0.value > 0 }.map(\.key).sorted()
            try body(InputFrame(time: t, head: states[0].pose,
                                hands: states.dropFirst().map { HandInput(pose: $0.pose, grip: $0.grip, trigger: $0.trigger) },
                                buttons: pressed))
        }
    }

    /// The complete trace file bytes.
    public func traceBytes() throws(TraceError) -> [UInt8] {
        try TraceWriter.encode(header: header, frames: frames())
    }

    /// Writes the trace to `writer` frame by frame and closes it (memory does not grow with length).
    public func write(to writer: TraceWriter) throws(TraceError) {
        try forEachFrame { (f: InputFrame) throws(TraceError) in try writer.append(f) }
        try writer.close()
    }
}

// MARK: - compiled tracks

struct TrackState: Sendable, Equatable {
    var position = Vec3.zero
    var orientation = Quat.identity
    var grip = 0.0
    var trigger = 0.0
    var pose: Pose { Pose(position: position, orientation: orientation) }
}

enum Ease: String, Sendable { case linear, smooth }

/// One timed piece of a track, from `start` to `end` seconds, beginning in state `from`.
struct Piece: Sendable {
    enum Kind: Sendable {
        case move(to: TrackState, ease: Ease)
        case hold
        /// Displacement `direction · depth · (1 − cos 2π·rate·τ) / 2`: out to `depth` and back each cycle.
        case oscillate(direction: Vec3, depth: Double, rate: Double)
    }
    var start: Double
    var end: Double
    var from: TrackState
    var kind: Kind

    func state(at t: Double) -> TrackState {
        let tau = t - start
        switch kind {
        case .hold:
            return from
        case let .move(to, ease):
            if t >= end { return to }
            if tau <= 0 { return from }
            var u = tau / (end - start)
            if ease == .smooth { u = u * u * (3 - 2 * u) }
            if u == 1 { return to }
            return TrackState(position: from.position.lerp(to: to.position, u),
                              orientation: from.orientation.slerp(to: to.orientation, u),
                              grip: from.grip + (to.grip - from.grip) * u,
                              trigger: from.trigger + (to.trigger - from.trigger) * u)
        case let .oscillate(direction, depth, rate):
            var s = from
            s.position += direction * (depth * (1 - _cosine(2 * Double.pi * rate * tau)) / 2)
            return s
        }
    }
}

struct Track: Sendable {
    var start: TrackState
    var pieces: [Piece]
    /// RMS of the physiological tremor (8–12 Hz) added to each position coordinate (m).
    var tremor: Double
    /// Standard deviation of the white Gaussian sensor noise added to each position coordinate (m).
    var noise: Double
    var end: Double { pieces.last?.end ?? 0 }

    /// The state at `t`; `cursor` remembers the piece for sequential sampling.
    func state(at t: Double, cursor: inout Int) -> TrackState {
        guard !pieces.isEmpty else { return start }
        if cursor >= pieces.count || pieces[cursor].start > t { cursor = 0 }
        while cursor < pieces.count && pieces[cursor].end <= t { cursor += 1 }
        if cursor == pieces.count { return pieces[cursor - 1].state(at: pieces[cursor - 1].end) }
        return pieces[cursor].state(at: t)
    }
}

struct ButtonSpan: Sendable { var name: String; var from: Double; var to: Double }

// MARK: - parsing

struct ScriptParser {
    typealias Failure = MotionScriptError
    /// Named poses (`poses:`): the state fields each sets.
    var poses: [String: [String: Node]] = [:]
    /// Named motion lists (`sequences:`), played with `play`.
    var sequences: [String: Node] = [:]
    /// Every duration × this (`pace:`).
    var pace = 1.0
    static let maxFrames = Limits.scriptFrames
    static let maxPieces = 100_000
    static let maxRepeatDepth = 16
    static let maxButtonSpans = 10_000

    func fail(_ node: Node?, _ path: String, _ message: String) -> MotionScriptError {
        MotionScriptError(line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, path: path, message: message)
    }

    /// A mapping's entries by key, rejecting unknown and repeated keys.
    func fields(_ node: Node, _ path: String, allowed: [String], required: [String] = []) throws(Failure) -> [String: Node] {
        guard let m = node.mapping else { throw fail(node, path, "expected a mapping with keys \(allowed.joined(separator: ", "))") }
        var out: [String: Node] = [:]
        for (k, v) in m {
            guard let key = k.string else { throw fail(k, path, "keys must be strings") }
            guard allowed.contains(key) else {
                throw fail(k, path, "unknown key '\(key)'; expected one of \(allowed.joined(separator: ", "))")
            }
            guard out[key] == nil else { throw fail(k, path, "'\(key)' appears twice") }
            out[key] = v
        }
        for r in required where out[r] == nil { throw fail(node, path, "missing '\(r)'") }
        return out
    }

    func scalar(_ node: Node, _ path: String) throws(Failure) -> String {
        guard let s = node.scalar?.string else { throw fail(node, path, "expected a single value") }
        return s
    }

    /// A quantity in SI; a bare number is in `bareUnit` (metres, seconds, degrees, Hz).
    func quantity(_ node: Node, _ path: String, _ dimension: Dimension, bareScale: Double = 1) throws(Failure) -> Double {
        let text = try scalar(node, path)
        switch Quantity.parse(text) {
        case let .success(q):
            if q.dimension == .none { return q.value * bareScale }
            guard q.dimension == dimension else { throw fail(node, path, "'\(text)' is a \(q.dimension), expected a \(dimension)") }
            return q.value
        case .failure(.unknownUnit(let u)): throw fail(node, path, "unknown unit '\(u.quotedForMessage())' in '\(text.quotedForMessage())'")
        case .failure(.tooLong): throw fail(node, path, "number too long; numbers have at most \(Limits.numberLength) characters")
        case .failure: throw fail(node, path, "'\(text.quotedForMessage())' is not a number")
        }
    }

    /// A quantity from 0 to `max` (in SI).
    func nonNegative(_ node: Node, _ path: String, _ dimension: Dimension, bareScale: Double = 1, max: Double) throws(Failure) -> Double {
        let v = try quantity(node, path, dimension, bareScale: bareScale)
        guard v >= 0 else { throw fail(node, path, "must not be negative") }
        guard v <= max else { throw fail(node, path, "must be at most \(Self.shown(max, dimension))") }
        return v
    }

    /// A bound as a person writes it: `7200 s`, `1000 Hz`, `0.1 m`.
    static func shown(_ v: Double, _ dimension: Dimension) -> String {
        let number = String(format: "%g", v)
        let unit = dimension == .rate ? "Hz" : Units.displaySymbol(for: dimension)
        return unit.isEmpty ? number : number + " " + unit
    }

    /// A duration or time: 0 to `Limits.traceDuration`.
    func time(_ node: Node, _ path: String) throws(Failure) -> Double {
        try nonNegative(node, path, .time, max: Limits.traceDuration)
    }

    /// The end of a piece that starts at `start` and lasts `d`, refused past `Limits.traceDuration`.
    func end(_ start: Double, _ d: Double, _ node: Node?, _ path: String) throws(Failure) -> Double {
        let e = start + d
        guard e.isFinite, e <= Limits.traceDuration else {
            throw fail(node, path, "the motion would last past \(Int(Limits.traceDuration)) s (two hours), the longest a trace may be")
        }
        return e
    }

    func unitInterval(_ node: Node, _ path: String) throws(Failure) -> Double {
        let v = try quantity(node, path, .none)
        guard (0...1).contains(v) else { throw fail(node, path, "must be between 0 and 1") }
        return v
    }

    /// `[x, y, z]`, each within ±`bound` (positions: `Limits.tracePosition`).
    func vector(_ node: Node, _ path: String, _ dimension: Dimension, bareScale: Double = 1, bound: Double = Limits.tracePosition) throws(Failure) -> Vec3 {
        guard let seq = node.sequence, seq.count == 3 else { throw fail(node, path, "expected a list of three values [x, y, z]") }
        let items = Array(seq)
        var v = Vec3.zero
        for i in 0..<3 {
            v[i] = try quantity(items[i], path + "[\(i)]", dimension, bareScale: bareScale)
            guard abs(v[i]) <= bound else { throw fail(items[i], path + "[\(i)]", "must be within ±\(Self.shown(bound, dimension))") }
        }
        return v
    }

    /// `[rx, ry, rz]` (degrees unless a unit is given; about x, then y, then z) or `{axis: [x, y, z], angle: 30deg}`.
    func rotation(_ node: Node, _ path: String) throws(Failure) -> Quat {
        if node.mapping != nil {
            let f = try fields(node, path, allowed: ["axis", "angle"], required: ["axis", "angle"])
            let axis = try vector(f["axis"]!, path + ".axis", .none)
            guard axis.length > 0 else { throw fail(f["axis"], path + ".axis", "the axis must not be zero") }
            let angle = try quantity(f["angle"]!, path + ".angle", .angle, bareScale: .pi / 180)
            guard abs(angle) <= 1e4 else { throw fail(f["angle"], path + ".angle", "must be within ±10000 rad") }
            return Quat(axis: axis, angle: angle)
        }
        let e = try vector(node, path, .angle, bareScale: .pi / 180, bound: 1e4)
        return Quat.euler(x: e.x, y: e.y, z: e.z)
    }

    func state(_ node: Node, _ path: String, base: TrackState) throws(Failure) -> TrackState {
        let f = try fields(node, path, allowed: ["position", "rotation", "grip", "trigger"])
        return try apply(f, path, to: base)
    }

    func apply(_ f: [String: Node], _ path: String, to base: TrackState) throws(Failure) -> TrackState {
        var s = base
        if let n = f["position"] { s.position = try vector(n, path + ".position", .length) }
        if let n = f["rotation"] { s.orientation = try rotation(n, path + ".rotation") }
        if let n = f["grip"] { s.grip = try unitInterval(n, path + ".grip") }
        if let n = f["trigger"] { s.trigger = try unitInterval(n, path + ".trigger") }
        return s
    }

    /// A track and its motion before the hands are synchronised (`sync` points still in it).
    func track(_ node: Node, _ path: String, tremor: Double, noise: Double) throws(Failure) -> (Track, [Entry]) {
        let f = try fields(node, path, allowed: ["start", "motion", "tremor", "noise"])
        var start = TrackState()
        if let n = f["start"] {
            let sf = try fields(n, path + ".start", allowed: ["position", "rotation", "grip", "trigger", "pose"])
            if let pose = sf["pose"] { start = try apply(try named(pose, path + ".start.pose"), "poses.\(try scalar(pose, path + ".start.pose"))", to: start) }
            start = try apply(sf, path + ".start", to: start)
        }
        var track = Track(start: start, pieces: [], tremor: tremor, noise: noise)
        if let n = f["tremor"] { track.tremor = try nonNegative(n, path + ".tremor", .length, max: 0.1) }
        if let n = f["noise"] { track.noise = try nonNegative(n, path + ".noise", .length, max: 0.1) }
        var entries: [Entry] = []
        if let n = f["motion"] {
            var state = start, time = 0.0
            try pieces(n, path + ".motion", state: &state, time: &time, into: &entries, pace: pace)
        }
        return (track, entries)
    }

    func pieces(_ node: Node, _ path: String, state: inout TrackState, time: inout Double, into out: inout [Entry],
                depth: Int = 0, pace: Double, params: [String: String] = [:]) throws(Failure) {
        guard depth <= Self.maxRepeatDepth else { throw fail(node, path, "repeats and sequences are nested more than \(Self.maxRepeatDepth) deep") }
        guard let seq = node.sequence else { throw fail(node, path, "expected a list of motions (\(Self.motionKinds.joined(separator: ", ")))") }
        for (i, written) in seq.enumerated() {
            let p = "\(path)[\(i)]"
            let item = params.isEmpty ? written : try substitute(written, params, p)
            let kinds = Self.motionKinds
            let f = try fields(item, p, allowed: kinds)
            guard f.count == 1, let kind = kinds.first(where: { f[$0] != nil }), let body = f[kind] else {
                throw fail(item, p, "each motion is exactly one of \(kinds.joined(separator: ", "))")
            }
            let bp = "\(p).\(kind)"
            let piece: Piece
            switch kind {
            case "move":
                let m = try fields(body, bp, allowed: ["position", "rotation", "grip", "trigger", "duration", "speed", "ease", "to", "offset", "by", "along"])
                let target = try moveTarget(m, body, bp, from: state)
                let d: Double
                switch (m["duration"], m["speed"]) {
                case let (t?, nil): d = try self.time(t, bp + ".duration") * pace
                case let (nil, v?):
                    let speed = try nonNegative(v, bp + ".speed", .velocity, max: 1000)
                    guard speed > 0 else { throw fail(v, bp + ".speed", "must be positive") }
                    d = state.position.distance(to: target.position) / speed * pace
                    guard d <= Limits.traceDuration else { throw fail(v, bp + ".speed", "so slow that the move lasts more than two hours") }
                default: throw fail(body, bp, "give exactly one of 'duration' or 'speed'")
                }
                var ease = Ease.linear
                if let e = m["ease"] {
                    guard let v = Ease(rawValue: try scalar(e, bp + ".ease")) else { throw fail(e, bp + ".ease", "expected linear or smooth") }
                    ease = v
                }
                piece = Piece(start: time, end: try end(time, d, body, bp), from: state, kind: .move(to: target, ease: ease))
            case "hold":
                piece = Piece(start: time, end: try end(time, try self.time(body, bp) * pace, body, bp), from: state, kind: .hold)
            case "grasp", "release":
                var to = state
                to.grip = kind == "grasp" ? 1 : 0
                piece = Piece(start: time, end: try end(time, try self.time(body, bp) * pace, body, bp), from: state, kind: .move(to: to, ease: .linear))
            case "sync":
                let name = try scalar(body, bp)
                guard Self.isName(name) else { throw fail(body, bp, "sync names are letters, digits and _") }
                out.append(.sync(name, state: state, at: time, node: body, path: bp))
                continue
            case "play":
                try play(body, bp, state: &state, time: &time, into: &out, depth: depth, pace: pace)
                continue
            case "oscillate":
                let m = try fields(body, bp, allowed: ["direction", "depth", "rate", "cycles", "duration"], required: ["direction", "depth", "rate"])
                let dir = try vector(m["direction"]!, bp + ".direction", .none)
                guard dir.length > 0 else { throw fail(m["direction"], bp + ".direction", "the direction must not be zero") }
                let depth = try quantity(m["depth"]!, bp + ".depth", .length)
                guard abs(depth) <= 10 else { throw fail(m["depth"], bp + ".depth", "must be within ±10 m") }
                let rate = try nonNegative(m["rate"]!, bp + ".rate", .rate, max: 1000)
                guard rate > 0 else { throw fail(m["rate"], bp + ".rate", "must be positive") }
                let d: Double
                switch (m["cycles"], m["duration"]) {
                case let (c?, nil): d = try nonNegative(c, bp + ".cycles", .none, max: 1e7) / rate
                case let (nil, t?): d = try self.time(t, bp + ".duration") * pace
                default: throw fail(body, bp, "give exactly one of 'cycles' or 'duration'")
                }
                piece = Piece(start: time, end: try end(time, d, body, bp), from: state, kind: .oscillate(direction: dir.normalized, depth: depth, rate: rate))
            default: // repeat
                let m = try fields(body, bp, allowed: ["times", "motion"], required: ["times", "motion"])
                guard let times = Int(try scalar(m["times"]!, bp + ".times")), (0...Self.maxPieces).contains(times) else {
                    throw fail(m["times"], bp + ".times", "expected a whole number of repetitions, 0 to \(Self.maxPieces)")
                }
                for rep in 0..<times {
                    let before = out.count
                    try pieces(m["motion"]!, bp + ".motion", state: &state, time: &time, into: &out, depth: depth + 1, pace: pace, params: params)
                    // a pass that adds nothing changes nothing: the other passes would not either
                    if out.count == before { break }
                    // one pass tells how many motions the rest will add: refuse before expanding them
                    let total = rep == 0 ? before + (out.count - before) * times : out.count // ≤ 10^10: no overflow
                    guard total <= Self.maxPieces else { throw fail(body, bp, "expands to more than \(Self.maxPieces) motions") }
                }
                continue
            }
            out.append(.piece(piece))
            guard out.count <= Self.maxPieces else { throw fail(item, p, "more than \(Self.maxPieces) motions") }
            state = piece.state(at: piece.end)
            time = piece.end
        }
    }

    func script(_ root: Node) throws(Failure) -> MotionScript {
        let top = try fields(root, "", allowed: ["scenario", "sample_rate", "seed", "duration", "metadata", "tremor", "noise", "head", "hands", "buttons",
                                                 "poses", "sequences", "pace"],
                             required: ["scenario"])
        var parser = self
        try parser.definitions(top)
        let sc = try fields(top["scenario"]!, "scenario", allowed: ["id", "version", "hash"], required: ["id"])
        let id = try scalar(sc["id"]!, "scenario.id")
        guard id.utf8.count <= TraceCodec.maxIDLength else {
            throw fail(sc["id"], "scenario.id", "scenario ids have at most \(TraceCodec.maxIDLength) characters")
        }
        var header = TraceHeader(scenarioID: id)
        if let n = sc["version"] { header.scenarioVersion = try scalar(n, "scenario.version") }
        if let n = sc["hash"] { header.scenarioHash = try scalar(n, "scenario.hash") }
        for (key, value) in [("version", header.scenarioVersion), ("hash", header.scenarioHash)] where value.utf8.count > TraceCodec.maxHeaderValueLength {
            throw fail(sc[key], "scenario.\(key)", "has at most \(TraceCodec.maxHeaderValueLength) characters")
        }
        if let n = top["sample_rate"] {
            header.sampleRate = try quantity(n, "sample_rate", .rate)
            guard header.sampleRate >= 1, header.sampleRate <= 10_000 else { throw fail(n, "sample_rate", "expected 1 Hz to 10 kHz") }
        }
        if let n = top["metadata"] {
            guard let m = n.mapping else { throw fail(n, "metadata", "expected a mapping of names to values") }
            guard m.count <= Limits.traceMetadataLines else { throw fail(n, "metadata", "at most \(Limits.traceMetadataLines) entries") }
            for (k, v) in m {
                guard let key = k.string, TraceCodec.isName(key) else { throw fail(k, "metadata", "keys are letters, digits, '_', '.' or '-'") }
                header.metadata[key] = try scalar(v, "metadata.\(key)")
            }
            // the header as it will be written: too long is an error here, at the metadata
            do { _ = try TraceCodec.headerLines(header) } catch { throw fail(n, "metadata", "\(error)") }
        }
        var seed: UInt64 = 0
        if let n = top["seed"] {
            guard let s = UInt64(try scalar(n, "seed")) else { throw fail(n, "seed", "expected a whole number 0 ... 2^64-1") }
            seed = s
        }
        let tremor = try top["tremor"].map { n throws(Failure) in try nonNegative(n, "tremor", .length, max: 0.1) } ?? 0
        let noise = try top["noise"].map { n throws(Failure) in try nonNegative(n, "noise", .length, max: 0.1) } ?? 0
        var parsed = [(Track(start: TrackState(), pieces: [], tremor: 0, noise: 0), [Entry]())]
        if let n = top["head"] { parsed[0] = try parser.track(n, "head", tremor: 0, noise: 0) }
        let hands = try top["hands"].map { n throws(Failure) in try fields(n, "hands", allowed: ["left", "right"]) } ?? [:]
        for side in ["left", "right"] {
            parsed.append(try hands[side].map { n throws(Failure) in try parser.track(n, "hands.\(side)", tremor: tremor, noise: noise) }
                          ?? (Track(start: TrackState(), pieces: [], tremor: tremor, noise: noise), []))
        }
        var tracks = parsed.map(\.0)
        for (k, pieces) in try parser.schedule(parsed.map(\.1)).enumerated() { tracks[k].pieces = pieces }
        var buttons: [ButtonSpan] = []
        if let n = top["buttons"] {
            guard let seq = n.sequence else { throw fail(n, "buttons", "expected a list of {name, from, to}") }
            guard seq.count <= Self.maxButtonSpans else { throw fail(n, "buttons", "more than \(Self.maxButtonSpans) presses") }
            var names = Set<String>()
            for (i, item) in seq.enumerated() {
                let p = "buttons[\(i)]"
                let b = try fields(item, p, allowed: ["name", "from", "to"], required: ["name", "from", "to"])
                let name = try scalar(b["name"]!, p + ".name")
                guard TraceCodec.isName(name), name.utf8.count <= Limits.traceName else {
                    throw fail(b["name"], p + ".name", "button names are letters, digits, '_', '.' or '-', at most \(Limits.traceName)")
                }
                names.insert(name)
                guard names.count <= Limits.buttons else { throw fail(b["name"], p + ".name", "more than \(Limits.buttons) different buttons") }
                let span = ButtonSpan(name: name, from: try time(b["from"]!, p + ".from"), to: try time(b["to"]!, p + ".to"))
                guard span.to >= span.from else { throw fail(b["to"], p + ".to", "ends before it starts") }
                buttons.append(span)
            }
        }
        var duration = max(tracks.map(\.end).max() ?? 0, buttons.map(\.to).max() ?? 0)
        if let n = top["duration"] { duration = try time(n, "duration") }
        guard (duration * header.sampleRate).rounded(.down) < Double(Self.maxFrames) else {
            let place = top["duration"] != nil ? "duration" : top["sample_rate"] != nil ? "sample_rate" : ""
            throw fail(top["duration"] ?? top["sample_rate"] ?? root, place,
                       "the script would produce more than \(Self.maxFrames) frames (two hours at 90 Hz); "
                       + "lower the sample rate or shorten the motion")
        }
        return MotionScript(header: header, seed: seed, duration: duration, tracks: tracks, buttons: buttons)
    }
}

#if canImport(Glibc)
import Glibc
private func _cosine(_ x: Double) -> Double { Glibc.cos(x) }
private func _sine(_ x: Double) -> Double { Glibc.sin(x) }
#else
import Foundation
private func _cosine(_ x: Double) -> Double { Foundation.cos(x) }
private func _sine(_ x: Double) -> Double { Foundation.sin(x) }
#endif
