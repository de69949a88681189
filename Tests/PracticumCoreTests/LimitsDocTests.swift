import Foundation
import Testing
import PracticumCore
import PracticumTestSupport

/// docs/limits.md and `Limits` agree: every constant is documented, in a table row that names it,
/// with its value as the docs write it.
@Suite struct LimitsDocTests {
    /// (name, value in code, how the docs write it)
    static let documented: [(String, Double, String)] = [
        ("scenarioBytes", Double(Limits.scenarioBytes), "4,194,304"), ("scenarioNodes", Double(Limits.scenarioNodes), "200,000"),
        ("scenarioDepth", Double(Limits.scenarioDepth), "200 levels"), ("scalarLength", Double(Limits.scalarLength), "65,536"),
        ("expressionLength", Double(Limits.expressionLength), "4096"), ("expressionDepth", Double(Limits.expressionDepth), "64 levels"),
        ("numberLength", Double(Limits.numberLength), "64 characters"), ("unitLength", Double(Limits.unitLength), "32 characters"),
        ("unitExponent", Double(Limits.unitExponent), "±8"), ("maximumSize", Limits.maximumSize, "100 m"),
        ("minimumSize", Limits.minimumSize, "0.01 mm"), ("maximumPosition", Limits.maximumPosition, "1000 m"),
        ("maximumGravity", Limits.maximumGravity, "1000 m/s²"), ("diagnostics", Double(Limits.diagnostics), "200 per file"),
        ("meshBytes", Double(Limits.meshBytes), "16,777,216"), ("meshVertices", Double(Limits.meshVertices), "200,000"),
        ("meshTriangles", Double(Limits.meshTriangles), "400,000"), ("gltfNodeDepth", Double(Limits.gltfNodeDepth), "64"),
        ("textureSize", Double(Limits.textureSize), "2048 × 2048 pixels"), ("traceDuration", Limits.traceDuration, "7200 s"),
        ("traceMetadataLines", Double(Limits.traceMetadataLines), "64"), ("traceHeaderBytes", Double(Limits.traceHeaderBytes), "16,384"),
        ("tracePosition", Limits.tracePosition, "1000 m"), ("scriptFrames", Double(Limits.scriptFrames), "648,001"),
        ("buttons", Double(Limits.buttons), "32"), ("traceName", Double(Limits.traceName), "64 characters"),
        ("quotedLength", Double(Limits.quotedLength), "64 characters"),
        ("minimumTickRate", Limits.minimumTickRate, "60 Hz"), ("maximumTickRate", Limits.maximumTickRate, "10,000 Hz"),
        ("templateRepetitions", Double(Limits.templateRepetitions), "10,000 per for_each"),
        ("retries", Double(Limits.retries), "1000 per step"), ("drawChoices", Double(Limits.drawChoices), "100 values"),
        ("peakWindow", Limits.peakWindow, "60 s"), ("groupMembers", Double(Limits.groupMembers), "1000 members"),
        ("maximumDebounce", Limits.maximumDebounce, "3600 s"),
        ("liveMessageBytes", Double(Limits.liveMessageBytes), "65,536"), ("liveQueueFrames", Double(Limits.liveQueueFrames), "256 messages"),
        ("liveSessions", Double(Limits.liveSessions), "64 sessions"),
    ]
    static let values: [String: Double] = [
        "scenarioBytes": 4_194_304, "scenarioNodes": 200_000, "scenarioDepth": 200, "scalarLength": 65_536,
        "expressionLength": 4096, "expressionDepth": 64, "numberLength": 64, "unitLength": 32, "unitExponent": 8,
        "maximumSize": 100, "minimumSize": 1e-5, "maximumPosition": 1000, "maximumGravity": 1000, "diagnostics": 200,
        "meshBytes": 16_777_216, "meshVertices": 200_000, "meshTriangles": 400_000, "gltfNodeDepth": 64, "textureSize": 2048, "traceDuration": 7200,
        "traceMetadataLines": 64, "traceHeaderBytes": 16_384, "tracePosition": 1000, "scriptFrames": 648_001,
        "buttons": 32, "traceName": 64, "quotedLength": 64, "minimumTickRate": 60, "maximumTickRate": 10_000,
        "templateRepetitions": 10_000, "retries": 1000, "drawChoices": 100, "peakWindow": 60, "groupMembers": 1000,
        "maximumDebounce": 3600, "liveMessageBytes": 65_536, "liveQueueFrames": 256, "liveSessions": 64,
    ]

    @Test func everyLimitInTheCodeIsDocumentedWithItsValue() throws {
        let source = try String(contentsOfFile: repositoryRoot() + "/Sources/PracticumCore/Limits.swift", encoding: .utf8)
        let declared = Set(source.split(separator: "\n").compactMap { line -> String? in
            guard let r = line.range(of: "public static let ") else { return nil }
            return String(line[r.upperBound...].prefix { $0.isLetter || $0.isNumber })
        })
        #expect(declared == Set(Self.documented.map(\.0)), "declared in Limits.swift but not listed here, or the reverse")
        let doc = try String(contentsOfFile: repositoryRoot() + "/docs/limits.md", encoding: .utf8)
        let rows = doc.split(separator: "\n").filter { $0.hasPrefix("|") }
        for (name, value, written) in Self.documented {
            #expect(Self.values[name] == value, "Limits.\(name) is \(value); update docs/limits.md and this test")
            let row = rows.first { $0.contains("`Limits.\(name)`") }
            #expect(row?.contains(written) == true, "docs/limits.md: no table row names `Limits.\(name)` with \(written)")
        }
    }
}
