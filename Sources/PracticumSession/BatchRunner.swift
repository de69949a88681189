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

/// One line per finished job on standard error — `[3/26] path: passed, score 92.3 → report` —
/// whether or not it is a terminal, so a CI log or a pipe shows how far a batch got; `quiet`
/// silences the progress lines (never the errors).
public final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private let quiet: Bool
    private let total: Int
    private var done = 0
    private let write: @Sendable (String) -> Void

    public init(total: Int, quiet: Bool = false,
                write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) {
        self.total = total; self.quiet = quiet; self.write = write
    }

    /// Counts one finished job and writes its line (`[done/total] text`); an error line is written even when quiet.
    public func finished(_ text: String, isError: Bool = false) {
        lock.lock(); defer { lock.unlock() }
        done += 1
        if quiet && !isError { return }
        write(quiet ? text : "[\(done)/\(total)] \(text)")
    }
}

/// Where a batch writes each trace's report: the traces' paths mirrored under the output folder,
/// from the deepest folder they all share, with `.trace` replaced by `.report.EXT`
/// (`a/run.trace` and `b/run.trace` → `OUT/a/run.report.json`, `OUT/b/run.report.json`). A report
/// name always ends in `.report.EXT`, so it can never be `summary.csv` or `summary.json`.
public enum BatchLayout {
    /// The report path for each trace, in order, or the pairs of traces that would share one
    /// (the same file given twice, or `x` beside `x.trace`).
    public static func reportPaths(traces: [String], folder: String, ext: String) -> Result<[String], Collision> {
        let dirs = traces.map { URL(fileURLWithPath: $0).standardizedFileURL.deletingLastPathComponent().pathComponents }
        var common = dirs.first ?? []
        for d in dirs.dropFirst() {
            var n = 0
            while n < common.count, n < d.count, common[n] == d[n] { n += 1 }
            common.removeLast(common.count - n)
        }
        var seen: [String: String] = [:]
        var out: [String] = []
        for (trace, dir) in zip(traces, dirs) {
            let name = (trace as NSString).lastPathComponent
            let base = name.hasSuffix(".trace") && name.count > 6 ? String(name.dropLast(6)) : name
            let relative = (Array(dir.dropFirst(common.count)) + ["\(base).report.\(ext)"]).joined(separator: "/")
            let path = (folder as NSString).appendingPathComponent(relative)
            if let other = seen[path] { return .failure(Collision(first: other, second: trace, report: path)) }
            seen[path] = trace
            out.append(path)
        }
        return .success(out)
    }

    /// Two traces whose reports would have the same path.
    public struct Collision: Error, Sendable, Equatable, CustomStringConvertible {
        public var first: String, second: String, report: String
        public var description: String {
            first == second || URL(fileURLWithPath: first).standardizedFileURL == URL(fileURLWithPath: second).standardizedFileURL
                ? "\(second): error: the trace is given twice"
                : "\(second): error: its report would be \(report), as for \(first); rename one of them"
        }
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
