#!/usr/bin/env bash
# Run every gongwen fuzz target in turn for SECONDS each (default 600), on
# stable Rust: RUSTC_BOOTSTRAP=1 lets stable rustc accept the -Z flags that
# cargo-fuzz passes (sanitizer, coverage instrumentation). See ../FUZZING.md.
#
#   fuzz/run.sh [SECONDS] [TARGET...]
#
# Logs go to fuzz/logs/<target>.log; inputs that crash to
# fuzz/artifacts/<target>/; the growing corpus to fuzz/corpus/<target>/
# (seeded from the sample notices, the test fixtures and fuzz/seeds/).
# Inputs are capped at 4 KiB: longer ones mostly repeat what shorter ones
# reach, and a 15 KB notice through jieba runs 5x slower.
set -uo pipefail
cd "$(dirname "$0")"
secs="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(notice_text notice_html notice_records query index_open notice_html_deep notice_pdf document_docx document_ofd document_doc)
root="$(cd .. && pwd)"
export RUSTC_BOOTSTRAP=1
mkdir -p logs
RUSTC_BOOTSTRAP=1 cargo fuzz build || exit 2
# notice_html_deep checks parse time per MB: it runs without AddressSanitizer
# (which would slow it further, and it finds no memory errors in safe code),
# in a target folder of its own so the ASan build of the others stays.
nosan=(-s none --target-dir "$PWD/target-nosan")
for t in "${targets[@]}"; do
    case "$t" in
        notice_text) seeds=("$root/corpus") ;;
        notice_html | notice_records) seeds=("$root/tests/fixtures") ;;
        notice_pdf) seeds=("$root/tests/fixtures/docs") ;;
        query) seeds=("$PWD/seeds/query") ;;
        index_open) seeds=("$PWD/seeds/index_open") ;;
        notice_html_deep) seeds=("$root/tests/fixtures") ;;
        document_docx | document_ofd | document_doc) seeds=("$PWD/seeds/$t") ;;
        *) echo "unknown target $t" >&2; exit 2 ;;
    esac
    mkdir -p "corpus/$t"
    echo "== $t: ${secs} s ($(date -u +%FT%TZ))"
    flags=()
    timeout=10
    maxlen=4096
    # a document's parts are larger than a notice: the DOC seed is 14 KB
    [[ "$t" == document_* ]] && maxlen=65536
    # its pages are up to 1.5 MB and the instrumented build runs them 8-15x
    # slower than a release gongwen: 30 s still catches a blow-up
    [ "$t" = notice_html_deep ] && flags=("${nosan[@]}") && timeout=30
    cargo fuzz run "${flags[@]}" "$t" "$PWD/corpus/$t" "${seeds[@]}" -- \
        -max_total_time="$secs" -timeout="$timeout" -max_len="$maxlen" -print_final_stats=1 -report_slow_units=3 \
        >"logs/$t.log" 2>&1
    echo "   exit $? — $(grep -E '^(Done|stat::number_of_executed_units)' "logs/$t.log" | tr '\n' ' ')"
    ls "artifacts/$t" 2>/dev/null | sed 's/^/   artifact: /'
done
