#!/usr/bin/env python3
"""Check files built by build_reports.py against their sources.

Usage: python check_outputs.py SRC_DIR OUT_DIR [--only STEM ...]

Per source: PDF (pypdf + pdftotext): page count, metadata, header/footer/page number
on every page but the title page, Swedish text, table cells extracted; TXT equal to a
fresh `pdftotext -layout`; DOCX (python-docx): heading styles, List Bullet, tables
(Table Grid, bold header row), core properties, header/footer with PAGE/NUMPAGES,
different first page. Prints one line per problem; exit 1 if any.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import docx
import pypdf

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_reports as br


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def pdftotext(pdf: Path, layout: bool = True, first: int | None = None, last: int | None = None) -> str:
    cmd = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        cmd.append("-layout")
    if first:
        cmd += ["-f", str(first), "-l", str(last or first)]
    cmd += [str(pdf), "-"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def check(report: br.Report, out_dir: Path) -> list[str]:
    meta = report.meta
    name = meta.out_name
    probs: list[str] = []
    pdf_path, docx_path, txt_path = (out_dir / f"{name}.{e}" for e in ("pdf", "docx", "txt"))
    for p in (pdf_path, docx_path) + ((txt_path,) if "txt" in meta.formats else ()):
        if not p.exists():
            probs.append(f"missing {p.name}")
    if probs:
        return probs

    # ---- PDF
    reader = pypdf.PdfReader(str(pdf_path))
    n = len(reader.pages)
    info = reader.metadata or {}
    for key, want in (("/Title", meta.title), ("/Author", meta.author), ("/Subject", meta.subject)):
        have = str(info.get(key, "") or "")
        if have != want:
            probs.append(f"PDF {key} is {have!r}, want {want!r}")
    left, right = meta.header_parts
    first_decorated = 2 if report.has_titlepage else 1
    for i in range(1, n + 1):
        page_lines = [ln for ln in pdftotext(pdf_path, True, i).split("\n") if ln.strip()]
        page = norm(" ".join(page_lines))
        top_line = norm(page_lines[0]) if page_lines else ""
        bottom_line = norm(page_lines[-1].replace("\f", "")) if page_lines else ""
        numtxt = meta.page_number.replace("{n}", str(i)).replace("{total}", str(n))
        if i < first_decorated:
            # The title page may name the unit that the footer names too: only its last line counts.
            if meta.page_footer and norm(meta.page_footer) in bottom_line:
                probs.append(f"page {i} (title page) shows the footer text")
            if re.search(r"(^|\s)" + re.escape(norm(numtxt)) + r"(\s|$)", page):
                probs.append(f"page {i} (title page) shows a page number")
            if left and top_line.startswith(norm(left)):
                probs.append(f"page {i} (title page) shows the page header")
            continue
        want_top = norm(left + " " + right)
        if want_top and top_line != want_top:
            probs.append(f"page {i}: first line {top_line!r}, want the header {want_top!r}")
        want_bottom = norm(meta.page_footer + " " + numtxt)
        if bottom_line != want_bottom:
            probs.append(f"page {i}: last line {bottom_line!r}, want the footer {want_bottom!r}")
        if not re.search(r"(^|\s)" + re.escape(norm(numtxt)) + r"(\s|$)", page):
            probs.append(f"page {i}: page number {numtxt!r} not found")
    layout_all = pdftotext(pdf_path, True)
    raw = norm(layout_all)
    # text content: every word of the body must appear (line wrapping/columns aside)
    body_words: list[str] = []
    for b in report.blocks:
        texts = []
        if b.kind in ("para", "heading"):
            texts = [b.text]
        elif b.kind in ("bullets", "titlepage"):
            texts = b.items
        elif b.kind == "table":
            texts = [c for r in b.items for c in r]
        elif b.kind == "toc":
            texts = [br.toc_entry(item)[1] for item in b.items]
        for t in texts:
            body_words += re.findall(r"[\wÅÄÖåäöÉé]+", t)
    raw_words = set(re.findall(r"[\wÅÄÖåäöÉé]+", raw))
    raw_words |= set(re.findall(r"[\wÅÄÖåäöÉé]+", re.sub(r"-\s+", "-", raw)))
    missing = sorted({w for w in body_words if w not in raw_words})
    if missing:
        probs.append(f"PDF text lacks {len(missing)} source words, e.g. {missing[:8]}")
    for b in report.blocks:
        if b.kind == "table":
            for r in b.items:
                for c in r:
                    if c and not all(w in raw_words for w in re.findall(r"[\wÅÄÖåäö]+", c)):
                        probs.append(f"table cell {c!r} (line {b.line}) not in the PDF text")
    for ch in "åäöÅÄÖ–":
        src_has = ch in report.path.read_text(encoding="utf-8").split("+++", 2)[-1]
        if src_has and ch not in raw:
            probs.append(f"character {ch!r} missing from the PDF text")
    if "\ufffd" in raw:
        probs.append("PDF text contains U+FFFD replacement characters")
    if "txt" in meta.formats:
        txt = txt_path.read_text(encoding="utf-8")
        if txt != layout_all:
            probs.append("TXT differs from a fresh `pdftotext -layout` of the PDF")
        if txt.count("\f") != n:
            probs.append(f"TXT has {txt.count(chr(12))} form feeds for {n} pages")

    # ---- DOCX
    d = docx.Document(str(docx_path))
    cp = d.core_properties
    for k in ("title", "author", "subject"):
        if (getattr(cp, k) or "") != getattr(meta, k):
            probs.append(f"DOCX core {k} is {getattr(cp, k)!r}, want {getattr(meta, k)!r}")
    paras = d.paragraphs
    heads = [(p.style.name, p.text) for p in paras if p.style.name.startswith("Heading")]
    want_heads = [(f"Heading {b.level}", b.text) for b in report.blocks if b.kind == "heading"]
    if heads != want_heads:
        probs.append(f"DOCX headings differ: {heads[:3]}… vs {want_heads[:3]}…")
    bullets = [p.text for p in paras if p.style.name == "List Bullet"]
    want_b = [i for b in report.blocks if b.kind == "bullets" for i in b.items]
    if bullets != want_b:
        probs.append("DOCX List Bullet paragraphs differ from the source bullets")
    want_tables = [b.items for b in report.blocks if b.kind == "table"]
    if len(d.tables) != len(want_tables):
        probs.append(f"DOCX has {len(d.tables)} tables, source {len(want_tables)}")
    for t, rows in zip(d.tables, want_tables, strict=False):
        if t.style.name != "Table Grid":
            probs.append(f"DOCX table style {t.style.name!r}")
        got = [[c.text for c in r.cells] for r in t.rows]
        if got != rows:
            probs.append("DOCX table content differs")
        if not all(r.bold for c in t.rows[0].cells for p in c.paragraphs for r in p.runs):
            probs.append("DOCX table header row not bold")
    sec = d.sections[0]
    htext = sec.header.paragraphs[0].text
    want_h = left + ("\t" + right if right else "")
    if htext != want_h:
        probs.append(f"DOCX header {htext!r}, want {want_h!r}")
    fxml = sec.footer._element.xml
    for fld in ("PAGE", "NUMPAGES"):
        token = "{n}" if fld == "PAGE" else "{total}"
        has = re.search(r"<w:instrText[^>]*>\s*" + fld + r"\s*</w:instrText>", fxml) is not None
        if has != (token in meta.page_number):
            probs.append(f"DOCX footer field {fld}: present={has}")
    if meta.page_footer and meta.page_footer not in sec.footer.paragraphs[0].text:
        probs.append("DOCX footer text missing")
    if sec.different_first_page_header_footer != report.has_titlepage:
        probs.append("DOCX different-first-page setting wrong")
    if report.has_titlepage and sec.first_page_header.paragraphs[0].text.strip():
        probs.append("DOCX title page has a header")
    return probs


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("src_dir", type=Path)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--only", nargs="+")
    a = ap.parse_args()
    bad = 0
    for path in sorted(a.src_dir.glob("*.md")):
        if a.only and path.stem not in a.only:
            continue
        try:
            report = br.parse_source(path)
        except br.SourceError as exc:
            print(f"SKIP {exc}")
            continue
        probs = check(report, a.out_dir)
        pages = (
            len(pypdf.PdfReader(str(a.out_dir / f"{report.meta.out_name}.pdf")).pages)
            if (a.out_dir / f"{report.meta.out_name}.pdf").exists()
            else 0
        )
        status = "OK " if not probs else "BAD"
        print(
            f"{status} {path.name}: {pages} pages, engine {report.meta.pdf_engine}, columns {report.meta.pdf_columns}"
        )
        for p in probs:
            print(f"    - {p}")
        bad += bool(probs)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
