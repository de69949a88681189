import Foundation
import Testing
import PracticumTestSupport

/// `practicum serve`'s command line (no client needed): tokens, the port line, usage errors.
@Suite struct ServeCommandTests {
    /// Without tokens the server makes random ones and prints them after the port; SIGTERM exits 0.
    @Test func generatedTokensArePrintedAfterThePort() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-serve-cli-\(getpid())").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: repositoryRoot() + "/.build/debug/practicum")
        p.arguments = ["serve", "--port", "0", "--data", data]
        var env = ProcessInfo.processInfo.environment
        env["PRACTICUM_SESSION_TOKEN"] = nil
        env["PRACTICUM_OBSERVER_TOKEN"] = "from-the-environment"
        p.environment = env
        let out = Pipe()
        p.standardOutput = out; p.standardError = FileHandle.nullDevice
        try p.run()
        var text = ""
        while text.split(separator: "\n").count < 3 {
            let d = out.fileHandleForReading.availableData
            if d.isEmpty { break }
            text += String(decoding: d, as: UTF8.self)
        }
        p.terminate()
        p.waitUntilExit()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(text)")
        #expect(Int(lines.first ?? "") != nil, "line 1 is the port: \(text)")
        #expect(lines.dropFirst().first?.hasPrefix("practicum serve: front ends ws://127.0.0.1:") == true)
        let token = lines.last ?? ""
        #expect(token.hasPrefix("session token: ") && token.dropFirst(15).count == 32 && token.dropFirst(15).allSatisfy(\.isHexDigit), "\(token)")
        #expect(!text.contains("from-the-environment"), "a token from the environment is not printed")
        #expect(p.terminationStatus == 0)
    }

    @Test(arguments: [
        (["serve", "--port", "70000"], "--port must be 0 … 65535"),
        (["serve", "--grace=-1"], "--grace must be 0 … 3600 seconds"),
        (["serve", "--token", ""], "--token must not be empty"),
        (["serve", "--token", "same", "--observer-token", "same"], "the session and observer tokens must differ"),
    ])
    func usageErrorsExitTwo(args: [String], message: String) throws {
        let (code, _, err) = try runTool(repositoryRoot() + "/.build/debug/practicum", args)
        #expect(code == 2)
        #expect(err.contains(message), "\(err)")
    }
}
