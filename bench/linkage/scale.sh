#!/usr/bin/env bash
# Time and peak memory of `hearth link dedupe` on synthetic UK family data of 10k, 100k and
# 1M records, with precision and recall against the generator's truth.
#
#   bench/linkage/scale.sh                      # all three sizes
#   SIZES="10000 100000" bench/linkage/scale.sh
#
# Needs `cargo build --release -p hearth -p hearth-linkage` first; HEARTH and SYNTH override
# the binaries' paths. Scoring uses the venv made for compare.py when it exists.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
HEARTH=${HEARTH:-$root/target/release/hearth}
SYNTH=${SYNTH:-$root/target/release/hearth-linkage-synth}
SIZES=${SIZES:-"10000 100000 1000000"}
SEED=${SEED:-1}
mkdir -p "$here/data" "$here/results"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
printf '%-9s %-10s %-12s %-10s %s\n' records seconds peak_MiB clusters "precision/recall (cluster pairs)"
for n in $SIZES; do
  data="$here/data/synthetic_$n.csv"
  truth="$here/data/synthetic_${n}_truth.csv"
  [ -f "$data" ] || "$SYNTH" --records "$n" --seed "$SEED" --out "$data" --truth "$truth" 2>/dev/null
  out="$here/results/scale_${n}"
  /usr/bin/time -v "$HEARTH" link dedupe "$data" --out "${out}_pairs.csv" \
    --clusters "${out}_clusters.csv" --quiet > "${out}_summary.txt" 2> "${out}_time.txt"
  secs=$(grep 'Elapsed (wall clock)' "${out}_time.txt" | awk '{print $NF}')
  kib=$(grep 'Maximum resident set size' "${out}_time.txt" | awk '{print $NF}')
  clusters=$(grep '^Clusters:' "${out}_summary.txt" | awk '{print $2}')
  quality="-"
  if [ -x "$here/.venv/bin/python" ]; then
    quality=$("$here/.venv/bin/python" "$here/evaluate.py" "$truth" "${out}_clusters.csv" "${out}_pairs.csv")
  fi
  printf '%-9s %-10s %-12s %-10s %s\n' "$n" "$secs" "$((kib / 1024))" "$clusters" "$quality"
done
