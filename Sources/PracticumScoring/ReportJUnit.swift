// JUnit XML, the test-result format CI servers read (Jenkins, GitLab, GitHub Actions reporters):
// one <testcase> per scored trace, failed when the trainee did not pass, with the verdict's reasons
// as the failure message; a trace that could not be scored is an <error>. The element and attribute
// names follow the schema Jenkins and Ant use (testsuites > testsuite > testcase > failure | error,
// system-out). Times are the run's simulated seconds, so the same report gives the same bytes.

/// JUnit XML documents built from reports.
public enum JUnit {
    /// One test case: a scored trace, or one that could not be scored (`error`).
    public struct TestCase: Sendable, Equatable {
        /// The trace (its path as given).
        public var name: String
        /// The scenario id (JUnit's class name groups cases by scenario).
        public var classname: String
        /// Simulated seconds of the run; 0 when it could not be scored.
        public var time: Double
        /// Why it failed (the verdict's reasons); nil when it passed.
        public var failure: [String]?
        /// Why it could not be scored; nil when it was.
        public var error: String?
        /// Score, outcome and who, for people reading the CI log.
        public var output: String

        public init(name: String, classname: String, time: Double = 0, failure: [String]? = nil, error: String? = nil, output: String = "") {
            self.name = name; self.classname = classname; self.time = time; self.failure = failure; self.error = error; self.output = output
        }
    }

    /// A complete document: one `testsuite` named `suite` holding `cases` in order.
    public static func document(suite: String, cases: [TestCase]) -> String {
        let failures = cases.filter { $0.failure != nil }.count, errors = cases.filter { $0.error != nil }.count
        let time = JSON.format(cases.reduce(0) { $0 + $1.time })
        let counts = "tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\" time=\"\(time)\""
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"practicum\" \(counts)>\n"
        out += "  <testsuite name=\"\(escape(suite))\" \(counts)>\n"
        for c in cases {
            out += "    <testcase classname=\"\(escape(c.classname))\" name=\"\(escape(c.name))\" time=\"\(JSON.format(c.time))\">\n"
            if let reasons = c.failure {
                let message = reasons.isEmpty ? "did not pass" : reasons.joined(separator: "; ")
                out += "      <failure message=\"\(escape(message))\" type=\"not_passed\">\(escape(reasons.joined(separator: "\n")))</failure>\n"
            }
            if let error = c.error { out += "      <error message=\"\(escape(error))\" type=\"not_scored\"/>\n" }
            if !c.output.isEmpty { out += "      <system-out>\(escape(c.output))</system-out>\n" }
            out += "    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    /// Text for an attribute or element: `&`, `<`, `>`, `"`, `'` as entities, other control
    /// characters (not allowed in XML 1.0) as `\u{…}`, tab and line breaks kept.
    static func escape(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n": out.unicodeScalars.append(u)
            case "\r": out += "&#13;"
            default:
                if u.value < 0x20 || (0xFFFE...0xFFFF).contains(u.value) { out += "\\u{\(String(u.value, radix: 16))}" } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }
}

extension Report {
    /// This report as a JUnit test case named `name` (the trace): failed unless the trainee passed,
    /// the failure message being the verdict's reasons (`score_breakdown.failed_criteria`).
    public func junitCase(name: String) -> JUnit.TestCase {
        var lines = ["score \(JSON.format(score)) of 100, outcome \(outcome)\(complete ? "" : ", incomplete")"]
        if let t = attempt.trainee { lines.append("trainee \(t)\(attempt.attempt.map { ", attempt \($0)" } ?? "")") }
        return JUnit.TestCase(name: name, classname: context.scenarioID, time: duration,
                              failure: passed ? nil : evaluation.failedCriteria, output: lines.joined(separator: "\n"))
    }
}
