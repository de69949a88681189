#!/usr/bin/env python3
"""The live-load benchmark (run it through tools/bench/live-load, which makes the venv).

For each N: starts `practicum serve --port 0`, runs N sessions at once, each streaming the first
SECONDS of the shipped CPR expert trace at its 90 Hz (chest compressions: contacts every tick),
split over a few client processes so that one Python process is not the bottleneck; asks each
session's status before ending it. Reports per N:

- tick lateness (ms): how late each tick ran against its schedule (origin + k·dt), from the
  server's per-session histogram (0.1 ms bins): the median session's p50 and the worst session's p99;
- pose-in to state-out latency (ms), pooled over every session: from sending input frame k to
  the first state frame that reports having received k;
- server CPU per session: the server process's user+system CPU over the run / N / seconds, as a
  fraction of one core;
- real time: every session's p99 tick lateness at most 10 ms (under one 90 Hz headset frame)
  and every tick due by the end of the run was run.

Then the fault run (tools/live/faults.py with 1,000 idle connections) and, for every trace of
every run, `practicum score` compared byte for byte with the report the server wrote.
"""
import argparse
import asyncio
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools", "live"))
import client  # noqa: E402

TRACE = os.path.join(ROOT, "scenarios", "cpr-adult", "traces", "expert.trace")
REAL_TIME_MS = 10.0


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(binary, data, extra=()):
    p = subprocess.Popen([binary, "serve", "--port", "0", "--data", data, "--token", "bench", "--observer-token", "bench-observer"] + list(extra),
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT, text=True)
    port = int(p.stdout.readline())
    return p, port


def worker(port, count, seconds, index):
    """One client process: `count` sessions at once; prints their results as JSON."""
    frames = [f for f in client.read_trace(TRACE) if f[0] <= seconds]

    async def all_sessions():
        return await asyncio.gather(*[client.run_session("ws://127.0.0.1:%d/live" % port, "bench", "cpr-adult", "bench-%d-%d" % (index, k),
                                                         frames=frames, keep_latencies=True) for k in range(count)])
    print(json.dumps(asyncio.run(all_sessions())))


def run_load(binary, n, seconds, data):
    server, port = start_server(binary, data)
    time.sleep(0.5)
    procs = min(n, 4)
    counts = [n // procs + (1 if i < n % procs else 0) for i in range(procs)]
    cpu0, t0 = cpu_seconds(server.pid), time.monotonic()
    workers = [subprocess.Popen([sys.executable, __file__, "--worker", str(port), str(c), str(seconds), str(i)],
                                stdout=subprocess.PIPE, text=True) for i, c in enumerate(counts)]
    results = []
    for w in workers:
        out, _ = w.communicate()
        results += json.loads(out)
    cpu1, t1 = cpu_seconds(server.pid), time.monotonic()
    server.terminate()
    server.wait(timeout=60)
    lat = sorted(x for r in results for x in r.get("latencies", []))
    status = [r.get("status", {}) for r in results]
    late = [s.get("tick_lateness_ms", {}) for s in status]
    p50s = sorted(l.get("p50", float("inf")) for l in late)
    p99s = [l.get("p99", float("inf")) for l in late]
    # every tick due by the status request was run: ticks ≈ session time × 240
    keeps = len(late) == n and all(l.get("p99", float("inf")) <= REAL_TIME_MS for l in late) and all(not r["errors"] for r in results)
    return {
        "sessions": n, "seconds": seconds,
        "tick_lateness_ms": {"p50_median_session": p50s[len(p50s) // 2] if p50s else None, "p99_worst_session": max(p99s) if p99s else None,
                             "max": max((l.get("max", 0) for l in late), default=None)},
        "latency_ms": {"n": len(lat), "p50": client.percentile(lat, 0.5), "p99": client.percentile(lat, 0.99)},
        "server_cpu_per_session": (cpu1 - cpu0) / n / (t1 - t0),
        "dropped_frames": sum(r.get("dropped", 0) for r in results),
        "errors": sum(len(r["errors"]) for r in results),
        "ended": {k: sum(1 for r in results if (r.get("ended") or {}).get("reason") == k) for k in {(r.get("ended") or {}).get("reason") for r in results}},
        "with_status": sum(1 for r in results if "status" in r),
        "real_time": keeps,
    }


def score_all(binary, data):
    scored, identical = 0, 0
    for name in sorted(os.listdir(data)):
        if not name.endswith(".trace"):
            continue
        trace = os.path.join(data, name)
        scenario = name.split("-20")[0]
        out = subprocess.run([binary, "score", scenario, trace], capture_output=True, cwd=ROOT).stdout
        report = trace[:-6] + ".report.json"
        scored += 1
        identical += os.path.exists(report) and open(report, "rb").read() == out
    return {"traces": scored, "identical_reports": identical}


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]))
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", default="1,8,32")
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "practicum"))
    ap.add_argument("--data", default="/tmp/practicum-live-load-%d" % os.getpid())
    ap.add_argument("--no-faults", action="store_true")
    a = ap.parse_args()
    rows = []
    for n in [int(x) for x in a.sessions.split(",")]:
        row = run_load(a.binary, n, a.seconds, os.path.join(a.data, "n%d" % n))
        rows.append(row)
        print(json.dumps(row), flush=True)
    out = {"load": rows, "largest_real_time_n": max((r["sessions"] for r in rows if r["real_time"]), default=0)}
    if not a.no_faults:
        data = os.path.join(a.data, "faults")
        server, port = start_server(a.binary, data, ["--grace", "1"])
        f = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "live", "faults.py"), "--port", str(port), "--token", "bench",
                            "--observer-token", "bench-observer", "--idle", "1000", "--kills", "8", "--seed", str(os.getpid())], capture_output=True, text=True)
        server.terminate()
        server.wait(timeout=60)
        out["faults"] = json.loads(f.stdout) if f.returncode == 0 else {"failed": f.stderr[-2000:]}
    out["scoring"] = {d: score_all(a.binary, os.path.join(a.data, d)) for d in sorted(os.listdir(a.data))}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
