#!/usr/bin/env bash
# PDF extraction throughput: gongwen against Debian's pdftotext, same files.
#
#   scripts/bench-pdf.sh [N]      (N notices of the shared corpus, default 60)
#
# Makes N PDFs from shared-corpus notices with LibreOffice (under
# /tmp/gongwen-pdfbench, kept between runs), adds the PDFs of
# ../shared/realdocs that have a text layer, then times, file by file and
# alternating the two tools, `gongwen parse --json FILE` (extraction,
# layout and the notice reader) and `pdftotext FILE -` (extraction and
# layout). Prints pages, seconds and pages per second for both, and the
# ratio. Needs libreoffice-writer-nogui, fonts-noto-cjk, poppler-utils and a
# release build (cargo build --release).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-60}
bin=target/release/gongwen
work=/tmp/gongwen-pdfbench
corpus=../shared/corpus/notices
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 2; }
[ -d "$corpus" ] || { echo "skipped: $corpus is absent" >&2; exit 0; }
mkdir -p "$work/txt" "$work/pdf"
if [ "$(ls "$work/pdf" | wc -l)" -lt "$n" ]; then
  find "$corpus" -name '*.txt' | sort | awk -v n="$n" 'NR % 97 == 1 && c < n { print; c++ }' |
    while read -r f; do cp "$f" "$work/txt/"; done
  soffice --headless --convert-to pdf --outdir "$work/pdf" "$work"/txt/*.txt >/dev/null 2>&1
fi
for f in ../shared/realdocs/files/*.pdf; do
  [ -n "$(pdftotext "$f" - 2>/dev/null | tr -d '[:space:]' | head -c 20)" ] && cp "$f" "$work/pdf/"
done
python3 - "$bin" "$work/pdf" <<'PY'
import os, subprocess, sys, time
bin_, d = sys.argv[1], sys.argv[2]
files = sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".pdf"))
pages = 0
t_gw = t_pt = 0.0
for f in files:
    info = subprocess.run(["pdfinfo", f], capture_output=True, text=True).stdout
    pages += int(next(l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")))
    for _ in range(3):
        a = time.perf_counter()
        subprocess.run([bin_, "parse", "--json", f], capture_output=True)
        b = time.perf_counter()
        subprocess.run(["pdftotext", f, "-"], capture_output=True)
        c = time.perf_counter()
        t_gw += (b - a) / 3
        t_pt += (c - b) / 3
print(f"{len(files)} PDFs, {pages} pages")
print(f"gongwen parse: {t_gw:.2f} s, {pages / t_gw:.0f} pages/s")
print(f"pdftotext:     {t_pt:.2f} s, {pages / t_pt:.0f} pages/s")
print(f"ratio gongwen/pdftotext throughput: {t_pt / t_gw:.2f}")
PY
