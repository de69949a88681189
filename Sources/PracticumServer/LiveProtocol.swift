// The live protocol, version 1 (docs/live-protocol.md): JSON text frames for control, binary frames
// for poses in and state out. Everything here is a pure function of bytes, so the decoder can be
// tested (and fuzzed) without a socket, and a malformed frame is an error value, never a crash.
//
// Why binary for poses: a front end sends two hands and a head at 90 Hz and receives state at the
// tick rate; fixed little-endian layouts cost no parsing and no allocation per number, and every
// engine (Unity, Unreal, a browser's DataView) reads them natively. Why JSON for control: rare,
// extensible, readable in a browser's network panel.
import Foundation
import PracticumCore
import PracticumScenario
import PracticumSession

/// Constants and codecs of the live protocol (docs/live-protocol.md).
public enum LiveProtocol {
    /// The protocol version this server speaks; a hello naming another is refused.
    public static let version = 1

    /// First byte of a binary frame.
    public enum FrameType: UInt8, Sendable {
        /// Front end → server: one input sample (head, hands, buttons).
        case input = 0x01
        /// Server → client: the state after a tick (body poses, hand coupling forces).
        case state = 0x81
        /// Server → client: a deformable tissue's surface vertex positions, when they changed.
        case surface = 0x82
    }

    /// Bytes before the head pose in an input frame: type, hand count, button count, reserved, sequence.
    static let inputHeaderBytes = 8
    /// Bytes of one pose as f64: position x y z, orientation w x y z.
    static let poseBytes = 56
    /// Bytes of one hand in an input frame: pose, grip, trigger (f64).
    static let handBytes = 72
    /// Bytes before the body poses in a state frame.
    static let stateHeaderBytes = 24
    /// Bytes of one body pose in a state frame (f32 × 7).
    static let stateBodyBytes = 28

    // MARK: input

    /// One decoded input frame: the sample (its time is assigned by the server) and its sequence number.
    public struct Input: Sendable, Equatable {
        /// The client's sequence number, echoed in state frames (latency measurement).
        public var sequence: UInt32
        /// The sample; its `time` is 0 here and set by the session at arrival.
        public var sample: InputFrame
    }

    /// Decodes a binary input frame for a session with `handCount` hands.
    public static func decodeInput(_ bytes: [UInt8], handCount: Int) -> Result<Input, LiveError> {
        var r = ByteReader(bytes)
        guard bytes.count >= inputHeaderBytes + poseBytes else {
            return .failure(.badFrame("an input frame is at least \(inputHeaderBytes + poseBytes) bytes; this one is \(bytes.count)"))
        }
        guard let type = r.u8(), type == FrameType.input.rawValue else {
            return .failure(.badFrame("binary frame type 0x\(String(bytes[0], radix: 16)) is not an input frame (0x01)"))
        }
        let hands = Int(r.u8()!), buttons = Int(r.u8()!)
        _ = r.u8()
        let sequence = r.u32()!
        guard hands == handCount else { return .failure(.badFrame("the frame has \(hands) hands; the session has \(handCount)")) }
        guard buttons <= Limits.buttons else { return .failure(.badFrame("\(buttons) buttons held; at most \(Limits.buttons)")) }
        let fixed = inputHeaderBytes + poseBytes + hands * handBytes
        guard bytes.count >= fixed + buttons else {
            return .failure(.badFrame("an input frame with \(hands) hands and \(buttons) buttons is longer than its \(bytes.count) bytes"))
        }
        var frame = InputFrame(time: 0, head: r.pose()!, hands: [])
        for _ in 0..<hands { frame.hands.append(HandInput(pose: r.pose()!, grip: r.f64()!, trigger: r.f64()!)) }
        for _ in 0..<buttons {
            guard let n = r.u8(), let name = r.bytes(Int(n)), n > 0 else {
                return .failure(.badFrame("a button name runs past the end of the frame"))
            }
            frame.buttons.append(String(decoding: name, as: UTF8.self))
        }
        guard r.remaining == 0 else { return .failure(.badFrame("\(r.remaining) bytes after the last button")) }
        if let b = frame.buttons.first(where: { $0.hasPrefix(Event.instructorButtonPrefix) }) {
            return .failure(.badFrame("button '\(b.quotedForMessage())': '\(Event.instructorButtonPrefix)' buttons are the instructor's triggers, not a front end's"))
        }
        frame.buttons.sort()
        if let why = frame.traceProblem(handCount: handCount) { return .failure(.badFrame(why)) }
        return .success(Input(sequence: sequence, sample: frame))
    }

    /// Encodes an input frame (the reference client's layout; tests and benchmarks use it).
    public static func encodeInput(_ f: InputFrame, sequence: UInt32) -> [UInt8] {
        var w = ByteWriter()
        w.u8(FrameType.input.rawValue); w.u8(UInt8(f.hands.count)); w.u8(UInt8(min(f.buttons.count, 255))); w.u8(0)
        w.u32(sequence)
        w.pose(f.head)
        for h in f.hands { w.pose(h.pose); w.f64(h.grip); w.f64(h.trigger) }
        for b in f.buttons.prefix(255) { let u = Array(b.utf8.prefix(255)); w.u8(UInt8(u.count)); w.bytes.append(contentsOf: u) }
        return w.bytes
    }

    // MARK: state

    /// Encodes the state after a tick: tick, time, the last input sequence applied, the frames this
    /// consumer lost so far is patched in per consumer (`patchDropped`), body poses (f32) and each hand's
    /// coupling force (N, f32).
    static func encodeState(tick: Int, time: Double, lastSequence: UInt32?, bodies: [Pose], couplingForces: [Double]) -> [UInt8] {
        var w = ByteWriter()
        w.u8(FrameType.state.rawValue); w.u8(UInt8(min(couplingForces.count, 255))); w.u16(UInt16(min(bodies.count, 65535)))
        w.u32(UInt32(truncatingIfNeeded: tick))
        w.u32(lastSequence ?? UInt32.max)
        w.u32(0) // dropped frames, per consumer
        w.f64(time)
        for p in bodies.prefix(65535) {
            for v in [p.position.x, p.position.y, p.position.z, p.orientation.w, p.orientation.x, p.orientation.y, p.orientation.z] {
                w.f32(Float(v))
            }
        }
        for f in couplingForces.prefix(255) { w.f32(Float(f)) }
        return w.bytes
    }

    /// Byte offset of the dropped-frame count in a state frame.
    static let droppedOffset = 12

    /// A state frame with this consumer's dropped-frame count written in.
    static func patchDropped(_ frame: [UInt8], _ dropped: Int) -> [UInt8] {
        var f = frame
        let d = UInt32(clamping: dropped)
        for k in 0..<4 { f[droppedOffset + k] = UInt8(truncatingIfNeeded: d >> (8 * UInt32(k))) }
        return f
    }

    /// A deformable tissue's surface: tissue index, vertex count, then x y z (f32) per vertex.
    static func encodeSurface(tissue: Int, tick: Int, positions: [Vec3]) -> [UInt8] {
        var w = ByteWriter()
        w.u8(FrameType.surface.rawValue); w.u8(0); w.u16(UInt16(min(tissue, 65535)))
        w.u32(UInt32(truncatingIfNeeded: tick))
        w.u32(UInt32(positions.count))
        for p in positions { w.f32(Float(p.x)); w.f32(Float(p.y)); w.f32(Float(p.z)) }
        return w.bytes
    }

    // MARK: control

    /// A control message from a client (a JSON text frame with a `type`).
    public enum Control: Sendable, Equatable {
        /// The first message of every connection: the protocol version and the role's token.
        case hello(protocolVersion: Int, token: String)
        /// Front ends: a new session of a scenario (by id), for a trainee, with a variation seed.
        case start(scenario: String, trainee: String?, seed: UInt64?)
        /// Reattach to a session held after its front end disconnected.
        case attach(session: String)
        /// The session's clock stops, goes on, stops for good (trace closed, report written); its state.
        case pause, resume, end, status
        /// Observers: fire an instructor-triggerable event at the next tick.
        case trigger(event: String)
        /// Observers: the live sessions.
        case list
        /// Observers: follow one session.
        case watch(session: String)
    }

    /// Parses one control message.
    public static func decodeControl(_ text: String) -> Result<Control, LiveError> {
        guard text.utf8.count <= Limits.liveMessageBytes else { return .failure(.badMessage("the message is longer than \(Limits.liveMessageBytes) bytes")) }
        guard let data = text.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data, options: []),
              let o = object as? [String: Any] else {
            return .failure(.badMessage("a control message is a JSON object"))
        }
        guard let type = o["type"] as? String else { return .failure(.badMessage("a control message has a \"type\" (a string)")) }
        func string(_ k: String) -> String? { o[k] as? String }
        switch type {
        case "hello":
            guard let v = o["protocol"] as? Int else { return .failure(.badMessage("hello needs \"protocol\": \(version)")) }
            return .success(.hello(protocolVersion: v, token: string("token") ?? ""))
        case "start":
            guard let s = string("scenario"), !s.isEmpty, s.utf8.count <= Limits.traceName else {
                return .failure(.badMessage("start needs \"scenario\": a scenario id of at most \(Limits.traceName) characters"))
            }
            let trainee = string("trainee")
            if let t = trainee, t.isEmpty || t.utf8.count > Limits.traceName {
                return .failure(.badMessage("\"trainee\" is 1 to \(Limits.traceName) characters"))
            }
            var seed: UInt64?
            if let n = o["seed"] {
                guard let x = n as? NSNumber, let v = UInt64(exactly: x.doubleValue) ?? UInt64(x.stringValue) else {
                    return .failure(.badMessage("\"seed\" is a whole number 0 … 2^64−1"))
                }
                seed = v
            }
            return .success(.start(scenario: s, trainee: trainee, seed: seed))
        case "attach", "watch":
            guard let s = string("session") else { return .failure(.badMessage("\(type) needs \"session\"")) }
            return .success(type == "attach" ? .attach(session: s) : .watch(session: s))
        case "trigger":
            guard let e = string("event") else { return .failure(.badMessage("trigger needs \"event\": an event id")) }
            return .success(.trigger(event: e))
        case "pause": return .success(.pause)
        case "resume": return .success(.resume)
        case "end": return .success(.end)
        case "status": return .success(.status)
        case "list": return .success(.list)
        default: return .failure(.badMessage("unknown message type '\(type.quotedForMessage())'"))
        }
    }

    /// A JSON object as one line of text, keys in the given order.
    static func json(_ fields: KeyValuePairs<String, JSONValue>) -> String {
        JSONValue.object(fields.map { ($0.key, $0.value) }).text
    }
}

/// Why a frame or message was refused; the server sends `{"type": "error", "code", "message"}` and closes.
public enum LiveError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A binary frame that is not a valid input frame.
    case badFrame(String)
    /// A text frame that is not a valid control message.
    case badMessage(String)
    /// Wrong or missing token, or a message before hello.
    case unauthorized(String)
    /// A well-formed request that cannot be served (unknown scenario, no such session, too many sessions).
    case refused(String)

    /// The `code` of the error frame.
    public var code: String {
        switch self {
        case .badFrame: "bad_frame"
        case .badMessage: "bad_message"
        case .unauthorized: "unauthorized"
        case .refused: "refused"
        }
    }
    /// The `message` of the error frame, for people.
    public var message: String {
        switch self {
        case let .badFrame(m), let .badMessage(m), let .unauthorized(m), let .refused(m): m
        }
    }
    public var description: String { "\(code): \(message)" }
    /// Refusals keep the connection open; protocol violations close it.
    public var closesConnection: Bool { if case .refused = self { false } else { true } }
    /// The error frame.
    var json: String { LiveProtocol.json(["type": .string("error"), "code": .string(code), "message": .string(message)]) }
}

/// A JSON value written with a fixed key order (the server's messages; deterministic bytes).
enum JSONValue: Sendable {
    case string(String)
    case number(Double)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    var text: String {
        var out = ""
        write(to: &out)
        return out
    }

    func write(to out: inout String) {
        switch self {
        case let .string(s): JSONText.appendString(s, to: &out)
        case let .number(x): out += x.isFinite ? (x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)") : "null"
        case let .int(i): out += String(i)
        case let .bool(b): out += b ? "true" : "false"
        case .null: out += "null"
        case let .array(a):
            out += "["
            for (i, v) in a.enumerated() { if i > 0 { out += "," }; v.write(to: &out) }
            out += "]"
        case let .object(fields):
            out += "{"
            for (i, (k, v)) in fields.enumerated() {
                if i > 0 { out += "," }
                JSONText.appendString(k, to: &out); out += ":"; v.write(to: &out)
            }
            out += "}"
        }
    }
}

/// Little-endian reads from a byte array, nil past the end.
struct ByteReader {
    let bytes: [UInt8]
    var offset = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    var remaining: Int { bytes.count - offset }
    mutating func u8() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }
    /// An unsigned little-endian integer of `T`'s width.
    mutating func uint<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) -> T? {
        let n = MemoryLayout<T>.size
        guard remaining >= n else { return nil }
        var v: T = 0
        for k in 0..<n { v |= T(bytes[offset + k]) << (8 * k) }
        offset += n
        return v
    }
    mutating func u32() -> UInt32? { uint(UInt32.self) }
    mutating func u64() -> UInt64? { uint(UInt64.self) }
    mutating func f64() -> Double? { u64().map(Double.init(bitPattern:)) }
    mutating func bytes(_ n: Int) -> ArraySlice<UInt8>? {
        guard n >= 0, remaining >= n else { return nil }
        defer { offset += n }
        return bytes[offset..<offset + n]
    }
    mutating func pose() -> Pose? {
        guard let px = f64(), let py = f64(), let pz = f64(), let qw = f64(), let qx = f64(), let qy = f64(), let qz = f64() else { return nil }
        return Pose(position: Vec3(px, py, pz), orientation: Quat(w: qw, x: qx, y: qy, z: qz))
    }
}

/// Little-endian writes.
struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func u8(_ v: UInt8) { bytes.append(v) }
    /// An unsigned integer, little-endian.
    mutating func uint<T: FixedWidthInteger & UnsignedInteger>(_ v: T) {
        for k in 0..<MemoryLayout<T>.size { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * k))) }
    }
    mutating func u16(_ v: UInt16) { uint(v) }
    mutating func u32(_ v: UInt32) { uint(v) }
    mutating func u64(_ v: UInt64) { uint(v) }
    mutating func f64(_ v: Double) { u64(v.bitPattern) }
    mutating func f32(_ v: Float) { u32(v.bitPattern) }
    mutating func pose(_ p: Pose) {
        for v in [p.position.x, p.position.y, p.position.z, p.orientation.w, p.orientation.x, p.orientation.y, p.orientation.z] { f64(v) }
    }
}
