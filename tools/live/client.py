#!/usr/bin/env python3
"""Reference front end for `practicum serve` (docs/live-protocol.md, protocol 1).

Streams the input of a recorded trace (or an idle pose) to a live session at the trace's own
rate, reads the state the server sends back, ends the session and prints a JSON summary:

    tools/live/.venv/bin/python tools/live/client.py --url ws://127.0.0.1:8765/live \
        --token TOKEN --scenario needle-decompression --trace scenarios/needle-decompression/traces/expert.trace

The summary (stdout, one JSON object): session id, the server's `ended` message, the number of
state frames received, the frames the server dropped for us, and pose-in to state-out latency
(p50/p99, ms: from sending input frame k to the first state frame that says it applied k).

Also a library: `run_session(...)` is what tools/bench/live-load runs N of at once.
"""
import argparse
import asyncio
import json
import math
import random
import struct
import sys
import time

import websockets

PROTOCOL = 1
INPUT, STATE, SURFACE = 0x01, 0x81, 0x82


def read_trace(path):
    """The frames of a Practicum trace file: (time, head[7], hands[[9]...], buttons[str])."""
    frames, hands, prev = [], 2, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            payload = line.rstrip("\n").rsplit(" *", 1)[0]
            if payload.startswith("hands "):
                hands = int(payload.split()[1])
            if not payload.startswith("f "):
                continue
            tokens = payload.split(" ")[1:]
            n = 8 + 9 * hands
            values = []
            for i, t in enumerate(tokens[:n]):
                values.append(prev[0][i] if t == "=" else float(t))
            b = tokens[n]
            buttons = prev[1] if b == "=" else ([] if b == "-" else b.split(","))
            prev = (values, buttons)
            frames.append((values[0], values[1:8], [values[8 + 9 * h: 17 + 9 * h] for h in range(hands)], buttons))
    return frames


def encode_input(seq, head, hands, buttons):
    """A binary input frame (type 0x01): little-endian, f64 poses, grip, trigger; buttons by name."""
    out = bytearray(struct.pack("<BBBBI", INPUT, len(hands), len(buttons), 0, seq))
    out += struct.pack("<7d", *head)
    for h in hands:
        out += struct.pack("<9d", *h)
    for b in buttons:
        raw = b.encode("ascii")
        out += struct.pack("<B", len(raw)) + raw
    return bytes(out)


def decode_state(data):
    """A state frame (type 0x81): tick, last applied input sequence, dropped count, time, poses, forces."""
    _, hands, bodies, tick, seq, dropped, t = struct.unpack_from("<BBHIIId", data, 0)
    poses = [struct.unpack_from("<7f", data, 24 + 28 * i) for i in range(bodies)]
    forces = list(struct.unpack_from("<%df" % hands, data, 24 + 28 * bodies))
    return {"tick": tick, "seq": None if seq == 0xFFFFFFFF else seq, "dropped": dropped, "time": t, "poses": poses, "forces": forces}


IDLE_HEAD = [0, 1.6, 0.5, 1, 0, 0, 0]
IDLE_HANDS = [[-0.2, 1.0, 0.3, 1, 0, 0, 0, 0, 0], [0.2, 1.0, 0.3, 1, 0, 0, 0, 0, 0]]


def percentile(xs, q):
    if not xs:
        return None
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, math.ceil(q * len(s)) - 1))]


async def run_session(url, token, scenario, trainee=None, frames=None, duration=None, rate=90.0, end=True,
                      kill_after=None, garbage_after=None, seed=None, read_slowly=False, status=True,
                      trigger=None, observer_token=None, keep_latencies=False):
    """Runs one session; returns the summary dict (see the module docstring)."""
    sent_at, latencies = {}, []
    result = {"states": 0, "surfaces": 0, "dropped": 0, "events": 0, "ended": None, "errors": []}
    async with websockets.connect(url, max_size=2 ** 24, ping_interval=None) as ws:
        await ws.send(json.dumps({"type": "hello", "protocol": PROTOCOL, "token": token}))
        welcome = json.loads(await ws.recv())
        if welcome.get("type") != "welcome":
            result["errors"].append(welcome)
            return result
        start = {"type": "start", "scenario": scenario}
        if trainee:
            start["trainee"] = trainee
        if seed is not None:
            start["seed"] = seed
        await ws.send(json.dumps(start))
        started = None
        while started is None:
            m = json.loads(await ws.recv())
            if m.get("type") == "started":
                started = m
            elif m.get("type") == "error":
                result["errors"].append(m)
                return result
        result["session"] = started["session"]
        result["trace"] = started["trace"]
        done = asyncio.Event()

        async def reader():
            try:
                async for msg in ws:
                    if isinstance(msg, bytes):
                        if msg[0] == STATE:
                            s = decode_state(msg)
                            result["states"] += 1
                            result["dropped"] = s["dropped"]
                            if s["seq"] is not None and s["seq"] in sent_at:
                                latencies.append((time.perf_counter() - sent_at.pop(s["seq"])) * 1000)
                                for k in [k for k in sent_at if k < s["seq"]]:
                                    sent_at.pop(k)  # superseded before a tick applied them
                        elif msg[0] == SURFACE:
                            result["surfaces"] += 1
                        if read_slowly:
                            await asyncio.sleep(0.05)
                    else:
                        m = json.loads(msg)
                        t = m.get("type")
                        if t == "ended":
                            result["ended"] = m
                            done.set()
                            return
                        if t == "events":
                            result["events"] += len(m["events"])
                        elif t == "status":
                            result["status"] = m
                        elif t == "error":
                            result["errors"].append(m)
            except websockets.ConnectionClosed:
                pass
            done.set()

        rtask = asyncio.create_task(reader())
        if trigger is not None:
            # an instructor: watch this session on /observe and fire the event after `trigger[1]` seconds
            asyncio.create_task(instruct(url.rsplit("/", 1)[0] + "/observe", observer_token, started["session"], trigger, result))
        t0 = time.perf_counter()
        seq = 0
        if frames is None:
            n = int((duration or 2.0) * rate)
            frames = [(k / rate, IDLE_HEAD, IDLE_HANDS, []) for k in range(n + 1)]
        for (t, head, hands, buttons) in frames:
            if done.is_set():
                break
            delay = t0 + t - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if kill_after is not None and time.perf_counter() - t0 >= kill_after:
                # a front end that dies: the TCP connection drops without a close frame
                ws.transport.abort()
                result["killed"] = True
                return result
            if garbage_after is not None and time.perf_counter() - t0 >= garbage_after:
                await ws.send(bytes(random.getrandbits(8) for _ in range(37)))
                garbage_after = None
                continue
            seq += 1
            sent_at[seq] = time.perf_counter()
            try:
                await ws.send(encode_input(seq, head, hands, buttons))
            except websockets.ConnectionClosed:
                break
        if status and not done.is_set():
            try:
                await ws.send(json.dumps({"type": "status"}))
            except websockets.ConnectionClosed:
                pass
        if end and not done.is_set():
            try:
                await ws.send(json.dumps({"type": "end"}))
            except websockets.ConnectionClosed:
                pass
        try:
            await asyncio.wait_for(done.wait(), timeout=60)
        except asyncio.TimeoutError:
            result["errors"].append({"type": "timeout"})
        rtask.cancel()
    result["sent"] = seq
    result["latency_ms"] = {"n": len(latencies), "p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99)}
    if keep_latencies:
        result["latencies"] = latencies
    return result


async def instruct(url, observer_token, session, trigger, result):
    event, after = trigger
    async with websockets.connect(url, ping_interval=None, max_size=2 ** 24) as ws:
        await ws.send(json.dumps({"type": "hello", "protocol": PROTOCOL, "token": observer_token}))
        await ws.recv()
        await ws.send(json.dumps({"type": "watch", "session": session}))
        await asyncio.sleep(after)
        await ws.send(json.dumps({"type": "trigger", "event": event}))
        result["triggered"] = event
        try:
            async for msg in ws:
                if isinstance(msg, str):
                    m = json.loads(msg)
                    if m.get("type") == "events":
                        for e in m["events"]:
                            if e.get("kind") == "event_fired" and e.get("event") == event:
                                result["trigger_fired_at_tick"] = e["tick"]
                                return
                    elif m.get("type") in ("error", "ended"):
                        result.setdefault("trigger_reply", m)
                        return
        except websockets.ConnectionClosed:
            pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", required=True, help="ws://HOST:PORT/live")
    ap.add_argument("--token", required=True)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--trainee")
    ap.add_argument("--seed", type=int)
    ap.add_argument("--trace", help="stream this trace's input (at its own times)")
    ap.add_argument("--duration", type=float, default=2.0, help="without --trace: seconds of an idle pose")
    ap.add_argument("--rate", type=float, default=90.0, help="without --trace: samples per second")
    ap.add_argument("--no-end", action="store_true", help="do not send end (the procedure, or a disconnect, ends it)")
    ap.add_argument("--kill-after", type=float, help="drop the connection abruptly after this many seconds")
    ap.add_argument("--garbage-after", type=float, help="send one garbage binary frame after this many seconds")
    ap.add_argument("--read-slowly", action="store_true", help="a slow consumer: 50 ms per state frame")
    ap.add_argument("--trigger", help="as an instructor (needs --observer-token): fire this event …")
    ap.add_argument("--trigger-after", type=float, default=1.0, help="… this many seconds after the start")
    ap.add_argument("--observer-token")
    a = ap.parse_args()
    frames = read_trace(a.trace) if a.trace else None
    r = asyncio.run(run_session(a.url, a.token, a.scenario, a.trainee, frames, a.duration, a.rate, not a.no_end,
                                a.kill_after, a.garbage_after, a.seed, a.read_slowly,
                                trigger=(a.trigger, a.trigger_after) if a.trigger else None, observer_token=a.observer_token))
    print(json.dumps(r))
    return 0 if not r["errors"] or a.garbage_after is not None else 1


if __name__ == "__main__":
    sys.exit(main())
