// TrueType text via stb_truetype: each HUD size is baked once into one shared
// single-channel atlas (Latin-1, so units like µ and ° render), then drawn as textured quads.
import CStb
import Foundation

/// A baked font: glyph quads for every `FontSize` in both normal and compact layouts.
public struct FontAtlas: TextMeasuring {
    /// First and last code point baked (Latin-1 printable range).
    static let firstChar: Int32 = 32, charCount: Int32 = 224
    static let slab = 512
    public let width = slab
    public let height: Int
    /// Coverage, one byte per pixel, row 0 at the top.
    public let pixels: [UInt8]
    var chars: [[stbtt_bakedchar]]
    var ascent: [Double]
    var lineHeights: [Double]
    /// Which slab a (size, compact) pair lives in.
    static func slot(_ size: FontSize, compact: Bool) -> Int { size.rawValue * 2 + (compact ? 1 : 0) }
    /// The layout mode `width(_:size:)` and `lineHeight(size:)` measure for.
    public var compact = false

    /// Loads a .ttf file and bakes all sizes. Throws when the file is missing or not a font.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw ViewerError.font("cannot read \(path)") }
        let font = [UInt8](data)
        let slots = FontSize.allCases.count * 2
        height = FontAtlas.slab * slots
        var atlas = [UInt8](repeating: 0, count: FontAtlas.slab * height)
        chars = []; ascent = []; lineHeights = []
        var info = stbtt_fontinfo()
        guard stbtt_InitFont(&info, font, 0) != 0 else { throw ViewerError.font("\(path) is not a TrueType font") }
        var asc: Int32 = 0, desc: Int32 = 0, gap: Int32 = 0
        stbtt_GetFontVMetrics(&info, &asc, &desc, &gap)
        for slot in 0..<slots {
            let size = FontSize(rawValue: slot / 2)!.pixels(compact: slot % 2 == 1)
            var baked = [stbtt_bakedchar](repeating: stbtt_bakedchar(), count: Int(FontAtlas.charCount))
            let result = atlas.withUnsafeMutableBufferPointer { buf in
                stbtt_BakeFontBitmap(font, 0, Float(size), buf.baseAddress! + slot * FontAtlas.slab * FontAtlas.slab,
                                     Int32(FontAtlas.slab), Int32(FontAtlas.slab), FontAtlas.firstChar, FontAtlas.charCount, &baked)
            }
            guard result != 0 else { throw ViewerError.font("font atlas too small") }
            // shift the glyph boxes into this slab of the shared atlas
            for i in baked.indices { baked[i].y0 += UInt16(slot * FontAtlas.slab); baked[i].y1 += UInt16(slot * FontAtlas.slab) }
            chars.append(baked)
            let scale = Double(stbtt_ScaleForPixelHeight(&info, Float(size)))
            ascent.append(Double(asc) * scale)
            lineHeights.append((Double(asc - desc + gap) * scale).rounded(.up))
        }
        pixels = atlas
    }

    func index(_ scalar: Unicode.Scalar) -> Int {
        let v = Int(scalar.value) - Int(FontAtlas.firstChar)
        return (0..<Int(FontAtlas.charCount)).contains(v) ? v : Int(("?" as Unicode.Scalar).value) - Int(FontAtlas.firstChar)
    }

    public func width(_ text: String, size: FontSize) -> Double {
        let c = chars[FontAtlas.slot(size, compact: compact)]
        return text.unicodeScalars.reduce(0) { $0 + Double(c[index($1)].xadvance) }
    }

    public func lineHeight(size: FontSize) -> Double { lineHeights[FontAtlas.slot(size, compact: compact)] }

    /// Appends two triangles per glyph (x, y, u, v, r, g, b, a per vertex) for `text` with its line box top at `y`.
    func appendQuads(_ text: String, x: Double, y: Double, size: FontSize, color: RGBA, to out: inout [Float]) {
        let slot = FontAtlas.slot(size, compact: compact)
        var px = Float(x.rounded()), py = Float((y + ascent[slot]).rounded())
        let c = chars[slot]
        for scalar in text.unicodeScalars {
            var q = stbtt_aligned_quad()
            c.withUnsafeBufferPointer { stbtt_GetBakedQuad($0.baseAddress!, Int32(width), Int32(height), Int32(index(scalar)), &px, &py, &q, 1) }
            appendQuad(x0: q.x0, y0: q.y0, x1: q.x1, y1: q.y1, u0: q.s0, v0: q.t0, u1: q.s1, v1: q.t1, color: color, to: &out)
        }
    }
}

/// Two triangles of a screen-space quad; `u0 < 0` marks an untextured (solid) quad.
func appendQuad(x0: Float, y0: Float, x1: Float, y1: Float, u0: Float = -1, v0: Float = 0, u1: Float = -1, v1: Float = 0,
                color c: RGBA, to out: inout [Float]) {
    let r = Float(c.r), g = Float(c.g), b = Float(c.b), a = Float(c.a)
    func vertex(_ x: Float, _ y: Float, _ u: Float, _ v: Float) {
        out.append(x); out.append(y); out.append(u); out.append(v)
        out.append(r); out.append(g); out.append(b); out.append(a)
    }
    vertex(x0, y0, u0, v0); vertex(x1, y0, u1, v0); vertex(x1, y1, u1, v1)
    vertex(x0, y0, u0, v0); vertex(x1, y1, u1, v1); vertex(x0, y1, u0, v1)
}

/// Errors that stop the viewer from starting.
public enum ViewerError: Error, CustomStringConvertible {
    case noDisplay
    case window(String)
    case font(String)
    case shader(String)
    case asset(String)
    public var description: String {
        switch self {
        case .noDisplay: return "no display"
        case let .window(s), let .font(s), let .shader(s), let .asset(s): return s
        }
    }
}
