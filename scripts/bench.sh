#!/usr/bin/env bash
# Reproducible benchmark: gongwen against ripgrep and against raw jieba-rs, on
# the real corpus (~7k notices) and on scaled corpora built from it.
#
# usage: scripts/bench.sh [SIZES...]        e.g. scripts/bench.sh 7k 30k 100k
#        BENCH_BASELINES=0 scripts/bench.sh 1m  the ceiling run (issue 16)
# needs: ../shared beside the checkout, python3, hyperfine, rg, /usr/bin/time
#        (apt-get install hyperfine ripgrep time)
# writes: a markdown table on stdout; work files under ${BENCH_DIR:-/tmp/gongwen-bench}
#
# Environment:
#   BENCH_BASELINES=0  skip the yardsticks (raw jieba pass, tantivy floor,
#                      rg -l per query): at 1M notices (13 GB) they take hours;
#                      their columns read "—"
#   BENCH_EXPORT=1     also time `gongwen export --format es-bulk` over the
#                      index (to a pipe: its size is counted, not stored) and
#                      `--format es-template`; peak RSS by /usr/bin/time
#   BENCH_EXPORT_MB=N  stop the es-bulk export after its first N MB (the
#                      rate and memory of a part; 1M notices export ~50 GB)
#   BENCH_RSS_EVERY=N  sample the indexer's memory every N seconds into
#                      $BENCH_DIR/rss-SIZE.tsv (VmRSS, RssAnon, RssFile MB)
#   BENCH_REUSE=1      keep an index this script built before (its time and
#                      memory read from $BENCH_DIR/index-SIZE.json and
#                      time-SIZE.txt) and go on from there: a resumed run
#   BENCH_NICE=N       run the long steps (index, export, corpus) under
#                      `nice -n N` on a shared machine; the timed queries run
#                      at the caller's priority (a niced query measures the
#                      scheduler, not the search)
# Scaled corpora (anything but 7k) are written by
# ../shared/bench/make_scaled_corpus.py (1M notices take it hours).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=../shared
WORK=${BENCH_DIR:-/tmp/gongwen-bench}
SIZES=("${@:-7k}")
BASELINES=${BENCH_BASELINES:-1}
EXPORT=${BENCH_EXPORT:-0}
RSS_EVERY=${BENCH_RSS_EVERY:-0}
EXPORT_MB=${BENCH_EXPORT_MB:-0}
REUSE=${BENCH_REUSE:-0}
NICE=(nice -n "${BENCH_NICE:-0}")
mkdir -p "$WORK"
need=(hyperfine /usr/bin/time); [ "$BASELINES" = 0 ] || need+=(rg)
for t in "${need[@]}"; do
  command -v "$t" > /dev/null || { echo "$t is not installed (apt-get install hyperfine ripgrep time)" >&2; exit 2; }
done

cargo build --release --quiet
[ "$BASELINES" = 0 ] || cargo build --release --quiet --example jieba_pass --example index_floor
BIN=$PWD/target/release/gongwen
JIEBA=$PWD/target/release/examples/jieba_pass
FLOOR=$PWD/target/release/examples/index_floor
mapfile -t QUERIES < <(grep -v '^#' "$SHARED/bench/queries.txt" | grep -v '^[[:space:]]*$')

# rg equivalent of a query: every whitespace-separated term (or "phrase") must
# occur in the file; chained `rg -l -F`.
rg_cmd() {
  local q=$1 dir=$2 cmd="" first=1
  eval "set -- $q"
  for t in "$@"; do
    if [ $first = 1 ]; then cmd="rg -l -F -- '$t' '$dir'"; first=0
    else cmd="$cmd | xargs -d '\n' -r rg -l -F -- '$t'"; fi
  done
  echo "$cmd"
}

median_ms() { # hyperfine JSON -> median in ms
  python3 -c "import json,sys; print('%.1f' % (json.load(open(sys.argv[1]))['results'][0]['median']*1000))" "$1"
}

cpu_ms() { # hyperfine JSON -> mean user + system CPU time in ms (less moved by a busy machine than wall time)
  python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print('%.1f' % ((r['user']+r['system'])*1000))" "$1"
}

# nearest-rank percentile P of the numbers on stdin (p50 of 20 = the 10th, p95 = the 19th)
percentile() {
  sort -n | awk -v p="$1" '{a[NR]=$1} END {k=int((p*NR+99)/100); if (k<1) k=1; print a[k]}'
}

load1() { cut -d' ' -f1 /proc/loadavg; }

# every $RSS_EVERY s while process $1 runs: elapsed s, VmRSS, RssAnon, RssFile (MB)
sample_rss() {
  local pid=$1 out=$2 t=0
  printf 's\tVmRSS\tRssAnon\tRssFile\n' > "$out"
  while kill -0 "$pid" 2>/dev/null; do
    awk -v t="$t" '/^VmRSS/ {r=$2} /^RssAnon/ {a=$2} /^RssFile/ {f=$2}
      END {if (r) printf "%d\t%.0f\t%.0f\t%.0f\n", t, r/1024, a/1024, f/1024}' "/proc/$pid/status" >> "$out" 2>/dev/null || true
    sleep "$RSS_EVERY"; t=$((t + RSS_EVERY))
  done
}

echo "| corpus | notices | MB | index s | index MB/s | raw jieba MB/s (2 thr) | index/jieba | tantivy floor MB/s | index/floor | peak RSS MB | index MB | segments | add 1 s | gongwen query ms (median of medians) | query p95 ms | query CPU ms p50 / p95 | rg -l ms | speed-up | load (index; queries) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for size in "${SIZES[@]}"; do
  if [ "$size" = 7k ]; then
    corpus=$SHARED/corpus/notices
  else
    corpus=$WORK/corpus-$size
    [ -d "$corpus" ] || "${NICE[@]}" python3 "$SHARED/bench/make_scaled_corpus.py" "$SHARED/corpus/notices" "$size" "$corpus" >&2
  fi
  index=$WORK/index-$size
  notices=$(find "$corpus" -name '*.txt' | wc -l)
  mb=$(find "$corpus" -name '*.txt' -print0 | du -cb --files0-from=- | tail -1 | awk '{printf "%.1f", $1/1e6}')
  if [ "$REUSE" = 1 ] && [ -s "$WORK/index-$size.json" ] && [ -s "$WORK/time-$size.txt" ]; then
    load_index=$(cat "$WORK/load-$size.txt" 2>/dev/null || echo "?")
  else
    # cold-ish: drop nothing (no root cache control assumed); warm the files once
    cat $(find "$corpus" -name '*.txt' | head -2000) > /dev/null
    load_index=$(load1)
    echo "$load_index" > "$WORK/load-$size.txt"
    "${NICE[@]}" /usr/bin/time -v "$BIN" index --rebuild --quiet --json --corpus "$corpus" --index "$index" \
      > "$WORK/index-$size.json" 2> "$WORK/time-$size.txt" &
    timer=$!
    if [ "$RSS_EVERY" != 0 ]; then
      sleep 1
      # the indexer is time's child (nice execs time)
      sample_rss "$(pgrep -P "$timer" | head -1)" "$WORK/rss-$size.tsv" &
    fi
    wait "$timer"
  fi
  secs=$(python3 -c "import json; print(json.load(open('$WORK/index-$size.json'))['seconds'])")
  rss=$(awk '/Maximum resident/ {printf "%.0f", $6/1024}' "$WORK/time-$size.txt")
  isize=$(du -sb "$index" | awk '{printf "%.0f", $1/1e6}')
  segments=$(python3 -c "import json; print(len(json.load(open('$index/meta.json'))['segments']))")
  jieba=nan floor=nan
  if [ "$BASELINES" != 0 ]; then
    jieba=$("$JIEBA" "$corpus" 2 | sed 's/.*MB\/s=//')
    # tantivy alone with gongwen's two field families over the raw files
    floor=$("$FLOOR" "$corpus" both | sed 's/.*MB\/s=//')
  fi
  # incremental: add one new notice, then index
  extra=$WORK/extra-$size.txt
  { echo "基准测试追加通知$(date +%s%N)"; echo "发布时间：2026-01-01"; echo; sed -n '1,40p' "$SHARED/corpus/notices/seeds/000_4f4fae3bed152b1a.txt"; } > "$extra"
  addcorpus=$corpus
  if [ "$size" = 7k ]; then  # never write into ../shared: use a copy
    addcorpus=$WORK/corpus-7k-copy
    [ -d "$addcorpus" ] || cp -r "$corpus" "$addcorpus"
    "$BIN" index --quiet --corpus "$addcorpus" --index "$WORK/index-7k-copy" > /dev/null
    addindex=$WORK/index-7k-copy
  else
    addindex=$index
  fi
  cp "$extra" "$addcorpus/bench-extra.txt"
  add_s=$("$BIN" index --quiet --json --corpus "$addcorpus" --index "$addindex" | python3 -c "import json,sys; print(json.load(sys.stdin)['seconds'])")
  rm -f "$addcorpus/bench-extra.txt"
  "$BIN" index --quiet --corpus "$addcorpus" --index "$addindex" > /dev/null
  # queries
  gmeds=(); rmeds=(); gcpus=()
  load_queries=$(load1)
  for q in "${QUERIES[@]}"; do
    hyperfine -N --warmup 2 --runs 10 --export-json "$WORK/g.json" \
      "$BIN search --index $index --limit 10 -- $q" > /dev/null 2>&1 || true
    gmeds+=("$(median_ms "$WORK/g.json")")
    gcpus+=("$(cpu_ms "$WORK/g.json")")
    if [ "$BASELINES" != 0 ]; then
      hyperfine --warmup 1 --runs 5 -i --export-json "$WORK/r.json" "$(rg_cmd "$q" "$corpus")" > /dev/null 2>&1 || true
      rmeds+=("$(median_ms "$WORK/r.json")")
    else
      rmeds+=(nan)
    fi
    echo "$size	$q	gongwen ${gmeds[-1]} ms (CPU ${gcpus[-1]} ms)	rg ${rmeds[-1]} ms" >&2
  done
  gq=$(printf '%s\n' "${gmeds[@]}" | percentile 50)
  gq95=$(printf '%s\n' "${gmeds[@]}" | percentile 95)
  gc=$(printf '%s\n' "${gcpus[@]}" | percentile 50)
  gc95=$(printf '%s\n' "${gcpus[@]}" | percentile 95)
  rq=nan
  [ "$BASELINES" = 0 ] || rq=$(printf '%s\n' "${rmeds[@]}" | percentile 50)
  python3 - "$size" "$notices" "$mb" "$secs" "$jieba" "$floor" "$rss" "$isize" "$segments" "$add_s" "$gq" "$gq95" "$gc" "$gc95" "$rq" "$load_index" "$load_queries" <<'PY'
import math, sys
size, n, mb, secs, jieba, floor, rss, isize, segs, add, gq, gq95, gc, gc95, rq, li, lq = sys.argv[1:]
mb, secs, jieba, floor, gq, gq95, gc, gc95, rq, add = map(float, (mb, secs, jieba, floor, gq, gq95, gc, gc95, rq, add))
rate = mb / secs
def f(x, fmt):  # a skipped baseline (BENCH_BASELINES=0) prints as a dash
    return "—" if math.isnan(x) else fmt.format(x)
print(f"| {size} | {n} | {mb:.0f} | {secs:.1f} | {rate:.1f} | {f(jieba, '{:.1f}')} | {f(100*rate/jieba, '{:.1f} %')} "
      f"| {f(floor, '{:.1f}')} | {f(100*rate/floor, '{:.0f} %')} | {rss} | {isize} | {segs} | {add:.2f} ({100*add/secs:.1f} %) "
      f"| {gq:.1f} | {gq95:.1f} | {gc:.1f} / {gc95:.1f} | {f(rq, '{:.1f}')} | {f(rq/gq, '{:.1f}x')} | {li}; {lq} |")
PY
  if [ "$EXPORT" = 1 ]; then
    # the bulk body through a pipe: at 1M notices it is ~4x the corpus, more than the disk holds
    load_export=$(load1)
    cap=(cat); [ "$EXPORT_MB" = 0 ] || cap=(head -c "${EXPORT_MB}000000")
    # a closed pipe ends the export without an error
    bytes=$("${NICE[@]}" /usr/bin/time -v -o "$WORK/time-export-$size.txt" "$BIN" export --format es-bulk --index "$index" -q | "${cap[@]}" | wc -c)
    /usr/bin/time -v -o "$WORK/time-template-$size.txt" "$BIN" export --format es-template --index "$index" -q > /dev/null
    for kind in export template; do
      awk -v kind="$kind" -v size="$size" -v bytes="$bytes" -v load="$load_export" '
        /Elapsed \(wall clock\)/ {w=$NF} /Maximum resident/ {r=$6/1024}
        END {printf "%s es-%s: %s wall, peak RSS %.0f MB%s, load %s\n", size, (kind=="export" ? "bulk" : "template"), w, r,
             (kind=="export" ? sprintf(", %.0f MB written", bytes/1e6) : ""), load}' "$WORK/time-$kind-$size.txt" >&2
    done
  fi
done
