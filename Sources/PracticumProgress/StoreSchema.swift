/// The progress store's tables, once, for every SQL dialect: both stores create them and write
/// attempts from this list, so the SQLite file and the PostgreSQL database cannot drift apart.
enum StoreSchema {
    enum Kind { case text, optionalText, real, optionalReal, flag, optionalFlag, integer }
    enum Dialect { case sqlite, postgres }

    /// `attempt`'s columns after `seq`, in the order `record` binds them.
    static let attemptColumns: [(String, Kind)] = [
        ("trainee", .text), ("scenario_id", .text), ("attempt", .text), ("started", .optionalText), ("trace_path", .text),
        ("trace_hash", .text), ("scenario_hash", .text), ("rubric_hash", .optionalText), ("passed", .flag), ("score", .real),
        ("duration_s", .real), ("complete", .flag), ("errors", .integer), ("critical_errors", .integer),
    ]
    /// What identifies an attempt: recording it again replaces it.
    static let attemptKey = ["trainee", "scenario_id", "trace_hash", "attempt"]
    /// `attempt_metric`'s columns after `attempt_seq` and `position`.
    static let metricColumns: [(String, Kind)] = [
        ("id", .text), ("kind", .text), ("value", .real), ("unit", .text), ("defined", .flag), ("met", .optionalFlag),
        ("target_min", .optionalReal), ("target_max", .optionalReal),
    ]

    static func type(_ k: Kind, _ d: Dialect) -> String {
        let base = switch (k, d) {
        case (.text, _), (.optionalText, _): "TEXT"
        case (.real, .sqlite), (.optionalReal, .sqlite): "REAL"
        case (.real, .postgres), (.optionalReal, .postgres): "DOUBLE PRECISION"
        case (.flag, .sqlite), (.optionalFlag, .sqlite), (.integer, .sqlite): "INTEGER"
        case (.flag, .postgres), (.optionalFlag, .postgres): "BOOLEAN"
        case (.integer, .postgres): "BIGINT"
        }
        switch k {
        case .optionalText, .optionalReal, .optionalFlag: return base
        default: return base + " NOT NULL"
        }
    }

    /// The statements of migration v1, one per element.
    static func v1(_ d: Dialect) -> [String] {
        let seq = d == .sqlite ? "seq INTEGER PRIMARY KEY AUTOINCREMENT" : "seq BIGSERIAL PRIMARY KEY"
        let recordedAt = d == .sqlite ? "recorded_at TEXT NOT NULL" : "recorded_at TIMESTAMPTZ NOT NULL DEFAULT now()"
        let int = d == .sqlite ? "INTEGER" : "BIGINT"
        let attempt = ([seq] + attemptColumns.map { "\($0.0) \(type($0.1, d))" } + [recordedAt, "UNIQUE (\(attemptKey.joined(separator: ", ")))"])
        let metric = ["attempt_seq \(int) NOT NULL REFERENCES attempt (seq) ON DELETE CASCADE", "position \(int) NOT NULL"]
            + metricColumns.map { "\($0.0) \(type($0.1, d))" } + ["PRIMARY KEY (attempt_seq, position)"]
        return [
            "CREATE TABLE attempt (\n    " + attempt.joined(separator: ",\n    ") + "\n)",
            "CREATE INDEX attempt_by_trainee ON attempt (trainee, scenario_id)",
            "CREATE TABLE attempt_metric (\n    " + metric.joined(separator: ",\n    ") + "\n)",
        ]
    }

    static func placeholders(_ n: Int, _ d: Dialect, from first: Int = 1) -> String {
        (first..<first + n).map { d == .sqlite ? "?" : "$\($0)" }.joined(separator: ", ")
    }

    /// Inserts an attempt or replaces the one with its key, returning its `seq`. Binds `attemptColumns`
    /// (then, for SQLite, `recorded_at`).
    static func upsertAttempt(_ d: Dialect) -> String {
        let names = attemptColumns.map(\.0) + (d == .sqlite ? ["recorded_at"] : [])
        let updates = names.filter { !attemptKey.contains($0) }.map { "\($0) = excluded.\($0)" } + (d == .postgres ? ["recorded_at = now()"] : [])
        return "INSERT INTO attempt (\(names.joined(separator: ", "))) VALUES (\(placeholders(names.count, d)))\n"
            + "ON CONFLICT (\(attemptKey.joined(separator: ", "))) DO UPDATE SET \(updates.joined(separator: ", "))\nRETURNING seq"
    }

    /// Inserts one metric; binds `attempt_seq`, `position`, then `metricColumns`.
    static func insertMetric(_ d: Dialect) -> String {
        let names = ["attempt_seq", "position"] + metricColumns.map(\.0)
        return "INSERT INTO attempt_metric (\(names.joined(separator: ", "))) VALUES (\(placeholders(names.count, d)))"
    }
}
