import Foundation
import Testing
import PracticumCore
import PracticumFuzzing
import PracticumTestSupport

/// Every file of the fuzz corpus (the seeds, and any input the fuzzer once broke on, saved under
/// `Tests/fuzz-corpus/<target>/`) goes through its harness: a regression is a crash here.
@Suite struct FuzzCorpusTests {
    static func files(_ target: FuzzTarget) -> [String] {
        let dir = repositoryRoot() + "/Tests/fuzz-corpus/" + target.rawValue
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { dir + "/" + $0 }
    }

    @Test(arguments: FuzzTarget.allCases)
    func everyCorpusFilePasses(_ target: FuzzTarget) throws {
        let files = Self.files(target)
        #expect(files.count >= 3, "the \(target.rawValue) corpus has seeds")
        for path in files {
            let data = try #require(FileManager.default.contents(atPath: path), "\(path)")
            target.run([UInt8](data))
        }
    }

    @Test(arguments: FuzzTarget.allCases)
    func emptyAndGarbageInputsPass(_ target: FuzzTarget) {
        var rng = SeededRandom(seed: 5)
        target.run([])
        target.run([0])
        target.run(Array("\n\r\t :-[{\"'&*!|>%@`".utf8))
        for n in [1, 7, 64, 1000] { target.run((0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }) }
    }
}
