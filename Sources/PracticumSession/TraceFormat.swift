// Trace format, version 1: a line-oriented text file, one record per line, each line ending in a
// CRC-32 of its payload. See docs/trace-format.md for the full specification.
//
// Why text: a trace is evidence of what a trainee did; it must be inspectable with `grep`/`less`,
// diffable, and recoverable by hand. Why one checksum per line: a recording killed mid-write leaves
// at most one partial line, and a flipped byte is confined to (and reported at) one line, so the
// intact prefix is always recoverable. Why shortest round-trip decimals: Swift prints the shortest
// string that parses back to the same bit pattern (Steele & White / Ryu-style), so replay is
// bit-identical; `=` repeats the previous frame's field to keep unchanged values cheap.
import PracticumCore

/// What a trace records about the session before its first frame.
public struct TraceHeader: Sendable, Equatable {
    /// The format version this build writes and the newest it reads.
    public static let currentFormatVersion = 1

    /// Trace format version (currently 1).
    public var formatVersion: Int
    /// Id of the scenario the session ran (e.g. `iv-cannulation`).
    public var scenarioID: String
    /// The scenario's declared version, verbatim.
    public var scenarioVersion: String
    /// The scenario's content hash (hex), so a replay can tell the file changed under it.
    public var scenarioHash: String
    /// Nominal input sample rate in Hz (72–120 for headsets); frames carry their own times.
    public var sampleRate: Double
    /// Number of hands in every frame (2: left, right).
    public var handCount: Int
    /// Free-form session metadata (trainee id, device, build…); written sorted by key.
    public var metadata: [String: String]

    public init(scenarioID: String, scenarioVersion: String = "", scenarioHash: String = "",
                sampleRate: Double = 90, handCount: Int = 2, metadata: [String: String] = [:],
                formatVersion: Int = TraceHeader.currentFormatVersion) {
        self.formatVersion = formatVersion
        self.scenarioID = scenarioID; self.scenarioVersion = scenarioVersion; self.scenarioHash = scenarioHash
        self.sampleRate = sampleRate; self.handCount = handCount; self.metadata = metadata
    }

    /// Throws `TraceError.wrongScenario` unless this trace was recorded for `scenarioID`.
    public func check(scenarioID expected: String) throws(TraceError) {
        if scenarioID != expected { throw .wrongScenario(expected: expected, found: scenarioID) }
    }
}

/// A recorded session: its header, the frames that read back intact, and what was wrong after them.
public struct Trace: Sendable, Equatable {
    public var header: TraceHeader
    /// Frames in file order (times non-decreasing).
    public var frames: [InputFrame]
    /// Why reading stopped before a clean `end` line; nil for a complete, intact trace.
    public var damage: TraceDamage?

    public init(header: TraceHeader, frames: [InputFrame], damage: TraceDamage? = nil) {
        self.header = header; self.frames = frames; self.damage = damage
    }
    /// True when the trace ended with its `end` line and every line checked out.
    public var isComplete: Bool { damage == nil }
    /// Time of the last frame in seconds (0 for an empty trace).
    public var duration: Double { frames.last?.time ?? 0 }
}

/// Where and how a trace stops being trustworthy.
public struct TraceDamage: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The file ends early: a partial last line, or no `end` line (recording killed).
        case truncated
        /// A line fails its checksum or does not parse.
        case corrupt
    }
    public var kind: Kind
    /// Byte offset of the start of the first damaged line (or of the end of file when nothing follows).
    public var byteOffset: Int
    /// 1-based line number of that line.
    public var line: Int
    /// What was wrong, for people.
    public var reason: String

    public init(kind: Kind, byteOffset: Int, line: Int, reason: String) {
        self.kind = kind; self.byteOffset = byteOffset; self.line = line; self.reason = reason
    }
    public var description: String { "\(kind.rawValue) at line \(line) (byte \(byteOffset)): \(reason)" }
}

/// Everything that can go wrong reading or writing a trace.
public enum TraceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened, read or written.
    case io(path: String, reason: String)
    /// The file is empty.
    case empty
    /// The first line is not a trace signature.
    case notATrace(reason: String)
    /// Written by a newer Practicum.
    case unsupportedVersion(Int)
    /// The header is damaged, incomplete or malformed; a trace without a header cannot be used.
    case badHeader(line: Int, byteOffset: Int, reason: String)
    /// Strict reading found damage after the header.
    case damaged(TraceDamage)
    /// The trace was recorded for another scenario.
    case wrongScenario(expected: String, found: String)
    /// A frame or header that cannot be written (wrong hand count, non-finite number, bad name).
    case invalidInput(reason: String)

    public var description: String {
        switch self {
        case let .io(path, reason): "\(path): \(reason)"
        case .empty: "the trace is empty"
        case let .notATrace(reason): "not a Practicum trace: \(reason)"
        case let .unsupportedVersion(v):
            "trace format version \(v) is newer than this build reads (\(TraceHeader.currentFormatVersion))"
        case let .badHeader(line, offset, reason): "bad trace header at line \(line) (byte \(offset)): \(reason)"
        case let .damaged(d): "trace is \(d)"
        case let .wrongScenario(expected, found): "trace was recorded for scenario '\(found)', not '\(expected)'"
        case let .invalidInput(reason): "cannot write trace: \(reason)"
        }
    }
}

/// Byte-level encoding shared by writer, reader and synthesiser.
enum TraceCodec {
    static let signature = "practicum-trace"
    /// Longest line accepted or written, in bytes including the checksum and newline.
    static let maxLineLength = 65_536
    /// Longest header accepted or written, in bytes.
    static let maxHeaderLength = Limits.traceHeaderBytes
    /// Longest scenario id accepted or written (scenario ids are at most this long).
    static let maxIDLength = Limits.traceName
    /// Longest scenario version or hash accepted or written.
    static let maxHeaderValueLength = 256
    /// Numbers per hand: position (3), orientation w x y z (4), grip, trigger.
    static let fieldsPerHand = 9
    /// Numbers before the hands: time, head position (3), head orientation (4).
    static let leadingFields = 8

    // MARK: lines

    /// `payload + " *" + crc32(payload) as 8 hex digits + "\n"`.
    static func line(_ payload: String) -> [UInt8] {
        var bytes = Array(payload.utf8)
        let crc = CRC32.checksum(bytes)
        bytes.append(0x20); bytes.append(0x2a)
        appendHex(crc, to: &bytes)
        bytes.append(0x0a)
        return bytes
    }

    static func appendHex(_ v: UInt32, to bytes: inout [UInt8]) {
        let digits = Array("0123456789abcdef".utf8)
        for shift in stride(from: 28, through: 0, by: -4) { bytes.append(digits[Int((v >> UInt32(shift)) & 0xf)]) }
    }

    static func headerLines(_ h: TraceHeader) throws(TraceError) -> [UInt8] {
        guard h.handCount >= 0, h.handCount <= 16 else { throw .invalidInput(reason: "hand count \(h.handCount) is outside 0...16") }
        guard h.sampleRate.isFinite, h.sampleRate > 0 else { throw .invalidInput(reason: "sample rate \(h.sampleRate) must be a positive number") }
        guard h.scenarioID.utf8.count <= maxIDLength else {
            throw .invalidInput(reason: "scenario id is \(h.scenarioID.utf8.count) bytes long; ids have at most \(maxIDLength)")
        }
        guard h.scenarioVersion.utf8.count <= maxHeaderValueLength, h.scenarioHash.utf8.count <= maxHeaderValueLength else {
            throw .invalidInput(reason: "scenario version and hash have at most \(maxHeaderValueLength) bytes each")
        }
        guard h.metadata.count <= Limits.traceMetadataLines else {
            throw .invalidInput(reason: "\(h.metadata.count) metadata entries; a trace holds at most \(Limits.traceMetadataLines)")
        }
        var out: [UInt8] = []
        out += line("\(signature) \(h.formatVersion)")
        out += line("scenario \(escape(h.scenarioID))")
        out += line("scenario-version \(escape(h.scenarioVersion))")
        out += line("scenario-hash \(escape(h.scenarioHash))")
        out += line("sample-rate \(format(h.sampleRate))")
        out += line("hands \(h.handCount)")
        for key in h.metadata.keys.sorted() {
            guard isName(key) else { throw .invalidInput(reason: "metadata key '\(key.quotedForMessage())' must be letters, digits, '_', '.' or '-'") }
            out += line("meta \(key) \(escape(h.metadata[key]!))")
        }
        out += line("frames")
        guard out.count <= maxHeaderLength else { throw .invalidInput(reason: "header is \(out.count) bytes; keep metadata under \(maxHeaderLength)") }
        return out
    }

    /// The numbers of a frame in file order.
    static func fields(_ f: InputFrame) -> [Double] {
        var v: [Double] = [f.time]
        v.reserveCapacity(leadingFields + fieldsPerHand * f.hands.count)
        appendPose(f.head, to: &v)
        for h in f.hands { appendPose(h.pose, to: &v); v.append(h.grip); v.append(h.trigger) }
        return v
    }

    static func appendPose(_ p: Pose, to v: inout [Double]) {
        v.append(p.position.x); v.append(p.position.y); v.append(p.position.z)
        v.append(p.orientation.w); v.append(p.orientation.x); v.append(p.orientation.y); v.append(p.orientation.z)
    }

    /// One `f` line; fields bit-identical to `previous` are written as `=`.
    static func frameLine(_ f: InputFrame, previous: InputFrame?, handCount: Int) throws(TraceError) -> [UInt8] {
        guard f.hands.count == handCount else {
            throw .invalidInput(reason: "frame at t=\(f.time) has \(f.hands.count) hands; the header says \(handCount)")
        }
        let values = fields(f)
        let prev = previous.map(fields)
        var s = "f"
        for (i, x) in values.enumerated() {
            guard x.isFinite else { throw .invalidInput(reason: "frame at t=\(f.time) has a non-finite value in field \(i)") }
            if let prev, prev[i].bitPattern == x.bitPattern { s += " =" } else { s += " " + format(x) }
        }
        for b in f.buttons where !isName(b) || b.utf8.count > Limits.traceName {
            throw .invalidInput(reason: "button name '\(b.quotedForMessage())' must be letters, digits, '_', '.' or '-', at most \(Limits.traceName)")
        }
        if let why = implausible(values, handCount: handCount, buttonCount: f.buttons.count) {
            throw .invalidInput(reason: "frame at t=\(f.time): \(why)")
        }
        let buttons = f.buttons.isEmpty ? "-" : f.buttons.joined(separator: ",")
        if let previous, previous.buttons == f.buttons { s += " =" } else { s += " " + buttons }
        let out = line(s)
        guard out.count <= maxLineLength else { throw .invalidInput(reason: "frame at t=\(f.time) is longer than \(maxLineLength) bytes") }
        return out
    }

    static func endLine(frameCount: Int) -> [UInt8] { line("end \(frameCount)") }

    /// Largest deviation from 1 of an orientation quaternion's length.
    static let unitQuaternionTolerance = 1e-3

    /// Why a frame's numbers (in file order) cannot be a tracked session, or nil if they can: the
    /// time from 0 to `Limits.traceDuration`, positions within `Limits.tracePosition`, unit
    /// orientations, grip and trigger from 0 to 1, at most `Limits.buttons` buttons held. Writer
    /// and reader both apply it, so whatever is written reads back.
    static func implausible(_ v: [Double], handCount: Int, buttonCount: Int) -> String? {
        guard v.count == leadingFields + fieldsPerHand * handCount else { return "wrong number of fields" }
        guard v[0] >= 0, v[0] <= Limits.traceDuration else {
            return "time \(v[0]) s is outside 0 … \(Int(Limits.traceDuration)) s (two hours)"
        }
        func pose(_ o: Int, _ what: String) -> String? {
            for k in 0..<3 where !(abs(v[o + k]) <= Limits.tracePosition) {
                return "\(what) position \(v[o + k]) m is farther than \(Int(Limits.tracePosition)) m from the origin"
            }
            let q = (v[o + 3] * v[o + 3] + v[o + 4] * v[o + 4] + v[o + 5] * v[o + 5] + v[o + 6] * v[o + 6]).squareRoot()
            guard abs(q - 1) <= unitQuaternionTolerance else {
                return "\(what) orientation is not a unit quaternion (length \(q))"
            }
            return nil
        }
        if let why = pose(1, "head") { return why }
        for h in 0..<handCount {
            let o = leadingFields + h * fieldsPerHand
            if let why = pose(o, "hand \(h)") { return why }
            guard (0...1).contains(v[o + 7]) else { return "hand \(h) grip \(v[o + 7]) is outside 0 … 1" }
            guard (0...1).contains(v[o + 8]) else { return "hand \(h) trigger \(v[o + 8]) is outside 0 … 1" }
        }
        guard buttonCount <= Limits.buttons else { return "\(buttonCount) buttons held; at most \(Limits.buttons)" }
        return nil
    }

    // MARK: values

    /// Shortest decimal that parses back to the same bit pattern; `1.0` is written `1`.
    static func format(_ x: Double) -> String {
        var s = x.description
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }

    /// Names (metadata keys, buttons): non-empty ASCII letters, digits, `_`, `.`, `-`, not starting with `-` or `=`.
    static func isName(_ s: String) -> Bool {
        guard let first = s.utf8.first, first != UInt8(ascii: "-") else { return false }
        return s.utf8.count <= 256 && s.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b == 0x5f || b == 0x2e || b == 0x2d
        }
    }

    /// Percent-encodes everything outside printable ASCII, space, `%`; the empty string is `-`, a lone `-` is `%2D`.
    static func escape(_ s: String) -> String {
        if s.isEmpty { return "-" }
        if s == "-" { return "%2D" }
        var out: [UInt8] = []
        for b in s.utf8 {
            if b > 0x20 && b < 0x7f && b != 0x25 { out.append(b) } else {
                out.append(0x25); let d = Array("0123456789ABCDEF".utf8)
                out.append(d[Int(b >> 4)]); out.append(d[Int(b & 0xf)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func unescape(_ s: Substring) -> String? {
        if s == "-" { return "" }
        var out: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == 0x25 {
                guard it.count >= 2, let hi = hexValue(it.removeFirst()), let lo = hexValue(it.removeFirst()) else { return nil }
                out.append(hi << 4 | lo)
            } else {
                out.append(b)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x61...0x66: b - 0x61 + 10
        case 0x41...0x46: b - 0x41 + 10
        default: nil
        }
    }
}

extension InputFrame {
    /// Why a trace with `handCount` hands cannot store this frame (the writer's own checks: hand
    /// count, finite and plausible numbers, button names), or nil when it can. A live server checks
    /// each sample on arrival with it, so that recording a tick's input never fails and the trace
    /// holds every tick the session ran.
    package func traceProblem(handCount: Int) -> String? {
        guard hands.count == handCount else { return "\(hands.count) hands; the session has \(handCount)" }
        let values = TraceCodec.fields(self)
        if let i = values.firstIndex(where: { !$0.isFinite }) { return "a non-finite value in field \(i)" }
        for b in buttons where !TraceCodec.isName(b) || b.utf8.count > Limits.traceName {
            return "button name '\(b.quotedForMessage())' must be letters, digits, '_', '.' or '-', at most \(Limits.traceName)"
        }
        return TraceCodec.implausible(values, handCount: handCount, buttonCount: buttons.count)
    }
}
