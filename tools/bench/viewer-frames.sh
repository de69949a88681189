#!/bin/sh
# Viewer frame time and CPU per frame under Xvfb, side by side: every configuration (binary × scenario ×
# options) once per round, ROUNDS rounds interleaved so that a change in machine load hits all alike;
# prints, per configuration, the median over rounds of `--frames`' medians and every round's frame median.
#
# Usage: tools/bench/viewer-frames.sh [ROUNDS] [BINARY ...]
#   BINARY defaults to .build/release/practicum; give two (e.g. a copy built from main, then this branch's)
#   to compare them. Configurations: VIEWER_CONFIGS (lines "scenario options..."), default below.
# Needs xvfb-run. Each run: practicum run SCENARIO --hidden --frames 300 OPTIONS in a 1280x720 window.
set -e
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
[ $# -gt 0 ] && shift
[ $# -eq 0 ] && set -- .build/release/practicum
# --fixed-msaa: 4x MSAA throughout; no option: the default, adaptive multisampling (4x while frames keep to
# 11.1 ms, none while it is what breaks them); --msaa 0: never multisampled.
CONFIGS=${VIEWER_CONFIGS:-"iv-cannulation --stereo --fixed-msaa
iv-cannulation --stereo
iv-cannulation --stereo --msaa 0
iv-cannulation --fixed-msaa
iv-cannulation
cpr-adult --stereo --fixed-msaa
cpr-adult --stereo
cpr-adult --stereo --msaa 0
fls-peg-transfer --stereo --fixed-msaa
fls-peg-transfer --stereo
fls-peg-transfer --stereo --msaa 0
needle-decompression --stereo --fixed-msaa
needle-decompression --stereo
needle-decompression --stereo --msaa 0
demo --stereo --fixed-msaa
demo --stereo"}
LOG=$(mktemp)
r=0
while [ $r -lt "$ROUNDS" ]; do
  r=$((r + 1))
  echo "$CONFIGS" | while read -r scenario options; do
    for bin in "$@"; do
      # shellcheck disable=SC2086
      # a scenario file under ROOT/scenarios/ID/ draws ROOT/assets (its hands too); an id, this checkout's
      assets="$PWD/assets"
      case "$scenario" in */scenarios/*/scenario.yaml) assets="${scenario%/scenarios/*}/assets" ;; esac
      line=$(PRACTICUM_ASSETS="$assets" xvfb-run -a -s "-screen 0 1280x720x24" "$bin" run "$scenario" --hidden --frames 300 $options)
      echo "$bin|$scenario $options|$line" >> "$LOG"
    done
  done
done
python3 - "$LOG" <<'EOF'
import re, sys, statistics
runs = {}
msaa = {}
for line in open(sys.argv[1]):
    binary, config, out = line.rstrip("\n").split("|", 2)
    m = re.search(r"cpu median ([\d.]+) ms \(viewer ([\d.]+) \+ simulation ([\d.]+)\)\s+frame median ([\d.]+)", out)
    runs.setdefault((config, binary), []).append(tuple(float(g) for g in m.groups()))
    msaa.setdefault((config, binary), []).append(re.search(r"msaa (.*?)  renderer", out).group(1))
print(f"{'configuration':40} {'binary':34} {'cpu (viewer) ms':>16} {'frame ms':>9}  frame medians per round")
for (config, binary), v in runs.items():
    med = lambda i: statistics.median(x[i] for x in v)
    print(f"{config:40} {binary[-34:]:34} {med(0):7.2f} ({med(1):.2f}) {med(3):9.1f}  " + " ".join(f"{x[3]:.1f}" for x in v))
    for m in sorted(set(msaa[(config, binary)])): print(f"{'':40}   msaa {m}")
EOF
rm -f "$LOG"
