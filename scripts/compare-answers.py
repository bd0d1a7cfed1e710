#!/usr/bin/env python3
"""Compare two gongwen builds' served answers: both serve INDEX, and every
request of a fixed set (the 20 benchmark queries and the dev queries, each
with several pages, page sizes, orders and facets) is asked of both; the
JSON objects must be equal, scores, counts and snippets included. Prints
each difference and a count; exits 1 if any. The guard every change to the
query path is checked with (a faster path must give the same answers).

usage: scripts/compare-answers.py INDEX OLD_BIN NEW_BIN
  scripts/compare-answers.py /tmp/gongwen-bench/index-100k /tmp/old/gongwen target/release/gongwen"""
import csv, json, os, subprocess, sys, tempfile, time, urllib.parse, urllib.request

if len(sys.argv) != 4:
    sys.exit(__doc__)
index, bins = sys.argv[1], sys.argv[2:]
here = os.path.dirname(os.path.abspath(__file__))
shared = os.path.join(here, '..', '..', 'shared')
queries = []
with open(os.path.join(shared, 'bench', 'queries.txt'), encoding='utf-8') as f:
    queries += [l.strip() for l in f if l.strip() and not l.startswith('#')]
with open(os.path.join(shared, 'eval', 'queries-dev.tsv'), encoding='utf-8') as f:
    queries += [r['query'] for r in csv.DictReader(f, delimiter='\t') if r.get('query')]
pages = ['limit=10', 'limit=20&offset=20', 'limit=50', 'limit=100', 'limit=10&offset=190',
         'limit=10&sort=date', 'limit=10&count_by=agency,year']

servers, urls = [], []
tmp = tempfile.mkdtemp()
try:
    for i, b in enumerate(bins):
        out = open(os.path.join(tmp, f'url{i}'), 'w+')
        servers.append(subprocess.Popen([b, 'serve', '--port', '0', '--index', index],
                                        stdout=out, stderr=subprocess.DEVNULL))
        for _ in range(600):
            out.seek(0)
            line = out.readline().strip()
            if line:
                urls.append(line.rstrip('/'))
                break
            time.sleep(0.1)
        else:
            sys.exit(f'{b} did not start')
    diffs = asked = 0
    for q in queries:
        for p in pages:
            path = f'/api/search?q={urllib.parse.quote(q)}&{p}'
            got = []
            for u in urls:
                try:
                    with urllib.request.urlopen(u + path, timeout=120) as r:
                        got.append(json.load(r))
                except urllib.error.HTTPError as e:
                    got.append({'status': e.code, 'body': e.read().decode('utf-8', 'replace')})
            asked += 1
            if got[0] != got[1]:
                diffs += 1
                a, b = got
                keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
                print(f'DIFF {q!r} {p}: {", ".join(keys)}')
    print(f'{asked} requests, {diffs} differ')
    sys.exit(1 if diffs else 0)
finally:
    for s in servers:
        s.kill()
