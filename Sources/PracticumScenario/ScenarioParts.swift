import Foundation
import PracticumCore

/// The scenario's content hash split by what a change means for an old trace (docs/report-format.md, "Re-scoring").
///
/// A trace records the parts of the scenario it was played against; re-scoring it against a
/// scenario whose **scene** (the physical world: `physics`, `scene` and the mesh files it names) or
/// **procedure** (`time_limit`, `variables`, `procedure`, `events`) changed replays the trainee's
/// motions in another world or another task, which the report must say. A **rubric**-only change
/// (`rubric`) is a clean re-score: the same run judged by other rules. Each part is an FNV-1a
/// hash of the parsed YAML of its top-level keys with `for_each` templates expanded (mapping keys
/// sorted, scalars with their text and quoting), so comments, blank lines, indentation and key order change no part; the content hash
/// still covers every byte. Other top-level keys (`id`, `title`, `version`, `description`,
/// `objectives`, `format`) belong to no part.
public struct ScenarioParts: Sendable, Equatable {
    /// Scene and physics: `physics`, `scene`, and the bytes of every mesh file the scene loads.
    public var scene: String
    /// `time_limit`, `variables`, `procedure`, `events`.
    public var procedure: String
    /// `rubric`.
    public var rubric: String

    public init(scene: String, procedure: String, rubric: String) { self.scene = scene; self.procedure = procedure; self.rubric = rubric }

    /// Top-level keys of each part.
    public static let sceneKeys = ["physics", "scene"], procedureKeys = ["time_limit", "variables", "procedure", "events"], rubricKeys = ["rubric"]

    /// The parts of `scenario`, from the file it was loaded from; nil when the file cannot be read
    /// or no longer has the content the scenario was compiled from.
    public static func of(_ scenario: Scenario) -> ScenarioParts? {
        guard let data = FileManager.default.contents(atPath: scenario.sourcePath) else { return nil }
        let bytes = [UInt8](data)
        guard StateHash.of(bytes: bytes).hex == scenario.contentHash else { return nil }
        return of(bytes: bytes, meshFiles: scenario.scene.meshes.keys.sorted())
    }

    /// The parts of scenario text `bytes` whose scene loads `meshFiles` (resolved paths); nil when it does not parse.
    public static func of(bytes: [UInt8], meshFiles: [String] = []) -> ScenarioParts? {
        guard case let .success(parsed?) = DocumentReader.read(bytes: bytes, limits: DocumentLimits()) else { return nil }
        // the expanded templates are what the file means: a rewrite into for_each that expands to
        // the same items changes no part
        var templates = TemplateExpander(bag: DiagnosticBag(file: ""), budget: DocumentLimits().maxNodes)
        guard case let .mapping(top) = templates.expand(parsed) else { return nil }
        func part(_ keys: [String], _ extra: (inout StateHash) -> Void = { _ in }) -> String {
            var h = StateHash()
            for k in keys {
                h.combine(k)
                if let v = top[k] { combine(v, into: &h) } else { h.combine(byte: 0) }
            }
            extra(&h)
            return h.hex
        }
        // the mesh files by content only, in a machine-independent order: their resolved paths are
        // absolute (they differ between checkouts), and the paths as written are in the scene already
        let meshHashes = meshFiles.map { StateHash.of(bytes: [UInt8](FileManager.default.contents(atPath: $0) ?? Data())).hex }.sorted()
        let scene = part(sceneKeys) { h in
            for hash in meshHashes { h.combine(hash) }
        }
        return ScenarioParts(scene: scene, procedure: part(procedureKeys), rubric: part(rubricKeys))
    }

    static func combine(_ node: YNode, into h: inout StateHash) {
        switch node {
        case let .scalar(s):
            h.combine(byte: s.quoted ? 2 : 1)
            h.combine(s.text)
        case let .sequence(items, _):
            h.combine(byte: 3)
            h.combine(items.count)
            for item in items { combine(item, into: &h) }
        case let .mapping(m):
            h.combine(byte: 4)
            h.combine(m.entries.count)
            // key order means nothing in a mapping; sort with a total order (keys are unique)
            for e in m.entries.sorted(by: { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }) {
                h.combine(e.key)
                combine(e.value, into: &h)
            }
        }
    }

    /// The parts that differ from `recorded`, in the order scene, procedure, rubric.
    public func changes(from recorded: ScenarioParts) -> [String] {
        [("scene", scene != recorded.scene), ("procedure", procedure != recorded.procedure), ("rubric", rubric != recorded.rubric)]
            .filter(\.1).map(\.0)
    }
}
