#!/usr/bin/env python3
"""Write the list of common bigrams (src/index/common_bigrams.txt): pairs of
Han characters found in at least SHARE of the notices of a corpus, one per
line, commonest first. The index keeps a term for every four characters whose
two halves are both on the list (see `analysis::Kind::Pair`), so a literal
made of two common bigrams (行政处罚) is one term to look up instead of a
phrase whose positions must be read in every section holding both halves.
The list only decides which literals take that shortcut; what matches, and
how it scores, do not depend on it. Changing it changes the index: bump
SCHEMA_VERSION.

usage: scripts/common-bigrams.py CORPUS [SHARE] > src/index/common_bigrams.txt
  scripts/common-bigrams.py ../shared/corpus/notices 0.05
"""
import collections, os, sys, unicodedata

if len(sys.argv) not in (2, 3):
    sys.exit(__doc__)
root, share = sys.argv[1], float(sys.argv[2]) if len(sys.argv) == 3 else 0.05


def han(c):
    return '\u4e00' <= c <= '\u9fff'


df = collections.Counter()
notices = 0
for d, _, files in os.walk(root):
    for f in sorted(files):
        if not f.endswith('.txt'):
            continue
        with open(os.path.join(d, f), encoding='utf-8', errors='replace') as fh:
            text = unicodedata.normalize('NFKC', fh.read())
        chars = [c for c in text if not c.isspace()]
        pairs = {chars[i] + chars[i + 1] for i in range(len(chars) - 1)
                 if han(chars[i]) and han(chars[i + 1])}
        df.update(pairs)
        notices += 1
least = share * notices
print(f'# {sum(1 for n in df.values() if n >= least)} bigrams in at least {share:.0%} '
      f'of {notices} notices ({os.path.basename(os.path.normpath(root))}); '
      'written by scripts/common-bigrams.py')
for pair, n in sorted(df.items(), key=lambda x: (-x[1], x[0])):
    if n >= least:
        print(pair)
