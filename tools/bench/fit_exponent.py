#!/usr/bin/env python3
"""Fits cost per step ~ c * N^k to bench JSON lines (`practicum bench ... --json`, tools/bench/peer_pile.py).

Reads JSON objects one a line from the files given (or stdin), groups them by engine ("practicum" when the
line has none), and prints per engine the least-squares exponent k of log(ms_per_step_median) against log(n),
with the per-N figures. Usage: tools/bench/fit_exponent.py ours.jsonl peers.jsonl
"""
import json, math, sys


def fit(points):
    xs = [math.log(n) for n, _ in points]; ys = [math.log(ms) for _, ms in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    k = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    return k, math.exp(my - k * mx)


def main():
    lines = [l for f in (sys.argv[1:] or ["-"]) for l in (sys.stdin if f == "-" else open(f))]
    by_engine = {}
    for l in lines:
        if l.lstrip().startswith("{"):
            r = json.loads(l)
            by_engine.setdefault(r.get("engine", "practicum"), []).append((r["n"], r["ms_per_step_median"]))
    for engine, points in by_engine.items():
        points.sort()
        figures = ", ".join(f"{n}: {ms:.3g}" for n, ms in points)
        if len(points) < 2:
            print(f"{engine}: {figures} ms/step (one size, no fit)"); continue
        k, c = fit(points)
        print(f"{engine}: exponent {k:.2f} over N = {points[0][0]}..{points[-1][0]} (ms/step = {c:.3g} * N^{k:.2f}); {figures} ms/step")


if __name__ == "__main__":
    main()
