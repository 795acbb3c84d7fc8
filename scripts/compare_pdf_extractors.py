"""Compare PDF text extractors on the generalisation suite's PDFs against their sources.

    python scripts/compare_pdf_extractors.py [--json]

For each extractor (pypdf, pypdfium2, pdfminer.six; all permissively licensed) and each
PDF in eval/reports/built/, the extracted text is compared with the report's source
(eval/reports/src/*.md, parsed by scripts/build_reports.py):

- sentences: share of the source's sentences found verbatim in the text (lines joined,
  hyphenation and whitespace folded) — order of two columns, lost or garbled words;
- table rows: share of table rows whose cells all stand, in order, on one line;
- headings: share of headings that stand on a line of their own;
- numbers: share of numbers with a unit ("9,4 %", "3 600 tkr") kept whole on one line;
- ms/page: median extraction time per page.

Prints one line per extractor (and per PDF with --per-file).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "eval" / "reports"
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

_NUMBER = re.compile(r"\d[\d  ]*(?:,\d+)?\s?(?:%|tkr|mnkr|kr)")


def extract_pypdf(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages]


def extract_pypdf_layout(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text(extraction_mode="layout") or "" for page in PdfReader(path).pages]


def extract_pdfium(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path)
    try:
        return [doc[i].get_textpage().get_text_range().replace("\r\n", "\n") for i in range(len(doc))]
    finally:
        doc.close()


def extract_pdfminer(path: Path) -> list[str]:
    from pdfminer.high_level import extract_text

    return extract_text(str(path)).split("\f")[:-1] or [""]


EXTRACTORS: dict[str, Callable[[Path], list[str]]] = {
    "pypdf": extract_pypdf,
    "pypdf (layout)": extract_pypdf_layout,
    "pypdfium2": extract_pdfium,
    "pdfminer.six": extract_pdfminer,
}


def _fold(text: str) -> str:
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)  # a word hyphenated over a line end
    return " ".join(text.split())


def score(pages: list[str], report: object) -> dict[str, float]:
    text = "\n".join(pages)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    folded = _fold(text)
    sentences, rows, headings, numbers = [], [], [], []
    for block in report.blocks:  # type: ignore[attr-defined]
        if block.kind == "para":
            sentences += [s for s in re.split(r"(?<=[.!?])\s+", " ".join(block.text.split())) if len(s) > 20]
        elif block.kind == "bullets":
            sentences += [" ".join(i.split()) for i in block.items if len(i) > 20]
        elif block.kind == "table":
            rows += [[" ".join(c.split()) for c in row] for row in block.items]
        elif block.kind == "heading":
            headings.append(" ".join(block.text.split()))
        if block.kind in ("para", "bullets"):
            body = block.text if block.kind == "para" else " ".join(block.items)
            numbers += [" ".join(n.split()) for n in _NUMBER.findall(body)]
    line_set = set(lines)

    def row_on_line(row: list[str]) -> bool:
        pattern = re.compile(r"\s*".join(re.escape(c) for c in row if c) + "")
        return any(pattern.search(line) for line in lines)

    return {
        "sentences": _share(s in folded for s in sentences),
        "table_rows": _share(row_on_line(r) for r in rows),
        "headings": _share(h in line_set for h in headings),
        "numbers": _share(any(n in line for line in lines) for n in numbers),
    }


def _share(flags: object) -> float:
    values = list(flags)  # type: ignore[call-overload]
    return sum(values) / len(values) if values else 1.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--per-file", action="store_true")
    args = parser.parse_args(argv)
    import build_reports as br  # scripts/build_reports.py: the sources' parser

    reports = []
    for src in sorted((SUITE / "src").glob("*.md")):
        report = br.parse_source(src)
        name = report.meta.file_name or report.meta.stem
        reports.append((report, SUITE / "built" / f"{name}.pdf"))
    result: dict[str, dict[str, object]] = {}
    for name, extract in EXTRACTORS.items():
        per_file: dict[str, dict[str, float]] = {}
        times: list[float] = []
        for report, pdf in reports:
            started = time.perf_counter()
            pages = extract(pdf)
            times.append((time.perf_counter() - started) * 1000 / max(len(pages), 1))
            per_file[pdf.name] = score(pages, report)
        keys = next(iter(per_file.values())).keys()
        summary: dict[str, object] = {k: round(statistics.mean(f[k] for f in per_file.values()), 3) for k in keys}
        summary["ms_per_page"] = round(statistics.median(times), 1)
        if args.per_file:
            summary["files"] = per_file
        result[name] = summary
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    cols = ["sentences", "table_rows", "headings", "numbers", "ms_per_page"]
    print(f"{'extractor':14s} " + " ".join(f"{c:>11s}" for c in cols))
    for name, summary in result.items():
        print(f"{name:14s} " + " ".join(f"{summary[c]:>11}" for c in cols))
        if args.per_file:
            for fname, scores in summary["files"].items():  # type: ignore[attr-defined]
                print(f"   {fname[:40]:40s} " + " ".join(f"{scores[c]:.2f}" for c in cols[:-1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
