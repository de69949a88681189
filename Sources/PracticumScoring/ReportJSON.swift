import PracticumCore

/// A JSON value whose objects keep their keys in the order written, so output is byte-stable.
/// `package`: the xAPI output and the test support's schema validator use it too.
package enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    /// Written in Swift's shortest round-trip form; non-finite numbers are written as `null`.
    case number(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    package static func == (a: JSON, b: JSON) -> Bool { a.serialized() == b.serialized() }

    /// Pretty-printed with two-space indentation and a final newline.
    package func serialized() -> String {
        var out = ""
        write(&out, indent: 0)
        out += "\n"
        return out
    }

    private func write(_ out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(i): out += String(i)
        case let .number(d): out += JSON.format(d)
        case let .string(s): JSON.escape(s, into: &out)
        case let .array(items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += String(repeating: "  ", count: indent + 1)
                item.write(&out, indent: indent + 1)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: indent) + "]"
        case let .object(fields):
            if fields.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, (key, value)) in fields.enumerated() {
                out += String(repeating: "  ", count: indent + 1)
                JSON.escape(key, into: &out)
                out += ": "
                value.write(&out, indent: indent + 1)
                out += i + 1 < fields.count ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: indent) + "}"
        }
    }

    /// Shortest round-trip decimal (Swift's own algorithm, not the C library's), integers without
    /// `.0`, `-0` as `0`, non-finite as `null`.
    static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == 0 { return "0" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(describing: d)
    }

    static func escape(_ s: String, into out: inout String) { JSONText.appendString(s, to: &out) }
}

extension Report {
    /// The report as JSON (schema `practicum-report/1`, see docs/report-format.md): keys in a fixed
    /// order, numbers in shortest round-trip form, never NaN or infinity. Identical reports give
    /// identical bytes.
    /// - Parameter includeSeries: add the downsampled debrief series (`series`).
    public func json(includeSeries: Bool = false) -> String {
        jsonValue(includeSeries: includeSeries).serialized()
    }

    func jsonValue(includeSeries: Bool) -> JSON {
        let e = evaluation
        var top: [(String, JSON)] = [
            ("schema", .string(Report.schema)),
            ("passed", .bool(passed)),
            ("score", .number(score)),
            ("complete", .bool(complete)),
            ("outcome", .string(outcome)),
            ("duration_s", .number(duration)),
            ("ticks", .int(ticks)),
            ("input_complete", .bool(inputComplete)),
            ("scenario", .object([
                ("id", .string(context.scenarioID)), ("title", .string(context.scenarioTitle)),
                ("version", .string(context.scenarioVersion)), ("content_hash", .string(context.scenarioHash)),
                ("scene_hash", context.sceneHash.map(JSON.string) ?? .null),
                ("procedure_hash", context.procedureHash.map(JSON.string) ?? .null),
                ("rubric_hash", context.rubricHash.map(JSON.string) ?? .null),
                ("changed_since_recording", .array(context.changedSinceRecording.map(JSON.string))),
            ])),
            ("trace_hash", context.traceHash.map(JSON.string) ?? .null),
        ]
        // only for a scenario with variation: the reports of fixed scenarios keep their bytes
        if let v = context.variation {
            top.append(("variation", .object([
                ("seed", .string(String(v.seed))),
                ("values", .object(v.values.map { ($0.id, .number($0.value)) })),
                ("events_armed", .object(v.events.map { ($0.id, .bool($0.armed)) })),
            ])))
        }
        top += [
            ("engine_version", .string(context.engineVersion)),
            ("score_breakdown", .object([
                ("formula", .string("score = clamp(100 × (earned − penalty) / attainable, 0, 100)")),
                ("earned", .number(e.earned)), ("penalty", .number(e.penalty)), ("attainable", .number(e.attainable)),
                ("lines", .array(e.lines.map { l in .object([
                    ("kind", .string(l.kind.rawValue)), ("id", .string(l.id)), ("title", .string(l.title)),
                    ("points", .number(l.points)), ("max_points", .number(l.maxPoints)), ("detail", .string(l.detail)),
                ]) })),
                ("failed_criteria", .array(e.failedCriteria.map(JSON.string))),
            ])),
            ("steps", .array(e.steps.map { s in
                let t = s.timeline
                let length: JSON = t.startTime.map { start in .number((t.endTime ?? self.duration) - start) } ?? .null
                // `attempts` only for a step that was retried: reports of procedures without retries keep their bytes
                return .object([
                    ("id", .string(s.info.id)), ("title", .string(s.info.title)), ("required", .bool(s.info.required)),
                    ("status", .string(t.status.rawValue)), ("done", .bool(s.done)), ("out_of_order", .bool(t.outOfOrder)),
                    ("start", moment(t.startTick, t.startTime)), ("end", moment(t.endTick, t.endTime)), ("duration_s", length),
                ] + (t.attempts > 1 ? [("attempts", .int(t.attempts))] : []))
            })),
            ("errors", .array(e.errors.map { o in .object([
                ("id", .string(o.id)), ("title", .string(o.title)), ("critical", .bool(o.critical)),
                ("tick", .int(o.tick)), ("time_s", .number(o.time)), ("penalty", .number(o.penalty)), ("feedback", .string(o.feedback)),
            ]) })),
            ("metrics", .array(e.metrics.map { m in
                .object([
                    ("id", .string(m.id)), ("title", .string(m.title)), ("kind", .string(m.kind)),
                    ("value", .number(m.result.value)), ("unit", .string(Units.displaySymbol(for: m.dimension))),
                    ("defined", .bool(m.result.defined)), ("note", m.result.note.map(JSON.string) ?? .null),
                    ("target", m.target.map(targetJSON) ?? .null), ("met", m.met.map(JSON.bool) ?? .null),
                    ("points", .number(m.points)), ("weight", .number(m.weight)),
                ])
            })),
            ("messages", .array(messages.map { .object([("tick", .int($0.tick)), ("time_s", .number($0.time)), ("text", .string($0.text))]) })),
            ("warnings", .object([
                ("numerical", .int(numericalWarnings)),
                ("physics", .array(physicsWarnings.map { w in .object([
                    ("kind", .string(w.kind)), ("entity", .string(w.entity)), ("tick", .int(w.tick)), ("time_s", .number(w.time)),
                    ("count", .int(w.count)), ("message", .string(w.message)),
                ]) })),
                ("notes", .array(notes.map(JSON.string))),
            ])),
            ("session", .object([
                ("trainee", attempt.trainee.map(JSON.string) ?? .null), ("attempt", attempt.attempt.map(JSON.string) ?? .null),
                ("started", attempt.started.map(JSON.string) ?? .null),
            ])),
        ]
        if includeSeries { top.append(("series", seriesJSON)) }
        return .object(top)
    }

    private func moment(_ tick: Int?, _ time: Double?) -> JSON {
        guard let tick, let time else { return .null }
        return .object([("tick", .int(tick)), ("time_s", .number(time))])
    }

    private func targetJSON(_ t: Target) -> JSON {
        switch t {
        case let .range(lo, hi): .object([("min", .number(lo)), ("max", .number(hi))])
        case let .atMost(hi): .object([("min", .null), ("max", .number(hi))])
        case let .atLeast(lo): .object([("min", .number(lo)), ("max", .null)])
        }
    }

    private var seriesJSON: JSON {
        func encode(_ s: Series, _ names: [String]) -> JSON {
            .object([
                ("names", .array(names.map(JSON.string))),
                ("time_s", .array(s.times.map(JSON.number))),
                ("values", .array((0..<s.channels).map { c in .array((0..<s.count).map { .number(s.value($0, channel: c)) }) })),
            ])
        }
        let pathNames = context.tracked.flatMap { t in ["x", "y", "z"].map { "\(t.name).\($0)" } }
        var fields: [(String, JSON)] = [
            ("path", encode(series.path, pathNames)),
            ("force", encode(series.force, series.forceNames)),
            ("variables", encode(series.variables, context.variables.map(\.name))),
        ]
        if let cpr = series.cprDepth { fields.append(("cpr_depth", encode(cpr, ["depth"]))) }
        fields.append(("error_positions", .array(series.errorMarks.map { m in
            m.map { m in
                .object([("source", .string(m.source < context.tracked.count ? context.tracked[m.source].name : "")),
                         ("position", .array([.number(m.position.x), .number(m.position.y), .number(m.position.z)]))])
            } ?? .null
        })))
        return .object(fields)
    }
}

extension JSON {
    package struct ParseError: Error, Equatable { package var offset: Int }

    /// Parses JSON text. Numbers go through Swift's `Double(String)`, which rounds correctly, so a
    /// document this module wrote reads back bit-exact (Foundation's parser on Linux can be off by an ulp).
    package static func parse(_ text: String) throws -> JSON {
        var p = Parser(bytes: Array(text.utf8))
        let v = try p.value()
        p.skipSpace()
        guard p.i == p.bytes.count else { throw ParseError(offset: p.i) }
        return v
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        mutating func skipSpace() { while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 } }

        mutating func expect(_ s: String) throws {
            for b in s.utf8 {
                guard i < bytes.count, bytes[i] == b else { throw ParseError(offset: i) }
                i += 1
            }
        }

        mutating func value() throws -> JSON {
            skipSpace()
            guard i < bytes.count else { throw ParseError(offset: i) }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var fields: [(String, JSON)] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(fields) }
                while true {
                    skipSpace()
                    guard case let .string(key) = try value() else { throw ParseError(offset: i) }
                    skipSpace()
                    try expect(":")
                    fields.append((key, try value()))
                    skipSpace()
                    if i < bytes.count, bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    try expect("}")
                    return .object(fields)
                }
            case UInt8(ascii: "["):
                i += 1
                var items: [JSON] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                while true {
                    items.append(try value())
                    skipSpace()
                    if i < bytes.count, bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    try expect("]")
                    return .array(items)
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try expect("true"); return .bool(true)
            case UInt8(ascii: "f"): try expect("false"); return .bool(false)
            case UInt8(ascii: "n"): try expect("null"); return .null
            default:
                let start = i
                while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
                let s = String(decoding: bytes[start..<i], as: UTF8.self)
                if let n = Int(s) { return .int(n) }
                guard let d = Double(s), d.isFinite else { throw ParseError(offset: start) }
                return .number(d)
            }
        }

        mutating func string() throws -> String {
            try expect("\"")
            var out: [UInt8] = []
            while i < bytes.count {
                let b = bytes[i]
                i += 1
                if b == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
                guard b == UInt8(ascii: "\\") else { out.append(b); continue }
                guard i < bytes.count else { break }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard i + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else {
                        throw ParseError(offset: i)
                    }
                    i += 4
                    out += Array(String(Unicode.Scalar(code).map(Character.init) ?? "\u{FFFD}").utf8)
                default: out.append(e)
                }
            }
            throw ParseError(offset: i)
        }
    }

    package subscript(key: String) -> JSON? {
        guard case let .object(fields) = self else { return nil }
        return fields.first { $0.0 == key }?.1
    }
    package var string: String? { if case let .string(s) = self { s } else { nil } }
    package var double: Double? {
        switch self {
        case let .number(d): d
        case let .int(i): Double(i)
        default: nil
        }
    }
    package var int: Int? { if case let .int(i) = self { i } else { nil } }
    package var array: [JSON]? { if case let .array(a) = self { a } else { nil } }
}
