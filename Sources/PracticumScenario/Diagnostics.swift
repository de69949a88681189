import PracticumCore

/// A position in a scenario file: 1-based line and column (columns count Unicode scalars, as libyaml does).
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
    public static let unknown = SourceLocation(line: 1, column: 1)
    public static func < (a: SourceLocation, b: SourceLocation) -> Bool { (a.line, a.column) < (b.line, b.column) }
    public var description: String { "\(line):\(column)" }
    /// The location `n` columns further along the same line.
    public func advanced(by n: Int) -> SourceLocation { SourceLocation(line: line, column: column + n) }
}

/// One problem found in a scenario: where it is, which element, and what was expected.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable { case error, warning }
    public var severity: Severity
    public var file: String
    public var location: SourceLocation
    /// Element path, e.g. `procedure.steps[3].complete_when`.
    public var path: String
    public var message: String

    /// Control characters in the message and path are escaped here, whatever the caller did, so a
    /// diagnostic can never drive the terminal it is printed on.
    public init(_ severity: Severity, file: String, at location: SourceLocation, path: String, _ message: String) {
        self.severity = severity; self.file = file; self.location = location
        self.path = path.quotedForMessage(limit: 256)
        self.message = message.quotedForMessage(limit: 1024)
    }

    /// `file:line:col: error: message [path]`, the compiler convention editors understand.
    public var description: String {
        let where_ = path.isEmpty ? "" : " (at \(path))"
        return "\(file):\(location.line):\(location.column): \(severity.rawValue): \(message)\(where_)"
    }
}

/// Collects diagnostics while loading, so that every error in a file is reported at once.
public struct DiagnosticBag: Sendable {
    public var file: String
    public private(set) var items: [Diagnostic] = []
    /// Past this many errors the rest are summarised, so a pathological file cannot flood memory.
    public static let limit = Limits.diagnostics
    private var dropped = 0
    private var anyDroppedError = false

    public init(file: String) { self.file = file }

    /// True once further diagnostics are only counted; their messages are then never built.
    public var isFull: Bool { items.count >= DiagnosticBag.limit }

    public mutating func error(_ message: @autoclosure () -> String, at loc: SourceLocation, path: @autoclosure () -> String) {
        if isFull { dropped += 1; anyDroppedError = true; return }
        items.append(Diagnostic(.error, file: file, at: loc, path: path(), message()))
    }
    public mutating func warning(_ message: @autoclosure () -> String, at loc: SourceLocation, path: @autoclosure () -> String) {
        if isFull { dropped += 1; return }
        let d = Diagnostic(.warning, file: file, at: loc, path: path(), message())
        // a node read twice (a mapping checked again on another path) warns once
        if items.contains(d) { return }
        items.append(d)
    }
    public var hasErrors: Bool { anyDroppedError || items.contains { $0.severity == .error } }
    /// Diagnostics sorted by position (stable for equal positions), plus a summary if some were dropped.
    public var sorted: [Diagnostic] {
        var out = items.enumerated().sorted { a, b in
            a.element.location != b.element.location ? a.element.location < b.element.location : a.offset < b.offset
        }.map(\.element)
        if dropped > 0 {
            out.append(Diagnostic(.error, file: file, at: out.last?.location ?? .unknown, path: "",
                                  "\(dropped) more errors not shown"))
        }
        return out
    }
}

/// `word` with its indefinite article, for messages: "an angle", "a pressure", "an error".
func withArticle(_ word: String) -> String {
    guard let first = word.unicodeScalars.first else { return word }
    return ("aeiou".unicodeScalars.contains(first) ? "an " : "a ") + word
}

extension Dimension {
    /// The kind of quantity in the words a clinician uses, with its article: "a pressure", "an angle",
    /// "a plain number", "a pressure per second" (`mmHg/min`); a composition with no such name reads
    /// "a quantity in kg·m^-2", never a bare SI string.
    var spoken: String {
        if self == .none { return "a plain number" }
        if let name { return withArticle(name) }
        // per second of a named kind: a rate of change of pressure, of a heart rate, …
        if let n = (self * .time).name, self * .time != .none { return withArticle("\(n) per second") }
        return "a quantity in \(description)"
    }
}

/// Suggests the closest candidate for a misspelt name ("did you mean …?"), or nil if none is close.
func suggestion(for word: String, among candidates: [String]) -> String? {
    // nothing longer than an id is a misspelling worth the (quadratic) edit distance
    guard word.utf8.count <= 64 else { return nil }
    var best: (String, Int)? = nil
    let w = Array(word.lowercased().unicodeScalars)
    // one scratch buffer and two rows for all candidates: files can name thousands
    var c: [Unicode.Scalar] = []
    var rows = ([Int](), [Int]())
    for candidate in candidates {
        c.removeAll(keepingCapacity: true)
        for u in candidate.lowercased().unicodeScalars {
            c.append(u)
            if c.count > w.count + 3 { break }
        }
        guard abs(c.count - w.count) <= 3 else { continue }
        let d = editDistance(w, c, rows: &rows)
        // the closest, ties to the first in alphabetical order: the same answer whatever order
        // the candidates come in, so callers need not sort them
        if d <= max(1, min(3, c.count / 3)), best.map({ d < $0.1 || (d == $0.1 && candidate < $0.0) }) ?? true { best = (candidate, d) }
    }
    return best?.0
}

func didYouMean(_ word: String, _ candidates: [String]) -> String {
    if let s = suggestion(for: word, among: candidates) { return "; did you mean '\(s.quotedForMessage())'?" }
    return ""
}

func editDistance(_ a: String, _ b: String) -> Int {
    var rows = ([Int](), [Int]())
    return editDistance(Array(a.unicodeScalars), Array(b.unicodeScalars), rows: &rows)
}

/// Levenshtein distance, reusing `rows` between calls.
func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], rows: inout ([Int], [Int])) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    if abs(a.count - b.count) > 8 { return abs(a.count - b.count) }
    rows.0.removeAll(keepingCapacity: true); rows.0.append(contentsOf: 0...b.count)
    rows.1.removeAll(keepingCapacity: true); rows.1.append(contentsOf: repeatElement(0, count: b.count + 1))
    for i in 1...a.count {
        rows.1[0] = i
        for j in 1...b.count {
            rows.1[j] = min(rows.0[j] + 1, rows.1[j - 1] + 1, rows.0[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&rows.0, &rows.1)
    }
    return rows.0[b.count]
}
