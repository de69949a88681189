// xAPI (Experience API 1.0.3, IEEE 9274.1.1) statements, what a learning-management system's
// learning record store (LRS) takes: `POST /statements` accepts the array `xapiJSON` writes.
// Mapping (docs/report-format.md, "xAPI statements"): the trainee is the actor (an account on the
// programme's home page), the scenario the activity; a `completed` statement when every required
// step was completed, then `passed` or `failed` with the score scaled to 0–1, success, completion,
// the simulated duration (ISO 8601) and the metrics and errors as extensions. The cmi5 profile
// orders completed and passed the same way. Statement ids are derived from the report (a
// name-based UUID), so sending the same report twice is the same statement, which an LRS accepts once.
import PracticumCore

/// Names xAPI fixes.
public enum XAPI {
    /// Default home page: actor accounts, activity ids and extension keys are IRIs under it.
    /// A programme sets its own (`practicum score --xapi-home URL`).
    public static let defaultHome = "https://practicum.example.org"
    /// ADL verbs.
    public static let verbs = ["completed", "passed", "failed"]
    /// ADL activity type of a simulation.
    public static let activityType = "http://adlnet.gov/expapi/activities/simulation"

    /// `seconds` as an ISO 8601 duration to 0.01 s, as xAPI asks: `PT1M30.5S`, `PT0S`.
    public static func duration(_ seconds: Double) -> String {
        let cs = seconds.isFinite && seconds > 0 ? Int((seconds * 100).rounded()) : 0
        let h = cs / 360_000, m = cs / 6000 % 60, s = cs % 6000
        var out = "PT"
        if h > 0 { out += "\(h)H" }
        if m > 0 { out += "\(m)M" }
        if s > 0 || (h == 0 && m == 0) {
            out += "\(s / 100)"
            let frac = s % 100
            if frac != 0 { out += "." + (frac % 10 == 0 ? "\(frac / 10)" : (frac < 10 ? "0" : "") + "\(frac)") }
            out += "S"
        }
        return out
    }

    /// A name-based UUID (version 8, RFC 9562) of `parts`: the same parts give the same id.
    public static func uuid(_ parts: [String]) -> String {
        var a = StateHash(), b = StateHash()
        a.combine(byte: 0x61); b.combine(byte: 0x62)
        for p in parts { a.combine(p); b.combine(p) }
        var bytes = (0..<8).map { UInt8(truncatingIfNeeded: a.value >> (8 * UInt64($0))) } + (0..<8).map { UInt8(truncatingIfNeeded: b.value >> (8 * UInt64($0))) }
        bytes[6] = bytes[6] & 0x0f | 0x80
        bytes[8] = bytes[8] & 0x3f | 0x80
        let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }
        return [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { hex[$0].joined() }.joined(separator: "-")
    }

    /// `s` percent-encoded for a path segment of an IRI (letters, digits, `-._~` kept).
    static func segment(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            if (0x30...0x39).contains(b) || (0x41...0x5a).contains(b) || (0x61...0x7a).contains(b) || "-._~".utf8.contains(b) {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
            }
        }
        return out
    }
}

extension Report {
    /// The xAPI statements for this attempt, as a JSON array (one statement per line group, keys in
    /// a fixed order; the same report gives the same bytes). `home` is the programme's home page.
    public func xapiJSON(home: String = XAPI.defaultHome) -> String {
        JSON.array(xapiStatements(home: home)).serialized()
    }

    package func xapiStatements(home: String) -> [JSON] {
        let base = home.hasSuffix("/") ? String(home.dropLast()) : home
        var verbs: [String] = []
        if complete { verbs.append("completed") }
        verbs.append(passed ? "passed" : "failed")
        return verbs.map { statement(verb: $0, base: base, home: home) }
    }

    private func statement(verb: String, base: String, home: String) -> JSON {
        let ext = "\(base)/xapi/extensions"
        var result: [(String, JSON)] = []
        if verb != "completed" {
            result.append(("score", .object([("scaled", .number(max(0, min(1, score / 100)))), ("raw", .number(score)),
                                              ("min", .int(0)), ("max", .int(100))])))
            result.append(("success", .bool(passed)))
        }
        result.append(("completion", .bool(complete)))
        result.append(("duration", .string(XAPI.duration(duration))))
        if verb != "completed" {
            result.append(("extensions", .object([
                ("\(ext)/metrics", .array(evaluation.metrics.map { m in .object([
                    ("id", .string(m.id)), ("kind", .string(m.kind)), ("value", .number(m.result.value)),
                    ("unit", .string(Units.displaySymbol(for: m.dimension))), ("defined", .bool(m.result.defined)),
                    ("met", m.met.map(JSON.bool) ?? .null),
                ]) })),
                ("\(ext)/errors", .array(evaluation.errors.map { e in .object([
                    ("id", .string(e.id)), ("title", .string(e.title)), ("critical", .bool(e.critical)), ("time_s", .number(e.time)),
                ]) })),
                ("\(ext)/failed-criteria", .array(evaluation.failedCriteria.map(JSON.string))),
            ])))
        }
        var fields: [(String, JSON)] = [
            ("id", .string(XAPI.uuid([verb, context.scenarioID, context.scenarioHash, context.traceHash ?? "", attempt.trainee ?? "",
                                      attempt.attempt ?? "", attempt.started ?? "", home]))),
            ("actor", .object([("objectType", .string("Agent")),
                               ("account", .object([("homePage", .string(home)), ("name", .string(attempt.trainee ?? "unknown"))]))])),
            ("verb", .object([("id", .string("http://adlnet.gov/expapi/verbs/\(verb)")), ("display", .object([("en-US", .string(verb))]))])),
            ("object", .object([
                ("objectType", .string("Activity")), ("id", .string("\(base)/scenarios/\(XAPI.segment(context.scenarioID))")),
                ("definition", .object([("name", .object([("en-US", .string(context.scenarioTitle))])),
                                        ("type", .string(XAPI.activityType))])),
            ])),
            ("result", .object(result)),
            ("context", .object([
                ("platform", .string(context.engineVersion.isEmpty ? "practicum" : context.engineVersion)),
                ("extensions", .object([
                    ("\(ext)/scenario", .object([("id", .string(context.scenarioID)), ("version", .string(context.scenarioVersion)),
                                                 ("content_hash", .string(context.scenarioHash))])),
                    ("\(ext)/outcome", .string(outcome)),
                ] + (context.traceHash.map { [("\(ext)/trace-hash", JSON.string($0))] } ?? [])
                  + (attempt.attempt.map { [("\(ext)/attempt", JSON.string($0))] } ?? []))),
            ])),
        ]
        if let started = attempt.started { fields.append(("timestamp", .string(started))) }
        return .object(fields)
    }
}
