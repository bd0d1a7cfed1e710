#!/usr/bin/env bash
# Search cost of two (or more) gongwen builds as servers, measured in one run
# so that the machine's load affects them alike: each build serves the same
# index (`gongwen serve --port 0`), and one client asks each of the 20
# benchmark queries (../shared/bench/queries.txt) of every server in turn,
# alternating the order each round. Prints, per query and summed, each
# server's minimum and median time over the rounds (ms, HTTP included); the
# minimum is the steadier figure on a noisy machine.
#
# usage: scripts/compare-serve.sh INDEX ROUNDS BIN_A BIN_B [BIN...]
# (QUERIES=FILE: other queries, one a line)
#   scripts/compare-serve.sh /tmp/gongwen-bench/index-100k 15 /tmp/base/gongwen target/release/gongwen
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 4 ] || { echo "usage: $0 INDEX ROUNDS BIN_A BIN_B [BIN...]" >&2; exit 2; }
index=$1 rounds=$2
shift 2
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
urls=()
i=0
for bin in "$@"; do
  "$bin" serve --port 0 --index "$index" >"$work/url$i" 2>"$work/log$i" &
  pids+=($!)
  i=$((i + 1))
done
for ((j = 0; j < i; j++)); do
  for _ in $(seq 300); do [[ -s "$work/url$j" ]] && break; sleep 0.1; done
  [[ -s "$work/url$j" ]] || { echo "server $j did not start:" >&2; cat "$work/log$j" >&2; exit 1; }
  urls+=("$(head -1 "$work/url$j")")
done
python3 - "$rounds" "${QUERIES:-../shared/bench/queries.txt}" "$@" -- "${urls[@]}" <<'PY'
import statistics, sys, time, urllib.parse, urllib.request
args = sys.argv[1:]
rounds, queries = int(args[0]), args[1]
sep = args.index("--")
bins, urls = args[2:sep], [u.rstrip("/") for u in args[sep + 1:]]
qs = [l.strip() for l in open(queries, encoding="utf-8") if l.strip() and not l.startswith("#")]
t = {(u, q): [] for u in urls for q in qs}
for r in range(rounds):
    for q in qs:
        for u in urls if r % 2 == 0 else urls[::-1]:
            path = u + "/api/search?limit=10&q=" + urllib.parse.quote(q)
            t0 = time.perf_counter()
            urllib.request.urlopen(path).read()
            t[(u, q)].append((time.perf_counter() - t0) * 1000)
for i, b in enumerate(bins):
    print(f"[{i}] {b}")
print("  ".join(f"[{i}] min  median" for i in range(len(urls))), " query")
sums = [[0.0, 0.0] for _ in urls]
for q in qs:
    row = []
    for i, u in enumerate(urls):
        mn, md = min(t[(u, q)]), statistics.median(t[(u, q)])
        sums[i][0] += mn
        sums[i][1] += md
        row.append(f"{mn:8.2f} {md:7.2f}")
    print("  ".join(row), " ", q)
print("  ".join(f"{a:8.2f} {b:7.2f}" for a, b in sums), "  sum")
PY
