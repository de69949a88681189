// `practicum serve`: Hummingbird (HTTP/1.1 + WebSocket upgrade) under swift-service-lifecycle's
// ServiceGroup, which turns SIGTERM/SIGINT into a graceful shutdown: the listener stops accepting,
// every WebSocket gets a close, then `SessionsService` ends every session (trace closed with its
// `end` line, report written). See docs/live-protocol.md and docs/architecture.md ("Live server").
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import PracticumCore
import PracticumScenario
import PracticumSession
import ServiceLifecycle

/// How a server is set up (`practicum serve` options).
public struct LiveServerConfiguration: Sendable {
    /// Address to bind; loopback by default so that nothing outside the machine can connect.
    public var host = "127.0.0.1"
    /// Port; 0 picks a free one (printed on the first line of standard output).
    public var port = 8765
    /// Folder for traces and reports (created); existing files are never replaced.
    public var dataFolder = "live-data"
    /// Token a front end gives in its hello.
    public var sessionToken: String
    /// Token an observer (instructor page) gives in its hello.
    public var observerToken: String
    /// Where scenario ids are looked up.
    public var scenarios: ScenarioSearchPath = .current
    /// What every session shares: grace period, queue size, trace flushing.
    public var session = LiveSessionSettings()

    public init(sessionToken: String, observerToken: String) {
        self.sessionToken = sessionToken; self.observerToken = observerToken
    }

    /// A random token: 32 hex digits (128 bits) from the system's generator.
    public static func randomToken() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%08x", UInt32.random(in: 0...UInt32.max, using: &g)) }.joined()
    }
}

/// The live sessions of one server, by id.
final class SessionRegistry: @unchecked Sendable {
    let configuration: LiveServerConfiguration
    private let lock = NSLock()
    private var sessions: [String: LiveSession] = [:]
    private var order: [String] = []
    private var tasks: [String: Task<Void, Never>] = [:]
    private var shuttingDown = false

    init(configuration: LiveServerConfiguration) { self.configuration = configuration }

    /// Ended sessions kept in the list (their files are in the data folder either way).
    static let keptEnded = 64

    /// Loads the scenario, creates the trace and starts the tick task.
    func start(scenario id: String, trainee: String?, seed: UInt64?) -> Result<LiveSession, LiveError> {
        guard Self.isPlainID(id) else { return .failure(.refused("'\(id.quotedForMessage())' is not a scenario id (letters, digits, '-', '_', '.')")) }
        if let t = trainee, !Self.isPlainID(t) { return .failure(.refused("trainee ids are letters, digits, '-', '_' or '.'")) }
        guard let path = configuration.scenarios.folders.map({ "\($0)/\(id)/scenario.yaml" }).first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            return .failure(.refused("no scenario '\(id)' on this server"))
        }
        let scenario: Scenario
        switch loadScenarioForScoring(path) {
        case let .success(s): scenario = s
        case let .failure(e): return .failure(.refused("scenario '\(id)' does not load: \(e.description.prefix(500))"))
        }
        let (count, down) = lock.withLock { (sessions.values.filter { !$0.isEnded }.count, shuttingDown) }
        if down { return .failure(.refused("the server is shutting down")) }
        if count >= Limits.liveSessions { return .failure(.refused("\(count) sessions are live; this server runs at most \(Limits.liveSessions)")) }
        let started = Date()
        let sessionID = String(LiveServerConfiguration.randomToken().prefix(12))
        let session: LiveSession
        do {
            let (trace, report) = try reserveNames(scenario: scenario.id, session: sessionID, started: started)
            session = try LiveSession(id: sessionID, scenario: scenario, trainee: trainee, seed: seed, tracePath: trace, reportPath: report,
                                      settings: configuration.session, started: started)
        } catch {
            return .failure(.refused("cannot start the session: \(error)"))
        }
        let task = Task.detached { _ = await session.run() }
        lock.withLock {
            sessions[sessionID] = session; order.append(sessionID); tasks[sessionID] = task
            // ended sessions stay listed for observers, the most recent `Self.keptEnded` of them
            let ended = order.filter { sessions[$0]?.isEnded == true }
            for id in ended.dropLast(Self.keptEnded) { sessions[id] = nil; tasks[id] = nil }
            order.removeAll { sessions[$0] == nil }
        }
        return .success(session)
    }

    /// Letters, digits, `-`, `_`, `.`, not starting with `.` or `-`, at most `Limits.traceName`.
    static func isPlainID(_ s: String) -> Bool {
        guard let first = s.utf8.first, first != UInt8(ascii: "."), first != UInt8(ascii: "-"), s.utf8.count <= Limits.traceName else { return false }
        return s.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b == 0x5f || b == 0x2e || b == 0x2d
        }
    }

    /// Trace and report paths that exist nowhere yet; the trace is created empty (O_EXCL) to claim it.
    private func reserveNames(scenario: String, session: String, started: Date) throws -> (String, String) {
        let folder = configuration.dataFolder
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let stamp = WallClock.iso8601(started).replacingOccurrences(of: ":", with: "")
        for n in 1...1000 {
            let stem = "\(folder)/\(scenario)-\(stamp)-\(session)" + (n > 1 ? "-\(n)" : "")
            let trace = stem + ".trace", report = stem + ".report.json"
            if FileManager.default.fileExists(atPath: report) { continue }
            let fd = open(trace, O_CREAT | O_EXCL | O_WRONLY, 0o644)
            if fd >= 0 { close(fd); return (trace, report) }
            if errno != EEXIST { throw LiveError.refused("cannot create \(trace): \(String(cString: strerror(errno)))") }
        }
        throw LiveError.refused("no free file name in \(folder)")
    }

    func session(_ id: String) -> LiveSession? { lock.withLock { sessions[id] } }

    /// Every session, oldest first.
    var all: [LiveSession] { lock.withLock { order.compactMap { sessions[$0] } } }

    /// Ends every session (SIGTERM): each trace gets its `end` line and each report is written.
    func endAll(reason: String) async {
        let (live, running) = lock.withLock { () -> ([LiveSession], [Task<Void, Never>]) in
            shuttingDown = true
            return (Array(sessions.values), Array(tasks.values))
        }
        for s in live { s.end(reason: reason) }
        for t in running { await t.value }
    }
}

/// Waits for the graceful shutdown, then ends every session. Listed first among the application's
/// services, so it is shut down after the HTTP server has stopped accepting.
struct SessionsService: Service {
    let registry: SessionRegistry
    func run() async throws {
        try? await gracefulShutdown()
        await registry.endAll(reason: "server shutdown")
    }
}

/// Runs `practicum serve` until SIGTERM or SIGINT.
public enum LiveServer {
    /// Largest WebSocket frame the transport accepts: above `Limits.liveMessageBytes`, so that a
    /// message over the limit still reaches `Connection`, which answers it with an error frame
    /// (the transport would only close with 1009); memory per frame stays bounded by this.
    static let transportFrameBytes = 4 * Limits.liveMessageBytes
    /// Kernel send buffer of each WebSocket connection (bytes).
    static let sendBufferBytes = 32 * 1024

    /// Serves until a termination signal; `onListening` gets the bound port first.
    public static func run(_ configuration: LiveServerConfiguration, onListening: @escaping @Sendable (Int) -> Void) async throws {
        let registry = SessionRegistry(configuration: configuration)
        let router = Router()
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: ObserverPage.html)))
        }
        router.get("/health") { _, _ in "ok\n" }
        var logger = Logger(label: "practicum-serve")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade(configuration: .init(ws: .init(maxFrameSize: transportFrameBytes))) { request, channel, _ in
                let role: Connection.Role
                switch request.path {
                case "/live": role = .frontEnd
                case "/observe": role = .observer
                default: return .dontUpgrade
                }
                // a small kernel send buffer per connection: a consumer that stops reading fills it
                // within a second, then its own queue drops (counted) — instead of the kernel growing
                // megabytes of stale state for it (loopback autotuning goes to 4 MiB)
                try? channel.syncOptions?.setOption(ChannelOptions.socketOption(.so_sndbuf), value: sendBufferBytes)
                return .upgrade([:]) { inbound, outbound, _ in
                    await Connection(registry: registry, role: role).serve(inbound: inbound, outbound: outbound)
                }
            },
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            services: [SessionsService(registry: registry)],
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
        try await app.runService()
    }
}
