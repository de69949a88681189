#!/bin/sh
# Measures what scoring adds to a headless tick: builds Core, Physics and Scoring in release and
# links tools/bench/scoring_overhead.swift against them. Usage: tools/bench/scoring-overhead.sh [N] [TICKS]
set -e
cd "$(dirname "$0")/../.."
swift build -c release --target PracticumScoring >/dev/null
swift build -c release --target PracticumPhysics >/dev/null
B=.build/release
swiftc -O -module-name ScoringOverhead -I "$B/Modules" -o "$B/scoring-overhead" \
  tools/bench/scoring_overhead.swift "$B"/PracticumCore.build/*.o "$B"/PracticumPhysics.build/*.o "$B"/PracticumScoring.build/*.o 2>&1 \
  | grep -v warning || true
"$B/scoring-overhead" "$@"
