// HUD layout: HUDModel → rectangles and text runs in pixels, without GL, so it is testable.
import PracticumCore

/// The three text sizes the HUD uses.
public enum FontSize: Int, Sendable, CaseIterable {
    case small, body, title
    /// Pixel height the font is rasterised at, for the normal and the compact (per-eye stereo) layout.
    public func pixels(compact: Bool) -> Double {
        switch self {
        case .small: return compact ? 13 : 15
        case .body: return compact ? 15 : 18
        case .title: return compact ? 19 : 24
        }
    }
}

/// Measures text as the renderer will draw it.
public protocol TextMeasuring {
    /// Advance width of `text` in pixels.
    func width(_ text: String, size: FontSize) -> Double
    /// Distance between baselines in pixels.
    func lineHeight(size: FontSize) -> Double
}

/// One thing the HUD draws. Pixel coordinates, origin top-left, y down.
public enum HUDElement: Sendable, Equatable {
    case rect(x: Double, y: Double, width: Double, height: Double, color: RGBA)
    /// `y` is the top of the line box.
    case text(x: Double, y: Double, text: String, size: FontSize, color: RGBA)
}

/// Frame timing shown by the F3 overlay, all in ms.
public struct FrameTimes: Sendable, Equatable {
    public var cpu: Double, frame: Double, tick: Double, fps: Double
    /// How the scene is multisampled now, e.g. "4x", "off (auto)"; empty: not shown.
    public var multisample: String
    public init(cpu: Double, frame: Double, tick: Double, fps: Double, multisample: String = "") {
        self.cpu = cpu; self.frame = frame; self.tick = tick; self.fps = fps; self.multisample = multisample
    }
}

/// What the viewer itself adds on top of the session's HUD.
public struct HUDOverlays: Sendable, Equatable {
    public var help = false
    /// Non-nil shows the frame-time overlay.
    public var frameTimes: FrameTimes?
    /// Viewer status lines (PAUSED, replay speed and position).
    public var status: [String] = []
    /// Viewer errors (a failed hot reload), shown in the banner in the alarm colour.
    public var errors: [String] = []
    public init(help: Bool = false, frameTimes: FrameTimes? = nil, status: [String] = [], errors: [String] = []) {
        self.help = help; self.frameTimes = frameTimes; self.status = status; self.errors = errors
    }
}

/// HUD colours, named by meaning.
public enum HUDPalette {
    public static let panel = RGBA(0.06, 0.07, 0.09, 0.78)
    public static let text = RGBA(0.95, 0.96, 0.97)
    public static let dim = RGBA(0.62, 0.66, 0.7)
    public static let accent = RGBA(1.0, 0.82, 0.3)
    public static let good = RGBA(0.35, 0.85, 0.45)
    public static let bad = RGBA(1.0, 0.38, 0.35)
    public static let hintPanel = RGBA(0.2, 0.17, 0.04, 0.85)

    public static func color(_ status: StepStatus) -> RGBA {
        switch status {
        case .pending: return RGBA(0.45, 0.48, 0.52)
        case .active: return accent
        case .completed: return good
        case .failed: return bad
        case .skipped: return RGBA(0.35, 0.37, 0.4)
        }
    }
}

/// Lays out the HUD for one viewport.
public struct HUDLayout {
    public var width: Double, height: Double
    /// Smaller type and narrower panels (each eye of side-by-side stereo).
    public var compact: Bool
    let measure: any TextMeasuring
    let pad: Double
    public private(set) var elements: [HUDElement] = []
    /// Right edge of the step panel, left edge of the monitor panel and the lower of their bottoms, px.
    var stepPanelRight = 0.0, monitorLeft = 0.0, panelsBottom = 0.0

    /// Layouts narrower than 900 px (each eye of 1280-px stereo) use the compact type sizes.
    public static func isCompact(width: Double) -> Bool { width < 900 }

    /// How long an event message stays on screen, simulated s.
    public static let messageSeconds = 8.0
    /// How long an error's live feedback (a toast) stays on screen, simulated s.
    public static let toastSeconds = 6.0

    public init(width: Double, height: Double, measure: any TextMeasuring) {
        self.width = width; self.height = height; self.measure = measure
        compact = HUDLayout.isCompact(width: width)
        pad = compact ? 8 : 12
    }

    /// Lays out the whole HUD; the result is in `elements`, drawn in order.
    public mutating func layout(_ hud: HUDModel, overlays: HUDOverlays) {
        elements = []
        stepPanel(hud)
        monitorPanel(hud)
        gaugePanel(hud)
        messages(hud)
        toasts(hud)
        if let hint = hud.hint { hintPanel(hint) }
        banner(hud, overlays)
        if let frameTimes = overlays.frameTimes { frameTimePanel(frameTimes) }
        if let debrief = hud.debrief { debriefPanel(debrief) }
        if overlays.help { helpPanel(scenarioKeys: hud.keys) } else {
            let s = "F1 help"
            text(width - pad - measure.width(s, size: .small), height - pad - measure.lineHeight(size: .small), s, .small, HUDPalette.dim)
        }
    }

    // MARK: panels

    /// Top left: scenario, current step, instructions and the checklist.
    mutating func stepPanel(_ hud: HUDModel) {
        let w = min(max(width * 0.34, 240), 400)
        let inner = w - 2 * pad
        var lines: [(String, FontSize, RGBA, indent: Double, status: StepStatus?)] = []
        if !hud.title.isEmpty { lines.append((hud.title, .small, HUDPalette.dim, 0, nil)) }
        for l in wrap(hud.stepTitle, size: .title, width: inner) { lines.append((l, .title, HUDPalette.text, 0, nil)) }
        for l in wrap(hud.instructions, size: .body, width: inner) { lines.append((l, .body, HUDPalette.text, 0, nil)) }
        let box = measure.lineHeight(size: .small) * 0.55
        for item in hud.checklist {
            for (k, l) in wrap(item.title, size: .small, width: inner - box * 2).enumerated() {
                lines.append((l, .small, item.status == .active ? HUDPalette.text : HUDPalette.dim, box * 2, k == 0 ? item.status : nil))
            }
        }
        guard !lines.isEmpty else { return }
        let gap = pad * 0.5
        let h = lines.reduce(0) { $0 + measure.lineHeight(size: $1.1) } + 2 * pad + (hud.checklist.isEmpty ? 0 : gap)
        rect(pad, pad, w, h, HUDPalette.panel)
        stepPanelRight = pad + w; panelsBottom = max(panelsBottom, pad + h)
        var y = 2 * pad
        var first = true
        for l in lines {
            if l.status != nil || l.indent > 0, first { y += gap; first = false }
            let lh = measure.lineHeight(size: l.1)
            if let status = l.status {
                rect(2 * pad, y + (lh - box) / 2, box, box, HUDPalette.color(status))
            }
            text(2 * pad + l.indent, y, l.0, l.1, l.2)
            y += lh
        }
    }

    /// Top right: elapsed time against the limit, then the patient monitor.
    mutating func monitorPanel(_ hud: HUDModel) {
        // wide enough for the longest name beside its value and unit (vitals names vary by scenario)
        var w = compact ? 170.0 : 230.0
        for row in hud.monitor {
            let need = 2 * pad + measure.width(row.name, size: .body) + 16
                + measure.width(HUDLayout.format(row.value, decimals: row.decimals), size: .body) + 6 + measure.width(row.unit, size: .small)
            w = max(w, min(need, width * 0.4))
        }
        let x = width - pad - w
        let clock = HUDLayout.clockText(hud), over = HUDLayout.isOverdue(hud)
        let lhTitle = measure.lineHeight(size: .title), lhBody = measure.lineHeight(size: .body)
        let h = 2 * pad + lhTitle + Double(hud.monitor.count) * lhBody
        rect(x, pad, w, h, HUDPalette.panel)
        monitorLeft = x; panelsBottom = max(panelsBottom, pad + h)
        text(x + pad, 2 * pad, clock, .title, over ? HUDPalette.bad : HUDPalette.text)
        var y = 2 * pad + lhTitle
        for row in hud.monitor {
            let color = row.alarm ? HUDPalette.bad : HUDPalette.good
            text(x + pad, y, row.name, .body, HUDPalette.dim)
            let unitW = measure.width(row.unit, size: .small)
            let value = HUDLayout.format(row.value, decimals: row.decimals)
            let valueW = measure.width(value, size: .body)
            text(x + w - pad - unitW, y + (lhBody - measure.lineHeight(size: .small)) * 0.7, row.unit, .small, HUDPalette.dim)
            text(x + w - pad - unitW - 6 - valueW, y, value, .body, color)
            y += lhBody
        }
    }

    /// Right, below the monitor: each gauge as a bar over its span with the target band marked; the value
    /// is green inside the band and red outside it, with an arrow saying which way to go.
    mutating func gaugePanel(_ hud: HUDModel) {
        guard !hud.gauges.isEmpty else { return }
        let w = compact ? 190.0 : 250.0
        let x = width - pad - w
        let lhS = measure.lineHeight(size: .small), lhB = measure.lineHeight(size: .body)
        let barH = compact ? 8.0 : 10.0
        let rowH = lhS + lhB + barH + pad * 0.75
        let y0 = panelsBottom + pad
        let h = Double(hud.gauges.count) * rowH + pad
        rect(x, y0, w, h, HUDPalette.panel)
        var y = y0 + pad * 0.75
        for g in hud.gauges {
            let ok = !g.hasTarget || g.inTarget
            let color = ok ? HUDPalette.good : HUDPalette.bad
            text(x + pad, y, g.title, .small, HUDPalette.dim)
            y += lhS
            var value = HUDLayout.format(g.value, decimals: g.decimals) + (g.unit.isEmpty ? "" : " " + g.unit)
            if let lo = g.targetLow, g.value < lo { value += "  (low)" } else if let hi = g.targetHigh, g.value > hi { value += "  (high)" }
            text(x + pad, y, value, .body, color)
            y += lhB
            let bx = x + pad, bw = w - 2 * pad
            func px(_ v: Double) -> Double { bx + bw * min(max((v - g.low) / max(g.high - g.low, 1e-12), 0), 1) }
            rect(bx, y, bw, barH, RGBA(0.25, 0.27, 0.3, 0.9))
            if g.hasTarget {
                let a = px(g.targetLow ?? g.low), b = px(g.targetHigh ?? g.high)
                rect(a, y, max(b - a, 2), barH, HUDPalette.good.withAlpha(0.45))
            }
            let m = px(g.value)
            rect(m - 2, y - 3, 4, barH + 6, color)
            y += barH + pad * 0.75
        }
        panelsBottom = max(panelsBottom, y0 + h)
    }

    /// Top centre, between the step panel and the clock, below a status line: the errors of the last
    /// `toastSeconds`, each with its feedback, as they happen; clear of the work area in the middle.
    mutating func toasts(_ hud: HUDModel) {
        let shown = HUDLayout.visibleToasts(hud)
        guard !shown.isEmpty else { return }
        let room = monitorLeft - stepPanelRight - 2 * pad
        let w = room >= 240 ? min(room, 560) : min(width * 0.5, 560)
        let lh = measure.lineHeight(size: .body)
        var y = pad * 2 + lh * 1.5
        for t in shown {
            let lines = wrap(t.text, size: .body, width: w - 2 * pad)
            let h = Double(lines.count) * lh + pad
            let x = room >= 240 ? stepPanelRight + pad + (room - w) / 2 : (width - w) / 2
            rect(x, y, w, h, RGBA(0.3, 0.05, 0.05, 0.85))
            for (i, l) in lines.enumerated() { text(x + pad, y + pad * 0.5 + Double(i) * lh, l, .body, t.kind == .error ? HUDPalette.bad : HUDPalette.accent) }
            y += h + 4
        }
    }

    /// Bottom left: the last few messages from the last `messageSeconds`, each wrapped to half the width.
    mutating func messages(_ hud: HUDModel) {
        let lh = measure.lineHeight(size: .body)
        let recent = HUDLayout.visibleMessages(hud).map { ($0, wrap($0.text, size: .body, width: width * 0.5)) }
        var y = height - pad - recent.reduce(0) { $0 + Double($1.1.count) * lh + 4 } - 16
        for (m, lines) in recent {
            let color: RGBA = m.kind == .error ? HUDPalette.bad : (m.kind == .warning ? HUDPalette.accent : HUDPalette.text)
            let w = lines.map { measure.width($0, size: .body) }.max() ?? 0
            rect(pad, y, w + 2 * pad, Double(lines.count) * lh + 2, HUDPalette.panel)
            for (i, line) in lines.enumerated() { text(2 * pad, y + 1 + Double(i) * lh, line, .body, color) }
            y += Double(lines.count) * lh + 4
        }
    }

    mutating func hintPanel(_ hint: String) {
        let w = min(width * 0.6, 560)
        let lines = wrap("Hint: " + hint, size: .body, width: w - 2 * pad)
        let lh = measure.lineHeight(size: .body)
        let h = Double(lines.count) * lh + 2 * pad
        let x = (width - w) / 2, y = height - h - pad * 4
        rect(x, y, w, h, HUDPalette.hintPanel)
        for (i, l) in lines.enumerated() { text(x + pad, y + pad + Double(i) * lh, l, .body, HUDPalette.accent) }
    }

    /// Top centre: viewer status (paused, replay) and the session's banner (e.g. a reload error).
    mutating func banner(_ hud: HUDModel, _ overlays: HUDOverlays) {
        var lines = overlays.status.map { ($0, HUDPalette.accent) }
        for b in overlays.errors + (hud.banner.map { [$0] } ?? []) {
            lines += wrap(b, size: .body, width: width * 0.4).map { ($0, HUDPalette.bad) }
        }
        guard !lines.isEmpty else { return }
        let lh = measure.lineHeight(size: .body)
        let w = lines.map { measure.width($0.0, size: .body) }.max()! + 2 * pad
        // centred between the top panels when it fits there, else centred below them
        var x = max((width - w) / 2, stepPanelRight + pad), y = pad
        if x + w > monitorLeft - pad { x = (width - w) / 2; y = panelsBottom + pad }
        rect(x, y, w, Double(lines.count) * lh + pad, HUDPalette.panel)
        for (i, l) in lines.enumerated() { text(x + pad, y + pad * 0.5 + Double(i) * lh, l.0, .body, l.1) }
    }

    mutating func frameTimePanel(_ t: FrameTimes) {
        var lines = [String(format: "CPU %.2f ms/frame", t.cpu), String(format: "frame %.2f ms  (%.0f fps)", t.frame, t.fps),
                     String(format: "physics %.3f ms/tick", t.tick)]
        if !t.multisample.isEmpty { lines.append("MSAA " + t.multisample) }
        let lh = measure.lineHeight(size: .small)
        let w = lines.map { measure.width($0, size: .small) }.max()! + 2 * pad
        let h = Double(lines.count) * lh + pad
        let x = width - pad - w, y = height - pad - h - lh - 4
        rect(x, y, w, h, HUDPalette.panel)
        for (i, l) in lines.enumerated() { text(x + pad, y + pad / 2 + Double(i) * lh, l, .small, HUDPalette.text) }
    }

    /// Centre: result, score and each error with its feedback.
    mutating func debriefPanel(_ d: DebriefModel) {
        let w = min(width * 0.7, 620), inner = w - 2 * pad
        var lines: [(String, FontSize, RGBA)] = [
            (d.passed ? "PASSED" : "NOT PASSED", .title, d.passed ? HUDPalette.good : HUDPalette.bad),
            (String(format: "Score %.0f / %.0f", d.score, d.maxScore), .body, HUDPalette.text),
        ]
        for r in d.reasons { lines += wrap(r, size: .small, width: inner).map { ($0, .small, HUDPalette.bad) } }
        for m in d.metrics {
            let mark = m.met.map { $0 ? "OK  " : "NO  " } ?? "    "
            let target = m.target.isEmpty ? "" : "  (target \(m.target))"
            lines += wrap(mark + m.title + ": " + m.value + target, size: .small, width: inner)
                .map { ($0, .small, m.met == false ? HUDPalette.bad : m.met == true ? HUDPalette.good : HUDPalette.text) }
        }
        if d.errors.isEmpty { lines.append(("No errors.", .body, HUDPalette.dim)) }
        for e in d.errors {
            let at = e.time.map { " at " + HUDLayout.clock($0) } ?? ""
            lines += wrap((e.critical ? "Critical: " : "") + e.title + at, size: .body, width: inner).map { ($0, .body, e.critical ? HUDPalette.bad : HUDPalette.accent) }
            lines += wrap(e.feedback, size: .small, width: inner - pad).map { ($0, .small, HUDPalette.dim) }
        }
        if let path = d.reportPath { lines += wrap("Report: " + path, size: .small, width: inner).map { ($0, .small, HUDPalette.dim) } }
        let h = lines.reduce(0) { $0 + measure.lineHeight(size: $1.1) } + 2 * pad
        let x = (width - w) / 2, y = max((height - h) / 2, pad)
        rect(x, y, w, h, RGBA(0.04, 0.05, 0.07, 0.92))
        var ty = y + pad
        for l in lines {
            text(x + pad, ty, l.0, l.1, l.2)
            ty += measure.lineHeight(size: l.1)
        }
    }

    /// The F1 key map.
    mutating func helpPanel(scenarioKeys: [KeyBinding] = []) {
        let map = InputMapper.keyMap + scenarioKeys
        let lh = measure.lineHeight(size: .small)
        let keyW = map.map { measure.width($0.keys, size: .small) }.max()! + 2 * pad
        let w = min(keyW + map.map { measure.width($0.action, size: .small) }.max()! + 2 * pad, width - 2 * pad)
        let h = Double(map.count + 1) * lh + 2 * pad
        let x = (width - w) / 2, y = max((height - h) / 2, pad)
        rect(x, y, w, h, RGBA(0.04, 0.05, 0.07, 0.92))
        text(x + pad, y + pad, "Keys (F1 to close)", .small, HUDPalette.accent)
        for (i, b) in map.enumerated() {
            let ty = y + pad + Double(i + 1) * lh
            text(x + pad, ty, b.keys, .small, HUDPalette.accent)
            text(x + pad + keyW, ty, b.action, .small, HUDPalette.text)
        }
    }

    /// Name tags beside the highlighted landmarks and regions, as `view` sees them, in the view's own pixels.
    /// Each eye gets its own tags (they sit at the object's depth, so they differ between eyes).
    public static func labels(_ scene: ViewScene, view: EyeView, measure: any TextMeasuring) -> [HUDElement] {
        let tagged = scene.landmarks.filter(\.highlighted).map { ($0.name, $0.position) }
            + scene.regions.filter(\.highlighted).map { ($0.name, $0.pose.position) }
        var out: [HUDElement] = []
        let vp = view.viewport
        var placed: [(x: Double, y: Double, w: Double, h: Double)] = []
        var named: [String] = []
        for (name, position) in tagged where !name.isEmpty && !named.contains(name) {
            named.append(name)   // a region and its landmark often share a name: one tag
            guard let s = view.viewProjection.project(position), abs(s.ndc.x) < 1, abs(s.ndc.y) < 1, abs(s.ndc.z) < 1 else { continue }
            let x = (s.ndc.x + 1) / 2 * Double(vp.width) + 12
            var y = (1 - s.ndc.y) / 2 * Double(vp.height) - 28
            let w = measure.width(name, size: .small) + 8, h = measure.lineHeight(size: .small) + 2
            // tags of nearby items stack downwards instead of covering each other
            while placed.contains(where: { x < $0.x + $0.w && $0.x < x + w && y < $0.y + $0.h && $0.y < y + h }) { y += h + 2 }
            placed.append((x, y, w, h))
            out.append(.rect(x: x, y: y, width: w, height: h, color: HUDPalette.panel))
            out.append(.text(x: x + 4, y: y + 1, text: name, size: .small, color: HUDPalette.accent))
        }
        return out
    }

    // MARK: helpers

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ c: RGBA) {
        elements.append(.rect(x: x, y: y, width: w, height: h, color: c))
    }
    mutating func text(_ x: Double, _ y: Double, _ s: String, _ size: FontSize, _ c: RGBA) {
        elements.append(.text(x: x, y: y, text: s, size: size, color: c))
    }

    /// Greedy word wrap to `width` pixels; a single word wider than the line is kept whole.
    public func wrap(_ text: String, size: FontSize, width: Double) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                let candidate = line.isEmpty ? String(word) : line + " " + word
                if line.isEmpty || measure.width(candidate, size: size) <= width { line = candidate } else {
                    lines.append(line); line = String(word)
                }
            }
            if !line.isEmpty { lines.append(line) }
        }
        return lines
    }

    /// A pixel rectangle, origin top-left: columns x0..<x1, rows y0..<y1.
    public struct Box: Sendable, Equatable {
        public var x0: Int, y0: Int, x1: Int, y1: Int
        public init(x0: Int, y0: Int, x1: Int, y1: Int) { self.x0 = x0; self.y0 = y0; self.x1 = x1; self.y1 = y1 }
        var isEmpty: Bool { x1 <= x0 || y1 <= y0 }

        /// The parts of `self` outside `other`: up to four non-overlapping boxes.
        func subtracting(_ other: Box) -> [Box] {
            guard other.x0 < x1, other.x1 > x0, other.y0 < y1, other.y1 > y0 else { return [self] }
            let y0i = max(y0, other.y0), y1i = min(y1, other.y1)
            return [Box(x0: x0, y0: y0, x1: x1, y1: y0i), Box(x0: x0, y0: y1i, x1: x1, y1: y1),
                    Box(x0: x0, y0: y0i, x1: max(x0, other.x0), y1: y1i), Box(x0: min(x1, other.x1), y0: y0i, x1: x1, y1: y1i)]
                .filter { !$0.isEmpty }
        }
    }

    /// Non-overlapping whole-pixel boxes that together cover everything `elements` draw inside a
    /// `width`×`height` viewport: the panels, and texts (with 2 px for glyph overhang) where no panel is.
    /// The renderer composites the HUD from its texture over these only, each pixel once.
    public static func coverage(_ elements: [HUDElement], width: Double, height: Double, measure: any TextMeasuring) -> [Box] {
        var boxes: [Box] = []
        for e in elements {
            var x0, y0, x1, y1: Double
            switch e {
            case let .rect(x, y, w, h, _): (x0, y0, x1, y1) = (x, y, x + w, y + h)
            case let .text(x, y, text, size, _):
                (x0, y0, x1, y1) = (x - 2, y - 2, x + measure.width(text, size: size) + 2, y + measure.lineHeight(size: size) + 2)
            }
            let box = Box(x0: Int(max(x0, 0).rounded(.down)), y0: Int(max(y0, 0).rounded(.down)),
                          x1: Int(min(x1, width).rounded(.up)), y1: Int(min(y1, height).rounded(.up)))
            guard !box.isEmpty else { continue }
            var pieces = [box]
            for b in boxes { pieces = pieces.flatMap { $0.subtracting(b) } }
            boxes += pieces
        }
        return boxes
    }

    // MARK: what the layout shows of the elapsed time

    /// The elapsed time against the limit as the monitor panel shows it, e.g. `1:15 / 5:00`.
    static func clockText(_ hud: HUDModel) -> String {
        HUDLayout.clock(hud.elapsed) + (hud.timeLimit.map { " / " + HUDLayout.clock($0) } ?? "")
    }

    /// Past 90% of the time limit: the clock turns to the alarm colour.
    static func isOverdue(_ hud: HUDModel) -> Bool { hud.timeLimit.map { hud.elapsed > $0 * 0.9 } ?? false }

    /// The toasts on screen: the last three from the last `toastSeconds`.
    static func visibleToasts(_ hud: HUDModel) -> ArraySlice<HUDMessage> {
        hud.toasts.filter { hud.elapsed - $0.time < HUDLayout.toastSeconds && $0.time <= hud.elapsed + 1e-9 }.suffix(3)
    }

    /// The messages on screen: the last four of those from the last `messageSeconds`.
    static func visibleMessages(_ hud: HUDModel) -> ArraySlice<HUDMessage> {
        hud.messages.filter { hud.elapsed - $0.time < HUDLayout.messageSeconds && $0.time <= hud.elapsed + 1e-9 }.suffix(4)
    }

    /// `m:ss` for a duration in s.
    public static func clock(_ seconds: Double) -> String {
        let s = Int(max(seconds, 0).rounded(.down))
        return "\(s / 60):" + (s % 60 < 10 ? "0" : "") + "\(s % 60)"
    }

    static func format(_ v: Double, decimals: Int) -> String { String(format: "%.\(max(decimals, 0))f", v) }
}

import Foundation


/// Everything a HUD layout depends on, with what changes every frame reduced to what is shown of it: the
/// elapsed time to the clock text, its alarm colour and the messages still up; monitor values to their
/// digits. Frames with equal keys lay out identically, so the viewer lays the HUD out, builds its quads
/// and uploads them only when the key changes (about once a second while a step is worked on).
public struct HUDLayoutKey: Equatable {
    var hud: HUDModel
    var clock: String
    var overdue: Bool
    var monitorValues: [String]
    var overlays: HUDOverlays
    var width: Double, height: Double

    public init(hud: HUDModel, overlays: HUDOverlays, width: Double, height: Double) {
        var h = hud
        h.messages = Array(HUDLayout.visibleMessages(hud))
        h.toasts = Array(HUDLayout.visibleToasts(hud))
        h.elapsed = 0
        // gauges to what is drawn of them: their digits and the bar at whole pixels (of a 250 px bar)
        for i in h.gauges.indices {
            let g = h.gauges[i]
            h.gauges[i].value = (g.value * 10).rounded() / 10
        }
        monitorValues = h.monitor.indices.map { HUDLayout.format(h.monitor[$0].value, decimals: h.monitor[$0].decimals) }
        for i in h.monitor.indices { h.monitor[i].value = 0 }
        self.hud = h
        clock = HUDLayout.clockText(hud)
        overdue = HUDLayout.isOverdue(hud)
        self.overlays = overlays
        self.width = width; self.height = height
    }
}
