import Foundation
import GRDB

/// The progress store in one SQLite file (through GRDB.swift): write-ahead logging, so readers never
/// block the writer and a crash loses at most the transaction in flight; the schema made and
/// upgraded by numbered migrations, recorded in the file (`grdb_migrations`).
public final class SQLiteProgressStore: ProgressStore {
    private let pool: DatabasePool
    public let path: String

    /// The migrations, in order; a file made by an older build is brought up to date on opening.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: attempts and their metrics") { db in
            for statement in StoreSchema.v1(.sqlite) { try db.execute(sql: statement) }
        }
        return m
    }

    /// Opens (or creates) the store at `path` and applies any migration it lacks.
    public init(path: String) throws(StoreError) {
        self.path = path
        do {
            var config = Configuration()
            config.busyMode = .timeout(10)
            pool = try DatabasePool(path: path, configuration: config)
            try Self.migrator.migrate(pool)
        } catch {
            throw StoreError("\(path): cannot open the progress store: \(error)")
        }
    }

    /// The journal mode SQLite reports (`wal`).
    public func journalMode() throws -> String { try pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") ?? "" } }

    /// The migrations applied to the file, in order.
    public func appliedMigrations() throws -> [String] { try pool.read { try Self.migrator.appliedMigrations($0) } }

    public func record(_ a: AttemptRecord) throws(StoreError) {
        do {
            try pool.write { db in
                let seq = try Int64.fetchOne(db, sql: StoreSchema.upsertAttempt(.sqlite), arguments: [a.trainee, a.scenarioID, a.attempt, a.started, a.tracePath, a.traceHash, a.scenarioHash, a.rubricHash,
                                     a.passed, a.score, a.duration, a.complete, a.errors, a.criticalErrors,
                                     ISO8601DateFormatter().string(from: Date())])!
                try db.execute(sql: "DELETE FROM attempt_metric WHERE attempt_seq = ?", arguments: [seq])
                for (i, m) in a.metrics.enumerated() {
                    try db.execute(sql: StoreSchema.insertMetric(.sqlite), arguments: [seq, i, m.id, m.kind, m.value, m.unit, m.defined, m.met, m.targetMin, m.targetMax])
                }
            }
        } catch {
            throw StoreError("\(path): cannot record the attempt: \(error)")
        }
    }

    public func attempts(trainee: String, scenario: String?) throws(StoreError) -> [AttemptRecord] {
        do {
            return try pool.read { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT * FROM attempt WHERE trainee = ? AND (? IS NULL OR scenario_id = ?)
                    ORDER BY started IS NULL, started, seq
                    """, arguments: [trainee, scenario, scenario])
                return try rows.map { row in
                    let seq: Int64 = row["seq"]
                    let metrics = try Row.fetchAll(db, sql: "SELECT * FROM attempt_metric WHERE attempt_seq = ? ORDER BY position", arguments: [seq]).map { m in
                        AttemptMetric(id: m["id"], kind: m["kind"], value: m["value"], unit: m["unit"], defined: m["defined"], met: m["met"],
                                      targetMin: m["target_min"], targetMax: m["target_max"])
                    }
                    return AttemptRecord(trainee: row["trainee"], scenarioID: row["scenario_id"], attempt: row["attempt"], started: row["started"],
                                         tracePath: row["trace_path"], traceHash: row["trace_hash"], scenarioHash: row["scenario_hash"],
                                         rubricHash: row["rubric_hash"], passed: row["passed"], score: row["score"], duration: row["duration_s"],
                                         complete: row["complete"], errors: row["errors"], criticalErrors: row["critical_errors"], metrics: metrics)
                }
            }
        } catch {
            throw StoreError("\(path): cannot read the attempts: \(error)")
        }
    }

    public func trainees(scenario: String?) throws(StoreError) -> [String] {
        do {
            return try pool.read { db in
                try String.fetchAll(db, sql: "SELECT DISTINCT trainee FROM attempt WHERE (? IS NULL OR scenario_id = ?) ORDER BY trainee",
                                    arguments: [scenario, scenario])
            }
        } catch {
            throw StoreError("\(path): cannot read the trainees: \(error)")
        }
    }
}
