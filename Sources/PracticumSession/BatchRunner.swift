import Foundation
import PracticumCore

/// Runs one job per input on all cores and returns results in input order.
///
/// Workers pull the next index from a shared counter (traces differ in length, so static chunks
/// would leave cores idle). Results are stored by index, so the output order — and anything written
/// from it — does not depend on scheduling.
public enum BatchRunner {
    /// Applies `body` to every input on up to `workers` threads (default: all active cores).
    /// `progress(done, total)` is called after each job, serialised (from worker threads).
    public static func map<Input: Sendable, Output: Sendable>(
        _ inputs: [Input], workers: Int? = nil,
        progress: (@Sendable (Int, Int) -> Void)? = nil,
        _ body: @Sendable (Input) -> Output
    ) -> [Output] {
        let state = BatchState<Output>(count: inputs.count)
        let threads = max(1, min(workers ?? ProcessInfo.processInfo.activeProcessorCount, inputs.count))
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while let i = state.claim() {
                let result = body(inputs[i])
                let done = state.store(result, at: i)
                progress?(done, inputs.count)
            }
        }
        return state.results()
    }
}

/// Shared by the workers of one `BatchRunner.map` call; every access holds the lock.
private final class BatchState<Output>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var done = 0
    private var slots: [Output?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func claim() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < slots.count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ value: Output, at i: Int) -> Int {
        lock.lock(); defer { lock.unlock() }
        slots[i] = value
        done += 1
        return done
    }

    func results() -> [Output] {
        lock.lock(); defer { lock.unlock() }
        return slots.map { $0! }
    }
}

/// A progress bar on standard error, drawn only when it is a terminal (never in CI logs or pipes).
public final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private let label: String
    private let enabled: Bool
    private var lastDrawn = -1

    public init(label: String, enabled: Bool = isatty(STDERR_FILENO) != 0) {
        self.label = label; self.enabled = enabled
    }

    /// Redraws for `done` of `total`; safe to call from any thread.
    public func update(_ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        lock.lock(); defer { lock.unlock() }
        guard done > lastDrawn else { return } // progress callbacks may arrive out of order
        lastDrawn = done
        let width = 30, filled = width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)\(done == total ? "\n" : "")".utf8))
    }
}

/// One cell of a summary table.
public enum SummaryValue: Sendable, Equatable {
    case text(String)
    case number(Double)
    case bool(Bool)
    case null
}

/// A table with one row per trace (trace, passed, score, …) written as CSV or JSON; byte-identical
/// for identical contents (column order as given, numbers as shortest round-trip decimals).
public struct SummaryTable: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[SummaryValue]]

    public init(columns: [String], rows: [[SummaryValue]] = []) { self.columns = columns; self.rows = rows }

    /// RFC 4180 CSV: a header row, then one line per row; fields with `,` `"` or line breaks are quoted.
    public func csv() -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        func cell(_ v: SummaryValue) -> String {
            switch v {
            case let .text(s): field(s)
            case let .number(x): x.isFinite ? TraceCodec.format(x) : ""
            case let .bool(b): b ? "true" : "false"
            case .null: ""
            }
        }
        var out = columns.map(field).joined(separator: ",") + "\n"
        for row in rows { out += row.map(cell).joined(separator: ",") + "\n" }
        return out
    }

    /// A JSON array of objects, keys in column order, one object per line; non-finite numbers are null.
    public func json() -> String {
        let lines = rows.map { row in
            "  {" + zip(columns, row).map { "\(jsonString($0)): \(jsonValue($1))" }.joined(separator: ", ") + "}"
        }
        return lines.isEmpty ? "[]\n" : "[\n" + lines.joined(separator: ",\n") + "\n]\n"
    }

    private func jsonValue(_ v: SummaryValue) -> String {
        switch v {
        case let .text(s): jsonString(s)
        case let .number(x): x.isFinite ? TraceCodec.format(x) : "null"
        case let .bool(b): b ? "true" : "false"
        case .null: "null"
        }
    }

    private func jsonString(_ s: String) -> String { JSONText.string(s) }
}
