import Foundation

/// A minimal SVG chart builder for the debrief: linear axes with round ticks, polylines, bands,
/// markers. Output is plain text built in a fixed order, so the same data gives the same bytes.
struct SVGPlot {
    var width = 540.0
    var height = 220.0
    var margin = (left: 56.0, right: 12.0, top: 14.0, bottom: 34.0)
    var x: ClosedRange<Double>
    var y: ClosedRange<Double>
    var xLabel = ""
    var yLabel = ""
    var equalAspect = false
    /// Only whole-number x ticks (an axis that counts attempts).
    var wholeXTicks = false
    private var body = ""

    init(x: ClosedRange<Double>, y: ClosedRange<Double>, xLabel: String = "", yLabel: String = "", width: Double = 540, height: Double = 220,
         equalAspect: Bool = false) {
        self.width = width; self.height = height; self.xLabel = xLabel; self.yLabel = yLabel; self.equalAspect = equalAspect
        self.x = SVGPlot.padded(x)
        self.y = SVGPlot.padded(y)
        if equalAspect { fitAspect() }
    }

    static func padded(_ r: ClosedRange<Double>) -> ClosedRange<Double> {
        guard r.lowerBound.isFinite, r.upperBound.isFinite else { return 0...1 }
        if r.upperBound - r.lowerBound < 1e-12 { return (r.lowerBound - 0.5)...(r.upperBound + 0.5) }
        return r
    }

    /// Widens the narrower range so one unit is the same length on both axes.
    private mutating func fitAspect() {
        let pw = width - margin.left - margin.right, ph = height - margin.top - margin.bottom
        let sx = (x.upperBound - x.lowerBound) / pw, sy = (y.upperBound - y.lowerBound) / ph
        if sx > sy {
            let c = (y.lowerBound + y.upperBound) / 2, h = sx * ph / 2
            y = (c - h)...(c + h)
        } else {
            let c = (x.lowerBound + x.upperBound) / 2, h = sy * pw / 2
            x = (c - h)...(c + h)
        }
    }

    func px(_ v: Double) -> Double { margin.left + (v - x.lowerBound) / (x.upperBound - x.lowerBound) * (width - margin.left - margin.right) }
    func py(_ v: Double) -> Double { height - margin.bottom - (v - y.lowerBound) / (y.upperBound - y.lowerBound) * (height - margin.top - margin.bottom) }

    static func n(_ v: Double) -> String { Format.fixed(v, decimals: 1) }

    mutating func line(_ xs: [Double], _ ys: [Double], color: String, width w: Double = 1.5, dash: String? = nil) {
        guard !xs.isEmpty else { return }
        var pts = ""
        for i in xs.indices where xs[i].isFinite && ys[i].isFinite {
            pts += "\(SVGPlot.n(px(xs[i]))),\(SVGPlot.n(py(ys[i]))) "
        }
        let d = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        body += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(w)\"\(d) points=\"\(pts)\"/>\n"
    }

    mutating func band(y lo: Double, _ hi: Double, color: String, label: String? = nil) {
        let top = py(min(hi, y.upperBound)), bottom = py(max(lo, y.lowerBound))
        guard bottom > top else { return }
        body += "<rect x=\"\(SVGPlot.n(margin.left))\" y=\"\(SVGPlot.n(top))\" width=\"\(SVGPlot.n(width - margin.left - margin.right))\" height=\"\(SVGPlot.n(bottom - top))\" fill=\"\(color)\"/>\n"
        if let label { body += "<text x=\"\(SVGPlot.n(width - margin.right - 4))\" y=\"\(SVGPlot.n(top + 12))\" text-anchor=\"end\" class=\"bandlabel\">\(html(label))</text>\n" }
    }

    mutating func bar(x0: Double, x1: Double, row: Double, height h: Double, color: String, title: String) {
        let a = px(x0), b = max(px(x1), a + 3)
        body += "<rect x=\"\(SVGPlot.n(a))\" y=\"\(SVGPlot.n(py(row) - h / 2))\" width=\"\(SVGPlot.n(b - a))\" height=\"\(SVGPlot.n(h))\" rx=\"3\" fill=\"\(color)\"><title>\(html(title))</title></rect>\n"
    }

    mutating func vline(at v: Double, color: String, label: String? = nil) {
        let xx = SVGPlot.n(px(v))
        body += "<line x1=\"\(xx)\" x2=\"\(xx)\" y1=\"\(SVGPlot.n(margin.top))\" y2=\"\(SVGPlot.n(height - margin.bottom))\" stroke=\"\(color)\" stroke-width=\"1.5\"/>\n"
        if let label { body += "<text x=\"\(xx)\" y=\"\(SVGPlot.n(margin.top - 3))\" text-anchor=\"middle\" class=\"marker\" fill=\"\(color)\">\(html(label))</text>\n" }
    }

    mutating func dot(_ a: Double, _ b: Double, color: String, r: Double = 3.5, title: String? = nil) {
        body += "<circle cx=\"\(SVGPlot.n(px(a)))\" cy=\"\(SVGPlot.n(py(b)))\" r=\"\(r)\" fill=\"\(color)\">\(title.map { "<title>\(html($0))</title>" } ?? "")</circle>\n"
    }

    mutating func text(_ a: Double, _ b: Double, _ s: String, anchor: String = "start", cls: String = "label") {
        body += "<text x=\"\(SVGPlot.n(px(a)))\" y=\"\(SVGPlot.n(py(b)))\" text-anchor=\"\(anchor)\" class=\"\(cls)\">\(html(s))</text>\n"
    }

    /// Round tick values covering `r` (about `count` of them).
    static func ticks(_ r: ClosedRange<Double>, count: Int = 5) -> [Double] {
        let span = r.upperBound - r.lowerBound
        guard span > 0, span.isFinite else { return [r.lowerBound] }
        let raw = span / Double(count)
        let p = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * p }.first { $0 >= raw } ?? 10 * p
        var v = (r.lowerBound / step).rounded(.up) * step
        var out: [Double] = []
        while v <= r.upperBound + step * 1e-9, out.count < 50 { out.append(abs(v) < step * 1e-9 ? 0 : v); v += step }
        return out
    }

    /// The finished `<svg>` element with frame, grid, tick labels and axis labels.
    func svg(yTicks: [(Double, String)]? = nil, xTicks: Bool = true) -> String {
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(SVGPlot.n(width)) \(SVGPlot.n(height))\" width=\"\(SVGPlot.n(width))\" height=\"\(SVGPlot.n(height))\">\n"
        let left = SVGPlot.n(margin.left), right = SVGPlot.n(width - margin.right)
        let top = SVGPlot.n(margin.top), bottom = SVGPlot.n(height - margin.bottom)
        for v in yTicks?.map(\.0) ?? SVGPlot.ticks(y) {
            let yy = SVGPlot.n(py(v))
            s += "<line x1=\"\(left)\" x2=\"\(right)\" y1=\"\(yy)\" y2=\"\(yy)\" class=\"grid\"/>\n"
        }
        if let yTicks {
            for (v, label) in yTicks { s += "<text x=\"\(SVGPlot.n(margin.left - 6))\" y=\"\(SVGPlot.n(py(v) + 4))\" text-anchor=\"end\" class=\"tick\">\(html(label))</text>\n" }
        } else {
            for v in SVGPlot.ticks(y) { s += "<text x=\"\(SVGPlot.n(margin.left - 6))\" y=\"\(SVGPlot.n(py(v) + 4))\" text-anchor=\"end\" class=\"tick\">\(Format.number(v))</text>\n" }
        }
        if xTicks {
            for v in SVGPlot.ticks(x, count: 8) where !wholeXTicks || v == v.rounded() {
                let xx = SVGPlot.n(px(v))
                s += "<line x1=\"\(xx)\" x2=\"\(xx)\" y1=\"\(bottom)\" y2=\"\(SVGPlot.n(height - margin.bottom + 4))\" class=\"axis\"/>\n"
                s += "<text x=\"\(xx)\" y=\"\(SVGPlot.n(height - margin.bottom + 16))\" text-anchor=\"middle\" class=\"tick\">\(Format.number(v))</text>\n"
            }
        }
        s += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(SVGPlot.n(width - margin.left - margin.right))\" height=\"\(SVGPlot.n(height - margin.top - margin.bottom))\" class=\"frame\"/>\n"
        s += body
        if !xLabel.isEmpty { s += "<text x=\"\(SVGPlot.n((margin.left + width - margin.right) / 2))\" y=\"\(SVGPlot.n(height - 4))\" text-anchor=\"middle\" class=\"axislabel\">\(html(xLabel))</text>\n" }
        if !yLabel.isEmpty { s += "<text x=\"12\" y=\"\(SVGPlot.n((margin.top + height - margin.bottom) / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 12 \(SVGPlot.n((margin.top + height - margin.bottom) / 2)))\" class=\"axislabel\">\(html(yLabel))</text>\n" }
        return s + "</svg>\n"
    }
}

/// Escapes text for HTML element content and attribute values.
func html(_ s: String) -> String {
    var out = ""
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(c)
        }
    }
    return out
}
