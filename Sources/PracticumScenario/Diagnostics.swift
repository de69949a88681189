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
        items.append(Diagnostic(.warning, file: file, at: loc, path: path(), message()))
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

/// Suggests the closest candidate for a misspelt name ("did you mean …?"), or nil if none is close.
func suggestion(for word: String, among candidates: [String]) -> String? {
    // nothing longer than an id is a misspelling worth the (quadratic) edit distance
    guard word.utf8.count <= 64 else { return nil }
    var best: (String, Int)? = nil
    let w = word.lowercased(), n = word.count
    for c in candidates where abs(c.count - n) <= 3 {
        let d = editDistance(w, c.lowercased())
        if d <= max(1, min(3, c.count / 3)), best == nil || d < best!.1 { best = (c, d) }
    }
    return best?.0
}

func didYouMean(_ word: String, _ candidates: [String]) -> String {
    if let s = suggestion(for: word, among: candidates) { return "; did you mean '\(s.quotedForMessage())'?" }
    return ""
}

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    if abs(a.count - b.count) > 8 { return abs(a.count - b.count) }
    var prev = Array(0...b.count), cur = Array(repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[b.count]
}
