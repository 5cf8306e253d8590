"""Speed benchmark: text-layer PDF pages read per second (issue #14: at least 100 pages/s).

    .venv/bin/python benchmarks/pdf_pages.py               # 10 PDFs of 50 pages
    .venv/bin/python benchmarks/pdf_pages.py --files 4 --pages 100

Builds, in a temporary folder, PDFs whose pages are printed the way policy
documents are: a running header, about 30 lines of Chinese text from the bundled
reports (data/corpora) each filling the line (so lines are re-joined), and a
page number. Needs fpdf2 (the ``dev`` extra) and the Noto Sans CJK SC font
shipped by ``mplfonts``. Then measures, each the best of ``--repeat`` runs in this
process (the PDFs are built first, not timed):

- ``read``: :func:`analysis.text.pdf.read` of every file (PDFium text per
  page, running headers removed, lines re-joined), pages per second;
- ``read + clean``: :func:`analysis.corpus.build` of the folder (reading and
  every cleaning step, one process: ``jobs=1``), pages per second.

Both in wall time and in CPU time of this process (PDFium runs in it): on a
machine shared with other work, wall time grows with the load, CPU time does not.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fpdf import FPDF  # noqa: E402

from analysis import corpus  # noqa: E402
from analysis.config import DATA_DIR  # noqa: E402
from analysis.errors import InputNotice  # noqa: E402
from analysis.present.fonts import bundled_font_path  # noqa: E402
from analysis.text import pdf  # noqa: E402

LINE_CHARS = 38  # full-width characters per printed line at 12 pt on A4
LINES_PER_PAGE = 30


def source_text() -> str:
    """The bundled reports' Chinese text, without line breaks."""
    files = sorted((DATA_DIR / "corpora").rglob("*.txt"))
    return "".join(path.read_text(encoding="utf-8").replace("\n", "") for path in files)


def build_pdf(path: Path, pages: int, text: str, offset: int) -> int:
    document = FPDF(format="A4")
    document.add_font("noto", fname=str(bundled_font_path()))
    document.set_font("noto", size=12)
    document.set_auto_page_break(False)
    for number in range(1, pages + 1):
        document.add_page()
        document.cell(0, 7, "某某市人民政府公报", new_x="LMARGIN", new_y="NEXT")
        for _ in range(LINES_PER_PAGE):
            line = text[offset % len(text):offset % len(text) + LINE_CHARS]
            offset += LINE_CHARS
            document.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
        document.cell(0, 7, f"- {number} -", new_x="LMARGIN", new_y="NEXT", align="C")
    document.output(str(path))
    return offset


def best(function, repeat: int) -> tuple[float, float]:
    """The best (wall, CPU) seconds of ``repeat`` runs: CPU time is what a loaded machine does not inflate."""
    times = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    return min(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--pages", type=int, default=50, help="pages per file")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    text = source_text()
    with tempfile.TemporaryDirectory(prefix="zhgov-pdf-bench-") as tmp:
        folder = Path(tmp)
        offset = 0
        for i in range(args.files):
            offset = build_pdf(folder / f"doc{i:03d}.pdf", args.pages, text, offset)
        paths = sorted(folder.glob("*.pdf"))
        total = args.files * args.pages
        size = sum(p.stat().st_size for p in paths) / 1e6
        read_s = best(lambda: [pdf.read(p) for p in paths], args.repeat)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InputNotice)  # "running header removed" for every file
            build_s = best(lambda: corpus.build(folder, jobs=1), args.repeat)
            corp = corpus.build(folder, jobs=1)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{args.files} PDFs x {args.pages} pages = {total} pages ({size:.1f} MB), "
          f"{int(corp.docs.chars.sum()):,} characters after cleaning; Python {platform.python_version()}, "
          f"{os.cpu_count()} cores, load average {load:.2f}")
    print("| task | wall (s) | pages/s (wall) | CPU (s) | pages/s (CPU) |")
    print("|---|---:|---:|---:|---:|")
    for task, (wall, cpu) in (("read (pypdfium2, headers, re-joined lines)", read_s),
                              ("read + clean (corpus.build, jobs=1)", build_s)):
        print(f"| {task} | {wall:.2f} | {total / wall:.0f} | {cpu:.2f} | {total / cpu:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
