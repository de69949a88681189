#!/bin/bash
# Viewer frame times side by side when the scenario files changed too: a base binary on its own checkout's
# scenarios against this checkout's binary on this checkout's, interleaved rounds.
# Usage: git worktree add /work/wt-base COMMIT && (cd /work/wt-base && swift build -c release --product practicum)
#        BASE=/work/wt-base tools/bench/viewer-frames-vs-base.sh
CONFIGS="iv-cannulation --stereo
iv-cannulation --stereo --fixed-msaa
cpr-adult --stereo
fls-peg-transfer --stereo
needle-decompression --stereo
demo --stereo"
BASE=${BASE:?set BASE to the base checkout}
HERE=$(cd "$(dirname "$0")/../.." && pwd)
LOG=$(mktemp); trap 'rm -f "$LOG"' EXIT
for r in 1 2 3; do
  echo "$CONFIGS" | while read -r sc opts; do
    for side in base new; do
      if [ $side = base ]; then dir=$BASE; bin=$BASE/.build/release/practicum; else dir=$HERE; bin=$HERE/.build/release/practicum; fi
      line=$(cd $dir && PRACTICUM_ASSETS="$dir/assets" xvfb-run -a -s "-screen 0 1280x720x24" $bin run $sc --hidden --frames 300 $opts 2>/dev/null)
      echo "$side|$sc $opts|$line" >> $LOG
    done
  done
done
python3 - "$LOG" <<'PY'
import re, statistics
runs={}
import sys
for line in open(sys.argv[1]):
    side, cfg, out = line.rstrip('\n').split('|',2)
    m = re.search(r"cpu median ([\d.]+) ms \(viewer ([\d.]+) \+ simulation ([\d.]+)\)\s+frame median ([\d.]+)", out)
    ms = re.search(r"msaa (.*?)  renderer", out)
    if not m: print("FAIL", side, cfg, out[:200]); continue
    runs.setdefault((cfg, side), []).append((float(m.group(1)), float(m.group(2)), float(m.group(4)), ms.group(1)))
for (cfg, side), v in runs.items():
    print(f"{cfg:38} {side:4} cpu {statistics.median(x[0] for x in v):5.2f} (viewer {statistics.median(x[1] for x in v):5.2f}) frame {statistics.median(x[2] for x in v):5.1f}  rounds " + " ".join(f"{x[2]:.1f}" for x in v) + "  | " + "; ".join(sorted(set(x[3] for x in v))))
PY
