"""Render the Word export's reference draft with LibreOffice and measure the page.

    python bench/word_page.py [--out tests/core/export/reference]

Needs `soffice` (libreoffice-writer) and poppler-utils (`pdftoppm`, `pdftotext`) on PATH;
fonts-noto-cjk stands in for 仿宋/小标宋 on Linux and fonts-liberation for Times New Roman
(same widths, so digits and indents land where Word puts them). Writes reference-page-N.png (grey, 72 dpi)
for a human to look at and prints where the page number sits: GB/T 9704 §7.5 puts the top of
its em dashes (一字线) 7 mm below the text block. Tests never need LibreOffice; they check the
.docx XML, and these PNGs are the reference for people.
"""

from __future__ import annotations

import argparse
import datetime
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.export.word import write_docx  # noqa: E402

REFERENCE = ROOT / "tests" / "core" / "export" / "reference"
DPI = 300
TEXT_BLOCK_BOTTOM_MM = 297 - 35  # A4, bottom margin 35 mm


def render(docx: Path, out: Path) -> Path:
    """DOCX -> PDF in `out` (LibreOffice headless)."""
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(docx)],
        check=True,
        capture_output=True,
    )
    return out / f"{docx.stem}.pdf"


def page_number_position(pdf: Path, work: Path) -> tuple[float, float]:
    """(top of the em dash ink, top of the digit ink) below the text block on page 1, in mm."""
    subprocess.run(["pdftoppm", "-r", str(DPI), "-f", "1", "-l", "1", "-gray", str(pdf),
                    str(work / "p")], check=True)  # fmt: skip
    subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), str(work / "b.html")],
                   check=True)  # fmt: skip
    boxes = re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<',
        (work / "b.html").read_text(encoding="utf-8"),
    )
    footer = [(float(x0), float(x1), text) for x0, y0, x1, text in boxes if float(y0) > 745]
    dash = next((x0, x1) for x0, x1, text in footer if text == "—")
    digit = next((x0, x1) for x0, x1, text in footer if text.isdigit())
    _magic, size, _depth, pixels = (work / "p-1.pgm").read_bytes().split(b"\n", 3)
    width, height = map(int, size.split())
    per_mm, per_pt = DPI / 25.4, DPI / 72
    block_bottom = round(TEXT_BLOCK_BOTTOM_MM * per_mm)

    def ink_top(x0: float, x1: float) -> float:
        for y in range(block_bottom, height):
            row = pixels[y * width + int(x0 * per_pt) : y * width + int(x1 * per_pt)]
            if min(row) < 128:
                return (y - block_bottom) / per_mm
        return float("nan")

    return ink_top(*dash), ink_top(*digit)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REFERENCE, help="where the PNGs go")
    args = parser.parse_args()
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        sys.exit(
            "needs soffice and pdftoppm: apt-get install libreoffice-writer poppler-utils "
            "fonts-noto-cjk fonts-liberation"
        )
    draft = (REFERENCE / "reference-draft.md").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        docx = write_docx(
            draft, work / "reference.docx", org="青石镇人民政府", date=datetime.date(2027, 1, 9)
        )
        pdf = render(docx, work)
        # 72 dpi grey without anti-aliasing: readable and about 20 KB a page.
        subprocess.run(["pdftoppm", "-r", "72", "-gray", "-aa", "no", "-aaVector", "no", "-png",
                        str(pdf), str(args.out / "reference-page")], check=True)  # fmt: skip
        dash, digit = page_number_position(pdf, work)
    print(f"page number: 一字线 ink top {dash:.1f} mm below the text block (GB/T 9704: 7 mm); "
          f"digit ink top {digit:.1f} mm")  # fmt: skip
    print(f"reference pages: {', '.join(sorted(p.name for p in args.out.glob('reference-page*')))}")


if __name__ == "__main__":
    main()
