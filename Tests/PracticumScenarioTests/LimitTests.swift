import Foundation
import Testing
import PracticumCore
@testable import PracticumScenario
import PracticumTestSupport

/// Every limit in `Limits` that a scenario can reach: the value at the limit loads, the one past it is
/// an error at its exact line and column, and the worst cases that once crashed or hung finish quickly.
@Suite struct ScenarioLimitTests {
    func withCondition(_ condition: String) -> String {
        minimalScenario.replacingOccurrences(of: "complete_when: inside(probe, target)", with: "complete_when: \"\(condition)\"")
    }

    /// The first error as `line:col: message`, or "ok" when the scenario loads.
    func outcome(_ text: String) -> String {
        let r = load(text)
        guard let e = r.errors.first else { return r.scenario == nil ? "no scenario and no error" : "ok" }
        return "\(e.location.line):\(e.location.column): \(e.message)"
    }

    static let tooDeep = "expression nested too deeply (more than 64 levels); split it into named steps, events or variables"

    /// `physics: {rate: …}` sets the tick from 60 Hz to 10 kHz; outside that it is an error at the value.
    @Test func physicsRateIsBounded() throws {
        func withRate(_ rate: String) -> String { minimalScenario.replacingOccurrences(of: "scene:\n", with: "physics: {rate: \(rate)}\nscene:\n") }
        #expect(try #require(load(withRate("1000Hz")).scenario).tickLength == 1.0 / 1000)
        #expect(try #require(load(withRate("10000Hz")).scenario).tickRate == 10_000)
        #expect(try #require(load(minimalScenario).scenario).tickRate == 240)
        #expect(outcome(withRate("20Hz")) == "4:17: '20Hz' is below the smallest allowed value (60 Hz)")
        #expect(outcome(withRate("20000Hz")) == "4:17: '20000Hz' is above the largest allowed value (10000 Hz)")
        #expect(outcome(withRate("5m")) == "4:17: expected a rate such as 2Hz or 2/s or 2/min, found a length ('5m')")
    }

    @Test func aChainOfTermsIsBoundedByItsHeight() {
        let term = "distance(probe, target)"
        #expect(outcome(withCondition(Array(repeating: term, count: 62).joined(separator: " + ") + " > 1m")) == "ok")
        let long = Array(repeating: term, count: 63).joined(separator: " + ") + " > 1m"
        #expect(outcome(withCondition(long)) == "18:1659: " + Self.tooDeep)
    }

    @Test func parenthesesAreBoundedToo() {
        func nested(_ n: Int) -> String { String(repeating: "(", count: n) + "distance(probe, target) > 1m" + String(repeating: ")", count: n) }
        #expect(outcome(withCondition(nested(63))) == "ok")
        #expect(outcome(withCondition(nested(64))) == "18:96: " + Self.tooDeep)
        // as far past the limit as the length cap allows is the same error, not a stack overflow
        #expect(outcome(withCondition(nested(2_000))).hasSuffix(Self.tooDeep))
    }

    @Test func aVeryLongChainIsRefusedWithoutRecursion() {
        // the longest chain an expression can hold (about 1,360 terms) is refused at the 64th level
        let chain = Array(repeating: "1m", count: 1_360).joined(separator: "+") + " > 1m"
        #expect(outcome(withCondition(chain)).hasSuffix(Self.tooDeep))
    }

    @Test func expressionLength() {
        let padded = "distance(probe, target)" + String(repeating: " ", count: Limits.expressionLength) + " > 1m"
        #expect(outcome(withCondition(padded)).contains("expression is 4124 characters long; expressions have at most 4096"))
    }

    @Test func numberLength() {
        #expect(outcome(withCondition("distance(probe, target) > " + String(repeating: "1", count: 63) + "m")) == "ok")
        #expect(outcome(withCondition("distance(probe, target) > " + String(repeating: "1", count: 100) + "m"))
                == "18:49: number too long; numbers have at most 64 characters")
    }

    @Test func unitLengthAndPowers() {
        #expect(outcome(withCondition("distance(probe, target) > 1" + String(repeating: "m", count: 40)))
                == "18:50: unit too long; units have at most 32 characters")
        // eight divisions by seconds is a legal (if odd) unit; a ninth is not
        #expect(outcome(withCondition("distance(probe, target) > 1m" + String(repeating: "/s", count: 8)))
                == "18:49: cannot compare or combine a length with a quantity in m·s^-8 using '>'")
        #expect(outcome(withCondition("distance(probe, target) > 1m" + String(repeating: "/s", count: 9)))
                == "18:50: unit 'm/s/s/s/s/s/s/s/s/s' has a power beyond ±8")
        #expect(outcome(minimalScenario.replacingOccurrences(of: "radius: 1cm", with: "radius: 1m^99999999999999999999"))
                == "8:32: unknown unit 'm^99999999999999999999'")
    }

    @Test func productsThatOverflowAUnitPower() {
        let d = "distance(probe, target)"
        #expect(outcome(withCondition(Array(repeating: d, count: 9).joined(separator: "*") + " > 1m"))
                == "18:214: the unit of this product has a power beyond ±8")
    }

    @Test func thousandsOfUnknownNamesStayFast() {
        // each step names a body that does not exist: 200 errors are kept, the rest counted, no suggestion search after that
        var text = minimalScenario
        for i in 0..<3000 { text += "    - id: s\(i)\n      title: S\n      complete_when: inside(probe\(i), target)\n" }
        let r = load(text)
        #expect(r.scenario == nil)
        // the shown errors, then one line counting the rest
        #expect(r.diagnostics.count == Limits.diagnostics + 1)
        #expect(r.diagnostics.last?.message == "2800 more errors not shown")
    }

    @Test func controlCharactersAreEscapedInMessages() {
        let r = load(minimalScenario.replacingOccurrences(of: "kind: instrument", with: "kind: \"instr\\e[31ment\\u202e\""))
        let message = r.errors.first?.message ?? ""
        #expect(message.hasPrefix("unknown body kind 'instr\\u{1B}[31ment\\u{202E}'"), "\(message)")
        #expect(!message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x202E })
    }

    @Test func gravity() {
        func with(_ g: String) -> String { outcome(minimalScenario.replacingOccurrences(of: "scene:\n", with: "scene:\n  gravity: [0, \(g), 0]\n")) }
        #expect(with("-1000m/s2") == "ok")
        #expect(with("-1001m/s2") == "5:12: gravity above 1000.0 m/s² cannot be simulated")
    }

    @Test func yamlNestingAtAndPastItsLimit() {
        // the document itself is one level; 199 lists inside it reach 200
        func nested(_ n: Int) -> [UInt8] { Array(("k: " + String(repeating: "[", count: n) + String(repeating: "]", count: n) + "\n").utf8) }
        let at = ScenarioLoader.load(bytes: nested(Limits.scenarioDepth - 2), file: "f.yaml", directory: "/nonexistent")
        #expect(!at.errors.contains { $0.message.contains("nesting deeper") }, "\(at.errors.first.map(\.message) ?? "")")
        let past = ScenarioLoader.load(bytes: nested(Limits.scenarioDepth + 1), file: "f.yaml", directory: "/nonexistent")
        #expect(past.errors.contains { $0.message.contains("nesting deeper than 200 levels") })
    }

    @Test(arguments: [
        ("radius: 1cm", "radius: 1e-300m", "8:32: '1e-300m' is below the smallest allowed value (10 um)"),
        ("radius: 1cm", "radius: 1e300m", "8:32: '1e300m' is above the largest allowed value (10 m)"),
        ("radius: 2cm", "size: [0, 1cm, 1cm]", "13:13: sizes must be from 0.01 mm to 100.0 m"),
        ("radius: 2cm", "size: [-1cm, 1cm, 1cm]", "13:13: sizes must be positive"),
        ("radius: 2cm", "size: [1cm, 1e300m, 1cm]", "13:13: sizes must be from 0.01 mm to 100.0 m"),
        ("position: [0, 1m, 0]\n  regions", "position: [0, 1e9m, 0]\n  regions", "9:17: positions must lie within 1000.0 m of the origin"),
    ])
    func sizesAndPositionsAreBoundedAtLoad(_ from: String, _ to: String, _ expected: String) {
        #expect(outcome(minimalScenario.replacingOccurrences(of: from, with: to)) == expected)
    }
}

/// Asset paths are confined to the scenario's folder after symbolic links are resolved, and only regular
/// files are read.
@Suite struct AssetConfinementTests {
    static let tetrahedron = "v 0 0 0\nv 1 0 0\nv 0 1 0\nv 0 0 1\nf 1 3 2\nf 1 2 4\nf 1 4 3\nf 2 3 4\n"

    /// Loads the minimal scenario with its probe made of `asset`, inside a scratch folder that `prepare` fills.
    func outcome(asset: String, _ prepare: (String, String) throws -> Void) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-assets-\(UUID().uuidString)").path
        let dir = root + "/scenario", outside = root + "/outside"
        for d in [dir, outside] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
        defer { try? FileManager.default.removeItem(atPath: root) }
        try prepare(dir, outside)
        let text = minimalScenario.replacingOccurrences(of: "shape: {sphere: {radius: 1cm}}", with: "shape: {mesh: {asset: \(asset), scale: 0.01}}")
        let r = ScenarioLoader.load(bytes: Array(text.utf8), file: "s.yaml", directory: dir)
        guard let e = r.errors.first else { return r.scenario == nil ? "no scenario and no error" : "ok" }
        return "\(e.location.line):\(e.location.column): \(e.message)"
    }

    @Test func aMeshBesideTheScenarioLoads() throws {
        #expect(try outcome(asset: "m.obj") { dir, _ in try Self.tetrahedron.write(toFile: dir + "/m.obj", atomically: true, encoding: .utf8) } == "ok")
    }

    @Test func crlfLineEndingsAreRead() throws {
        let crlf = Self.tetrahedron.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try outcome(asset: "m.obj") { dir, _ in try crlf.write(toFile: dir + "/m.obj", atomically: true, encoding: .utf8) } == "ok")
    }

    @Test func aSymlinkedFileOutsideIsRefused() throws {
        let got = try outcome(asset: "m.obj") { dir, outside in
            try "secret-content\n".write(toFile: outside + "/secret.obj", atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: dir + "/m.obj", withDestinationPath: outside + "/secret.obj")
        }
        #expect(got == "8:29: asset path 'm.obj' leads outside the scenario's folder through a symbolic link; keep assets beside the scenario or in the project's shared assets/ folder")
        #expect(!got.contains("secret-content"))
    }

    @Test func aPathThroughASymlinkedFolderIsRefused() throws {
        let got = try outcome(asset: "linked/secret.obj") { dir, outside in
            try Self.tetrahedron.write(toFile: outside + "/secret.obj", atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: dir + "/linked", withDestinationPath: outside)
        }
        #expect(got.hasPrefix("8:29: asset path 'linked/secret.obj' leads outside the scenario's folder through a symbolic link"))
    }

    @Test func aSymlinkInsideTheFolderIsFollowed() throws {
        #expect(try outcome(asset: "alias.obj") { dir, _ in
            try Self.tetrahedron.write(toFile: dir + "/m.obj", atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: dir + "/alias.obj", withDestinationPath: "m.obj")
        } == "ok")
    }

    @Test func dotDotAndAbsolutePathsAreRefused() throws {
        #expect(try outcome(asset: "../outside/x.obj") { _, _ in }.hasPrefix("8:29: asset path '../outside/x.obj' leads outside the scenario's folder;"))
        #expect(try outcome(asset: "/etc/passwd") { _, _ in } == "8:29: asset paths must be relative to the scenario's folder, not absolute")
    }

    @Test func aPipeOrFolderIsNotRead() throws {
        let pipe = try outcome(asset: "pipe.obj") { dir, _ in
            guard mkfifo(dir + "/pipe.obj", 0o600) == 0 else { throw CocoaError(.fileWriteUnknown) }
        }
        #expect(pipe == "8:29: asset 'pipe.obj' is not a regular file (a folder, device or pipe)")
        #expect(try outcome(asset: "sub") { dir, _ in try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: false) }
                == "8:29: asset 'sub' is not a regular file (a folder, device or pipe)")
    }

    @Test func aFlatMeshCannotMove() throws {
        let flat = "v 0 0 0\nv 1 0 0\nv 0 1 0\nv 1 1 0\nf 1 2 3\nf 2 4 3\n"
        #expect(try outcome(asset: "m.obj") { dir, _ in try flat.write(toFile: dir + "/m.obj", atomically: true, encoding: .utf8) }
                == "8:14: this mesh is flat (its points lie on one plane), so a moving body cannot be made of it; give it thickness or make the body 'static'")
    }

    @Test func tooManyVerticesIsALineError() throws {
        let many = String(repeating: "v 0 0 0\n", count: Limits.meshVertices + 1)
        let got = try outcome(asset: "m.obj") { dir, _ in try many.write(toFile: dir + "/m.obj", atomically: true, encoding: .utf8) }
        #expect(got.hasPrefix("8:29: ") && got.hasSuffix("'m.obj', line 200001: more than 200000 vertices; simplify the mesh"), "\(got)")
    }

    @Test func trianglesAtAndPastTheirLimit() throws {
        let header = "v 0 0 0\nv 1 0 0\nv 0 1 0\n"
        let at = try OBJModel.parse(header + String(repeating: "f 1 2 3\n", count: Limits.meshTriangles))
        #expect(at.corners.count == 3 * Limits.meshTriangles)
        #expect(throws: OBJModel.ParseError(line: 3 + Limits.meshTriangles + 1, message: "more than 400000 triangles; simplify the mesh")) {
            try OBJModel.parse(header + String(repeating: "f 1 2 3\n", count: Limits.meshTriangles + 1))
        }
    }

    @Test func anOversizeFileIsNotRead() throws {
        let got = try outcome(asset: "m.obj") { dir, _ in
            _ = FileManager.default.createFile(atPath: dir + "/m.obj", contents: nil)
            let h = try #require(FileHandle(forWritingAtPath: dir + "/m.obj"))
            try h.truncate(atOffset: UInt64(Limits.meshBytes) + 1)
            try h.close()
        }
        #expect(got.hasPrefix("8:29: ") && got.contains("16777216"), "\(got)")
    }
}

/// Internal variables stay off trainee-facing displays: `hidden:` says so, and a plain number
/// without a unit is hidden unless the author shows it.
@Suite struct HiddenVariableTests {
    @Test func plainNumbersAreHiddenByDefaultAndEitherCanBeSaid() throws {
        let variables = """
        variables:
          - {id: phase, initial: 0}
          - {id: pain, initial: 3, hidden: false}
          - {id: heart_rate, unit: bpm, initial: 80}
          - {id: ticks, unit: bpm, initial: 80, hidden: true}

        """
        let r = load(minimalScenario + variables)
        let s = try #require(r.scenario, "\(r.diagnostics)")
        #expect(s.variables.map(\.hidden) == [true, false, false, true])
        let bad = load(minimalScenario + "variables:\n  - {id: phase, initial: 0, hidden: maybe}\n")
        #expect(bad.errors.first.map { "\($0.location.line):\($0.location.column)" } == "20:37")
    }
}
