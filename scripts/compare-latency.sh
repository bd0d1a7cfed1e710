#!/usr/bin/env bash
# Query latency of two gongwen builds on their own indexes, measured in one
# run so that the machine's load affects both alike: for each query of
# ../shared/bench/queries.txt, hyperfine times both commands alternately
# (10 runs each, 2 warm-up), and the median over the queries of each
# command's median is printed, with the ratio.
#
# usage: scripts/compare-latency.sh BASE_BIN BASE_INDEX NEW_BIN NEW_INDEX
# needs: hyperfine, python3
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 4 ] || { echo "usage: $0 BASE_BIN BASE_INDEX NEW_BIN NEW_INDEX" >&2; exit 2; }
base_bin=$1 base_index=$2 new_bin=$3 new_index=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mapfile -t QUERIES < <(grep -v '^#' ../shared/bench/queries.txt | grep -v '^[[:space:]]*$')
for q in "${QUERIES[@]}"; do
  hyperfine -N --warmup 2 --runs 10 --export-json "$tmp/h.json" \
    "$base_bin search --index $base_index --limit 10 -- $q" \
    "$new_bin search --index $new_index --limit 10 -- $q" > /dev/null 2>&1 || true
  python3 - "$tmp/h.json" "$q" >> "$tmp/rows.tsv" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print("%s\t%.2f\t%.2f" % (sys.argv[2], r[0]["median"] * 1000, r[1]["median"] * 1000))
PY
done
python3 - "$tmp/rows.tsv" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
for q, b, n in rows:
    print(f"{q}\tbase {float(b):.1f} ms\tnew {float(n):.1f} ms")
b = statistics.median(float(r[1]) for r in rows)
n = statistics.median(float(r[2]) for r in rows)
print(f"median of medians: base {b:.1f} ms, new {n:.1f} ms, ratio {n / b:.2f}")
PY
