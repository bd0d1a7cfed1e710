#!/usr/bin/env bash
# Makes tests/fixtures/docs/scan.pdf: a one-page notice of our own as an
# image only (what a scanner produces), for the OCR test; and
# tests/fixtures/docs/mixed.pdf: a two-page notice whose first page has a
# text layer and whose second is a scan (a signed last page scanned back in).
# Run once; the results are committed. Needs LibreOffice, fonts-noto-cjk and
# poppler-utils.
#   scripts/make-scan-fixture.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# plain text: LibreOffice's HTML export draws CJK text that poppler renders blank
cat > "$work/scan.txt" <<'TXT'
青禾县农业农村局关于开展春季动物防疫工作的通知

各乡镇农业综合服务中心：
　　为做好春季动物防疫工作，现将有关事项通知如下。
　　一、全面开展集中免疫
　　各地要在四月底前完成春季集中免疫，做到应免尽免。
　　二、加强疫情监测报告
　　发现异常情况要立即报告，不得瞒报漏报。

青禾县农业农村局
2024年3月18日
TXT
soffice --headless --convert-to pdf --outdir "$work" "$work/scan.txt" >/dev/null
pdftocairo -r 150 -gray -jpeg -jpegopt quality=60 -singlefile "$work/scan.pdf" "$work/page"
cat > "$work/img2pdf.py" <<'PY'
import struct, sys
jpg = open(sys.argv[1], "rb").read()
# width and height from the JPEG's SOF marker
i = 2
while True:
    marker, size = jpg[i + 1], struct.unpack(">H", jpg[i + 2:i + 4])[0]
    if marker in (0xC0, 0xC1, 0xC2):
        h, w, ncomp = struct.unpack(">HHB", jpg[i + 5:i + 10])
        break
    i += 2 + size
content = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
objs = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
    b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /%s /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % (w, h, b"DeviceGray" if ncomp == 1 else b"DeviceRGB", len(jpg)) + jpg + b"\nendstream",
    b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
]
out = bytearray(b"%PDF-1.4\n")
offs = []
for n, o in enumerate(objs, 1):
    offs.append(len(out))
    out += b"%d 0 obj\n" % n + o + b"\nendobj\n"
x = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for o in offs:
    out += b"%010d 00000 n \n" % o
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
open(sys.argv[2], "wb").write(out)
PY
python3 "$work/img2pdf.py" "$work/page.jpg" tests/fixtures/docs/scan.pdf

# mixed.pdf: page 1 typeset (a text layer), page 2 an image of the rest
cat > "$work/mixed.txt" <<'TXT'
青禾县水利局关于做好汛前安全检查工作的通知

各乡镇水利站，局属各单位：
　　为确保今年安全度汛，现就汛前安全检查有关事项通知如下。
　　一、检查范围
　　全县小型水库、山塘、堤防和在建水利工程。
TXT
cat > "$work/mixed2.txt" <<'TXT'
　　二、整改要求
　　对检查发现的隐患建立台账，限期整改到位。

青禾县水利局
2024年4月2日
TXT
soffice --headless --convert-to pdf --outdir "$work" "$work/mixed.txt" "$work/mixed2.txt" >/dev/null
pdftocairo -r 150 -gray -jpeg -jpegopt quality=60 -singlefile "$work/mixed2.pdf" "$work/page2"
python3 "$work/img2pdf.py" "$work/page2.jpg" "$work/scanned2.pdf"
pdfunite "$work/mixed.pdf" "$work/scanned2.pdf" tests/fixtures/docs/mixed.pdf
ls -l tests/fixtures/docs/scan.pdf tests/fixtures/docs/mixed.pdf
