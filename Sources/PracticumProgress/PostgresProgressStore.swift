// The progress store on a PostgreSQL server, for a programme run across sites: the same schema
// and semantics as the SQLite file (docs/progress.md), through postgres-nio. The store is used
// from plain threads (the batch scorer's workers), so it speaks through NIO futures and waits on
// them; one connection, each call holding it alone (a transaction is never interleaved).
import Foundation
import PostgresNIO

/// The progress store in a PostgreSQL database named by a `postgres://user[:password]@host[:port]/database` URL.
public final class PostgresProgressStore: ProgressStore, @unchecked Sendable {
    private let connection: PostgresConnection
    private let lock = NSLock()
    /// The URL without its password.
    public let name: String

    /// The migrations, in order (each a list of statements), each recorded in `practicum_migrations` when applied.
    static let migrations: [(String, [String])] = [("v1: attempts and their metrics", StoreSchema.v1(.postgres))]

    /// Connects to the server `url` names and applies any migration the database lacks.
    public init(url: String) throws(StoreError) {
        guard let u = URLComponents(string: url), ["postgres", "postgresql"].contains(u.scheme ?? ""), let host = u.host, !host.isEmpty else {
            throw StoreError("\(url): expected postgres://user[:password]@host[:port]/database")
        }
        let database = String(u.path.drop { $0 == "/" })
        name = "postgres://\(u.user.map { "\($0)@" } ?? "")\(host)\(u.port.map { ":\($0)" } ?? "")/\(database)"
        let config = PostgresConnection.Configuration(host: host, port: u.port ?? 5432, username: u.user ?? "postgres", password: u.password,
                                                      database: database.isEmpty ? nil : database, tls: .disable)
        do {
            connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: config, id: 1,
                                                        logger: Logger(label: "practicum.progress")).wait()
        } catch {
            throw StoreError("\(name): cannot connect to the progress store: \(String(reflecting: error))")
        }
        do {
            _ = try connection.simpleQuery("CREATE TABLE IF NOT EXISTS practicum_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())").wait()
            let applied = try appliedMigrations()
            for (m, statements) in Self.migrations where !applied.contains(m) {
                _ = try connection.simpleQuery("BEGIN").wait()
                do {
                    // one statement per query: the extended protocol takes no more
                    for statement in statements { _ = try connection.simpleQuery(statement).wait() }
                    _ = try connection.query("INSERT INTO practicum_migrations (name) VALUES ($1)", [PostgresData(string: m)]).wait()
                    _ = try connection.simpleQuery("COMMIT").wait()
                } catch {
                    _ = try? connection.simpleQuery("ROLLBACK").wait()
                    throw error
                }
            }
        } catch {
            try? connection.close().wait()
            throw StoreError("\(name): cannot prepare the progress store: \(String(reflecting: error))")
        }
    }

    deinit { try? connection.close().wait() }

    /// The migrations applied to the database, in order.
    public func appliedMigrations() throws -> [String] {
        try connection.query("SELECT name FROM practicum_migrations ORDER BY name COLLATE \"C\"").wait().rows.compactMap { try $0.makeRandomAccess().text("name") }
    }

    /// Empties the store (tests share one database).
    public func removeEverything() throws {
        lock.lock(); defer { lock.unlock() }
        _ = try connection.simpleQuery("TRUNCATE attempt_metric, attempt").wait()
    }

    private static func text(_ s: String?) -> PostgresData { s.map { PostgresData(string: $0) } ?? PostgresData(type: .text) }
    private static func real(_ x: Double?) -> PostgresData { x.map { PostgresData(double: $0) } ?? PostgresData(type: .float8) }
    private static func flag(_ b: Bool?) -> PostgresData { b.map { PostgresData(bool: $0) } ?? PostgresData(type: .bool) }
    private static func int(_ i: Int) -> PostgresData { PostgresData(int64: Int64(i)) }

    public func record(_ a: AttemptRecord) throws(StoreError) {
        lock.lock(); defer { lock.unlock() }
        do {
            _ = try connection.simpleQuery("BEGIN").wait()
            do {
                let rows = try connection.query(StoreSchema.upsertAttempt(.postgres), [Self.text(a.trainee), Self.text(a.scenarioID), Self.text(a.attempt), Self.text(a.started), Self.text(a.tracePath),
                          Self.text(a.traceHash), Self.text(a.scenarioHash), Self.text(a.rubricHash), Self.flag(a.passed), Self.real(a.score),
                          Self.real(a.duration), Self.flag(a.complete), Self.int(a.errors), Self.int(a.criticalErrors)]).wait().rows
                guard let seq = try rows.first?.makeRandomAccess().int("seq") else { throw StoreError("no sequence number returned") }
                _ = try connection.query("DELETE FROM attempt_metric WHERE attempt_seq = $1", [Self.int(seq)]).wait()
                for (i, m) in a.metrics.enumerated() {
                    _ = try connection.query(StoreSchema.insertMetric(.postgres), [Self.int(seq), Self.int(i), Self.text(m.id), Self.text(m.kind), Self.real(m.value), Self.text(m.unit),
                              Self.flag(m.defined), Self.flag(m.met), Self.real(m.targetMin), Self.real(m.targetMax)]).wait()
                }
                _ = try connection.simpleQuery("COMMIT").wait()
            } catch {
                _ = try? connection.simpleQuery("ROLLBACK").wait()
                throw error
            }
        } catch {
            throw StoreError("\(name): cannot record the attempt: \(String(reflecting: error))")
        }
    }

    public func attempts(trainee: String, scenario: String?) throws(StoreError) -> [AttemptRecord] {
        lock.lock(); defer { lock.unlock() }
        do {
            let rows = try connection.query("""
                SELECT * FROM attempt WHERE trainee = $1 AND ($2::text IS NULL OR scenario_id = $2::text)
                ORDER BY started IS NULL, started COLLATE "C", seq
                """, [Self.text(trainee), Self.text(scenario)]).wait().rows
            return try rows.map { r in
                let row = r.makeRandomAccess()
                let seq = try row.int("seq") ?? 0
                let metrics = try connection.query("SELECT * FROM attempt_metric WHERE attempt_seq = $1 ORDER BY position", [Self.int(seq)])
                    .wait().rows.map { r in
                        let m = r.makeRandomAccess()
                        return AttemptMetric(id: try m.text("id") ?? "", kind: try m.text("kind") ?? "", value: try m.real("value") ?? 0,
                                             unit: try m.text("unit") ?? "", defined: try m.flag("defined") ?? false, met: try m.flag("met"),
                                             targetMin: try m.real("target_min"), targetMax: try m.real("target_max"))
                    }
                return AttemptRecord(trainee: try row.text("trainee") ?? "", scenarioID: try row.text("scenario_id") ?? "",
                                     attempt: try row.text("attempt") ?? "", started: try row.text("started"),
                                     tracePath: try row.text("trace_path") ?? "", traceHash: try row.text("trace_hash") ?? "",
                                     scenarioHash: try row.text("scenario_hash") ?? "", rubricHash: try row.text("rubric_hash"),
                                     passed: try row.flag("passed") ?? false, score: try row.real("score") ?? 0,
                                     duration: try row.real("duration_s") ?? 0, complete: try row.flag("complete") ?? false,
                                     errors: try row.int("errors") ?? 0, criticalErrors: try row.int("critical_errors") ?? 0, metrics: metrics)
            }
        } catch {
            throw StoreError("\(name): cannot read the attempts: \(String(reflecting: error))")
        }
    }

    public func trainees(scenario: String?) throws(StoreError) -> [String] {
        lock.lock(); defer { lock.unlock() }
        do {
            return try connection.query("""
                SELECT trainee FROM attempt WHERE ($1::text IS NULL OR scenario_id = $1::text) GROUP BY trainee ORDER BY trainee COLLATE "C"
                """, [Self.text(scenario)]).wait().rows.compactMap { try $0.makeRandomAccess().text("trainee") }
        } catch {
            throw StoreError("\(name): cannot read the trainees: \(String(reflecting: error))")
        }
    }
}

extension PostgresRandomAccessRow {
    /// The cell `column` as the type the store wrote, nil for NULL.
    func text(_ column: String) throws -> String? { try self[column].decode(String?.self) }
    func real(_ column: String) throws -> Double? { try self[column].decode(Double?.self) }
    func flag(_ column: String) throws -> Bool? { try self[column].decode(Bool?.self) }
    func int(_ column: String) throws -> Int? { try self[column].decode(Int?.self) }
}
