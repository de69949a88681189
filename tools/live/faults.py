#!/usr/bin/env python3
"""Fault checks against a running `practicum serve` (the test PracticumServerTests runs them).

    faults.py --port PORT --token T --observer-token O [--idle N] [--scenario ID]

Each check is a real peer doing something wrong (or heavy) while a well-behaved session runs
beside it; prints one JSON object: check name -> what the peer saw. The Swift test then asserts on
it, stops the server with SIGTERM and scores every trace it left.
"""
import argparse
import asyncio
import base64
import json
import os
import random
import socket
import struct
import sys
import time

import websockets

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import client  # noqa: E402


async def expect_error(url, first=None, then=None):
    """Sends `first` (a JSON hello or None), then `then`; returns the error frame and the close code."""
    out = {"error": None, "close_code": None}
    async with websockets.connect(url, ping_interval=None) as ws:
        if first is not None:
            await ws.send(json.dumps(first))
            reply = json.loads(await ws.recv())
            out["first_reply"] = reply.get("type")
            if reply.get("type") == "error":
                out["error"] = reply.get("code")
        if then is not None:
            await ws.send(then)
        try:
            while True:
                m = await asyncio.wait_for(ws.recv(), timeout=20)
                if isinstance(m, str):
                    j = json.loads(m)
                    if j.get("type") == "error":
                        out["error"] = j.get("code")
        except websockets.ConnectionClosed as e:
            out["close_code"] = e.rcvd.code if e.rcvd else None
        except asyncio.TimeoutError:
            out["close_code"] = "timeout"
    return out


async def bad_input_after_start(url, token, scenario, payload):
    """Starts a session, then sends `payload` as a binary frame: the server must answer bad_frame and close."""
    out = {"error": None, "close_code": None}
    async with websockets.connect(url, ping_interval=None, max_size=2 ** 24) as ws:
        await ws.send(json.dumps({"type": "hello", "protocol": 1, "token": token}))
        await ws.recv()
        await ws.send(json.dumps({"type": "start", "scenario": scenario, "trainee": "garbage"}))
        while True:
            m = json.loads(await ws.recv())
            if m["type"] == "started":
                out["trace"] = m["trace"]
                break
        await ws.send(payload)
        try:
            while True:
                m = await asyncio.wait_for(ws.recv(), timeout=20)
                if isinstance(m, str) and json.loads(m).get("type") == "error":
                    out["error"] = json.loads(m).get("code")
        except websockets.ConnectionClosed as e:
            out["close_code"] = e.rcvd.code if e.rcvd else None
        except asyncio.TimeoutError:
            out["close_code"] = "timeout"
    return out


class RawWS:
    """A minimal blocking WebSocket client on a raw socket with a tiny receive buffer: unlike a
    library it reads nothing until asked, so the server really sees a consumer that stopped reading."""

    def __init__(self, port, path):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
        self.sock.connect(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (path, port, key)).encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            self.buf += self.sock.recv(4096)
        self.buf = self.buf.split(b"\r\n\r\n", 1)[1]

    def send_text(self, text):
        data, mask = text.encode(), os.urandom(4)
        head = bytes([0x81]) + (bytes([0x80 | len(data)]) if len(data) < 126 else bytes([0x80 | 126]) + struct.pack(">H", len(data)))
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _need(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk

    def recv(self):
        """(opcode, payload) of the next frame."""
        self._need(2)
        op, n = self.buf[0] & 0x0F, self.buf[1] & 0x7F
        off = 2
        if n == 126:
            self._need(4); n = struct.unpack(">H", self.buf[2:4])[0]; off = 4
        elif n == 127:
            self._need(10); n = struct.unpack(">Q", self.buf[2:10])[0]; off = 10
        self._need(off + n)
        payload, self.buf = self.buf[off:off + n], self.buf[off + n:]
        return op, payload

    def recv_json(self, kind):
        while True:
            op, payload = self.recv()
            if op == 1 and json.loads(payload).get("type") == kind:
                return json.loads(payload)


def slow_observer_blocking(port, observer_token, session_id, seconds):
    ws = RawWS(port, "/observe")
    ws.send_text(json.dumps({"type": "hello", "protocol": 1, "token": observer_token}))
    ws.recv_json("welcome")
    ws.send_text(json.dumps({"type": "watch", "session": session_id}))
    time.sleep(seconds)  # not reading
    ws.send_text(json.dumps({"type": "status"}))
    ws.sock.settimeout(30)
    status = ws.recv_json("status")
    ws.sock.close()
    return {"dropped_frames": status.get("dropped_frames")}


async def slow_observer(port, observer_token, session_id, seconds):
    """An observer that stops reading for `seconds`: the server must drop its frames (and count
    them), not stall the session or anyone else."""
    return await asyncio.to_thread(slow_observer_blocking, port, observer_token, session_id, seconds)


async def reattach(live, token, scenario, grace):
    """A front end drops its connection, reconnects within the grace period, attaches to its
    session, streams on and ends it: one session, one trace."""
    out = {}
    ws = await websockets.connect(live, ping_interval=None, max_size=2 ** 24)
    await ws.send(json.dumps({"type": "hello", "protocol": 1, "token": token}))
    await ws.recv()
    await ws.send(json.dumps({"type": "start", "scenario": scenario, "trainee": "reattached"}))
    while True:
        m = json.loads(await ws.recv())
        if m["type"] == "started":
            session = m["session"]
            break
    for k in range(45):
        await ws.send(client.encode_input(k + 1, client.IDLE_HEAD, client.IDLE_HANDS, []))
        await asyncio.sleep(1 / 90)
    ws.transport.abort()
    await asyncio.sleep(grace / 4)
    async with websockets.connect(live, ping_interval=None, max_size=2 ** 24) as ws:
        await ws.send(json.dumps({"type": "hello", "protocol": 1, "token": token}))
        await ws.recv()
        await ws.send(json.dumps({"type": "attach", "session": session}))
        while True:
            m = await ws.recv()
            if isinstance(m, str) and json.loads(m)["type"] in ("started", "error"):
                out["attach_reply"] = json.loads(m)["type"]
                break
        for k in range(45):
            await ws.send(client.encode_input(100 + k, client.IDLE_HEAD, client.IDLE_HANDS, []))
            await asyncio.sleep(1 / 90)
        await ws.send(json.dumps({"type": "end"}))
        while True:
            m = await ws.recv()
            if isinstance(m, str) and json.loads(m)["type"] == "ended":
                out["ended"] = json.loads(m)["reason"]
                out["trace"] = json.loads(m)["trace"]
                break
    return out


async def killed_at_random(live, token, scenario, n, rng):
    """`n` front ends killed at random points of their first three seconds."""
    runs = [client.run_session(live, token, scenario, "killed-%d" % k, duration=5.0, rate=90, kill_after=rng.uniform(0.05, 3.0))
            for k in range(n)]
    return [r.get("killed") for r in await asyncio.gather(*runs)]


async def idle_connections(base, n):
    """`n` WebSocket connections that never say hello."""
    conns = []
    for _ in range(n):
        conns.append(await websockets.connect(base + "/live", ping_interval=None))
    return conns


async def main_async(a):
    base = "ws://127.0.0.1:%d" % a.port
    live = base + "/live"
    r = {}
    # the session that must keep running through all of this
    steady = asyncio.create_task(client.run_session(live, a.token, a.scenario, "steady", duration=a.steady, rate=90))
    await asyncio.sleep(1.0)
    idle = await idle_connections(base, a.idle)
    r["idle_opened"] = len(idle)
    r["wrong_token"] = await expect_error(live, {"type": "hello", "protocol": 1, "token": "wrong"})
    r["observer_token_on_live"] = await expect_error(live, {"type": "hello", "protocol": 1, "token": a.observer_token})
    r["no_hello"] = await expect_error(live, None, json.dumps({"type": "start", "scenario": a.scenario}))
    r["bad_json"] = await expect_error(live, {"type": "hello", "protocol": 1, "token": a.token}, "{not json")
    r["wrong_protocol"] = await expect_error(live, {"type": "hello", "protocol": 99, "token": a.token})
    r["garbage_frame"] = await bad_input_after_start(live, a.token, a.scenario, bytes(random.Random(7).getrandbits(8) for _ in range(37)))
    r["oversized_frame"] = await bad_input_after_start(live, a.token, a.scenario, b"\x01" * 70000)
    bad_quat = client.encode_input(1, [0, 1.6, 0, 2, 0, 0, 0], client.IDLE_HANDS, [])
    r["non_unit_quaternion"] = await bad_input_after_start(live, a.token, a.scenario, bad_quat)
    # faster than the tick: 1000 samples a second for a second
    fast = await client.run_session(live, a.token, a.scenario, "fast", duration=1.0, rate=1000)
    r["fast"] = {"sent": fast.get("sent"), "ended": (fast.get("ended") or {}).get("reason"), "trace": fast.get("trace")}
    # killed mid-session: the session is held for the grace period, then ends
    killed = await client.run_session(live, a.token, a.scenario, "killed", duration=5.0, rate=90, kill_after=1.0)
    r["killed"] = {"killed": killed.get("killed"), "trace": killed.get("trace"), "session": killed.get("session")}
    r["reattach"] = await reattach(live, a.token, a.scenario, a.grace)
    if a.kills:
        r["killed_at_random"] = await killed_at_random(live, a.token, a.scenario, a.kills, random.Random(a.seed))
    # a slow observer of the steady session
    steady_id = None
    async with websockets.connect(base + "/observe", ping_interval=None) as ws:
        await ws.send(json.dumps({"type": "hello", "protocol": 1, "token": a.observer_token}))
        await ws.recv()
        sessions = json.loads(await ws.recv())["sessions"]
        steady_id = next(s["session"] for s in sessions if s["trainee"] == "steady")
        r["observer_sessions"] = len(sessions)
    r["slow_observer"] = await slow_observer(a.port, a.observer_token, steady_id, a.slow)
    res = await steady
    r["steady"] = {"ended": (res.get("ended") or {}).get("reason"), "states": res["states"], "errors": res["errors"],
                   "trace": res.get("trace"), "latency_ms": res.get("latency_ms")}
    r["idle_still_open"] = sum(1 for c in idle if c.state.name == "OPEN")
    for c in idle:
        await c.close()
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--observer-token", required=True)
    ap.add_argument("--scenario", default="cpr-adult")
    ap.add_argument("--idle", type=int, default=200)
    ap.add_argument("--grace", type=float, default=1.0, help="the server's --grace")
    ap.add_argument("--kills", type=int, default=0, help="front ends to kill at random points")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--steady", type=float, default=14.0, help="seconds the steady session streams")
    ap.add_argument("--slow", type=float, default=4.0, help="seconds the slow observer does not read")
    a = ap.parse_args()
    print(json.dumps(asyncio.run(main_async(a))))


if __name__ == "__main__":
    main()
