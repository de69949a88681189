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

    @Test(arguments: [false, true])
    func coverageBoxesCoverEveryElementOnceWithoutOverlapping(help: Bool) {
        var l = HUDLayout(width: 1280, height: 720, measure: FixedMetrics())
        var h = hud
        h.hint = "Use two fingers."
        h.debrief = DebriefModel(score: 40, passed: false, errors: [DebriefError(title: "Late", feedback: "Too slow.")])
        l.layout(h, overlays: HUDOverlays(help: help, frameTimes: FrameTimes(cpu: 1, frame: 2, tick: 0.1, fps: 500)))
        let boxes = HUDLayout.coverage(l.elements, width: 1280, height: 720, measure: FixedMetrics())
        func covered(_ x: Int, _ y: Int) -> Int { boxes.filter { $0.x0 <= x && x < $0.x1 && $0.y0 <= y && y < $0.y1 }.count }
        for e in l.elements {
            var (x0, y0, x1, y1) = (0.0, 0.0, 0.0, 0.0)
            switch e {
            case let .rect(x, y, w, h, _): (x0, y0, x1, y1) = (x, y, x + w, y + h)
            case let .text(x, y, t, size, _): (x0, y0, x1, y1) = (x, y, x + FixedMetrics().width(t, size: size), y + 20)
            }
            // corners and centre of every element are composited exactly once
            for (x, y) in [(x0, y0), (x1 - 1, y0), (x0, y1 - 1), (x1 - 1, y1 - 1), ((x0 + x1) / 2, (y0 + y1) / 2)] {
                #expect(covered(Int(x), Int(y)) == 1, "\(e)")
            }
        }
        for b in boxes { #expect(b.x0 >= 0 && b.y0 >= 0 && b.x1 <= 1280 && b.y1 <= 720 && b.x0 < b.x1 && b.y0 < b.y1) }
    }

    @Test func equalLayoutKeysLayOutIdentically() {
        func layout(_ h: HUDModel) -> [HUDElement] {
            var l = HUDLayout(width: 1280, height: 720, measure: FixedMetrics())
            l.layout(h, overlays: HUDOverlays())
            return l.elements
        }
        func key(_ h: HUDModel) -> HUDLayoutKey { HUDLayoutKey(hud: h, overlays: HUDOverlays(), width: 1280, height: 720) }
        var a = hud, b = hud
        a.elapsed = 75.1; b.elapsed = 75.9
        a.monitor[0].value = 131.6; b.monitor[0].value = 131.8   // both show 132
        #expect(key(a) == key(b) && layout(a) == layout(b))
        // the clock's second, a monitor digit, a message expiring, the overlays: each changes the key
        var c = a; c.elapsed = 76
        var d = a; d.monitor[0].value = 132.6
        var e = a; e.elapsed = 78.05   // "Pneumothorax!" (t = 70) is up for 8 s
        #expect(key(c) != key(a) && key(d) != key(a) && key(e) != key(b))
        #expect(layout(e) != layout(b))
        #expect(HUDLayoutKey(hud: a, overlays: HUDOverlays(help: true), width: 1280, height: 720) != key(a))
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

    @Test func longMessagesWrapInsideTheirPanel() {
        var h = hud
        h.messages = [HUDMessage(text: String(repeating: "Right chest: no breath sounds, hyper-resonant. ", count: 4), time: 74)]
        var l = HUDLayout(width: 640, height: 720, measure: FixedMetrics())
        l.layout(h, overlays: HUDOverlays())
        let lines = l.elements.compactMap { e -> (Double, Double)? in
            if case let .text(x, _, t, _, _) = e, t.hasPrefix("Right") || t.hasPrefix("hyper") || t.hasPrefix("no ") { return (x, FixedMetrics().width(t, size: .body)) }
            return nil
        }
        #expect(lines.count > 1)
        for (x, w) in lines { #expect(x + w <= 16 + 320 + 1e-9) }   // text starts at 2 × pad (8 px compact); half of 640 px
    }

    @Test(arguments: [1280.0, 640.0, 480.0])
    func bannerKeepsClearOfTheTopPanels(width: Double) {
        var l = HUDLayout(width: width, height: 720, measure: FixedMetrics())
        l.layout(hud, overlays: HUDOverlays(status: ["REPLAY 1x  0:02 / 0:03"]))
        let banner = l.elements.compactMap { e -> (Double, Double)? in
            if case let .text(x, y, t, _, _) = e, t.hasPrefix("REPLAY") { return (x, y) } else { return nil }
        }.first!
        let bannerWidth = FixedMetrics().width("REPLAY 1x  0:02 / 0:03", size: .body)
        let clearsSideways = banner.0 > l.stepPanelRight && banner.0 + bannerWidth < l.monitorLeft
        #expect(clearsSideways || banner.1 > l.panelsBottom)
        #expect(clearsSideways == (width > 480))   // at 480 px there is no room between the panels
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

@Suite struct LabelTests {
    @Test func highlightedItemsGetATagBesideTheirProjectionInEachEye() {
        let head = Pose(position: Vec3(0, 0, 1))
        var scene = ViewScene()
        scene.landmarks = [LandmarkMarker(id: 1, name: "apex", position: .zero, color: .white, highlighted: true),
                           LandmarkMarker(id: 2, name: "quiet", position: .zero, color: .white)]
        scene.regions = [RegionMarker(id: 1, name: "behind", shape: .sphere(radius: 0.1), pose: Pose(position: Vec3(0, 0, 2)), color: .white, highlighted: true)]
        let eyes = StereoRig().eyes(head: head, width: 1280, height: 720)
        let tags = eyes.map { HUDLayout.labels(scene, view: $0, measure: FixedMetrics()) }
        // one tag (rect + text) per eye; the region behind the head is skipped
        #expect(tags.map(\.count) == [2, 2])
        // a second tag at the same spot stacks below the first; a repeated name is tagged once
        scene.landmarks[1].highlighted = true
        scene.landmarks.append(LandmarkMarker(id: 3, name: "apex", position: .zero, color: .white, highlighted: true))
        let stacked = HUDLayout.labels(scene, view: eyes[0], measure: FixedMetrics())
        #expect(stacked.count == 4)
        if case let .rect(_, y0, _, h, _) = stacked[0], case let .rect(_, y1, _, _, _) = stacked[2] { #expect(y1 == y0 + h + 2) } else { Issue.record("no rects") }
        guard case let .text(xl, yl, name, _, _) = tags[0][1], case let .text(xr, yr, _, _, _) = tags[1][1] else { Issue.record("no text"); return }
        #expect(name == "apex")
        // the landmark is 1 m away, beyond the 0.6 m zero-parallax plane: uncrossed, so further right in the right eye
        #expect(xr > xl && yl == yr)
        #expect(isClose(xl, 320 + 12 + 4 - (xr - xl) / 2, abs: 1e-9))
    }
}

@Suite struct FontTests {
    @Test(arguments: [("10–30°", "10-30°"), ("“bevel” up…", "\"bevel\" up..."), ("plain ASCII µ", "plain ASCII µ"), ("≤ 5 mm", "<= 5 mm")])
    func typographicCharactersBecomeOnesTheAtlasHas(text: String, shown: String) {
        #expect(FontAtlas.displayable(text) == shown)
    }

    @Test func atlasBakesEverySizeFromTheShippedFont() throws {
        let atlas = try FontAtlas(path: repositoryRoot() + "/assets/fonts/DejaVuSans.ttf")
        #expect(atlas.height == 6 * 512)
        #expect(atlas.lineHeight(size: .title) > atlas.lineHeight(size: .body))
        #expect(atlas.width("10–30°", size: .body) == atlas.width("10-30°", size: .body))
        #expect(atlas.width("WWW", size: .body) > atlas.width("iii", size: .body))
    }
}
