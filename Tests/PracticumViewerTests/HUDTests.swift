import Testing
import PracticumCore
import PracticumTestSupport
@testable import PracticumViewer

/// Every character 8 px wide (10 px in titles), 20 px lines: easy to reason about.
struct FixedMetrics: TextMeasuring {
    func width(_ text: String, size: FontSize) -> Double { Double(text.count) * (size == .title ? 10 : 8) }
    func lineHeight(size: FontSize) -> Double { 20 }
}

@Suite struct HUDLayoutTests {
    let hud = HUDModel(title: "Demo", stepTitle: "Palpate", instructions: "Find the second intercostal space with two fingers.",
                       checklist: [ChecklistItem(title: "Prepare", status: .completed), ChecklistItem(title: "Palpate", status: .active),
                                   ChecklistItem(title: "Insert", status: .pending)],
                       elapsed: 75, timeLimit: 300, monitor: [MonitorRow(name: "HR", value: 131.6, unit: "/min", alarm: true)],
                       messages: [HUDMessage(text: "old", time: 10), HUDMessage(text: "Pneumothorax!", time: 70, kind: .error)])

    func texts(_ l: HUDLayout) -> [String] {
        l.elements.compactMap { if case let .text(_, _, t, _, _) = $0 { return t } else { return nil } }
    }

    @Test func wrapsGreedilyAtWordBoundaries() {
        let l = HUDLayout(width: 1280, height: 720, measure: FixedMetrics())
        #expect(l.wrap("aaa bbb ccc dd", size: .body, width: 64) == ["aaa bbb", "ccc dd"])
        #expect(l.wrap("supercalifragilistic x", size: .body, width: 40) == ["supercalifragilistic", "x"])
        #expect(l.wrap("a\nb", size: .body, width: 400) == ["a", "b"])
    }

    @Test(arguments: [(0.0, "0:00"), (59.9, "0:59"), (75, "1:15"), (3600, "60:00")])
    func clockFormat(seconds: Double, text: String) {
        #expect(HUDLayout.clock(seconds) == text)
    }

    @Test func showsStepChecklistMonitorAndRecentMessages() {
        var l = HUDLayout(width: 1280, height: 720, measure: FixedMetrics())
        l.layout(hud, overlays: HUDOverlays())
        let t = texts(l)
        #expect(Array(t.prefix(2)) == ["Demo", "Palpate"])
        #expect(t.contains("1:15 / 5:00"))
        #expect(t.contains("132") && t.contains("/min"))
        #expect(t.contains("Pneumothorax!") && !t.contains("old"))
        // checklist in step order after the instructions
        let checklist = t.filter { ["Prepare", "Palpate", "Insert"].contains($0) }
        #expect(checklist == ["Palpate", "Prepare", "Palpate", "Insert"])
        #expect(t.last == "F1 help")
    }

    @Test func statusSquaresUseTheStepColours() {
        var l = HUDLayout(width: 1280, height: 720, measure: FixedMetrics())
        l.layout(hud, overlays: HUDOverlays())
        let colors = l.elements.compactMap { e -> RGBA? in
            if case let .rect(_, _, w, h, c) = e, w == h { return c } else { return nil }
        }
        #expect(colors == [HUDPalette.color(.completed), HUDPalette.color(.active), HUDPalette.color(.pending)])
    }

    @Test(arguments: [(1280.0, 720.0), (640, 720), (800, 600)])
    func everythingStaysInsideTheViewport(width: Double, height: Double) {
        var h = hud
        h.hint = "Use the mid-clavicular line."
        h.debrief = DebriefModel(score: 40, passed: false, errors: [DebriefError(title: "Wrong space", feedback: "Go above the rib.", critical: true)])
        var l = HUDLayout(width: width, height: height, measure: FixedMetrics())
        l.layout(h, overlays: HUDOverlays(help: true, frameTimes: FrameTimes(cpu: 1, frame: 2, tick: 0.1, fps: 500), status: ["PAUSED"]))
        #expect(l.compact == (width < 900))
        for e in l.elements {
            if case let .rect(x, y, w, hh, _) = e {
                #expect(x >= 0 && y >= 0 && x + w <= width + 1e-9 && y + hh <= height + 1e-9)
            }
        }
        let t = texts(l)
        #expect(t.contains("NOT PASSED") && t.contains("Critical: Wrong space") && t.contains("PAUSED"))
        #expect(t.contains("Hint: Use the mid-clavicular line."))
        #expect(t.contains("CPU 1.00 ms/frame"))
    }

    @Test func helpListsEveryBinding() {
        var l = HUDLayout(width: 1280, height: 720, measure: FixedMetrics())
        l.layout(HUDModel(), overlays: HUDOverlays(help: true))
        let t = texts(l)
        for b in InputMapper.keyMap { #expect(t.contains(b.keys) && t.contains(b.action)) }
        #expect(!t.contains("F1 help"))
    }

    @Test func hintAndDebriefOnlyWhenPresent() {
        var l = HUDLayout(width: 1280, height: 720, measure: FixedMetrics())
        l.layout(hud, overlays: HUDOverlays())
        #expect(!texts(l).contains { $0.hasPrefix("Hint") || $0.contains("PASSED") })
    }
}
