#!/usr/bin/env bash
# Reproducible benchmark: gongwen against ripgrep and against raw jieba-rs, on
# the real corpus (~7k notices) and on scaled corpora built from it.
#
# usage: scripts/bench.sh [SIZES...]        e.g. scripts/bench.sh 7k 30k 100k
# needs: ../shared beside the checkout, python3, hyperfine, rg, /usr/bin/time
#        (apt-get install hyperfine ripgrep time)
# writes: a markdown table on stdout; work files under ${BENCH_DIR:-/tmp/gongwen-bench}
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=../shared
WORK=${BENCH_DIR:-/tmp/gongwen-bench}
SIZES=("${@:-7k}")
mkdir -p "$WORK"

cargo build --release --quiet
cargo build --release --quiet --example jieba_pass --example index_floor
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

echo "| corpus | notices | MB | index s | index MB/s | raw jieba MB/s (2 thr) | index/jieba | tantivy floor MB/s | index/floor | peak RSS MB | index MB | segments | add 1 s | gongwen query ms (median of medians) | rg -l ms | speed-up |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for size in "${SIZES[@]}"; do
  if [ "$size" = 7k ]; then
    corpus=$SHARED/corpus/notices
  else
    corpus=$WORK/corpus-$size
    [ -d "$corpus" ] || python3 "$SHARED/bench/make_scaled_corpus.py" "$SHARED/corpus/notices" "$size" "$corpus" >&2
  fi
  index=$WORK/index-$size
  notices=$(find "$corpus" -name '*.txt' | wc -l)
  mb=$(find "$corpus" -name '*.txt' -print0 | du -cb --files0-from=- | tail -1 | awk '{printf "%.1f", $1/1e6}')
  # cold-ish: drop nothing (no root cache control assumed); warm the files once
  cat $(find "$corpus" -name '*.txt' | head -2000) > /dev/null
  /usr/bin/time -v "$BIN" index --rebuild --quiet --json --corpus "$corpus" --index "$index" \
    > "$WORK/index-$size.json" 2> "$WORK/time-$size.txt"
  secs=$(python3 -c "import json; print(json.load(open('$WORK/index-$size.json'))['seconds'])")
  rss=$(awk '/Maximum resident/ {printf "%.0f", $6/1024}' "$WORK/time-$size.txt")
  isize=$(du -sb "$index" | awk '{printf "%.0f", $1/1e6}')
  segments=$(python3 -c "import json; print(len(json.load(open('$index/meta.json'))['segments']))")
  jieba=$("$JIEBA" "$corpus" 2 | sed 's/.*MB\/s=//')
  # tantivy alone with gongwen's two field families over the raw files
  floor=$("$FLOOR" "$corpus" both | sed 's/.*MB\/s=//')
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
  gmeds=(); rmeds=()
  for q in "${QUERIES[@]}"; do
    hyperfine -N --warmup 2 --runs 10 --export-json "$WORK/g.json" \
      "$BIN search --index $index --limit 10 -- $q" > /dev/null 2>&1 || true
    gmeds+=("$(median_ms "$WORK/g.json")")
    hyperfine --warmup 1 --runs 5 -i --export-json "$WORK/r.json" "$(rg_cmd "$q" "$corpus")" > /dev/null 2>&1 || true
    rmeds+=("$(median_ms "$WORK/r.json")")
    echo "$size	$q	gongwen ${gmeds[-1]} ms	rg ${rmeds[-1]} ms" >&2
  done
  gq=$(printf '%s\n' "${gmeds[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  rq=$(printf '%s\n' "${rmeds[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  python3 - "$size" "$notices" "$mb" "$secs" "$jieba" "$floor" "$rss" "$isize" "$segments" "$add_s" "$gq" "$rq" <<'PY'
import sys
size, n, mb, secs, jieba, floor, rss, isize, segs, add, gq, rq = sys.argv[1:]
mb, secs, jieba, floor, gq, rq, add = map(float, (mb, secs, jieba, floor, gq, rq, add))
rate = mb / secs
print(f"| {size} | {n} | {mb:.0f} | {secs:.1f} | {rate:.1f} | {jieba:.1f} | {100*rate/jieba:.1f} % | {floor:.1f} | {100*rate/floor:.0f} % | {rss} | {isize} | {segs} | {add:.2f} ({100*add/secs:.1f} %) | {gq:.1f} | {rq:.1f} | {rq/gq:.1f}x |")
PY
done
