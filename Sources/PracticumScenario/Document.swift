import Foundation
import PracticumCore
import Yams

/// A YAML node with its source position, the form every later stage reads.
///
/// Converted from Yams' `Node` once, with limits, so that no later stage can be made to walk an
/// alias bomb or recurse without bound.
public indirect enum YNode: Sendable {
    case scalar(YScalar)
    case mapping(YMapping)
    case sequence([YNode], SourceLocation)

    public var location: SourceLocation {
        switch self {
        case let .scalar(s): s.location
        case let .mapping(m): m.location
        case let .sequence(_, l): l
        }
    }
    /// What kind of node this is, for messages ("a mapping", "a list", "text").
    public var kindName: String {
        switch self {
        case .scalar: "a single value"
        case .mapping: "a mapping (key: value lines)"
        case .sequence: "a list"
        }
    }
}

public struct YScalar: Sendable {
    public var text: String
    public var location: SourceLocation
    /// True for quoted or block scalars (their text starts one column after `location`).
    public var quoted: Bool
    /// True for `|` and `>` block scalars, whose text starts on the next line.
    public var block: Bool = false
    /// True for the YAML null forms (`~`, `null`, empty) when unquoted.
    public var isNull: Bool { !quoted && (text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL") }
}

public struct YMapping: Sendable {
    public struct Entry: Sendable {
        public var key: String
        public var keyLocation: SourceLocation
        public var value: YNode
    }
    public var entries: [Entry]
    public var location: SourceLocation
    /// Written in flow style (`{a: 1, b: 2}`), where an unquoted comma ends a value.
    public var flow: Bool = false
    public subscript(key: String) -> YNode? { entries.first { $0.key == key }?.value }
}

/// Limits on what a scenario file may be, so that no input can exhaust time or memory.
public struct DocumentLimits: Sendable {
    /// Largest file accepted (bytes).
    public var maxBytes = Limits.scenarioBytes
    /// Most nodes after expanding aliases.
    public var maxNodes = Limits.scenarioNodes
    /// Deepest nesting (libyaml itself stops at 1,000).
    public var maxDepth = Limits.scenarioDepth
    /// Longest single scalar (characters).
    public var maxScalarLength = Limits.scalarLength
    public init() {}
}

enum DocumentError: Error {
    case failed(SourceLocation, String)
}

/// Reads YAML text into a `YNode` tree, or one diagnostic saying why it could not.
enum DocumentReader {
    static func read(bytes: [UInt8], limits: DocumentLimits) -> Result<YNode?, DocumentError> {
        if bytes.count > limits.maxBytes {
            return .failure(.failed(.unknown, "file is \(bytes.count) bytes; scenario files are limited to \(limits.maxBytes) bytes"))
        }
        if let bad = firstInvalidUTF8(bytes) {
            return .failure(.failed(bad.0, "file is not valid UTF-8 text (bad byte at offset \(bad.1)); save it as UTF-8"))
        }
        if let nul = bytes.firstIndex(of: 0) {
            return .failure(.failed(location(ofOffset: nul, in: bytes), "file contains a NUL byte; is it a binary file?"))
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if let tab = firstIndentingTab(text) {
            return .failure(.failed(tab, "tab character used for indentation; YAML indents with spaces only"))
        }
        // Yams composes recursively (libyaml caps nesting at 1,000); run it on a thread with a large stack.
        return onLargeStack { compose(text, limits: limits) }
    }

    private static func compose(_ text: String, limits: DocumentLimits) -> Result<YNode?, DocumentError> {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch { return .failure(describe(error, text: text)) }
        guard let node else { return .success(nil) }
        var budget = limits.maxNodes
        let source = SourceText(text)
        do {
            return .success(try convert(node, depth: 0, budget: &budget, limits: limits, source: source))
        } catch let e as DocumentError {
            return .failure(e)
        } catch {
            return .failure(.failed(.unknown, "\(error)"))
        }
    }

    /// The file's bytes by line, to tell a flow mapping (`{`) from a block one: Yams reports the
    /// style of a mapping's end event, not its start, so the source is asked instead. Nodes are
    /// visited in document order, so each look-up walks on from the last one: linear in the file,
    /// even with thousands of mappings on one long line.
    final class SourceText {
        let bytes: [UInt8]
        var lineStarts: [Int] = [0]
        private var last = (line: 0, column: 0, index: 0)
        init(_ text: String) {
            bytes = Array(text.utf8)
            for (i, b) in bytes.enumerated() where b == 0x0A { lineStarts.append(i + 1) }
        }
        /// The first byte of the character at `loc` (1-based line, column in Unicode scalars).
        func byte(at loc: SourceLocation) -> UInt8? {
            guard loc.line >= 1, loc.line <= lineStarts.count, loc.column >= 1 else { return nil }
            var i = lineStarts[loc.line - 1], col = 1
            if last.line == loc.line, last.column <= loc.column { (i, col) = (last.index, last.column) }
            defer { last = (loc.line, col, i) }
            while i < bytes.count, col < loc.column {
                i += 1
                while i < bytes.count, bytes[i] & 0xC0 == 0x80 { i += 1 }
                col += 1
            }
            return i < bytes.count ? bytes[i] : nil
        }
    }

    private static func convert(_ node: Node, depth: Int, budget: inout Int, limits: DocumentLimits, source: SourceText) throws -> YNode {
        budget -= 1
        let loc = node.mark.map { SourceLocation(line: $0.line, column: $0.column) } ?? .unknown
        if budget < 0 {
            throw DocumentError.failed(loc, "document expands to more than \(limits.maxNodes) nodes (too many aliases?)")
        }
        if depth > limits.maxDepth {
            throw DocumentError.failed(loc, "nesting deeper than \(limits.maxDepth) levels")
        }
        switch node {
        case let .scalar(s):
            if s.string.count > limits.maxScalarLength {
                throw DocumentError.failed(loc, "value is \(s.string.count) characters long; the limit is \(limits.maxScalarLength)")
            }
            let quoted = s.style != .plain && s.style != .any
            return .scalar(YScalar(text: s.string, location: loc, quoted: quoted, block: s.style == .literal || s.style == .folded))
        case let .sequence(seq):
            var items: [YNode] = []
            for item in seq { items.append(try convert(item, depth: depth + 1, budget: &budget, limits: limits, source: source)) }
            return .sequence(items, loc)
        case let .mapping(map):
            var entries: [YMapping.Entry] = []
            for (k, v) in map {
                let kloc = k.mark.map { SourceLocation(line: $0.line, column: $0.column) } ?? loc
                guard case let .scalar(ks) = k else {
                    throw DocumentError.failed(kloc, "mapping keys must be plain names, not lists or mappings")
                }
                entries.append(YMapping.Entry(key: ks.string, keyLocation: kloc,
                                              value: try convert(v, depth: depth + 1, budget: &budget, limits: limits, source: source)))
            }
            return .mapping(YMapping(entries: entries, location: loc, flow: source.byte(at: loc) == UInt8(ascii: "{")))
        case let .alias(a):
            throw DocumentError.failed(loc, "unresolved alias '\(a.anchor.rawValue.quotedForMessage())'")
        }
    }

    /// Turns a Yams error into a position and a short message (without echoing the whole file).
    static func describe(_ error: Error, text: String) -> DocumentError {
        guard let y = error as? YamlError else { return .failed(.unknown, "cannot read YAML: \(error)") }
        switch y {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let ctx = context.map { "\($0.text) " } ?? ""
            var msg = "YAML syntax: \(ctx)\(problem)".replacingOccurrences(of: "\n", with: " ")
            if problem.contains("Maximum nesting level") { msg = "nesting deeper than libyaml's limit of 1000 levels" }
            return .failed(SourceLocation(line: max(1, mark.line), column: max(1, mark.column)), msg)
        case let .reader(problem, offset, _, _):
            return .failed(offset.map { location(ofOffset: $0, in: Array(text.utf8)) } ?? .unknown, "cannot read text: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? "?"
            let first = SourceLocation(line: context.mark.line, column: context.mark.column)
            let second = secondOccurrence(ofKey: key, after: first, in: text) ?? first
            return .failed(second, "duplicate key '\(key.quotedForMessage())' (first at line \(first.line)); each key may appear once in a mapping")
        default:
            return .failed(.unknown, "cannot read YAML: \(y)")
        }
    }

    /// Finds the repeated key at the same column as its first occurrence, for a precise position.
    static func secondOccurrence(ofKey key: String, after first: SourceLocation, in text: String) -> SourceLocation? {
        var lineNo = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            guard lineNo > first.line else { continue }
            let scalars = Array(line.unicodeScalars)
            let col = first.column - 1
            guard col < scalars.count else { continue }
            if col > 0, !scalars[..<col].allSatisfy({ $0 == " " || $0 == "-" }) { continue }
            let rest = String(String.UnicodeScalarView(scalars[col...]))
            if rest.hasPrefix(key + ":") || rest.hasPrefix("\"\(key)\":") || rest.hasPrefix("'\(key)':") {
                return SourceLocation(line: lineNo, column: first.column)
            }
        }
        return nil
    }

    static func firstIndentingTab(_ text: String) -> SourceLocation? {
        var lineNo = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            var col = 0
            for ch in line.unicodeScalars {
                col += 1
                if ch == "\t" { return SourceLocation(line: lineNo, column: col) }
                if ch != " " && ch != "-" { break }
            }
        }
        return nil
    }

    static func firstInvalidUTF8(_ bytes: [UInt8]) -> (SourceLocation, Int)? {
        var it = bytes.makeIterator()
        var decoder = UTF8()
        var consumed = 0
        // Decode scalar by scalar, tracking the byte offset of the start of each.
        var offset = 0
        while true {
            switch decoder.decode(&it) {
            case let .scalarValue(s):
                offset = consumed
                consumed += UTF8.width(s)
            case .emptyInput:
                return nil
            case .error:
                offset = consumed
                return (location(ofOffset: offset, in: bytes), offset)
            }
        }
    }

    static func location(ofOffset offset: Int, in bytes: [UInt8]) -> SourceLocation {
        var line = 1, col = 1, i = 0
        while i < offset && i < bytes.count {
            if bytes[i] == 0x0A { line += 1; col = 1 } else if bytes[i] & 0xC0 != 0x80 { col += 1 }
            i += 1
        }
        return SourceLocation(line: line, column: col)
    }
}

/// Runs `body` on a thread with a 256 MiB stack and waits for its result.
private final class StackJob<T>: @unchecked Sendable {
    let body: () -> T
    var value: T?
    init(_ body: @escaping () -> T) { self.body = body }
}

/// Runs `body` on a thread with a 256 MiB stack and joins it (pthread_join: the thread has
/// fully finished before this returns, so nothing it touches is freed under it).
func onLargeStack<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
    let job = StackJob(body)
    let context = Unmanaged.passRetained(job as AnyObject).toOpaque()
    var attr = pthread_attr_t()
    pthread_attr_init(&attr)
    pthread_attr_setstacksize(&attr, 256 << 20)
    var thread = pthread_t()
    let rc = pthread_create(&thread, &attr, { raw in
        let obj = Unmanaged<AnyObject>.fromOpaque(raw!).takeRetainedValue()
        (obj as! RunnableJob).runJob()
        return nil
    }, context)
    pthread_attr_destroy(&attr)
    if rc != 0 {
        // could not start a thread: run here (Yams still stops at libyaml's nesting limit)
        Unmanaged<AnyObject>.fromOpaque(context).release()
        return body()
    }
    pthread_join(thread, nil)
    return job.value!
}

private protocol RunnableJob: AnyObject { func runJob() }
extension StackJob: RunnableJob { func runJob() { value = body() } }
