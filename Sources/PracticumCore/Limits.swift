/// Every limit Practicum puts on what it reads, in one place.
///
/// Inputs come from instructors, recordings and strangers alike; each reader checks its input
/// against these before allocating or recursing, so that no file can crash the process, hang it
/// or exhaust its memory. `docs/limits.md` lists the same values (a test compares them), and each
/// has a test at the limit and one past it.
public enum Limits {
    // MARK: scenario files

    /// Largest scenario file (bytes).
    public static let scenarioBytes = 4 << 20
    /// Most YAML nodes after expanding aliases.
    public static let scenarioNodes = 200_000
    /// Most members of one group (`groups:`).
    public static let groupMembers = 1000
    /// Longest window of `peak(x, window)` (s).
    public static let peakWindow = 60.0
    /// Most values of a variable's `initial: {choice: […]}`.
    public static let drawChoices = 100
    /// Largest `max` of a `retry` effect (times one step may be sent back).
    public static let retries = 1000
    /// Most repetitions of one `for_each` template (all its variables' combinations).
    public static let templateRepetitions = 10_000
    /// Deepest YAML nesting.
    public static let scenarioDepth = 200
    /// Longest single YAML value (characters).
    public static let scalarLength = 64 << 10
    /// Longest expression (characters).
    public static let expressionLength = 4096
    /// Deepest expression tree (operators and parentheses nested, including long chains like `a + a + …`).
    public static let expressionDepth = 64
    /// Longest number literal, digits and exponent included (characters).
    public static let numberLength = 64
    /// Longest unit symbol such as `mmHg/min` (characters).
    public static let unitLength = 32
    /// Largest power of metre, kilogram, second or radian a unit or an expression may reach (`m^8`).
    public static let unitExponent = 8
    /// Largest box, region or tissue dimension (m); the smallest is `minimumSize`.
    public static let maximumSize = 100.0
    /// Smallest box, region or tissue dimension (m).
    public static let minimumSize = 1e-5
    /// Farthest a body, tissue, region or mesh vertex may lie from the origin on any axis (m).
    public static let maximumPosition = 1000.0
    /// Largest gravity (m/s²).
    public static let maximumGravity = 1000.0
    /// Slowest and fastest physics tick rate a scenario may ask for (Hz).
    public static let minimumTickRate = 60.0
    public static let maximumTickRate = 10_000.0
    /// Longest `debounce:` of an event or rubric error (s): one hour.
    public static let maximumDebounce = 3600.0
    /// Most diagnostics reported for one file; the rest are counted.
    public static let diagnostics = 200

    // MARK: meshes

    /// Largest mesh file (bytes).
    public static let meshBytes = 16 << 20
    /// Most vertices (positions) in one mesh.
    public static let meshVertices = 200_000
    /// Most triangles in one mesh (after fanning polygons).
    public static let meshTriangles = 400_000
    /// Widest and tallest texture image in a glTF mesh (pixels per side); larger images are refused
    /// before they are decoded.
    public static let textureSize: Int32 = 2048
    /// Deepest node tree of a glTF file (nodes within nodes); a loop is refused as well.
    public static let gltfNodeDepth = 64

    // MARK: traces and motion scripts

    /// Longest recording or script (s): two hours.
    public static let traceDuration = 7200.0
    /// Most metadata (`#`) lines in a trace header.
    public static let traceMetadataLines = 64
    /// Most bytes in the trace header (all metadata lines together).
    public static let traceHeaderBytes = 16 << 10
    /// Largest absolute position (m) and speed-like value a trace or script may hold.
    public static let tracePosition = 1000.0
    /// Most input frames a motion script may produce: two hours at 90 Hz, both ends included.
    public static let scriptFrames = 648_001
    /// Most distinct buttons a script or trace may name.
    public static let buttons = 32
    /// Longest scenario id or button name written into a trace (characters).
    public static let traceName = 64
    // MARK: the live server (practicum serve)

    /// Largest WebSocket message a live server accepts (bytes); an input frame is about 220.
    public static let liveMessageBytes = 65_536
    /// Messages one consumer's outgoing queue holds before the oldest are dropped (and counted).
    public static let liveQueueFrames = 256
    /// Most sessions one server runs at once.
    public static let liveSessions = 64

    /// Longest quoted value shown in a message (characters); longer ones are cut with "…".
    public static let quotedLength = 64
}

extension String {
    /// The text as a message may quote it: control characters escaped (`\n`, `\u{1B}`), and cut
    /// to `limit` characters with "…", so that input can neither drive a terminal nor flood a log.
    public func quotedForMessage(limit: Int = Limits.quotedLength) -> String {
        var out = ""
        var n = 0
        for ch in unicodeScalars {
            if n >= limit { out += "…"; break }
            switch ch {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where ch.value < 0x20 || (0x7F...0x9F).contains(ch.value) || ch.value == 0x2028 || ch.value == 0x2029
                || (0x202A...0x202E).contains(ch.value) || (0x2066...0x2069).contains(ch.value):
                out += "\\u{\(String(ch.value, radix: 16, uppercase: true))}"
            default: out.unicodeScalars.append(ch)
            }
            n += 1
        }
        return out
    }
}
