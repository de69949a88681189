#!/bin/sh
# What scoring adds to a headless replay of a real scenario and trace: builds the practicum
# libraries in release and links tools/bench/session_overhead.swift against them.
# Usage: tools/bench/session-overhead.sh [SCENARIO] [TRACE] [REPEATS]
set -e
cd "$(dirname "$0")/../.."
swift build -c release --target PracticumSession >/dev/null
B=.build/release
YAMS=$(ls -d "$B"/Yams.build 2>/dev/null || true)
swiftc -O -module-name SessionOverhead -I "$B/Modules" -I .build/checkouts/Yams/Sources/CYaml/include -o "$B/session-overhead" tools/bench/session_overhead.swift \
  "$B"/PracticumCore.build/*.o "$B"/PracticumPhysics.build/*.o "$B"/PracticumScoring.build/*.o \
  "$B"/PracticumScenario.build/*.o "$B"/PracticumSession.build/*.o ${YAMS:+"$YAMS"/*.o} \
  $(find "$B"/CYaml.build -name "*.o") 2>&1 | grep -v warning || true
"$B/session-overhead" "${1:-scenarios/iv-cannulation/scenario.yaml}" "${2:-scenarios/iv-cannulation/traces/expert.trace}" "${3:-5}"
