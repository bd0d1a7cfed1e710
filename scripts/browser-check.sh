#!/usr/bin/env bash
# Drive a real headless Chromium through `gongwen serve` (issue 14): type a
# query, see highlighted results, click an agency facet, open a notice, check
# the matched section is shown, go Back. The checks are in
# scripts/browser_check.py (Chrome DevTools Protocol, Python standard library
# only).
#
#   scripts/browser-check.sh                 # the sample corpus, a fresh index
#   scripts/browser-check.sh --index DIR     # an existing index (e.g. the 7k corpus)
#   scripts/browser-check.sh --shots docs    # also write docs/search.png, docs/notice.png
#   scripts/browser-check.sh --query 差旅费
#
# Needs Debian's `chromium` (apt-get install chromium fonts-noto-cjk); without
# it the script says "skipped: chromium not installed" and exits 0. Uses
# target/debug/gongwen (built if missing) unless GONGWEN names a binary.
set -euo pipefail
cd "$(dirname "$0")/.."

index="" shots="" query="意识形态"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --index) index="$2"; shift 2 ;;
    --shots) shots="$2"; shift 2 ;;
    --query) query="$2"; shift 2 ;;
    *) echo "usage: $0 [--index DIR] [--shots DIR] [--query Q]" >&2; exit 2 ;;
  esac
done

browser=""
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then browser="$b"; break; fi
done
if [[ -z "$browser" ]]; then
  echo "skipped: chromium not installed (apt-get install chromium fonts-noto-cjk)"
  exit 0
fi

bin="${GONGWEN:-target/debug/gongwen}"
[[ -x "$bin" ]] || cargo build --locked
work="$(mktemp -d)"
server_pid="" browser_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
  [[ -n "$browser_pid" ]] && kill "$browser_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  # the browser's helpers may still be writing their profile for a moment
  rm -rf "$work" 2>/dev/null || { sleep 1; rm -rf "$work" 2>/dev/null || true; }
}
trap cleanup EXIT

if [[ -z "$index" ]]; then
  index="$work/index"
  "$bin" index --quiet --corpus corpus --index "$index" >/dev/null
fi

"$bin" serve --port 0 --index "$index" >"$work/url" 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 100); do [[ -s "$work/url" ]] && break; sleep 0.1; done
url="$(head -1 "$work/url")"
[[ -n "$url" ]] || { echo "gongwen serve did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }

"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
  --user-data-dir="$work/profile" --remote-debugging-port=0 about:blank \
  >"$work/browser.log" 2>&1 &
browser_pid=$!
for _ in $(seq 100); do [[ -s "$work/profile/DevToolsActivePort" ]] && break; sleep 0.1; done
port="$(head -1 "$work/profile/DevToolsActivePort" 2>/dev/null || true)"
[[ -n "$port" ]] || { echo "chromium did not start:" >&2; cat "$work/browser.log" >&2; exit 1; }

[[ -n "$shots" ]] && mkdir -p "$shots"
python3 scripts/browser_check.py --server "$url" --devtools "$port" --query "$query" \
  ${shots:+--shots "$shots"}
