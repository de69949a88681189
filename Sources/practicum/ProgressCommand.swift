import ArgumentParser
import Foundation
import PracticumProgress

/// `practicum progress TRAINEE [SCENARIO] --store URL [--programme FILE]`: a trainee's history and proficiency.
struct ProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "Show a trainee's attempts and whether they are proficient.",
        discussion: """
        Reads the attempts `practicum score --store URL` recorded. For each scenario (or the one \\
        given): every attempt in the order made (wall-clock start, then as recorded) with its score, \\
        verdict, critical errors and whether it qualifies under the programme's rule, then the \\
        verdict: proficient since attempt N, or how far there is to go. The rule and benchmark come \\
        from --programme (docs/progress.md); without one, an attempt qualifies when it passed with no \\
        critical error, and proficiency needs 2 in a row and 10 in all (the FLS rule).
        Exit 0 when shown (proficient or not), 1 with --require-proficient when not proficient, \\
        2 on a usage error or a store or programme that cannot be read.
        """)

    @Argument(help: "The trainee's id.") var trainee: String
    @Argument(help: "Only this scenario (its id).") var scenario: String?
    @Option(help: ArgumentHelp("The progress store: sqlite:PATH or a path, or postgres://user[:password]@host[:port]/database.", valueName: "url"))
    var store: String
    @Option(help: ArgumentHelp("The programme file: per scenario a benchmark file and a progression rule.", valueName: "file"))
    var programme: String?
    @Flag(help: "Exit 1 unless the trainee is proficient at every scenario shown.") var requireProficient = false

    func run() throws {
        let (db, prog) = try openStoreAndProgramme(store, programme)
        let attempts: [AttemptRecord]
        do { attempts = try db.attempts(trainee: trainee, scenario: scenario) } catch { printError(error.description); throw ExitCode(2) }
        if attempts.isEmpty {
            print("\(trainee): no attempts\(scenario.map { " at \($0)" } ?? "")")
            if requireProficient { throw ExitCode(1) }
            return
        }
        var allProficient = true
        for id in orderedScenarios(attempts) {
            let report = prog.progression(for: id).evaluate(attempts.filter { $0.scenarioID == id })
            print(progressText(trainee: trainee, scenario: id, report), terminator: "")
            if report.proficientAt == nil { allProficient = false }
        }
        if requireProficient && !allProficient { throw ExitCode(1) }
    }
}

/// `practicum cohort [SCENARIO] --store URL [--programme FILE]`: every trainee, attempts to proficiency, learning curves.
struct CohortCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cohort",
        abstract: "List trainees with their attempts, attempts to proficiency and learning curve.",
        discussion: """
        One line per trainee and scenario: attempts made, the attempt at which proficiency was reached \\
        (or -), and the learning curve (every attempt's score, in order). Exit 0, or 2 on a usage error \\
        or a store or programme that cannot be read.
        """)

    @Argument(help: "Only this scenario (its id).") var scenario: String?
    @Option(help: ArgumentHelp("The progress store: sqlite:PATH or a path, or postgres://user[:password]@host[:port]/database.", valueName: "url")) var store: String
    @Option(help: ArgumentHelp("The programme file.", valueName: "file")) var programme: String?

    func run() throws {
        let (db, prog) = try openStoreAndProgramme(store, programme)
        var lines = ["trainee\tscenario\tattempts\tproficient_at\tscores"]
        do {
            for t in try db.trainees(scenario: scenario) {
                let attempts = try db.attempts(trainee: t, scenario: scenario)
                for id in orderedScenarios(attempts) {
                    let mine = attempts.filter { $0.scenarioID == id }
                    let r = prog.progression(for: id).evaluate(mine)
                    lines.append("\(t)\t\(id)\t\(mine.count)\t\(r.proficientAt.map(String.init) ?? "-")\t"
                                 + mine.map { String(format: "%.0f", $0.score) }.joined(separator: " "))
                }
            }
        } catch { printError(error.description); throw ExitCode(2) }
        print(lines.joined(separator: "\n"))
    }
}

func openStoreAndProgramme(_ url: String, _ programme: String?) throws -> (any ProgressStore, Programme) {
    let db: any ProgressStore
    do { db = try openProgressStore(url) } catch { printError(error.description); throw ExitCode(2) }
    var prog = Programme()
    if let programme {
        do { prog = try Programme.load(path: programme) } catch { printError(error.description); throw ExitCode(2) }
    }
    return (db, prog)
}

/// Scenario ids in the order of their first attempt.
func orderedScenarios(_ attempts: [AttemptRecord]) -> [String] {
    var seen: [String] = []
    for a in attempts where !seen.contains(a.scenarioID) { seen.append(a.scenarioID) }
    return seen
}

/// The history table and verdict of one trainee at one scenario.
func progressText(trainee: String, scenario: String, _ r: ProgressReport) -> String {
    var out = "\(trainee) at \(scenario): \(r.verdict)\n"
    // the attempt column as wide as its longest id, so that long ids keep the columns aligned
    let width = max(7, r.standings.map { $0.record.attempt.count }.max() ?? 0)
    out += "  #  " + "attempt".rightPad(width) + "  started               score  passed  critical  qualifies\n"
    for (i, s) in r.standings.enumerated() {
        let a = s.record
        let cols = [String(i + 1).leftPad(3), (a.attempt.isEmpty ? "-" : a.attempt).rightPad(width), (a.started ?? "-").rightPad(20),
                    String(format: "%5.1f", a.score), (a.passed ? "yes" : "no").rightPad(6), String(a.criticalErrors).leftPad(8),
                    s.qualifies ? "yes" : "no: " + s.shortfalls.joined(separator: "; ")]
        out += cols.joined(separator: "  ") + "\n"
    }
    return out
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
    func rightPad(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
