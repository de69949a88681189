import Foundation
import Testing
import PracticumCore
@testable import PracticumSession
import PracticumTestSupport

@Suite struct TraceRecorderTests {
    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("practicum-\(name)-\(getpid()).trace").path
    }

    @Test(arguments: [nil, TraceQuantization()])
    func recordsWhatItReturnsAndDropsBadSamples(quantization: TraceQuantization?) throws {
        let path = temporaryPath("rec-\(quantization == nil)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let recorder = try TraceRecorder(path: path, header: sampleHeader, quantization: quantization)
        var stored: [InputFrame] = []
        for (i, f) in sampleFrames(count: 100).enumerated() {
            var f = f
            if i == 10 { f.hands[0].grip = .nan }
            if i == 20 { f.time = 0 }
            if i == 30 { f.hands.removeLast() }
            if let s = recorder.record(f) { stored.append(s) }
        }
        try recorder.finish()
        #expect(recorder.droppedFrames == 3 && recorder.recordedFrames == 97 && recorder.writeError == nil)
        let trace = try TraceReader.read(contentsOf: path)
        #expect(trace.frames == stored)
        if quantization != nil {
            #expect(stored[5].hands[1].pose.position.x == (sampleFrames(count: 6)[5].hands[1].pose.position.x * 100_000).rounded() / 100_000)
        }
    }

    /// Size of a worst-case recording (every number changes every frame) at 90 Hz; a regression bound, not a timing.
    @Test func bytesPerSecondAt90Hz() throws {
        let frames = sampleFrames(count: 900) // 10 s
        let exact = try TraceWriter.encode(header: sampleHeader, frames: frames)
        let quantized = try TraceWriter.encode(header: sampleHeader, frames: frames.map(TraceQuantization().apply))
        let exactPerSecond = Double(exact.count) / 10, quantizedPerSecond = Double(quantized.count) / 10
        print("trace size at 90 Hz, all fields changing: exact \(Int(exactPerSecond)) B/s, quantized \(Int(quantizedPerSecond)) B/s")
        #expect(exactPerSecond < 50_000)
        #expect(quantizedPerSecond < 0.6 * exactPerSecond)
    }
}
