import Foundation
import Testing
import PracticumCore
import PracticumScoring
@testable import PracticumSession
import PracticumTestSupport

/// Who and when: trainee, attempt and wall-clock start travel in a trace's metadata into the report,
/// and change nothing else in it.
@Suite struct AttemptMetadataTests {
    func write(_ header: TraceHeader, _ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-who-\(name)-\(getpid()).trace").path
        try Data(try TraceWriter.encode(header: header, frames: sampleFrames(count: 30))).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func metadataKeysRoundTripThroughTheHeader() {
        var h = TraceHeader(scenarioID: "s", metadata: ["device": "quest"])
        h.attemptInfo = AttemptInfo(trainee: "t-7", attempt: "2", started: "2026-12-03T09:30:00Z")
        #expect(h.metadata == ["device": "quest", "trainee": "t-7", "attempt": "2", "started": "2026-12-03T09:30:00Z"])
        let stamped = TraceHeader(scenarioID: "s").stamped(trainee: "t-9", attempt: nil, started: Date(timeIntervalSince1970: 1_796_290_200))
        #expect(stamped.attemptInfo == AttemptInfo(trainee: "t-9", attempt: nil, started: "2026-12-03T09:30:00Z"))
    }

    @Test func theTraceHashLeavesOutTheMetadata() throws {
        let plain = try write(TraceHeader(scenarioID: "s"), "plain")
        var h = TraceHeader(scenarioID: "s")
        h.attemptInfo = AttemptInfo(trainee: "t-7", attempt: "2", started: "2026-12-03T09:30:00Z")
        let labelled = try write(h, "labelled")
        defer { for p in [plain, labelled] { try? FileManager.default.removeItem(atPath: p) } }
        #expect(Replay.traceHash(contentsOf: plain) == Replay.traceHash(contentsOf: labelled))
        #expect(Replay.traceHash(contentsOf: plain) != "")
        let stream = try TraceStream(path: labelled)
        #expect(stream.header.attemptInfo.trainee == "t-7")
        #expect(stream.finish() == Replay.traceHash(contentsOf: plain))
    }

    @Test func eachRestartGetsItsOwnStartAndTheNextAttemptId() throws {
        let times = [Date(timeIntervalSince1970: 1_796_290_200), Date(timeIntervalSince1970: 1_796_290_261)]
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-attempts-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (id, second) in [("3", "4"), ("warm-up", "warm-up-2")] {
            let header = TraceHeader(scenarioID: "s").stamped(trainee: "t-7", attempt: id, started: times[0])
            let recording = AttemptRecording(try TraceRecorder(path: "\(dir)/\(id).trace", header: header), clock: { times[1] })
            try recording.nextAttempt()
            try recording.finish()
            let next = try TraceReader.readHeader(contentsOf: recording.paths[1])
            #expect(next.attemptInfo == AttemptInfo(trainee: "t-7", attempt: second, started: "2026-12-03T09:31:01Z"))
        }
    }

    @Test(arguments: [("2026-12-03T09:30:00Z", true), ("2026-12-03T09:30:00.250+01:00", true), ("2026-12-03", false),
                      ("2026-12-03T09:30:00", false), ("yesterday", false)])
    func startTimesAreISO8601WithAZone(text: String, valid: Bool) {
        #expect(WallClock.isISO8601(text) == valid)
    }
}
