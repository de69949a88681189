import Foundation
import PracticumCore

/// How a reader treats damage after the header.
public enum TraceReadMode: Sendable {
    /// Any damage (truncation, corruption, missing `end` line) throws `TraceError.damaged`.
    case strict
    /// Returns the intact prefix with `Trace.damage` set (`practicum score --partial`).
    case lenient
}

/// Reads trace files (docs/trace-format.md). Never traps on bad input: binary data, empty files and
/// overlong lines all come back as `TraceError` or `TraceDamage` with a byte offset and line.
public enum TraceReader {
    /// Reads the trace at `path`.
    public static func read(contentsOf path: String, mode: TraceReadMode = .strict) throws(TraceError) -> Trace {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .io(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        return try read(bytes: [UInt8](data), mode: mode)
    }

    /// Reads only the header of the trace at `path` (cheap check of the scenario before scoring).
    public static func readHeader(contentsOf path: String) throws(TraceError) -> TraceHeader {
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            data = try handle.read(upToCount: TraceCodec.maxHeaderLength + TraceCodec.maxLineLength) ?? Data()
        } catch {
            throw .io(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        var scanner = LineScanner(bytes: [UInt8](data)[...])
        return try readHeader(&scanner)
    }

    /// Reads a trace from its bytes.
    public static func read(bytes: [UInt8], mode: TraceReadMode = .strict) throws(TraceError) -> Trace {
        var scanner = LineScanner(bytes: bytes[...])
        let header = try readHeader(&scanner)
        var decoder = FrameDecoder(handCount: header.handCount)
        var frames: [InputFrame] = []
        var damage: TraceDamage?
        loop: while true {
            switch decoder.decode(scanner.next(), endOffset: bytes.count, nextLine: scanner.lineNumber + 1) {
            case let .frame(f): frames.append(f)
            case .end:
                if case .endOfFile = scanner.next() { break loop }
                damage = TraceDamage(kind: .corrupt, byteOffset: scanner.lineStart, line: scanner.lineNumber,
                                     reason: "data after the 'end' line")
                break loop
            case let .damage(d): damage = d; break loop
            }
        }
        if let damage, mode == .strict { throw .damaged(damage) }
        return Trace(header: header, frames: frames, damage: damage)
    }

    // MARK: header

    static func readHeader(_ scanner: inout LineScanner) throws(TraceError) -> TraceHeader {
        let sig = Array(TraceCodec.signature.utf8)
        if scanner.bytes.isEmpty { throw .empty }
        guard scanner.bytes.starts(with: sig.prefix(scanner.bytes.count)) else {
            throw .notATrace(reason: "the file does not start with '\(TraceCodec.signature)'")
        }
        var header = TraceHeader(scenarioID: "")
        var seen: [String] = []
        var lastKey = ""
        while true {
            let (payload, start, number): (ArraySlice<UInt8>, Int, Int)
            switch scanner.next() {
            case .endOfFile:
                throw .badHeader(line: scanner.lineNumber + 1, byteOffset: scanner.bytes.count,
                                 reason: "the header ends early (no 'frames' line)")
            case let .damaged(d):
                throw .badHeader(line: d.line, byteOffset: d.byteOffset, reason: d.reason)
            case let .line(p, s, n): (payload, start, number) = (p, s, n)
            }
            let text = String(decoding: payload, as: UTF8.self)
            let tokens = text.split(separator: " ", omittingEmptySubsequences: false)
            let key = String(tokens[0])
            let bad = { (reason: String) in TraceError.badHeader(line: number, byteOffset: start, reason: reason) }
            guard start < TraceCodec.maxHeaderLength else { throw bad("the header is longer than \(TraceCodec.maxHeaderLength) bytes") }
            let expected = ["practicum-trace", "scenario", "scenario-version", "scenario-hash", "sample-rate", "hands"]
            if seen.count < expected.count {
                guard key == expected[seen.count] else { throw bad("expected '\(expected[seen.count])', found '\(key.quotedForMessage())'") }
            } else {
                guard key == "meta" || key == "frames" else { throw bad("expected 'meta' or 'frames', found '\(key.quotedForMessage())'") }
            }
            seen.append(key)
            let arity = key == "meta" ? 3 : (key == "frames" ? 1 : 2)
            guard tokens.count == arity else { throw bad("'\(key.quotedForMessage())' takes \(arity - 1) value(s), found \(tokens.count - 1)") }
            switch key {
            case "practicum-trace":
                guard let v = Int(tokens[1]), v >= 1 else { throw bad("bad format version '\(String(tokens[1]).quotedForMessage())'") }
                guard v <= TraceHeader.currentFormatVersion else { throw .unsupportedVersion(v) }
                header.formatVersion = v
            case "scenario", "scenario-version", "scenario-hash":
                guard let s = TraceCodec.unescape(tokens[1]) else { throw bad("bad escape in '\(String(tokens[1]).quotedForMessage())'") }
                guard s.utf8.count <= (key == "scenario" ? TraceCodec.maxIDLength : TraceCodec.maxHeaderValueLength) else {
                    throw bad("'\(key)' is longer than \(key == "scenario" ? TraceCodec.maxIDLength : TraceCodec.maxHeaderValueLength) bytes")
                }
                if key == "scenario" { header.scenarioID = s } else if key == "scenario-version" { header.scenarioVersion = s } else { header.scenarioHash = s }
            case "sample-rate":
                guard tokens[1].utf8.count <= 32, let r = Double(tokens[1]), r.isFinite, r > 0, r <= 10_000 else { throw bad("bad sample rate '\(String(tokens[1]).quotedForMessage())'") }
                header.sampleRate = r
            case "hands":
                guard let n = Int(tokens[1]), (0...16).contains(n) else { throw bad("bad hand count '\(String(tokens[1]).quotedForMessage())'") }
                header.handCount = n
            case "meta":
                let k = String(tokens[1])
                guard header.metadata.count < Limits.traceMetadataLines else {
                    throw bad("more than \(Limits.traceMetadataLines) metadata lines")
                }
                guard TraceCodec.isName(k) else { throw bad("bad metadata key '\(k.quotedForMessage())'") }
                guard let v = TraceCodec.unescape(tokens[2]) else { throw bad("bad escape in '\(String(tokens[2]).quotedForMessage())'") }
                if lastKey >= k && !header.metadata.isEmpty { throw bad("metadata key '\(k)' is repeated or out of order") }
                header.metadata[k] = v
                lastKey = k
            default: // frames
                return header
            }
        }
    }

    // MARK: frames

    /// Turns the checked lines after the header into frames, the `end` line, or damage.
    struct FrameDecoder {
        enum Step { case frame(InputFrame), end, damage(TraceDamage) }
        let handCount: Int
        private var previous: InputFrame?
        private var previousValues: [Double] = []
        private(set) var count = 0
        init(handCount: Int) { self.handCount = handCount }

        /// - Parameters: endOffset and nextLine: where the file ends, for a trace without its `end` line.
        mutating func decode(_ scan: LineScanner.Scan, endOffset: Int, nextLine: Int) -> Step {
            switch scan {
            case .endOfFile:
                return .damage(TraceDamage(kind: .truncated, byteOffset: endOffset, line: nextLine,
                                           reason: "no 'end' line after \(count) frames: the recording stopped before it was closed"))
            case let .damaged(d):
                return .damage(d)
            case let .line(payload, start, number):
                let corrupt = { (reason: String) in Step.damage(TraceDamage(kind: .corrupt, byteOffset: start, line: number, reason: reason)) }
                if payload.starts(with: [UInt8(ascii: "e")]) {
                    let tokens = payload.split(separator: 0x20, omittingEmptySubsequences: false)
                    guard tokens.count == 2, String(decoding: tokens[0], as: UTF8.self) == "end", tokens[1].count <= 20,
                          let n = Int(String(decoding: tokens[1], as: UTF8.self)) else {
                        return corrupt("malformed 'end' line")
                    }
                    guard n == count else { return corrupt("'end' line counts \(n) frames, but \(count) were read") }
                    return .end
                }
                switch parseFrame(payload, previous: previous, previousValues: &previousValues, handCount: handCount) {
                case let .success(f):
                    previous = f; count += 1
                    return .frame(f)
                case let .failure(reason):
                    return corrupt(reason.message)
                }
            }
        }
    }

    struct FrameError: Error { var message: String }

    /// Parses one `f` line. `previousValues` holds the previous frame's numbers (empty before the
    /// first frame) and is updated to this frame's on success.
    static func parseFrame(_ payload: ArraySlice<UInt8>, previous: InputFrame?, previousValues: inout [Double],
                           handCount: Int) -> Result<InputFrame, FrameError> {
        let numberCount = TraceCodec.leadingFields + TraceCodec.fieldsPerHand * handCount
        // token boundaries, without copying
        var bounds: [Range<Int>] = []
        bounds.reserveCapacity(numberCount + 2)
        var tokenStart = payload.startIndex
        for i in payload.indices where payload[i] == 0x20 {
            bounds.append(tokenStart..<i); tokenStart = i + 1
        }
        bounds.append(tokenStart..<payload.endIndex)
        guard payload[bounds[0]].elementsEqual([UInt8(ascii: "f")]) else {
            return .failure(FrameError(message: "unknown record '\(String(decoding: payload[bounds[0]].prefix(32), as: UTF8.self))'"))
        }
        guard bounds.count == numberCount + 2 else {
            return .failure(FrameError(message: "frame has \(bounds.count - 2) numbers; \(numberCount) expected for \(handCount) hands"))
        }
        var v = [Double](repeating: 0, count: numberCount)
        for i in 0..<numberCount {
            let tok = payload[bounds[i + 1]]
            if tok.count == 1 && tok.first == UInt8(ascii: "=") {
                guard previousValues.count == numberCount else {
                    return .failure(FrameError(message: "field \(i) repeats ('=') but there is no previous frame"))
                }
                v[i] = previousValues[i]
            } else {
                guard let x = parseNumber(tok), x.isFinite else {
                    return .failure(FrameError(message: "field \(i) '\(String(decoding: tok.prefix(32), as: UTF8.self))' is not a finite number"))
                }
                v[i] = x
            }
        }
        let btok = payload[bounds[numberCount + 1]]
        var buttons: [String]
        if btok.elementsEqual([UInt8(ascii: "=")]) {
            guard let previous else { return .failure(FrameError(message: "buttons repeat ('=') but there is no previous frame")) }
            buttons = previous.buttons
        } else if btok.elementsEqual([UInt8(ascii: "-")]) {
            buttons = []
        } else {
            let names = btok.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            guard names.count <= Limits.buttons else {
                return .failure(FrameError(message: "\(names.count) buttons held; at most \(Limits.buttons)"))
            }
            buttons = names.map { String(decoding: $0, as: UTF8.self) }
            guard buttons.allSatisfy({ TraceCodec.isName($0) && $0.utf8.count <= Limits.traceName }) else {
                return .failure(FrameError(message: "bad button list"))
            }
        }
        if let previous, v[0] < previous.time {
            return .failure(FrameError(message: "time \(v[0]) s goes back from \(previous.time) s"))
        }
        if let why = TraceCodec.implausible(v, handCount: handCount, buttonCount: buttons.count) {
            return .failure(FrameError(message: why))
        }
        func pose(_ o: Int) -> Pose {
            Pose(position: Vec3(v[o], v[o + 1], v[o + 2]), orientation: Quat(w: v[o + 3], x: v[o + 4], y: v[o + 5], z: v[o + 6]))
        }
        var hands: [HandInput] = []
        hands.reserveCapacity(handCount)
        for h in 0..<handCount {
            let o = TraceCodec.leadingFields + h * TraceCodec.fieldsPerHand
            hands.append(HandInput(pose: pose(o), grip: v[o + 7], trigger: v[o + 8]))
        }
        previousValues = v
        return .success(InputFrame(time: v[0], head: pose(1), hands: hands, buttons: buttons))
    }

    /// A decimal number token (digits, `.`, `e`, sign only; at most 32 bytes), correctly rounded.
    ///
    /// `strtod` on a stack copy avoids a heap `String` per token; if it does not consume the whole
    /// token (a process that set a locale with a decimal comma) Swift's parser decides.
    static func parseNumber(_ tok: ArraySlice<UInt8>) -> Double? {
        guard !tok.isEmpty, tok.count <= 32 else { return nil }
        for b in tok {
            guard (b >= 0x30 && b <= 0x39) || b == 0x2e || b == 0x2d || b == 0x2b || b == 0x65 || b == 0x45 else { return nil }
        }
        let fast: Double? = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 33) { buf in
            var n = 0
            for b in tok { buf[n] = CChar(bitPattern: b); n += 1 }
            buf[n] = 0
            var end: UnsafeMutablePointer<CChar>?
            let x = strtod(buf.baseAddress!, &end)
            return end.map { $0 - buf.baseAddress! } == n ? x : nil
        }
        return fast ?? Double(String(decoding: tok, as: UTF8.self))
    }
}

/// Splits trace bytes into checked lines.
struct LineScanner {
    enum Scan {
        case line(payload: ArraySlice<UInt8>, start: Int, number: Int)
        case endOfFile
        case damaged(TraceDamage)
    }

    let bytes: ArraySlice<UInt8>
    /// Offset of the next line to read (after `next()`, of the line just returned), in the file.
    var lineStart: Int { lineStartIndex - bytes.startIndex + offsetBase }
    /// Bytes of `bytes` consumed so far (lines returned).
    var consumed: Int { position - bytes.startIndex }
    /// Number of the line last returned (1-based, in the file).
    private(set) var lineNumber: Int
    private var lineStartIndex: Int
    private var position: Int
    /// Where `bytes` lies in the file: its first byte's offset (a stream reads in chunks).
    private let offsetBase: Int

    init(bytes: ArraySlice<UInt8>, offsetBase: Int = 0, lineBase: Int = 0) {
        self.bytes = bytes; position = bytes.startIndex; lineStartIndex = bytes.startIndex
        self.offsetBase = offsetBase; lineNumber = lineBase
    }

    mutating func next() -> Scan {
        lineStartIndex = position
        if position == bytes.endIndex { return .endOfFile }
        lineNumber += 1
        let start = position
        let limit = min(bytes.endIndex, start + TraceCodec.maxLineLength)
        let found: Int? = bytes[start..<limit].withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress, let hit = memchr(base, 0x0a, buf.count) else { return nil }
            return start + (UnsafeRawPointer(hit) - UnsafeRawPointer(base))
        }
        guard let nl = found else {
            position = bytes.endIndex
            if limit < bytes.endIndex {
                return .damaged(damage(.corrupt, start, "line is longer than \(TraceCodec.maxLineLength) bytes"))
            }
            let printable = bytes[start...].allSatisfy { $0 >= 0x20 && $0 < 0x7f }
            return .damaged(damage(printable ? .truncated : .corrupt, start,
                                   printable ? "the last line is incomplete" : "the last line is incomplete and holds non-text bytes"))
        }
        position = nl + 1
        let content = bytes[start..<nl]
        // " *" + 8 lowercase hex digits.
        guard content.count >= 10 else { return .damaged(damage(.corrupt, start, "line has no checksum")) }
        let sumStart = content.endIndex - 8
        guard content[sumStart - 2] == 0x20, content[sumStart - 1] == 0x2a else {
            return .damaged(damage(.corrupt, start, "line has no checksum"))
        }
        var stored: UInt32 = 0
        for b in content[sumStart...] {
            guard let d = TraceCodec.hexValue(b), !(0x41...0x46).contains(b) else {
                return .damaged(damage(.corrupt, start, "malformed checksum"))
            }
            stored = stored << 4 | UInt32(d)
        }
        let payload = content[start..<(sumStart - 2)]
        let computed = CRC32.checksum(payload)
        guard computed == stored else {
            var s: [UInt8] = [], c: [UInt8] = []
            TraceCodec.appendHex(stored, to: &s); TraceCodec.appendHex(computed, to: &c)
            return .damaged(damage(.corrupt, start, "checksum mismatch (stored \(String(decoding: s, as: UTF8.self)), computed \(String(decoding: c, as: UTF8.self)))"))
        }
        return .line(payload: payload, start: start - bytes.startIndex + offsetBase, number: lineNumber)
    }

    private func damage(_ kind: TraceDamage.Kind, _ start: Int, _ reason: String) -> TraceDamage {
        TraceDamage(kind: kind, byteOffset: start - bytes.startIndex + offsetBase, line: lineNumber, reason: reason)
    }
}
