#!/usr/bin/env bash
# Load test of `gongwen serve` (issue 14): 16 concurrent clients cycle through
# the 20 benchmark queries (../shared/bench/queries.txt) against
# /api/search, with wrk (apt-get install wrk); reports throughput, latency
# percentiles, errors, and the server's memory before and after.
#
#   scripts/load-serve.sh INDEX [SECONDS] [CLIENTS]
#   scripts/load-serve.sh /tmp/serve-7k            # 60 s, 16 clients
#   scripts/load-serve.sh /tmp/gongwen-bench/index-100k 600   # a 10-minute run
#
# PAGE=1 loads the HTML search page (/?q=…) instead of the API. Uses
# target/release/gongwen unless GONGWEN names a binary; build an index with
#   target/release/gongwen index --quiet --corpus ../shared/corpus/notices --index /tmp/serve-7k
set -euo pipefail
cd "$(dirname "$0")/.."

index="${1:?usage: $0 INDEX [SECONDS] [CLIENTS]}"
seconds="${2:-60}"
clients="${3:-16}"
bin="${GONGWEN:-target/release/gongwen}"
queries="${QUERIES:-../shared/bench/queries.txt}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
[[ -x "$bin" ]] || { echo "no $bin: cargo build --release" >&2; exit 2; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# the queries as request paths, in a wrk script that cycles through them
route="/api/search?limit=10&q="
[[ "${PAGE:-}" == 1 ]] && route="/?q="
python3 - "$queries" "$route" >"$work/paths.lua" <<'EOF'
import sys, urllib.parse
lines = [l.strip() for l in open(sys.argv[1], encoding="utf-8")]
qs = [l for l in lines if l and not l.startswith("#")]
print("paths = {")
for q in qs:
    print('  "%s",' % (sys.argv[2] + urllib.parse.quote(q, safe="")))
print("}")
EOF
cat >>"$work/paths.lua" <<'EOF'
local n = 0
setup = function(thread) n = n + 1; thread:set("start", n * 7) end
init = function(args) i = start end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
EOF
count=$(grep -c '^  "' "$work/paths.lua")

"$bin" serve --port 0 --index "$index" >"$work/url" 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 300); do [[ -s "$work/url" ]] && break; sleep 0.1; done
url="$(head -1 "$work/url")"
[[ -n "$url" ]] || { cat "$work/serve.log" >&2; exit 1; }
url="${url%/}"
rss() { awk '/VmRSS/ {print $2}' "/proc/$server_pid/status"; }

# every query once (warms the caches), checking each answers 200
while read -r p; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$url$p")
  [[ "$code" == 200 ]] || { echo "warm-up: $p answered $code" >&2; exit 1; }
done < <(sed -n 's/^  "\(.*\)",$/\1/p' "$work/paths.lua")
rss_start=$(rss)
# the server's CPU time (user + system, clock ticks; the system part
# alone; page faults) and the machine's idle ticks (all cores), to tell a
# saturated server from one leaving cores idle
cpu_ticks() { awk '{print $14 + $15, $15, $10}' "/proc/$server_pid/stat"; }
idle_ticks() { awk '/^cpu / {print $5, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
read -r cpu_start sys_start faults_start < <(cpu_ticks)
read -r idle_start all_start < <(idle_ticks)

echo "gongwen serve over $index: $count queries, $clients clients, ${seconds}s ($(nproc) cores)"
# the server's memory every 30 s of the run
( while sleep 30; do echo $(( $(rss) / 1024 )); done ) >"$work/rss" 2>/dev/null &
sampler=$!
threads=$(( clients < 2 ? clients : 2 ))
wrk -t"$threads" -c"$clients" -d"${seconds}s" --latency --timeout 10s -s "$work/paths.lua" "$url" | tee "$work/wrk.txt"
kill "$sampler" 2>/dev/null || true
rss_end=$(rss)
read -r cpu_end sys_end faults_end < <(cpu_ticks)
read -r idle_end all_end < <(idle_ticks)
requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
hz=$(getconf CLK_TCK)
python3 - "$cpu_start" "$cpu_end" "$idle_start" "$idle_end" "$all_start" "$all_end" "${requests:-0}" "$hz" \
  "$sys_start" "$sys_end" "$faults_start" "$faults_end" <<'PY'
import sys
c0, c1, i0, i1, a0, a1, n, hz, s0, s1, f0, f1 = map(int, sys.argv[1:])
cpu = (c1 - c0) / hz
per = ""
if n:
    per = (f", {cpu * 1000 / n:.2f} ms a request ({(s1 - s0) / hz * 1000 / n:.2f} ms system,"
           f" {(f1 - f0) / n:.1f} page faults)")
idle = (i1 - i0) / max(1, a1 - a0) * 100
print(f"server CPU: {cpu:.1f} s{per}; cores idle {idle:.1f} % of the run")
PY
echo "server memory (RSS): $((rss_start / 1024)) MiB after warm-up, $((rss_end / 1024)) MiB after the run"
if [[ -s "$work/rss" ]]; then
  echo "  every 30 s (MiB): $(tr '\n' ' ' <"$work/rss")"
fi
if grep -q "Non-2xx\|Socket errors" "$work/wrk.txt"; then
  echo "ERRORS during the run" >&2
  exit 1
fi
echo "errors: 0"
