#!/usr/bin/env bash
# Worst cases of hostile and oversize input, timed with /usr/bin/time on the release binary:
# each line gives the exit status, wall seconds and peak memory. docs/limits.md quotes the result.
# Usage: tools/bench/hostile.sh   (builds .build/release/practicum if needed; writes under /tmp)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
swift build -c release --product practicum 2>&1 | grep -E "error" || true
P="$root/.build/release/practicum"
W=$(mktemp -d /tmp/practicum-hostile.XXXXXX); trap 'rm -rf "$W"' EXIT
cd "$W"

scenario_head() {
  cat <<'Y'
id: demo
title: Demo
version: 1.0.0
scene:
  bodies:
    - {id: probe, kind: instrument, shape: {sphere: {radius: 1cm}}, position: [0, 1m, 0]}
  regions:
    - {id: target, position: [0, 1m, 0], radius: 2cm}
procedure:
  steps:
    - {id: reach, title: Reach, complete_when: "inside(probe, target)"}
Y
}

scenario_head > base.yaml
python3 - <<'PY'
base = open("base.yaml").read()
w = lambda n, s: open(n, "w").write(s)
w("near-cap.yaml", base + "# " + "x" * 100 + "\n" * 1 + ("# padding comment line to approach the 4 MiB cap\n" * 85000))
w("alias-bomb.yaml", "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [" + ", ".join([f"*{p}"] * 10) + "]\n" for p, n in zip("abcdefg", "bcdefgh")))
w("deep-flow.yaml", "[" * 100000 + "]" * 100000)
w("unknown-names.yaml", base + "".join(f"    - {{id: s{i}, title: S, complete_when: \"inside(probe{i}, target)\"}}\n" for i in range(20000)))
w("unknown-after.yaml", base + "".join(f"    - {{id: s{i}, title: S, complete_when: \"inside(probe, target)\", after: [x{i}]}}\n" for i in range(20000)))
w("long-chain.yaml", base.replace('"inside(probe, target)"', '"' + "+".join(["1m"] * 1360) + ' > 1m"'))
w("huge-number.yaml", base.replace("radius: 1cm", "radius: " + "1" * 60000 + "m"))
w("unit-power.yaml", base.replace("radius: 1cm", "radius: 1m" + "/s" * 12))
# motion scripts
w("endless.yaml", base.replace('"inside(probe, target)"', '"time > 3h"'))
script = "scenario: {id: demo, version: 1.0.0}\nsample_rate: 90Hz\nhands:\n  right:\n    start: {position: [0, 1m, 0]}\n    motion:\n"
w("two-hours.yaml", script + "      - oscillate: {direction: [0, -1, 0], depth: 5cm, rate: 110/min, duration: 7199s}\n")
w("many-frames.yaml", script.replace("90Hz", "10kHz") + "      - hold: 7200s\n")
w("repeat-bomb.yaml", script + "      - " + "repeat: {times: 100000, motion: [{" * 8 + "hold: 0s" + "}]}" * 8 + "\n")
w("many-buttons.yaml", script + "      - hold: 1s\nbuttons:\n" + "".join(f"  - {{name: b{i}, from: 0s, to: 1s}}\n" for i in range(5000)))
# meshes
w("mesh-cap.obj", "".join(f"v {i % 100} {i // 100 % 100} {i // 10000}\n" for i in range(200000)) + "f 1 2 101\n")
w("mesh-over.obj", "v 0 0 0\n" * 200001)
PY
mkdir -p meshdir && cp mesh-cap.obj meshdir/m.obj && sed 's|shape: {sphere: {radius: 1cm}}|shape: {mesh: {asset: m.obj}}|; s|kind: instrument|kind: static|' base.yaml > meshdir/s.yaml
mkdir -p meshover && cp mesh-over.obj meshover/m.obj && cp meshdir/s.yaml meshover/s.yaml

run() {  # label, command...
  local label=$1; shift
  local rc=0
  /usr/bin/time -o time.txt -f "%e %M" "$@" >/dev/null 2>&1 || rc=$?
  local t; t=$(tail -1 time.txt)
  printf "| %s | %s | %s s | %d MB |\n" "$label" "$rc" "${t%% *}" "$(( ${t##* } / 1024 ))"
}

echo "| Input | Exit | Time | Peak memory |"
echo "|---|---|---|---|"
run "scenario of 4 MiB (at the size cap)" "$P" validate near-cap.yaml
run "alias bomb (10⁸ nodes if expanded)" "$P" validate alias-bomb.yaml
run "100,000 nested brackets" "$P" validate deep-flow.yaml
run "20,000 steps naming unknown bodies" "$P" validate unknown-names.yaml
run "20,000 steps after unknown steps" "$P" validate unknown-after.yaml
run "1,360-term sum (longest expression)" "$P" validate long-chain.yaml
run "60,000-digit number" "$P" validate huge-number.yaml
run "unit m/s¹² (power past ±8)" "$P" validate unit-power.yaml
run "mesh of 200,000 vertices (at the cap)" "$P" validate meshdir/s.yaml
run "mesh of 200,001 vertices" "$P" validate meshover/s.yaml
run "synth: 2 h at 90 Hz (648,001 frames)" "$P" synth two-hours.yaml -o two-hours.trace --force
run "synth: 2 h at 10 kHz (refused)" "$P" synth many-frames.yaml -o x.trace --force
run "synth: 8 nested repeats of 100,000" "$P" synth repeat-bomb.yaml -o x.trace --force
run "synth: 5,000 button names" "$P" synth many-buttons.yaml -o x.trace --force
head -c 2000000 two-hours.trace > cut.trace
run "score: the first 2 MB of it (--partial)" "$P" score endless.yaml cut.trace --partial -o r1.json
run "score: the whole 2 h trace (1.7 million ticks)" "$P" score endless.yaml two-hours.trace -o r2.json
echo
echo "two-hours.trace: $(du -h two-hours.trace | cut -f1)"
