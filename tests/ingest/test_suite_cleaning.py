"""Cleaning on the generalisation suite's real PDF, Word and text files: the report's own text is
whole, page furniture is gone, and pages come from the file.

The sources (eval/reports/src/*.md) say what the text is and what each page's running header and
footer are; nothing here knows a particular report.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from assistant.documents import Document
from assistant.ingest.corpus import load_document

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "eval" / "reports"
sys.path.insert(0, str(ROOT / "scripts"))
import build_reports  # noqa: E402  (the sources' parser: scripts/build_reports.py)

REPORTS = [build_reports.parse_source(p) for p in sorted((SUITE / "src").glob("*.md"))]
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _files(fmt: str) -> list[tuple[object, Path]]:
    out = []
    for report in REPORTS:
        name = report.meta.file_name or report.meta.stem
        path = SUITE / "built" / f"{name}.{fmt}"
        # Text extracted from a two-column PDF is read column by column (cleaning/columns.py), but a
        # heading or label inside a column can still split a paragraph: not asserted sentence by sentence.
        if path.exists() and not (fmt == "txt" and report.meta.pdf_columns == 2):
            out.append((report, path))
    return out


def _sentences(report: object) -> list[str]:
    out: list[str] = []
    for block in report.blocks:  # type: ignore[attr-defined]
        if block.kind == "para":
            out += [s for s in _SENTENCE_END.split(" ".join(block.text.split())) if len(s) > 20]
    return out


def _load(path: Path) -> Document:
    return load_document(path, path.parent)


@pytest.mark.parametrize(
    ("report", "path"), [f for fmt in ("pdf", "docx", "txt") for f in _files(fmt)], ids=lambda v: getattr(v, "name", "")
)
def test_every_sentence_of_the_source_is_whole_in_the_cleaned_text(report: object, path: Path) -> None:
    text = " ".join(_load(path).text.split())
    missing = [s for s in _sentences(report) if s not in text]
    assert not missing, missing[:3]


@pytest.mark.parametrize(("report", "path"), _files("pdf") + _files("txt"), ids=lambda v: getattr(v, "name", ""))
def test_running_headers_footers_and_page_numbers_are_gone(report: object, path: Path) -> None:
    doc = _load(path)
    meta = report.meta  # type: ignore[attr-defined]
    total = len(PdfReader(path.with_suffix(".pdf")).pages)
    numbers = {meta.page_number.format(n=n, total=total) for n in range(2, total + 1)}
    lines = {" ".join(line.split()) for line in doc.text.split("\n")}
    furniture = [p for p in (*meta.header_parts, meta.page_footer) if p]
    for line in lines:
        assert not any(line.endswith(n) for n in numbers if len(n) > 2), line
        assert not any(
            line == f or (line.startswith(f + " ") and line[len(f) :].strip()[:1].isdigit()) for f in furniture
        ), line
    # The running header's words stay where the report itself uses them, not once per page.
    for part in furniture:
        assert doc.text.count(part) < total - 1, part


@pytest.mark.parametrize(("report", "path"), _files("pdf") + _files("txt"), ids=lambda v: getattr(v, "name", ""))
def test_pages_come_from_the_pdf(report: object, path: Path) -> None:
    doc = _load(path)
    reader = PdfReader(path.with_suffix(".pdf"))
    assert doc.meta.pages == len(reader.pages)
    assert doc.page_spans and all(exact for *_, exact in doc.page_spans)
    # The last heading of the source stands on the page the PDF has it on (the last page naming it:
    # a table of contents names it too).
    heading = next(b.text for b in reversed(report.blocks) if b.kind == "heading")  # type: ignore[attr-defined]
    page = max(i for i, p in enumerate(reader.pages, start=1) if heading in " ".join((p.extract_text() or "").split()))
    assert doc.page_at(doc.text.rindex(heading)) == page
