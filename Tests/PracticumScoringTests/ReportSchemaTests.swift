import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import PracticumScoring
import PracticumTestSupport

/// The report, its xAPI statements and its JUnit XML, each checked against what reads them:
/// docs/report.schema.json, docs/xapi-statement.schema.json (from the xAPI 1.0.3 spec) and a parser.
@Suite struct ReportSchemaTests {
    static let reportSchema = try! JSONSchema(contentsOf: "\(repositoryRoot())/docs/report.schema.json")
    static let xapiSchema = try! JSONSchema(contentsOf: "\(repositoryRoot())/docs/xapi-statement.schema.json")

    static var goldens: [String] {
        let root = "\(repositoryRoot())/scenarios"
        return ((try? FileManager.default.subpathsOfDirectory(atPath: root)) ?? []).filter { $0.hasSuffix(".report.json") }.sorted()
            .map { "\(root)/\($0)" }
    }

    @Test func thereAreGoldenReports() { #expect(Self.goldens.count >= 26) }

    @Test(arguments: goldens)
    func everyGoldenReportMatchesTheSchema(path: String) throws {
        #expect(Self.reportSchema.problems(try String(contentsOfFile: path, encoding: .utf8)) == [])
    }

    @Test func aReportWithSeriesMatchesTheSchema() throws {
        var r = try SyntheticRun.report()
        r.attempt = AttemptInfo(trainee: "t-7", attempt: "2", started: "2026-12-03T09:30:00Z")
        #expect(Self.reportSchema.problems(r.json(includeSeries: true)) == [])
        #expect(Self.reportSchema.problems(r.json()) == [])
    }

    /// The validator is not a yes-machine: each broken report is refused with the exact reason.
    @Test func theSchemaRefusesWhatIsWrong() throws {
        let good = try SyntheticRun.report().json()
        #expect(Self.reportSchema.problems(good.replacingOccurrences(of: "\"passed\": ", with: "\"pass\": ")).sorted()
                == ["$.pass: not allowed", "$: missing passed"])
        #expect(Self.reportSchema.problems(good.replacingOccurrences(of: "\"schema\": \"practicum-report/1\"", with: "\"schema\": \"practicum-report/2\""))
                == ["$.schema: \"practicum-report/2\" is not \"practicum-report/1\""])
        #expect(Self.reportSchema.problems(good.replacingOccurrences(of: "\"ticks\": 950", with: "\"ticks\": 9.5"))
                == ["$.ticks: expected integer, found number"])
        #expect(Self.reportSchema.problems("{") == ["$: not JSON"])
    }

    func statements(_ r: Report) throws -> [JSON] { try #require(try JSON.parse(r.xapiJSON()).array) }

    @Test func xapiStatementsMatchTheSpecSchema() throws {
        var passed = try SyntheticRun.report()
        passed.attempt = AttemptInfo(trainee: "t-7", attempt: "2", started: "2026-12-03T09:30:00Z")
        var failed = try SyntheticRun.report(seconds: 4)
        failed.attempt = AttemptInfo()
        for r in [passed, failed] {
            for s in try statements(r) {
                #expect(Self.xapiSchema.problems(s.serialized()) == [])
                if let score = s["result"]?["score"], let raw = score["raw"]?.double {
                    #expect(score["min"]!.double! <= raw && raw <= score["max"]!.double!)
                }
            }
        }
    }

    @Test func theXAPISchemaRefusesWhatAnLRSWould() throws {
        let s = try #require(try statements(try SyntheticRun.report()).last).serialized()
        #expect(Self.xapiSchema.problems(s.replacingOccurrences(of: "\"actor\"", with: "\"actress\"")).sorted()
                == ["$.actress: not allowed", "$: missing actor"])
        #expect(Self.xapiSchema.problems(s.replacingOccurrences(of: "\"duration\": \"PT9.5S\"", with: "\"duration\": \"9.5 s\"")) ==
                ["$.result.duration: \"9.5 s\" is not a duration"])
        #expect(Self.xapiSchema.problems(s.replacingOccurrences(of: "\"account\": {", with: "\"mbox\": \"mailto:a@b.org\", \"account\": {"))
                == ["$.actor: matches none of anyOf"])
    }

    @Test func theXAPIMappingIsExact() throws {
        var r = try SyntheticRun.report()
        r.attempt = AttemptInfo(trainee: "t-7", attempt: "2", started: "2026-12-03T09:30:00Z")
        let s = try statements(r)
        let verbs = s.map { $0["verb"]?["id"]?.string ?? "" }
        #expect(verbs == (r.complete ? ["http://adlnet.gov/expapi/verbs/completed"] : [])
                + ["http://adlnet.gov/expapi/verbs/\(r.passed ? "passed" : "failed")"])
        let last = try #require(s.last)
        #expect(last["actor"]?["account"]?["name"]?.string == "t-7")
        #expect(last["actor"]?["account"]?["homePage"]?.string == "https://practicum.example.org")
        #expect(last["object"]?["id"]?.string == "https://practicum.example.org/scenarios/synthetic")
        #expect(last["result"]?["score"]?["scaled"]?.double == r.score / 100)
        #expect(last["result"]?["success"] == .bool(r.passed))
        #expect(last["result"]?["duration"]?.string == "PT9.5S")
        #expect(last["timestamp"]?.string == "2026-12-03T09:30:00Z")
        let metrics = try #require(last["result"]?["extensions"]?["https://practicum.example.org/xapi/extensions/metrics"]?.array)
        #expect(metrics.map { $0["id"]?.string ?? "" } == r.evaluation.metrics.map(\.id))
        let errors = try #require(last["result"]?["extensions"]?["https://practicum.example.org/xapi/extensions/errors"]?.array)
        #expect(errors.count == r.evaluation.errors.count)
        // the same report is the same statement (an LRS takes it once); another attempt is another
        #expect(try statements(r).map { $0["id"] } == s.map { $0["id"] })
        r.attempt.attempt = "3"
        #expect(try statements(r).last?["id"] != last["id"])
    }

    @Test(arguments: [(0.0, "PT0S"), (9.5, "PT9.5S"), (62.504, "PT1M2.5S"), (60, "PT1M"), (3725.07, "PT1H2M5.07S"), (0.004, "PT0S"), (7200, "PT2H")])
    func durationsAreISO8601(seconds: Double, text: String) {
        #expect(XAPI.duration(seconds) == text)
    }

    @Test func statementIdsAreVersion8UUIDs() {
        let id = XAPI.uuid(["a", "b"])
        #expect(id.range(of: "^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", options: .regularExpression) != nil)
        #expect(XAPI.uuid(["a", "b"]) == id && XAPI.uuid(["ab"]) != id)
    }

    /// JUnit XML parsed back: one test case per trace, a failure carrying the verdict's reasons.
    @Test func junitParsesBackToOneCasePerTrace() throws {
        let passed = try SyntheticRun.report()
        let failed = try SyntheticRun.report(seconds: 4)
        let cases = [passed.junitCase(name: "a/pass & \"ok\".trace"), failed.junitCase(name: "b<1>.trace"),
                     JUnit.TestCase(name: "c.trace", classname: "synthetic", error: "c.trace: not a Practicum trace")]
        let doc = try XMLDocument(xmlString: JUnit.document(suite: "synthetic", cases: cases), options: [])
        let root = try #require(doc.rootElement())
        #expect(root.name == "testsuites")
        #expect(root.attribute(forName: "tests")?.stringValue == "3")
        let suite = try #require(root.elements(forName: "testsuite").first)
        let testcases = suite.elements(forName: "testcase")
        #expect(testcases.map { $0.attribute(forName: "name")?.stringValue ?? "" } == ["a/pass & \"ok\".trace", "b<1>.trace", "c.trace"])
        #expect(testcases.map { $0.attribute(forName: "classname")?.stringValue ?? "" } == ["synthetic", "synthetic", "synthetic"])
        #expect(testcases[0].attribute(forName: "time")?.stringValue == "9.5")
        for (c, r) in zip(testcases, [passed, failed]) {
            let failure = c.elements(forName: "failure").first
            #expect((failure == nil) == r.passed)
            if let failure {
                #expect(failure.attribute(forName: "message")?.stringValue == r.evaluation.failedCriteria.joined(separator: "; "))
                #expect(failure.stringValue == r.evaluation.failedCriteria.joined(separator: "\n"))
            }
        }
        #expect(testcases[2].elements(forName: "error").first?.attribute(forName: "message")?.stringValue == "c.trace: not a Practicum trace")
        #expect(passed.passed && !failed.passed)
        #expect(suite.attribute(forName: "failures")?.stringValue == "1")
        #expect(suite.attribute(forName: "errors")?.stringValue == "1")
    }
}
