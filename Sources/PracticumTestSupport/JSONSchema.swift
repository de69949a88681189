import Foundation
package import PracticumScoring

/// A small JSON Schema (draft 2020-12) validator for tests: the keywords the project's schemas use —
/// `type`, `properties`, `required`, `additionalProperties`, `propertyNames`, `minProperties`, `items`, `prefixItems`, `enum`, `const`,
/// `pattern`, `minLength`, `maxLength`, `minimum`, `maximum`, `exclusiveMinimum`, `minItems`, `maxItems`,
/// `maxProperties`, `if`/`then`/`else`, `oneOf`, `anyOf`, `allOf`, `not`, `$ref` (to `#/$defs/…`) and `format` (`date-time`, `uuid`,
/// `iri`, `duration`). An unknown keyword is an error, so a schema cannot silently check less than it says.
package struct JSONSchema {
    package let root: JSON

    package init(text: String) throws { root = try JSON.parse(text) }
    package init(contentsOf path: String) throws { try self.init(text: try String(contentsOfFile: path, encoding: .utf8)) }

    /// Every way `text` breaks the schema, as `path: problem` (empty when it is valid).
    package func problems(_ text: String) -> [String] {
        guard let value = try? JSON.parse(text) else { return ["$: not JSON"] }
        var out: [String] = []
        check(value, root, "$", &out)
        return out
    }

    static let known: Set<String> = ["$schema", "$id", "$defs", "$comment", "title", "description", "type", "properties", "required",
                                     "additionalProperties", "items", "prefixItems", "enum", "const", "pattern", "minLength", "minimum",
                                     "maximum", "exclusiveMinimum", "minItems", "maxItems", "oneOf", "anyOf", "allOf", "not", "$ref",
                                     "format", "examples", "default", "propertyNames", "minProperties", "maxProperties", "if", "then", "else",
                                     "maxLength"]

    private func check(_ v: JSON, _ schema: JSON, _ path: String, _ out: inout [String]) {
        if case let .bool(allowed) = schema { if !allowed { out.append("\(path): not allowed") }; return }
        guard case let .object(keywords) = schema else { out.append("\(path): schema is not an object"); return }
        for (k, _) in keywords where !Self.known.contains(k) { out.append("\(path): unknown schema keyword \(k)") }
        if let ref = schema["$ref"]?.string {
            guard ref.hasPrefix("#/$defs/"), let target = root["$defs"]?[String(ref.dropFirst(8))] else {
                out.append("\(path): unresolved $ref \(ref)"); return
            }
            check(v, target, path, &out)
        }
        if let t = schema["type"] {
            let types = t.array?.compactMap(\.string) ?? [t.string ?? ""]
            if !types.contains(where: { Self.has(v, type: $0) }) { out.append("\(path): expected \(types.joined(separator: " or ")), found \(Self.typeName(v))") ; return }
        }
        if let e = schema["enum"]?.array, !e.contains(v) { out.append("\(path): \(v.compact) is not one of \(JSON.array(e).compact)") }
        if let c = schema["const"], c != v { out.append("\(path): \(v.compact) is not \(c.compact)") }
        for sub in schema["allOf"]?.array ?? [] { check(v, sub, path, &out) }
        if let any = schema["anyOf"]?.array, !any.contains(where: { valid(v, $0, path) }) { out.append("\(path): matches none of anyOf") }
        if let one = schema["oneOf"]?.array {
            let n = one.filter { valid(v, $0, path) }.count
            if n != 1 { out.append("\(path): matches \(n) of oneOf, not exactly 1") }
        }
        if let not = schema["not"], valid(v, not, path) { out.append("\(path): matches a schema it must not") }
        if let cond = schema["if"] {
            if valid(v, cond, path) { if let t = schema["then"] { check(v, t, path, &out) } } else if let e = schema["else"] { check(v, e, path, &out) }
        }
        switch v {
        case let .object(fields):
            let props = schema["properties"]
            for r in schema["required"]?.array?.compactMap(\.string) ?? [] where !fields.contains(where: { $0.0 == r }) {
                out.append("\(path): missing \(r)")
            }
            if let n = schema["minProperties"]?.int, fields.count < n { out.append("\(path): fewer than \(n) properties") }
            if let n = schema["maxProperties"]?.int, fields.count > n { out.append("\(path): more than \(n) properties") }
            if let names = schema["propertyNames"] { for (k, _) in fields { check(.string(k), names, "\(path).\(k) (name)", &out) } }
            for (k, value) in fields {
                if let p = props?[k] { check(value, p, "\(path).\(k)", &out); continue }
                if let extra = schema["additionalProperties"] { check(value, extra, "\(path).\(k)", &out) }
            }
        case let .array(items):
            if let n = schema["minItems"]?.int, items.count < n { out.append("\(path): fewer than \(n) items") }
            if let n = schema["maxItems"]?.int, items.count > n { out.append("\(path): more than \(n) items") }
            let prefix = schema["prefixItems"]?.array ?? []
            for (i, item) in items.enumerated() {
                if i < prefix.count { check(item, prefix[i], "\(path)[\(i)]", &out) } else if let s = schema["items"] { check(item, s, "\(path)[\(i)]", &out) }
            }
        case let .string(s):
            if let n = schema["minLength"]?.int, s.count < n { out.append("\(path): shorter than \(n)") }
            if let n = schema["maxLength"]?.int, s.count > n { out.append("\(path): longer than \(n)") }
            if let p = schema["pattern"]?.string, s.range(of: p, options: .regularExpression) == nil { out.append("\(path): \"\(s)\" does not match \(p)") }
            if let f = schema["format"]?.string, !Self.matches(s, format: f) { out.append("\(path): \"\(s)\" is not a \(f)") }
        default:
            if let x = v.double {
                if let m = schema["minimum"]?.double, x < m { out.append("\(path): \(x) < \(m)") }
                if let m = schema["maximum"]?.double, x > m { out.append("\(path): \(x) > \(m)") }
                if let m = schema["exclusiveMinimum"]?.double, x <= m { out.append("\(path): \(x) <= \(m)") }
            }
        }
    }

    private func valid(_ v: JSON, _ schema: JSON, _ path: String) -> Bool {
        var out: [String] = []
        check(v, schema, path, &out)
        return out.isEmpty
    }

    static func has(_ v: JSON, type: String) -> Bool {
        switch (type, v) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object), ("integer", .int),
             ("number", .int), ("number", .number): true
        case let ("integer", .number(d)): d == d.rounded()
        default: false
        }
    }

    static func typeName(_ v: JSON) -> String {
        switch v {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    static func matches(_ s: String, format: String) -> Bool {
        let pattern = switch format {
        case "date-time": #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"#
        case "uuid": #"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"#
        case "iri": #"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$"#
        case "duration": #"^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"#
        default: "(?!)"
        }
        return s.range(of: pattern, options: .regularExpression) != nil
    }
}

extension JSON {
    /// One-line form for messages.
    var compact: String { serialized().split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ") }
}
