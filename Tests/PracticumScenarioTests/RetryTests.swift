import Testing
import PracticumCore
@testable import PracticumScoring
@testable import PracticumScenario
import PracticumTestSupport

/// `retry`: a failed step goes back for another attempt instead of dead-ending the run.
let retryScenario = twoBodyScene("retry", region: "{id: vein, position: [1m, 0, 0], radius: 10cm}") + """
    - {id: bone, position: [-1m, 0, 0], radius: 10cm}
procedure:
  steps:
    - {id: cannulate, title: Cannulate, complete_when: 'held(inside(a, vein), 0.3s)', fail_when: 'inside(a, bone)'}
    - {id: secure, title: Secure, after: [cannulate], complete_when: 'button("done")'}
events:
  - id: again
    on_fail: cannulate
    do:
      - error: bone_strike
      - retry: {steps: cannulate, max: 2}
rubric:
  errors:
    - {id: bone_strike, title: Bone, penalty: 5, max_count: 5, feedback: Shallower}
"""

@Suite struct RetryTests {
    @Test func aFailedStepIsAttemptedAgainUpToItsLimit() throws {
        var d = try Driver(retryScenario)
        d.run(1)
        d.run(1, a: Vec3(-1, 0, 0)) // bone: fails, the event retries it, and it starts again
        d.run(1)
        // `secure` starts in the same tick (its predecessor has settled) and goes back with the retry
        #expect(d.log == ["1 start cannulate", "2 fail cannulate fail condition met", "2 start secure", "2 event again", "2 error bone_strike",
                          "2 retry cannulate", "2 retry secure", "3 start cannulate"])
        d.log = []
        d.run(1, a: Vec3(-1, 0, 0)); d.run(1)
        d.run(1, a: Vec3(-1, 0, 0)); d.run(1)
        // the second retry is the last: the third failure stands, and `secure` follows a failed step
        #expect(d.log == ["4 fail cannulate fail condition met", "4 start secure", "4 event again", "4 error bone_strike", "4 retry cannulate",
                          "4 retry secure", "5 start cannulate",
                          "6 fail cannulate fail condition met", "6 start secure", "6 event again", "6 error bone_strike"])
        #expect(d.runner.state.retries == [2, 0])
    }

    @Test func aSuccessfulRetryCompletesTheStep() throws {
        var d = try Driver(retryScenario)
        d.run(1); d.run(1, a: Vec3(-1, 0, 0)); d.run(1)
        d.log = []
        d.run(4, a: Vec3(1, 0, 0))
        #expect(d.log == ["7 done cannulate", "7 start secure"])
    }

    @Test func stepsWaitingOnARetriedStepGoBackWithIt() throws {
        // the event retries a completed `cannulate` after `secure` started: `secure` goes back to pending with it
        let text = retryScenario.replacingOccurrences(of: "on_fail: cannulate", with: "when: 'button(\"redo\")'")
            .replacingOccurrences(of: "- retry: {steps: cannulate, max: 2}", with: "- retry: cannulate")
        var d = try Driver(text)
        d.run(1); d.run(4, a: Vec3(1, 0, 0))
        #expect(d.log.last == "5 start secure")
        d.log = []
        d.run(1, buttons: ["redo"]); d.run(1)
        #expect(d.log == ["6 event again", "6 error bone_strike", "6 retry cannulate", "6 retry secure", "7 start cannulate"])
    }

    @Test func theTimelineEndsWithTheLastAttemptAndCountsThem() {
        var t = StepTimeline(step: 0)
        func frame(_ tick: Int, _ status: StepStatus, _ kinds: [ProcedureEvent.Kind]) -> ProcedureFrame {
            ProcedureFrame(tick: tick, time: Double(tick) / 10, variables: [], steps: [status],
                           events: kinds.map { ProcedureEvent(tick: tick, time: Double(tick) / 10, kind: $0) }, ended: false)
        }
        t.update(frame(1, .active, [.stepStarted(step: 0)]))
        t.update(frame(2, .pending, [.stepFailed(step: 0, reason: "x"), .stepRetried(step: 0)]))
        t.update(frame(3, .active, [.stepStarted(step: 0)]))
        t.update(frame(5, .completed, [.stepCompleted(step: 0)]))
        #expect(t.attempts == 2 && t.startTick == 1 && t.endTick == 5 && t.status == .completed)
        // a step sent back while only active (a step it waits on was retried) did not really start: no attempt
        var s = StepTimeline(step: 0)
        s.update(frame(2, .active, [.stepStarted(step: 0)]))
        s.update(frame(2, .pending, [.stepRetried(step: 0)]))
        s.update(frame(6, .active, [.stepStarted(step: 0)]))
        #expect(s.attempts == 1 && s.startTick == 6 && s.endTick == nil)
    }

    @Test(arguments: [
        ("- retry: {steps: cannulate, max: 2}", "- retry: {steps: cannulate, max: 2.5}", "20:40: error: expected a whole number of retries (at events[0].do[1].retry.max)"),
        ("- retry: {steps: cannulate, max: 2}", "- retry: {steps: cannulate, max: 5000}", "20:40: error: '5000' is above the largest allowed value (1000) (at events[0].do[1].retry.max)"),
        ("- retry: {steps: cannulate, max: 2}", "- retry: {step: cannulate}", "20:17: error: unknown key 'step'; did you mean 'steps'? (at events[0].do[1].retry.step)"),
        ("- retry: {steps: cannulate, max: 2}", "- retry: canulate", "20:16: error: unknown step 'canulate'; did you mean 'cannulate'? (at events[0].do[1].retry)"),
    ])
    func badRetries(_ c: (String, String, String)) {
        let found = diagnostics(of: retryScenario, replacing: c.0, with: c.1)
        #expect(found.contains("test.yaml:" + c.2), "\(found)")
    }
}
