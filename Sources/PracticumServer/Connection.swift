// One WebSocket connection: a front end (/live) or an observer (/observe). A reader loop handles
// what the peer sends; a writer task drains the connection's bounded `Outbox`, so the tick loop
// never waits on this socket. Anything malformed gets an error frame and closes this connection
// only.
import Foundation
import Hummingbird
import HummingbirdWebSocket
import PracticumCore
import PracticumScenario
import PracticumSession

struct Connection {
    enum Role { case frontEnd, observer }
    let registry: SessionRegistry
    let role: Role

    /// What the reader knows about the peer so far.
    private struct State {
        var authorized = false
        /// The front end's session, or the session an observer watches.
        var session: LiveSession?
    }

    func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        let outbox = Outbox(capacity: registry.configuration.session.queueCapacity)
        let closing: LiveError? = await withTaskGroup(of: Void.self) { group -> LiveError? in
            group.addTask {
                while let m = await outbox.next() {
                    do {
                        switch m {
                        case let .text(s), let .reply(s): try await outbound.write(.text(s))
                        case let .state(b): try await outbound.write(.binary(ByteBuffer(bytes: LiveProtocol.patchDropped(b, outbox.dropped))))
                        case let .binary(b): try await outbound.write(.binary(ByteBuffer(bytes: b)))
                        }
                    } catch { break }
                }
            }
            var state = State()
            var failure: LiveError?
            do {
                for try await message in inbound.messages(maxSize: LiveServer.transportFrameBytes) {
                    let result: LiveError?
                    switch message {
                    case let .text(text):
                        result = text.utf8.count > Limits.liveMessageBytes
                            ? .badMessage("the message is \(text.utf8.count) bytes; at most \(Limits.liveMessageBytes)")
                            : control(text, &state, outbox)
                    case let .binary(buffer):
                        result = buffer.readableBytes > Limits.liveMessageBytes
                            ? .badFrame("the frame is \(buffer.readableBytes) bytes; at most \(Limits.liveMessageBytes)")
                            : input(Array(buffer.readableBytesView), state)
                    }
                    if let result {
                        outbox.send(.reply(result.json))
                        if result.closesConnection { failure = result; break }
                    }
                }
            } catch {
                failure = .badFrame("the frame is malformed or longer than \(Limits.liveMessageBytes) bytes")
                outbox.send(.reply(failure!.json))
            }
            // the peer is gone or refused: a front end's session is held for reconnection, an observer stops watching
            if let s = state.session {
                if role == .frontEnd { s.frontEndLeft(outbox) } else { s.removeObserver(outbox) }
            }
            outbox.finish()
            await group.waitForAll()
            return failure
        }
        if let closing { try? await outbound.close(.protocolError, reason: closing.code) }
    }

    /// Handles one control message; an error to send back (and maybe close on).
    private func control(_ text: String, _ state: inout State, _ outbox: Outbox) -> LiveError? {
        let message: LiveProtocol.Control
        switch LiveProtocol.decodeControl(text) {
        case let .success(m): message = m
        case let .failure(e): return e
        }
        if case let .hello(version, token) = message {
            guard version == LiveProtocol.version else {
                return .unauthorized("this server speaks protocol \(LiveProtocol.version), not \(version)")
            }
            let expected = role == .frontEnd ? registry.configuration.sessionToken : registry.configuration.observerToken
            guard Self.constantTimeEqual(token, expected) else { return .unauthorized("wrong or missing token") }
            state.authorized = true
            outbox.send(.reply(JSONValue.object([("type", .string("welcome")), ("protocol", .int(LiveProtocol.version)),
                                                ("server", .string(engineVersion)),
                                                ("role", .string(role == .frontEnd ? "front_end" : "observer"))]).text))
            if role == .observer { outbox.send(.reply(sessionList())) }
            return nil
        }
        guard state.authorized else { return .unauthorized("say hello with a token first") }
        switch (role, message) {
        case let (.frontEnd, .start(scenario, trainee, seed)):
            if let s = state.session, !s.isEnded { return .refused("this connection already runs session \(s.id); end it first") }
            switch registry.start(scenario: scenario, trainee: trainee, seed: seed) {
            case let .success(s):
                _ = s.attachFrontEnd(outbox)
                state.session = s
                outbox.send(.reply(Self.started(s)))
            case let .failure(e): return e
            }
        case let (.frontEnd, .attach(id)):
            guard let s = registry.session(id), s.attachFrontEnd(outbox) else {
                return .refused("no held session '\(id.quotedForMessage())' to attach to")
            }
            state.session = s
            outbox.send(.reply(Self.started(s)))
            s.resume()
        case let (.observer, .watch(id)):
            guard let s = registry.session(id) else { return .refused("no session '\(id.quotedForMessage())'") }
            state.session?.removeObserver(outbox)
            state.session = s
            outbox.send(.reply(Self.started(s)))
            for m in s.snapshotMessages() { outbox.send(.reply(m)) }
            s.addObserver(outbox)
        case (.observer, .list):
            outbox.send(.reply(sessionList()))
        case (_, .pause), (_, .resume), (_, .end), (_, .status), (_, .trigger):
            guard let s = state.session else { return .refused("no session: start (front end) or watch (observer) one first") }
            switch message {
            case .pause: s.pause()
            case .resume: s.resume()
            case .end: s.end(reason: role == .frontEnd ? "ended by the front end" : "ended by the instructor")
            case .status: outbox.send(.reply(s.statusJSON(dropped: outbox.dropped)))
            case let .trigger(event):
                if let e = s.trigger(event: event) { return e }
            default: break
            }
        default:
            return .badMessage("this message is not for \(role == .frontEnd ? "a front end (/live)" : "an observer (/observe)")")
        }
        return nil
    }

    /// Handles one binary frame: only a front end with a session sends them.
    private func input(_ bytes: [UInt8], _ state: State) -> LiveError? {
        guard state.authorized, role == .frontEnd else { return .unauthorized("only an authorised front end sends binary frames") }
        guard let s = state.session else { return .badFrame("an input frame before start") }
        switch LiveProtocol.decodeInput(bytes, handCount: 2) {
        case let .success(i): s.receive(i)
        case let .failure(e): return e
        }
        return nil
    }

    /// The description of a session a consumer needs to draw it.
    static func started(_ s: LiveSession) -> String {
        let sc = s.scenario
        return JSONValue.object([
            ("type", .string("started")), ("session", .string(s.id)), ("protocol", .int(LiveProtocol.version)),
            ("scenario", .string(sc.id)), ("title", .string(sc.title)), ("trainee", s.trainee.map(JSONValue.string) ?? .null),
            ("dt", .number(s.dt)), ("hands", .int(2)),
            ("bodies", .array(sc.scene.bodies.map { .object([("name", .string($0.title)), ("kind", .string("\($0.kind)"))]) })),
            ("steps", .array(sc.steps.map { .object([("id", .string($0.id)), ("title", .string($0.title))]) })),
            ("instructor_events", .array(s.instructorEvents.map { .string($0) })),
            ("trace", .string(s.tracePath)),
        ]).text
    }

    private func sessionList() -> String {
        JSONValue.object([("type", .string("sessions")), ("sessions", .array(registry.all.map { s in
            .object([("session", .string(s.id)), ("scenario", .string(s.scenario.id)), ("title", .string(s.scenario.title)),
                     ("trainee", s.trainee.map(JSONValue.string) ?? .null), ("tick", .int(s.tick)), ("ended", .bool(s.isEnded))])
        }))]).text
    }

    /// Compares tokens in time independent of where they differ.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) { diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0) }
        return diff == 0 && !y.isEmpty
    }
}
