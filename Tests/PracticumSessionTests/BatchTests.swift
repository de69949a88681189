import Foundation
import Testing
import PracticumCore
@testable import PracticumSession

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var calls = 0, maxSeen = 0
    func saw(_ done: Int) { lock.lock(); calls += 1; maxSeen = max(maxSeen, done); lock.unlock() }
}

@Suite struct BatchTests {
    @Test(arguments: [1, 2, 7])
    func resultsKeepInputOrderWhateverTheScheduling(workers: Int) {
        // Uneven jobs: hashing a trace of i * 37 % 50 frames.
        let inputs = Array(0..<40)
        let job: @Sendable (Int) -> String = { i in
            let bytes = (try? TraceWriter.encode(header: TraceHeader(scenarioID: "s"), frames: sampleFrames(count: i * 37 % 50, seed: UInt64(i)))) ?? []
            return "\(i):" + StateHash.of(bytes: bytes).hex
        }
        let counter = Counter()
        let parallel = BatchRunner.map(inputs, workers: workers, progress: { done, _ in counter.saw(done) }, job)
        #expect(parallel == inputs.map(job))
        #expect(counter.calls == 40 && counter.maxSeen == 40)
        #expect(BatchRunner.map([Int](), { $0 }).isEmpty)
    }

    @Test func summaryTablesAreWrittenExactly() {
        let t = SummaryTable(columns: ["trace", "passed", "score", "note"], rows: [
            [.text("a.trace"), .bool(true), .number(0.875), .null],
            [.text("b, \"odd\".trace"), .bool(false), .number(.nan), .text("line 3\ttab")],
        ])
        #expect(t.csv() == "trace,passed,score,note\na.trace,true,0.875,\n\"b, \"\"odd\"\".trace\",false,,line 3\ttab\n")
        #expect(t.json() == """
        [
          {"trace": "a.trace", "passed": true, "score": 0.875, "note": null},
          {"trace": "b, \\"odd\\".trace", "passed": false, "score": null, "note": "line 3\\ttab"}
        ]

        """)
        #expect(SummaryTable(columns: ["x"]).json() == "[]\n")
    }

    @Test func reportPathsMirrorTheTracesFromTheirCommonFolder() throws {
        let paths = try BatchLayout.reportPaths(traces: ["/x/a/run.trace", "/x/b/run.trace", "/x/b/c/summary.trace", "/x/a/odd.trc"],
                                                folder: "out", ext: "json").get()
        #expect(paths == ["out/a/run.report.json", "out/b/run.report.json", "out/b/c/summary.report.json", "out/a/odd.trc.report.json"])
        #expect(try BatchLayout.reportPaths(traces: ["t/one.trace"], folder: "o", ext: "html").get() == ["o/one.report.html"])
        let clash = BatchLayout.reportPaths(traces: ["/x/a.trace", "/x/a"], folder: "o", ext: "json")
        #expect(clash == .failure(BatchLayout.Collision(first: "/x/a.trace", second: "/x/a", report: "o/a.report.json")))
        if case let .failure(c) = clash { #expect(c.description == "/x/a: error: its report would be o/a.report.json, as for /x/a.trace; rename one of them") }
    }

    @Test func progressLinesCountEveryJobAndQuietKeepsOnlyErrors() {
        final class Lines: @unchecked Sendable { var all: [String] = [] }
        let lines = Lines()
        let log = ProgressLog(total: 3) { lines.all.append($0) }
        log.finished("a: passed"); log.finished("b: bad", isError: true); log.finished("c: failed")
        #expect(lines.all == ["[1/3] a: passed", "[2/3] b: bad", "[3/3] c: failed"])
        let quiet = Lines()
        let q = ProgressLog(total: 2, quiet: true) { quiet.all.append($0) }
        q.finished("a: passed"); q.finished("b: bad", isError: true)
        #expect(quiet.all == ["b: bad"])
    }
}
