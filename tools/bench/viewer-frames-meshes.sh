#!/bin/sh
# What the meshes cost the viewer, side by side in one run: the same binary draws each shipped
# procedure from the scenario files and assets of REV (default 3bd3142, the last commit before
# meshes: boxes, spheres and capsules, the palm-and-pointer hands) and from this checkout's (glTF
# meshes, hand meshes), in stereo at 1280x720 with the default adaptive multisampling, interleaved
# over ROUNDS rounds by tools/bench/viewer-frames.sh.
#
# Usage: tools/bench/viewer-frames-meshes.sh [ROUNDS] [REV] [BINARY]   (BINARY: .build/release/practicum)
set -e
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}; REV=${2:-3bd3142}; BIN=${3:-.build/release/practicum}
BASE=$(mktemp -d /tmp/practicum-mesh-base.XXXXXX); trap 'rm -rf "$BASE"' EXIT
git archive "$REV" scenarios assets | tar -x -C "$BASE"
CONFIGS=""
for id in iv-cannulation cpr-adult fls-peg-transfer needle-decompression; do
  CONFIGS="$CONFIGS$BASE/scenarios/$id/scenario.yaml --stereo
$PWD/scenarios/$id/scenario.yaml --stereo
"
done
VIEWER_CONFIGS=$(printf '%s' "$CONFIGS") tools/bench/viewer-frames.sh "$ROUNDS" "$BIN"
