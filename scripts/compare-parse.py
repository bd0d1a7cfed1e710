#!/usr/bin/env python3
"""Compare two gongwen builds' `parse --json` over a seeded sample of the shared corpus:
title, agency, date and heading lists; prints each change and a count.

usage: scripts/compare-parse.py OLD_BIN NEW_BIN N [CORPUS]   (CORPUS: ../shared/corpus)"""
import json, os, random, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
old, new, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
root = sys.argv[4] if len(sys.argv) > 4 else os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'corpus')
if not os.path.isdir(root):
    sys.exit(f'no corpus at {root}')
files = []
for d, _, fs in os.walk(root):
    files += [os.path.join(d, f) for f in fs if f.endswith('.txt') and f != 'README.txt']
files.sort()
random.Random(7).shuffle(files)
files = files[:n]
def heads(hs, dep=0):
    out = []
    for h in hs or []:
        out.append(('  ' * dep) + str(h.get('text')))
        out += heads(h.get('children'), dep + 1)
    return out
def run(b, f):
    p = subprocess.run([b, 'parse', '--json', f], capture_output=True, text=True)
    if p.returncode:
        return None
    d = json.loads(p.stdout)
    return {k: d.get(k) for k in ('title', 'agency', 'date')} | {'headings': heads(d.get('headings'))}
def cmp(f):
    a, b = run(old, f), run(new, f)
    return f, a, b
diff = {'title': 0, 'agency': 0, 'date': 0, 'headings': 0}
with ThreadPoolExecutor(2) as ex:
    for f, a, b in ex.map(cmp, files):
        if a is None or b is None:
            if a != b: print('ERR', f)
            continue
        for k in diff:
            if a[k] != b[k]:
                diff[k] += 1
                print('##', k, os.path.relpath(f, root))
                if k == 'headings':
                    sa, sb = set(a[k]), set(b[k])
                    for x in a[k]:
                        if x not in sb: print('   -', x)
                    for x in b[k]:
                        if x not in sa: print('   +', x)
                else:
                    print('   -', a[k]); print('   +', b[k])
print('changed:', diff, 'of', len(files))
