#!/bin/bash
# Instructions per pod of `kubesim_bench --scheduler NODES PODS [no-kcm]`,
# counted by callgrind in the measured window only (first create to last
# bind). Unlike pods/s, the count repeats run to run whatever else the
# machine does, so A/B comparisons of a change need one run each.
# usage: scripts/callgrind_bench.sh [NODES PODS [no-kcm]]   (from the repo root;
#        BUILD=dir picks another build directory; default 5000 1000)
set -euo pipefail
build=${BUILD:-build}
nodes=${1:-5000}
pods=${2:-1000}
shift $(($# > 2 ? 2 : $#)) || true
out=$(mktemp /tmp/callgrind.XXXXXX)
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out" \
  "$build/kubesim_bench" --scheduler "$nodes" "$pods" "$@" 2>/dev/null
ir=$(awk '/^totals:/ {print $2; exit}' "$out")
echo "instructions/pod: $((ir / pods))  (callgrind_annotate $out)"
