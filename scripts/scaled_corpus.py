#!/usr/bin/env python3
"""(scripts/scaled_corpus.py: ../shared/bench/make_scaled_corpus.py with its
per-notice list building replaced by views, for the 1M corpus: the same
files byte for byte, the same MANIFEST.tsv and SCALED_INFO.json, in minutes
instead of hours. Check: `scripts/bench-ceiling.sh` documents the comparison.)

Write a corpus of N notices (.txt) derived from a folder of real notices.

usage: make_scaled_corpus.py SRC_DIR N OUT_DIR [--seed S] [--force] [--record FILE.md]
       N: integer or with suffix k/m (1k, 10k, 100k, 2.5k)

What it does (deterministic for a given SRC, N and --seed):

* Reads every *.txt under SRC_DIR (recursively). A notice's SOURCE is the first
  path component below SRC_DIR (e.g. notices/ccdi-gov-cn/x.txt -> ccdi-gov-cn);
  files directly in SRC_DIR form the source "_root". Paragraph = non-empty line.
* Round 0 writes the real notices verbatim, in a seeded random order; if
  N <= number of real notices, the output is simply a random sample of them.
* Round r >= 1 writes variant r of every real notice (again in a seeded order)
  until N files exist. A variant is built from its base notice by:
  1. Paragraph permutation within the source: the header (the first 2
     paragraphs, extended to the last metadata line such as 来源：/发布时间：
     among the first 8) and, when >= 6 paragraphs follow it, the last paragraph
     (signature / date) stay in place; the line layout (blank lines) of the
     base notice is kept; every other ("body") paragraph is, with probability
     0.3, replaced by a body paragraph of ANOTHER notice of the SAME source
     (uniformly chosen); then two body paragraphs (if >= 3) swap places.
  2. Dates: every Gregorian date written YYYY年M月D日, YYYY-MM-DD, YYYY/M/D or
     YYYY.M.D anywhere in the text is moved forward by 7*r days, keeping its
     written form (zero padding as in the original); invalid dates are left.
  3. Agency lines: within the first 4 / last 4 paragraphs, (a) metadata lines
     "来源|发布机构|发文机关|发文单位|发布单位|信息来源|文章来源：VALUE" get the VALUE
     of such a line from another notice of the same source, and (b) short lines
     (<= 40 chars, no 。，,；;：:？?！!) ending in an agency suffix (党组, 党委,
     委员会, 人民政府, 办公室, 办公厅, 纪委, 监委, 局, 厅, 中心, 委, 院, 部, 会 ...)
     are replaced by such a line from another notice of the same source
     (pool order rotated by r). Nothing happens when the source has no other value.
  A variant whose text (sha1) equals an already written file is redrawn (up to
  8 tries); if still a duplicate, that base is skipped for this round.
* Output: OUT_DIR/<source>/r<round>_<original-stem>.txt, OUT_DIR/MANIFEST.tsv
  (file, base_file, source, round, paragraphs_swapped_in, date_shift_days,
  agency_lines_replaced) and OUT_DIR/SCALED_INFO.json (files, bytes, MB, ...).
  Prints "<N> files, <MB> MB" and, with --record, appends a markdown row.
"""
import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import shutil
import sys

AGENCY_SUFFIX = re.compile(
    r"(党组|党委|党工委|委员会|人民政府|政府|办公室|办公厅|纪委|监委|纪工委|局|厅|中心|委|院|部|会|署|处|所|站|办)$")
SENT_PUNCT = re.compile(r"[。，,；;：:？?！!]")
HEADER_META = re.compile(
    r"^(来源|发布机构|发文机关|发文单位|发布单位|信息来源|文章来源|发布时间|发布日期|成文日期|日期|时间|作者|编辑|"
    r"责任编辑|原文链接|字号|索引号|文号|发文字号|主题分类|主题词)\s*[：:]")
META = re.compile(r"^(来源|发布机构|发文机关|发文单位|发布单位|信息来源|文章来源)([：:]\s*)(.+)$")
DATE_PATTERNS = [
    re.compile(r"(?<!\d)(\d{4})(年)(\d{1,2})(月)(\d{1,2})(日)"),
    re.compile(r"(?<!\d)(\d{4})(-)(\d{1,2})(-)(\d{1,2})()(?!\d)"),
    re.compile(r"(?<!\d)(\d{4})(/)(\d{1,2})(/)(\d{1,2})()(?!\d)"),
    re.compile(r"(?<!\d)(\d{4})(\.)(\d{1,2})(\.)(\d{1,2})()(?!\d)"),
]


def parse_n(s):
    s = s.strip().lower()
    mult = 1
    if s.endswith("k"):
        mult, s = 1000, s[:-1]
    elif s.endswith("m"):
        mult, s = 1000000, s[:-1]
    return int(round(float(s) * mult))


def shift_dates(text, days):
    if days == 0:
        return text

    def rep(m):
        y, s1, mo, s2, d, s3 = m.groups()
        try:
            nd = dt.date(int(y), int(mo), int(d)) + dt.timedelta(days=days)
        except ValueError:
            return m.group(0)
        fm = f"{nd.month:02d}" if len(mo) == 2 else str(nd.month)
        fd = f"{nd.day:02d}" if len(d) == 2 else str(nd.day)
        return f"{nd.year}{s1}{fm}{s2}{fd}{s3}"

    for pat in DATE_PATTERNS:
        text = pat.sub(rep, text)
    return text


def is_agency_line(line):
    return len(line) <= 40 and not SENT_PUNCT.search(line) and AGENCY_SUFFIX.search(line) is not None


class Notice:
    __slots__ = ("rel", "source", "lines", "pidx", "paras", "head", "tail")

    def __init__(self, rel, source, text):
        self.rel = rel
        self.source = source
        self.lines = text.split("\n")          # original layout, kept as is
        self.pidx = [k for k, l in enumerate(self.lines) if l.strip()]
        self.paras = [self.lines[k] for k in self.pidx]
        n = len(self.paras)
        head = min(2, n)
        for k in range(min(8, n)):               # header metadata lines stay in place
            if HEADER_META.match(self.paras[k].strip()):
                head = max(head, k + 1)
        self.head = head
        self.tail = 1 if n - head >= 6 else 0

    def body_range(self):
        return range(self.head, len(self.paras) - self.tail)

    def render(self, paras):
        lines = list(self.lines)
        for k, p in zip(self.pidx, paras):
            lines[k] = p
        return "\n".join(lines)


class Without:
    """A list seen without one value (the lists here hold each value once):
    what `[v for v in xs if v != x]` would build, as random.choice and
    indexing see it, without building it."""
    __slots__ = ("xs", "cut")

    def __init__(self, xs, x):
        self.xs = xs
        try:
            self.cut = xs.index(x)
        except ValueError:
            self.cut = len(xs)

    def __len__(self):
        return len(self.xs) - (self.cut < len(self.xs))

    def __getitem__(self, k):
        return self.xs[k if k < self.cut else k + 1]

    def __bool__(self):
        return len(self) > 0


def load(src):
    notices = []
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for f in sorted(files):
            if not f.endswith(".txt"):
                continue
            p = os.path.join(root, f)
            rel = os.path.relpath(p, src)
            parts = rel.split(os.sep)
            source = parts[0] if len(parts) > 1 else "_root"
            with open(p, encoding="utf-8", errors="replace") as fh:
                notices.append(Notice(rel, source, fh.read()))
    return notices


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src")
    ap.add_argument("n")
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--force", action="store_true", help="delete OUT_DIR first if it exists")
    ap.add_argument("--record", help="append a markdown table row with the size to this file")
    a = ap.parse_args()
    n_target = parse_n(a.n)
    if os.path.exists(a.out):
        if not a.force:
            sys.exit(f"{a.out} exists (use --force)")
        shutil.rmtree(a.out)
    notices = load(a.src)
    if not notices:
        sys.exit(f"no .txt files under {a.src}")
    rng = random.Random(a.seed)

    by_source = {}
    for i, nt in enumerate(notices):
        by_source.setdefault(nt.source, []).append(i)
    # pools of agency lines / metadata values per source (deduplicated, stable order)
    agency_pool, meta_pool = {}, {}
    for src, idxs in by_source.items():
        ag, me = [], []
        for i in idxs:
            nt = notices[i]
            k = len(nt.paras)
            for j in list(range(min(4, k))) + list(range(max(4, k - 4), k)):
                line = nt.paras[j].strip()
                m = META.match(line)
                if m:
                    me.append(m.group(3))
                elif is_agency_line(line):
                    ag.append(line)
        agency_pool[src] = list(dict.fromkeys(ag))
        meta_pool[src] = list(dict.fromkeys(me))

    # notices with a body, per source, for `others` (a view without notice i)
    eligible = {s: [j for j in idxs if len(notices[j].body_range()) > 0] for s, idxs in by_source.items()}

    def variant(i, r, rr):
        nt = notices[i]
        paras = list(nt.paras)
        body = list(nt.body_range())
        others = Without(eligible[nt.source], i)
        swapped = 0
        if others:
            for k in body:
                if rr.random() < 0.3:
                    o = notices[rr.choice(others)]
                    paras[k] = o.paras[rr.choice(o.body_range())]
                    swapped += 1
        if len(body) >= 3:
            x, y = rr.sample(body, 2)
            paras[x], paras[y] = paras[y], paras[x]
        replaced = 0
        k = len(paras)
        for j in sorted(set(list(range(min(4, k))) + list(range(max(0, k - 4), k)))):
            line = paras[j].strip()
            m = META.match(line)
            if m:
                pool = Without(meta_pool[nt.source], m.group(3))
                if pool:
                    paras[j] = m.group(1) + m.group(2) + pool[(r + rr.randrange(len(pool))) % len(pool)]
                    replaced += 1
            elif is_agency_line(line):
                pool = Without(agency_pool[nt.source], line)
                if pool:
                    paras[j] = pool[(r + rr.randrange(len(pool))) % len(pool)]
                    replaced += 1
        text = shift_dates(nt.render(paras), 7 * r)
        return text, swapped, replaced

    os.makedirs(a.out)
    seen = set()
    rows = []
    total_bytes = 0
    skipped = 0
    r = 0
    written = 0
    while written < n_target:
        order = list(range(len(notices)))
        rng.shuffle(order)
        progress = False
        for i in order:
            if written >= n_target:
                break
            nt = notices[i]
            if r == 0:
                with open(os.path.join(a.src, nt.rel), encoding="utf-8", errors="replace") as fh:
                    text = fh.read()
                swapped = replaced = 0
                h = hashlib.sha1(text.encode()).digest()
                if h in seen:
                    skipped += 1
                    continue
            else:
                for attempt in range(8):
                    rr = random.Random(f"{a.seed}:{r}:{i}:{attempt}")
                    text, swapped, replaced = variant(i, r, rr)
                    h = hashlib.sha1(text.encode()).digest()
                    if h not in seen:
                        break
                else:
                    skipped += 1
                    continue
            seen.add(h)
            stem = os.path.splitext(os.path.basename(nt.rel))[0]
            rel = os.path.join(nt.source, f"r{r:03d}_{stem}.txt")
            os.makedirs(os.path.join(a.out, nt.source), exist_ok=True)
            data = text.encode("utf-8")
            with open(os.path.join(a.out, rel), "wb") as fh:
                fh.write(data)
            total_bytes += len(data)
            rows.append((rel, nt.rel, nt.source, r, swapped, 7 * r, replaced))
            written += 1
            progress = True
        r += 1
        if not progress and r > 1:
            sys.exit(f"cannot produce more distinct notices (stopped at {written})")
    with open(os.path.join(a.out, "MANIFEST.tsv"), "w", encoding="utf-8") as fh:
        fh.write("file\tbase_file\tsource\tround\tparagraphs_swapped_in\tdate_shift_days\tagency_lines_replaced\n")
        for row in rows:
            fh.write("\t".join(map(str, row)) + "\n")
    info = {
        "src": os.path.abspath(a.src), "n_requested": n_target, "files": written,
        "real_notices": len(notices), "sources": len(by_source), "rounds": r,
        "bytes": total_bytes, "MB": round(total_bytes / 1e6, 2), "seed": a.seed,
        "duplicates_skipped": skipped,
    }
    with open(os.path.join(a.out, "SCALED_INFO.json"), "w") as fh:
        json.dump(info, fh, indent=1)
    print(f"{written} files, {total_bytes / 1e6:.2f} MB ({total_bytes} bytes) from {len(notices)} real notices "
          f"in {len(by_source)} sources, {r} round(s), {skipped} duplicate draws skipped -> {a.out}")
    if a.record:
        new = not os.path.exists(a.record)
        with open(a.record, "a", encoding="utf-8") as fh:
            if new:
                fh.write("| corpus | files | MB | real notices | sources | rounds | seed |\n|---|---|---|---|---|---|---|\n")
            fh.write(f"| {os.path.basename(os.path.normpath(a.out))} | {written} | {total_bytes / 1e6:.2f} | "
                     f"{len(notices)} | {len(by_source)} | {r} | {a.seed} |\n")


if __name__ == "__main__":
    main()
