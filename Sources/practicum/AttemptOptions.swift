import ArgumentParser
import PracticumScoring
import PracticumSession

/// Who and when, for `synth` (written into the trace's metadata) and `score` (given to the report,
/// in place of what the trace records). Never scored.
struct AttemptOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The trainee's id (metadata `trainee`).", valueName: "id"))
    var trainee: String?

    @Option(help: ArgumentHelp("The attempt's id (metadata `attempt`).", valueName: "id"))
    var attempt: String?

    @Option(help: ArgumentHelp("When the session started, ISO 8601 with a zone, e.g. 2026-12-03T09:30:00Z (metadata `started`).", valueName: "time"))
    var started: String?

    /// Longest id or time accepted (the trace header's limit for a value).
    static let maxLength = 256

    func validate() throws {
        for (name, value) in [("--trainee", trainee), ("--attempt", attempt), ("--started", started)] {
            guard let value else { continue }
            if value.isEmpty { throw ValidationError("\(name) must not be empty") }
            if value.utf8.count > Self.maxLength { throw ValidationError("\(name) is at most \(Self.maxLength) bytes") }
        }
        if let started, !WallClock.isISO8601(started) {
            throw ValidationError("--started must be an ISO 8601 time with a zone, e.g. 2026-12-03T09:30:00Z")
        }
    }

    var info: AttemptInfo { AttemptInfo(trainee: trainee, attempt: attempt, started: started) }
}
