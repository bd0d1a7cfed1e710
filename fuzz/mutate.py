#!/usr/bin/env python3
"""Mutation smoke test of the document readers through the real binary.

    python3 fuzz/mutate.py BIN N FILE...

For each of N rounds: take one of FILEs, flip, insert, delete or cut bytes
(1-20 edits, seeded by the round number so a failure can be replayed), run
`BIN parse --json` on it, and report any run that exits other than 0 or 2,
prints "panicked", or takes more than 70 s. Prints a summary line; exit 1 on
any failure. Needs no fuzzing toolchain: it is the quick check before
`fuzz/run.sh ... notice_pdf`.
"""
import os, random, subprocess, sys, tempfile, time

bin_, n, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
data = [open(f, "rb").read() for f in files]
bad, codes, slowest = [], {}, 0.0
with tempfile.TemporaryDirectory() as d:
    for r in range(n):
        rnd = random.Random(r)
        k = rnd.randrange(len(files))
        b = bytearray(data[k])
        for _ in range(rnd.randint(1, 20)):
            op = rnd.random()
            i = rnd.randrange(len(b))
            if op < 0.5:
                b[i] = rnd.randrange(256)
            elif op < 0.7:
                b[i:i] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 8)))
            elif op < 0.9:
                del b[i:i + rnd.randint(1, 64)]
            else:
                b = b[:max(i, 8)]
        ext = os.path.splitext(files[k])[1]
        path = os.path.join(d, "m%d%s" % (r, ext))
        open(path, "wb").write(b)
        t = time.time()
        try:
            p = subprocess.run([bin_, "parse", "--json", path], capture_output=True, text=True, timeout=70)
            code, err = p.returncode, p.stderr
        except subprocess.TimeoutExpired:
            code, err = "timeout", ""
        dt = time.time() - t
        slowest = max(slowest, dt)
        codes[code] = codes.get(code, 0) + 1
        if code not in (0, 2) or "panicked" in err:
            bad.append((r, files[k], code, err.strip()[:200]))
        os.remove(path)
for r, f, code, err in bad:
    print("round %d (%s): exit %s %s" % (r, f, code, err))
print("mutations=%d exits=%s slowest=%.1fs failures=%d" % (n, codes, slowest, len(bad)))
sys.exit(1 if bad else 0)
