#!/usr/bin/env bash
# Builds the tissue bench runner with -O (whole-module, like `swift build -c release`) and runs it.
#   tools/bench/tissue_bench.sh [tissue-poke] [tissue-needle]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${TMPDIR:-/tmp}/practicum-tissue-bench"
mkdir -p "$out"
cd "$out"
swiftc -O -wmo -parse-as-library -emit-module -emit-library -static -module-name PracticumCore \
    "$root"/Sources/PracticumCore/*.swift -o libPracticumCore.a
swiftc -O -wmo -parse-as-library -emit-module -emit-library -static -module-name PracticumPhysics -I . \
    $(find "$root/Sources/PracticumPhysics" -name '*.swift' | sort) -o libPracticumPhysics.a
swiftc -O -I . "$root/tools/bench/tissue_main.swift" -L . -lPracticumPhysics -lPracticumCore -o tissue-bench
./tissue-bench "$@"
