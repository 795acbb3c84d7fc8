#!/usr/bin/env python3
"""Build report files (DOCX, PDF, TXT) from sources in the suite's markup format.

Usage:
    python build_reports.py SRC_DIR OUT_DIR [--only STEM ...]

Reads SRC_DIR/*.md (format: suite/FORMAT.md) and writes, per source,
OUT_DIR/<name>.docx, OUT_DIR/<name>.pdf and, if "txt" is in `formats`,
OUT_DIR/<name>.txt, where <name> is `file_name` if given, else the stem.

A malformed source is reported as "FILE:LINE: error: ..." on stderr; the other
sources are still built and the script exits with status 1 at the end.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from datetime import UTC, datetime
from pathlib import Path

try:
    import docx
    import pypdf
    from docx.enum.section import WD_ORIENT  # noqa: F401  (import check)
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt
    from fpdf import FPDF
    from fpdf.enums import TableCellFillMode, XPos, YPos
    from fpdf.fonts import FontFace
except ImportError as exc:  # pragma: no cover - environment problem
    sys.exit(f"build_reports.py: missing Python package ({exc}). Install with:\n  pip install python-docx fpdf2 pypdf")


# ---------------------------------------------------------------------------
# Source model
# ---------------------------------------------------------------------------

REQUIRED_KEYS = ("stem", "formats", "pdf_engine", "pdf_columns", "page_header", "page_footer", "page_number")
OPTIONAL_KEYS = ("file_name", "properties")
PROPERTY_KEYS = ("title", "author", "subject")
KNOWN_FORMATS = ("pdf", "docx", "txt")
ENGINES = ("libreoffice", "fpdf")
STEM_RE = re.compile(r"^[a-z0-9_]+$")
SEP_CELL_RE = re.compile(r"^:?-+:?$")
NUMERIC_RE = re.compile(r"^[+\-–−]?[\d\s\u00a0.,]+\s*(%|tkr|mnkr|kr|st|år|h)?$")


class SourceError(Exception):
    def __init__(self, path: Path, line: int | None, msg: str):
        super().__init__(msg)
        self.path, self.line, self.msg = path, line, msg

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: error: {self.msg}"


@dataclasses.dataclass
class Meta:
    stem: str
    formats: list[str]
    pdf_engine: str
    pdf_columns: int
    page_header: str
    page_footer: str
    page_number: str
    file_name: str | None
    title: str
    author: str
    subject: str

    @property
    def out_name(self) -> str:
        return self.file_name or self.stem

    @property
    def header_parts(self) -> tuple[str, str]:
        left, _sep, right = self.page_header.partition(" | ")
        return left.strip(), right.strip()


@dataclasses.dataclass
class Block:
    kind: str  # titlepage, toc, heading, para, bullets, table, pagebreak
    line: int
    level: int = 0  # heading level
    text: str = ""  # heading / paragraph text
    items: list = dataclasses.field(default_factory=list)  # lines, bullet items, table rows


@dataclasses.dataclass
class Report:
    path: Path
    meta: Meta
    blocks: list[Block]

    @property
    def has_titlepage(self) -> bool:
        return bool(self.blocks) and self.blocks[0].kind == "titlepage"


def _key_line(fm_lines: list[str], first_line: int, key: str, table: str | None = None) -> int:
    """File line number of `key = ...` in the front matter (table=None: top level)."""
    current = None
    for i, raw in enumerate(fm_lines):
        s = raw.strip()
        m = re.match(r"^\[\s*([^\]]+?)\s*\]$", s)
        if m:
            current = m.group(1)
            if table is not None and key == "" and current == table:
                return first_line + i
            continue
        if current == table and re.match(r"^" + re.escape(key) + r"\s*=", s):
            return first_line + i
        if table is None and current is None and re.match(r'^"?' + re.escape(key) + r'"?\s*=', s):
            return first_line + i
    return first_line


def parse_page_number(path: Path, line: int, template: str) -> list[tuple[str, str]]:
    """Split the page-number template into [("text", s) | ("field", "PAGE"|"NUMPAGES")]."""
    parts: list[tuple[str, str]] = []
    pos = 0
    for m in re.finditer(r"\{[^{}]*\}", template):
        if m.group(0) not in ("{n}", "{total}"):
            raise SourceError(
                path, line, f"page_number: unknown placeholder {m.group(0)!r} (only {{n}} and {{total}} are allowed)"
            )
        if m.start() > pos:
            parts.append(("text", template[pos : m.start()]))
        parts.append(("field", "PAGE" if m.group(0) == "{n}" else "NUMPAGES"))
        pos = m.end()
    if pos < len(template):
        parts.append(("text", template[pos:]))
    if "{" in "".join(t for k, t in parts if k == "text") or "}" in "".join(t for k, t in parts if k == "text"):
        raise SourceError(path, line, f"page_number: unbalanced brace in {template!r}")
    if ("field", "PAGE") not in parts:
        raise SourceError(path, line, f"page_number {template!r} does not contain {{n}}")
    return parts


def parse_front_matter(path: Path, lines: list[str]) -> tuple[Meta, int]:
    """Returns (meta, index of first body line)."""
    if not lines or lines[0].strip() != "+++":
        raise SourceError(path, 1, "source must start with a '+++' line (TOML front matter)")
    end = None
    for i in range(1, len(lines)):
        if lines[i].strip() == "+++":
            end = i
            break
    if end is None:
        raise SourceError(path, 1, "front matter opened with '+++' on line 1 is never closed")
    fm_lines = lines[1:end]
    first = 2  # file line number of fm_lines[0]
    try:
        data = tomllib.loads("\n".join(fm_lines) + "\n")
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        line = first + int(m.group(1)) - 1 if m else end  # "at end of document": last line
        line = min(line, end)
        msg = re.sub(
            r"\s*\(at (line \d+, column (\d+)|end of document)\)",
            lambda mm: f" (column {mm.group(2)})" if mm.group(2) else " (at the end of the front matter)",
            msg,
        )
        raise SourceError(path, line, f"front matter is not valid TOML: {msg}") from None

    for key in data:
        if key not in REQUIRED_KEYS + OPTIONAL_KEYS:
            raise SourceError(
                path,
                _key_line(fm_lines, first, key),
                f"unknown front matter key {key!r} (known: {', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)})",
            )
    for key in REQUIRED_KEYS:
        if key not in data:
            raise SourceError(path, 1, f"front matter (lines 1–{end + 1}) is missing required field {key!r}")

    def kline(k: str) -> int:
        return _key_line(fm_lines, first, k)

    for key in ("stem", "pdf_engine", "page_header", "page_footer", "page_number", "file_name"):
        if key in data and not isinstance(data[key], str):
            raise SourceError(path, kline(key), f"{key} must be a string")
    stem = data["stem"]
    if not STEM_RE.match(stem):
        raise SourceError(path, kline("stem"), f"stem {stem!r} must be lowercase ASCII letters, digits and '_'")
    if stem != path.stem:
        raise SourceError(path, kline("stem"), f"stem {stem!r} does not match the file name {path.name!r}")
    formats = data["formats"]
    if not isinstance(formats, list) or not all(isinstance(f, str) for f in formats):
        raise SourceError(path, kline("formats"), "formats must be a list of strings")
    for f in formats:
        if f not in KNOWN_FORMATS:
            raise SourceError(path, kline("formats"), f"unknown format {f!r} (known: pdf, docx, txt)")
    for f in ("pdf", "docx"):
        if f not in formats:
            raise SourceError(path, kline("formats"), f"formats must include {f!r} (pdf and docx are always built)")
    engine = data["pdf_engine"]
    if engine not in ENGINES:
        raise SourceError(path, kline("pdf_engine"), f'pdf_engine {engine!r} must be "libreoffice" or "fpdf"')
    cols = data["pdf_columns"]
    if isinstance(cols, bool) or cols not in (1, 2):
        raise SourceError(path, kline("pdf_columns"), f"pdf_columns must be 1 or 2, not {cols!r}")
    if cols == 2 and engine != "fpdf":
        raise SourceError(path, kline("pdf_columns"), 'pdf_columns = 2 is only possible with pdf_engine = "fpdf"')
    parse_page_number(path, kline("page_number"), data["page_number"])
    file_name = data.get("file_name")
    if file_name is not None:
        if not file_name.strip() or "/" in file_name or "\\" in file_name or file_name in (".", ".."):
            raise SourceError(path, kline("file_name"), f"file_name {file_name!r} is not a usable file name")
        if re.search(r"\.(pdf|docx|txt)$", file_name, re.I):
            raise SourceError(path, kline("file_name"), f"file_name {file_name!r} must be given without extension")

    props = data.get("properties", {})
    pline = _key_line(fm_lines, first, "", table="properties")
    if not isinstance(props, dict):
        raise SourceError(path, kline("properties"), "properties must be a table ([properties])")
    for key, val in props.items():
        if key not in PROPERTY_KEYS:
            raise SourceError(
                path,
                _key_line(fm_lines, first, key, table="properties"),
                f"unknown key {key!r} in [properties] (known: title, author, subject)",
            )
        if not isinstance(val, str):
            raise SourceError(
                path, _key_line(fm_lines, first, key, table="properties") or pline, f"properties.{key} must be a string"
            )

    meta = Meta(
        stem=stem,
        formats=list(formats),
        pdf_engine=engine,
        pdf_columns=cols,
        page_header=data["page_header"],
        page_footer=data["page_footer"],
        page_number=data["page_number"],
        file_name=file_name,
        title=props.get("title", ""),
        author=props.get("author", ""),
        subject=props.get("subject", ""),
    )
    return meta, end + 1


def split_row(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in s.split("|")]


def parse_table(path: Path, tlines: list[tuple[int, str]]) -> Block:
    rows: list[list[str]] = []
    for idx, (ln, raw) in enumerate(tlines):
        cells = split_row(raw)
        is_sep = all(SEP_CELL_RE.match(c) for c in cells) and any(cells)
        if is_sep:
            if idx == 1:
                if len(cells) != len(rows[0]):
                    raise SourceError(
                        path,
                        ln,
                        f"bad table: separator row has {len(cells)} cells, "
                        f"header row (line {tlines[0][0]}) has {len(rows[0])}",
                    )
                continue
            where = (
                "as the first row (the first row must be the header)"
                if idx == 0
                else "after line 2 of the table (only allowed directly after the header row)"
            )
            raise SourceError(path, ln, f"bad table: separator row {where}")
        if rows and len(cells) != len(rows[0]):
            raise SourceError(
                path, ln, f"bad table: row has {len(cells)} cells, header row (line {tlines[0][0]}) has {len(rows[0])}"
            )
        rows.append(cells)
    if len(rows[0]) == 1 and not rows[0][0]:
        raise SourceError(path, tlines[0][0], "bad table: empty header row")
    return Block("table", tlines[0][0], items=rows)


def parse_body(path: Path, lines: list[str], start: int) -> list[Block]:
    blocks: list[Block] = []
    para: list[str] = []
    para_line = 0
    i = start

    def flush_para() -> None:
        nonlocal para
        if para:
            blocks.append(Block("para", para_line, text=" ".join(para)))
            para = []

    while i < len(lines):
        ln = i + 1
        raw = lines[i]
        s = raw.strip()
        if not s:
            flush_para()
            i += 1
            continue
        if s.startswith(":::"):
            flush_para()
            name = s[3:].strip()
            if name not in ("titlepage", "toc"):
                if not name:
                    raise SourceError(path, ln, "closing ':::' without an opening '::: titlepage' or '::: toc'")
                raise SourceError(path, ln, f"unknown block '::: {name}' (known: titlepage, toc)")
            j = i + 1
            content: list[str] = []
            while j < len(lines) and lines[j].strip() != ":::":
                if lines[j].strip().startswith(":::"):
                    raise SourceError(
                        path,
                        j + 1,
                        f"'{lines[j].strip()}' inside the '::: {name}' block opened on line {ln} (blocks do not nest)",
                    )
                content.append(lines[j].rstrip())
                j += 1
            if j >= len(lines):
                raise SourceError(path, ln, f"'::: {name}' block is never closed with ':::'")
            if name == "titlepage":
                if blocks:
                    raise SourceError(path, ln, "the titlepage block must come first in the body")
                while content and not content[0].strip():
                    content.pop(0)
                while content and not content[-1].strip():
                    content.pop()
                if not content:
                    raise SourceError(path, ln, "empty titlepage block")
                blocks.append(Block("titlepage", ln, items=[c.strip() for c in content]))
            else:
                toc_lines = [c for c in content if c.strip()]
                blocks.append(Block("toc", ln, items=toc_lines))
            i = j + 1
            continue
        m = re.match(r"^(#+)\s+(.*)$", s)
        if m:
            flush_para()
            level = len(m.group(1))
            if level > 4:
                raise SourceError(path, ln, f"heading level {level} ('{m.group(1)}'); only # to #### are allowed")
            text = m.group(2).strip()
            if not text:
                raise SourceError(path, ln, "empty heading")
            blocks.append(Block("heading", ln, level=level, text=text))
            i += 1
            continue
        if s == "\\pagebreak":
            flush_para()
            blocks.append(Block("pagebreak", ln))
            i += 1
            continue
        if s.startswith("|"):
            flush_para()
            tlines = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                tlines.append((i + 1, lines[i]))
                i += 1
            blocks.append(parse_table(path, tlines))
            continue
        if s.startswith("- ") or s == "-":
            flush_para()
            if not blocks or blocks[-1].kind != "bullets":
                blocks.append(Block("bullets", ln))
            text = s[1:].strip()
            if not text:
                raise SourceError(path, ln, "empty bullet item")
            blocks[-1].items.append(text)
            i += 1
            # indented continuation lines belong to the item
            while (
                i < len(lines)
                and lines[i].strip()
                and lines[i][:1] in (" ", "\t")
                and not lines[i].strip().startswith(("- ", "|", "#", ":::", "\\pagebreak"))
            ):
                blocks[-1].items[-1] += " " + lines[i].strip()
                i += 1
            continue
        # ordinary paragraph text
        if not para:
            para_line = ln
        para.append(s)
        i += 1
    flush_para()
    return blocks


def parse_source(path: Path) -> Report:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise SourceError(path, line, f"file is not valid UTF-8 ({exc.reason})") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    meta, body_start = parse_front_matter(path, lines)
    blocks = parse_body(path, lines, body_start)
    if not [b for b in blocks if b.kind not in ("pagebreak",)]:
        raise SourceError(path, body_start + 1, "the body is empty")
    return Report(path, meta, blocks)


def toc_entry(line: str) -> tuple[int, str, str | None]:
    """(indent level, text, page or None). TAB lines give a page; others are verbatim."""
    lead = len(line) - len(line.lstrip(" "))
    level = min(lead // 2, 3)
    s = line.strip()
    if "\t" in s:
        text, _, page = s.rpartition("\t")
        return level, text.strip(), page.strip()
    return level, s, None


def is_numeric(cell: str) -> bool:
    return bool(cell) and bool(NUMERIC_RE.match(cell)) and any(ch.isdigit() for ch in cell)


def numeric_columns(rows: list[list[str]]) -> list[bool]:
    ncols = len(rows[0])
    body = rows[1:]
    result = []
    for c in range(ncols):
        vals = [r[c] for r in body if r[c]]
        result.append(bool(vals) and all(is_numeric(v) for v in vals))
    return result


# ---------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------

DOCX_FONT = "Arial"  # LibreOffice substitutes the metric-compatible Liberation Sans
TEXT_WIDTH_MM = 160  # A4 210 mm minus 2 x 25 mm


def _set_style_font(style, name: str, size_pt: float | None = None, bold: bool | None = None) -> None:
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), name)
    if size_pt is not None:
        style.font.size = Pt(size_pt)
    if bold is not None:
        style.font.bold = bold


def _set_language(doc, lang: str = "sv-SE") -> None:
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults"))
    if rpr_default is None:
        return
    rpr = rpr_default.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is None:
        return
    langel = rpr.find(qn("w:lang"))
    if langel is None:
        langel = OxmlElement("w:lang")
        rpr.append(langel)
    langel.set(qn("w:val"), lang)
    langel.set(qn("w:eastAsia"), lang)
    langel.set(qn("w:bidi"), "ar-SA")


def _add_field(paragraph, instr: str, placeholder: str = "1") -> None:
    """Append a complex field (PAGE, NUMPAGES) to the paragraph."""

    def run_with(child):
        r = OxmlElement("w:r")
        r.append(child)
        paragraph._p.append(r)
        return r

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    it = OxmlElement("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = f" {instr} "
    run_with(it)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    t = OxmlElement("w:t")
    t.text = placeholder
    run_with(t)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _clear_tabs_and_add_right(paragraph, pos, leader=None) -> None:
    pf = paragraph.paragraph_format
    # the template's Header/Footer styles have tabs at 3.25" and 6.5" (US Letter); clear them
    for inch_twips in (4680, 9360):
        pf.tab_stops.add_tab_stop(docx.shared.Twips(inch_twips), WD_TAB_ALIGNMENT.CLEAR)
    if leader is None:
        pf.tab_stops.add_tab_stop(pos, WD_TAB_ALIGNMENT.RIGHT)
    else:
        pf.tab_stops.add_tab_stop(pos, WD_TAB_ALIGNMENT.RIGHT, leader)


def _mark_header_row(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def build_docx(report: Report, out_path: Path) -> None:
    meta = report.meta
    doc = docx.Document()
    _set_language(doc)
    styles = doc.styles
    _set_style_font(styles["Normal"], DOCX_FONT, 11)
    styles["Normal"].paragraph_format.space_after = Pt(6)
    for lvl, size in ((1, 16), (2, 14), (3, 12), (4, 11)):
        _set_style_font(styles[f"Heading {lvl}"], DOCX_FONT, size, True)
    for name in ("Header", "Footer", "List Bullet", "Title"):
        if name in [s.name for s in styles]:
            _set_style_font(styles[name], DOCX_FONT)
    _set_style_font(styles["Header"], DOCX_FONT, 9)
    _set_style_font(styles["Footer"], DOCX_FONT, 9)

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin, section.bottom_margin = Mm(25), Mm(25)
    section.header_distance = section.footer_distance = Mm(12)
    text_width = Mm(TEXT_WIDTH_MM)

    # header: "left<TAB>right"
    left, right = meta.header_parts
    hp = section.header.paragraphs[0]
    _clear_tabs_and_add_right(hp, text_width)
    hp.add_run(left + ("\t" + right if right else ""))
    # footer: "footer<TAB>Sida PAGE av NUMPAGES"
    fp = section.footer.paragraphs[0]
    _clear_tabs_and_add_right(fp, text_width)
    fp.add_run(meta.page_footer + "\t")
    for kind, val in parse_page_number(report.path, None, meta.page_number):
        if kind == "text":
            fp.add_run(val)
        else:
            _add_field(fp, val)
    if report.has_titlepage:
        section.different_first_page_header_footer = True
        # first-page header/footer exist but stay empty
        section.first_page_header.paragraphs[0].text = ""
        section.first_page_footer.paragraphs[0].text = ""

    body = doc.element.body
    pending_break = False
    last_para = None  # last paragraph added to the body (None after a table)

    def new_para(text: str = "", style: str | None = None):
        nonlocal pending_break, last_para
        p = doc.add_paragraph(text, style=style)
        if pending_break:
            p.paragraph_format.page_break_before = True
            pending_break = False
        last_para = p
        return p

    def flush_break_before_table():
        nonlocal pending_break, last_para
        if pending_break:
            if last_para is not None:
                last_para.add_run().add_break(WD_BREAK.PAGE)
            else:
                doc.add_page_break()
            pending_break = False

    for b in report.blocks:
        if b.kind == "titlepage":
            for k, line in enumerate(b.items):
                p = new_para()
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                if k == 0:
                    p.paragraph_format.space_before = Pt(180)
                    p.paragraph_format.space_after = Pt(24)
                    r = p.add_run(line)
                    r.font.size = Pt(26)
                    r.bold = True
                elif line:
                    r = p.add_run(line)
                    r.font.size = Pt(14)
            pending_break = True
        elif b.kind == "toc":
            for line in b.items:
                level, text, page = toc_entry(line)
                p = new_para()
                p.paragraph_format.space_after = Pt(3)
                if level:
                    p.paragraph_format.left_indent = Mm(6 * level)
                if page is not None:
                    p.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
                    p.add_run(f"{text}\t{page}")
                else:
                    p.add_run(text)
        elif b.kind == "heading":
            new_para(b.text, style=f"Heading {b.level}")
        elif b.kind == "para":
            new_para(b.text)
        elif b.kind == "bullets":
            for item in b.items:
                new_para(item, style="List Bullet")
        elif b.kind == "pagebreak":
            if last_para is not None or body.findall(qn("w:tbl")):
                pending_break = True  # collapses with a break already pending
        elif b.kind == "table":
            flush_break_before_table()
            rows = b.items
            ncols = len(rows[0])
            numeric = numeric_columns(rows)
            table = doc.add_table(rows=len(rows), cols=ncols)
            table.style = styles["Table Grid"]
            table.alignment = WD_TABLE_ALIGNMENT.LEFT
            table.autofit = False
            # ~ Arial widths measured with DejaVu (a bit wider) minus the cell margins
            widths = column_widths(rows, TEXT_WIDTH_MM - 2, 9.5 * 0.92)
            for c_i, w in enumerate(widths):
                table.columns[c_i].width = Mm(w)
            for r_i, row in enumerate(rows):
                cells = table.rows[r_i].cells
                for c_i, val in enumerate(row):
                    cells[c_i].width = Mm(widths[c_i])
                    p = cells[c_i].paragraphs[0]
                    p.paragraph_format.space_after = Pt(0)
                    run = p.add_run(val)
                    run.font.size = Pt(9.5)
                    if r_i == 0:
                        run.bold = True
                    elif numeric[c_i]:
                        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _mark_header_row(table.rows[0])
            last_para = None
            # a short gap after the table (an empty paragraph, as Word users do)
            gap = doc.add_paragraph()
            gap.paragraph_format.space_after = Pt(0)
            last_para = gap

    cp = doc.core_properties
    cp.title = meta.title
    cp.author = meta.author
    cp.subject = meta.subject
    cp.last_modified_by = meta.author
    cp.comments = ""
    cp.keywords = ""
    cp.category = ""
    cp.revision = 1
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    cp.created = now
    cp.modified = now
    doc.save(str(out_path))


# ---------------------------------------------------------------------------
# PDF with LibreOffice
# ---------------------------------------------------------------------------


def find_soffice() -> str | None:
    for cand in ("soffice", "libreoffice"):
        p = shutil.which(cand)
        if p:
            return p
    for p in ("/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice"):
        if os.path.exists(p):
            return p
    return None


class BuildError(Exception):
    pass


def pdf_via_libreoffice(report: Report, docx_path: Path, pdf_path: Path, profile_dir: Path) -> None:
    soffice = find_soffice()
    if not soffice:
        raise BuildError(
            "LibreOffice (soffice) not found; install it with: apt-get install -y libreoffice-writer-nogui"
        )
    with tempfile.TemporaryDirectory(prefix="lo_out_") as tmp:
        # convert a copy with an ASCII name (the output name follows the input name)
        src = Path(tmp) / "in.docx"
        shutil.copyfile(docx_path, src)
        cmd = [
            soffice,
            f"-env:UserInstallation={profile_dir.as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(src),
        ]
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired:
            raise BuildError("LibreOffice conversion timed out after 300 s") from None
        out = Path(tmp) / "in.pdf"
        if res.returncode != 0 or not out.exists():
            raise BuildError(
                f"LibreOffice conversion failed (exit {res.returncode}): {(res.stderr or res.stdout).strip()[:500]}"
            )
        shutil.move(str(out), pdf_path)
    ensure_pdf_metadata(report.meta, pdf_path)


def ensure_pdf_metadata(meta: Meta, pdf_path: Path) -> None:
    reader = pypdf.PdfReader(str(pdf_path))
    info = reader.metadata or {}
    want = {"/Title": meta.title, "/Author": meta.author, "/Subject": meta.subject}
    have = {k: str(info.get(k, "") or "") for k in want}
    if have == want:
        return
    writer = pypdf.PdfWriter(clone_from=reader)
    new_info = {k: v for k, v in info.items()}
    for k, v in want.items():
        if v:
            new_info[k] = v
        else:
            new_info.pop(k, None)
    writer.metadata = None
    writer.add_metadata({k: str(v) for k, v in new_info.items()})
    tmp = pdf_path.with_suffix(".pdf.tmp")
    with open(tmp, "wb") as fh:
        writer.write(fh)
    os.replace(tmp, pdf_path)


# ---------------------------------------------------------------------------
# PDF with fpdf2
# ---------------------------------------------------------------------------

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
BODY_PT = 10
LINE_H = 1.35  # line height factor for body text
HEADING_PT = {1: 17, 2: 14, 3: 12, 4: 10.5}
PT_MM = 25.4 / 72


class ReportPDF(FPDF):
    def __init__(self, report: Report, known_total: int | None = None):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.known_total = known_total  # page count from a first pass (for right alignment)
        self.report = report
        self.meta = report.meta
        self.skip_first = report.has_titlepage
        self.set_margins(25, 25, 25)
        self.set_auto_page_break(True, margin=22)
        self.add_font("DejaVu", "", str(FONT_REGULAR))
        self.add_font("DejaVu", "B", str(FONT_BOLD))
        self.number_parts = parse_page_number(report.path, None, self.meta.page_number)
        self.missing_glyphs: set[str] = set()

    def _no_decor(self) -> bool:
        return self.skip_first and self.page_no() == 1

    def header(self) -> None:
        if self._no_decor():
            return
        left, right = self.meta.header_parts
        if not (left or right):
            return
        x, y = self.get_x(), self.get_y()
        self.set_font("DejaVu", "", 8.5)
        self.set_text_color(60, 60, 60)
        self.set_xy(self.l_margin, 12)
        width = self.w - self.l_margin - self.r_margin
        if left:
            self.cell(width, 5, left, align="L")
        if right:
            self.set_xy(self.l_margin, 12)
            self.cell(width, 5, right, align="R")
        self.set_draw_color(150, 150, 150)
        self.set_line_width(0.2)
        self.line(self.l_margin, 17.5, self.w - self.r_margin, 17.5)
        self.set_text_color(0, 0, 0)
        self.set_xy(x, y)

    def footer(self) -> None:
        if self._no_decor():
            return
        x, y = self.get_x(), self.get_y()
        self.set_font("DejaVu", "", 8.5)
        self.set_text_color(60, 60, 60)
        yy = self.h - 15
        width = self.w - self.l_margin - self.r_margin
        self.set_draw_color(150, 150, 150)
        self.set_line_width(0.2)
        self.line(self.l_margin, yy - 1.5, self.w - self.r_margin, yy - 1.5)
        self.set_xy(self.l_margin, yy)
        if self.meta.page_footer:
            self.cell(width, 5, self.meta.page_footer, align="L")
        number = "".join(
            v if k == "text" else (str(self.page_no()) if v == "PAGE" else self.str_alias_nb_pages)
            for k, v in self.number_parts
        )
        # the text keeps fpdf2's alias for the total; it is right-aligned by the width the
        # real total will have (known from a first layout pass)
        shown = number.replace(self.str_alias_nb_pages, str(self.known_total or self.page_no()))
        num_w = self.get_string_width(shown)
        self.set_xy(self.w - self.r_margin - num_w - 2 * self.c_margin, yy)
        self.cell(num_w + 2 * self.c_margin, 5, number, align="L")
        self.set_text_color(0, 0, 0)
        self.set_xy(x, y)


def _check_glyphs(report: Report) -> None:
    """Fail clearly if the source uses characters that DejaVu Sans cannot show."""
    try:
        from fontTools.ttLib import TTFont
    except ImportError:
        return
    cmap = set()
    for f in (FONT_REGULAR, FONT_BOLD):
        cmap |= set(TTFont(str(f), lazy=True).getBestCmap().keys())
    lines = report.path.read_text(encoding="utf-8").split("\n")
    for n, line in enumerate(lines, 1):
        for ch in line:
            if ch in "\t\r\ufeff":
                continue
            if ord(ch) not in cmap:
                raise SourceError(
                    report.path,
                    n,
                    f"character U+{ord(ch):04X} ({ch!r}) is not in "
                    'DejaVu Sans and cannot be drawn by pdf_engine "fpdf"',
                )


def build_pdf_fpdf(report: Report, pdf_path: Path) -> None:
    for f in (FONT_REGULAR, FONT_BOLD):
        if not f.exists():
            raise BuildError(f"font {f} not found; install it with: apt-get install -y fonts-dejavu-core")
    _check_glyphs(report)
    first = layout_fpdf(report, None)  # pass 1: learn the page count
    pdf = layout_fpdf(report, first.pages_count)  # pass 2: the real file
    pdf.output(str(pdf_path))


def layout_fpdf(report: Report, known_total: int | None) -> ReportPDF:
    meta = report.meta
    pdf = ReportPDF(report, known_total)
    pdf.set_lang("sv-SE")
    if meta.title:
        pdf.set_title(meta.title)
    if meta.author:
        pdf.set_author(meta.author)
    if meta.subject:
        pdf.set_subject(meta.subject)
    pdf.set_creator("build_reports.py")
    pdf.set_creation_date(datetime.now(UTC).replace(microsecond=0))
    # fpdf2's alias for the total page count; pick one that the text itself does not contain
    alias = "{nb}"
    source_text = report.path.read_text(encoding="utf-8")
    while alias in source_text:
        alias = "{" + alias + "}"
    pdf.alias_nb_pages(alias)
    ncols = meta.pdf_columns
    full_w = pdf.w - pdf.l_margin - pdf.r_margin
    body_lh = BODY_PT * PT_MM * LINE_H

    pdf.add_page()
    page_has_content = False  # anything drawn on the current page?
    flow: list[Block] = []  # pending blocks for a text region

    def bottom() -> float:
        return pdf.h - pdf.b_margin

    def ensure_space(h: float) -> None:
        nonlocal page_has_content
        if pdf.get_y() + h > bottom() and page_has_content:
            pdf.add_page()
            page_has_content = False

    def flush_flow() -> None:
        """Set the pending paragraphs / bullets / small headings in a text region."""
        nonlocal flow, page_has_content
        if not flow:
            return
        pdf.set_font("DejaVu", "", BODY_PT)
        ensure_space(body_lh * 3)
        with pdf.text_columns(
            ncols=ncols, gutter=8, balance=(ncols > 1), text_align="LEFT", line_height=LINE_H
        ) as cols:
            for b in flow:
                if b.kind == "para":
                    pdf.set_font("DejaVu", "", BODY_PT)
                    with cols.paragraph(bottom_margin=2.2) as p:
                        p.write(b.text)
                elif b.kind == "bullets":
                    pdf.set_font("DejaVu", "", BODY_PT)
                    for k, item in enumerate(b.items):
                        with cols.paragraph(
                            indent=6,
                            bullet_string="•",
                            bullet_r_margin=2.5,
                            bottom_margin=2.2 if k == len(b.items) - 1 else 0.8,
                        ) as p:
                            p.write(item)
                elif b.kind == "heading":  # level 3/4 in two-column layout: inside the column
                    pdf.set_font("DejaVu", "B", HEADING_PT[b.level])
                    with cols.paragraph(top_margin=2.5, bottom_margin=1.5, line_height=1.2) as p:
                        p.write(b.text)
            pdf.set_font("DejaVu", "", BODY_PT)
        flow = []
        page_has_content = True
        pdf.set_x(pdf.l_margin)

    for b in report.blocks:
        if b.kind in ("para", "bullets") or (b.kind == "heading" and ncols == 2 and b.level >= 3):
            flow.append(b)
            continue
        flush_flow()
        if b.kind == "titlepage":
            pdf.set_y(85)
            for k, line in enumerate(b.items):
                if k == 0:
                    pdf.set_font("DejaVu", "B", 24)
                    pdf.multi_cell(full_w, 11, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                    pdf.ln(8)
                elif not line:
                    pdf.ln(6)
                else:
                    pdf.set_font("DejaVu", "", 14)
                    pdf.multi_cell(full_w, 8, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.add_page()
            page_has_content = False
        elif b.kind == "toc":
            pdf.set_font("DejaVu", "", BODY_PT)
            lh = body_lh * 1.1
            for line in b.items:
                level, text, page = toc_entry(line)
                ensure_space(lh)
                indent = 6 * level
                x0 = pdf.l_margin + indent
                pdf.set_x(x0)
                if page is None:
                    pdf.multi_cell(full_w - indent, lh, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                else:
                    num_w = pdf.get_string_width(page)
                    avail = full_w - indent - num_w - 2
                    label = text
                    while pdf.get_string_width(label + " ") > avail and len(label) > 4:
                        label = label[:-2] + "…"
                    dot_w = pdf.get_string_width(".")
                    ndots = int((avail - pdf.get_string_width(label + " ")) / dot_w)
                    pdf.cell(full_w - indent - num_w - 1, lh, label + " " + "." * max(ndots, 0), align="L")
                    pdf.cell(num_w + 1, lh, page, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                page_has_content = True
            pdf.ln(3)
        elif b.kind == "heading":
            size = HEADING_PT[b.level]
            h = size * PT_MM * 1.3
            space_before = {1: 6, 2: 4.5, 3: 3.5, 4: 2.5}[b.level]
            ensure_space(space_before + h + body_lh * 3)  # keep with the next lines
            if page_has_content:
                pdf.ln(space_before)
            pdf.set_font("DejaVu", "B", size)
            pdf.multi_cell(full_w, h, b.text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1.5)
            page_has_content = True
        elif b.kind == "pagebreak":
            if page_has_content:
                pdf.add_page()
                page_has_content = False
        elif b.kind == "table":
            draw_table(pdf, b.items, full_w, ensure_space)
            page_has_content = True
    flush_flow()
    return pdf


_MEASURE: FPDF | None = None


def column_widths(rows: list[list[str]], full_w: float, size: float) -> list[float]:
    """Column widths (mm, summing to full_w) roughly proportional to the content."""
    global _MEASURE
    if _MEASURE is None:
        _MEASURE = FPDF(unit="mm")
        _MEASURE.add_font("DejaVu", "", str(FONT_REGULAR))
        _MEASURE.add_font("DejaVu", "B", str(FONT_BOLD))
    m = _MEASURE
    ncols = len(rows[0])
    natural = []
    for c in range(ncols):
        m.set_font("DejaVu", "", size)
        widest = max((m.get_string_width(r[c]) for r in rows[1:]), default=0)
        longest_word = max((m.get_string_width(w) for r in rows[1:] for w in r[c].split()), default=0)
        m.set_font("DejaVu", "B", size)
        head = max((m.get_string_width(w) for w in rows[0][c].split()), default=0)
        natural.append((max(widest, head, 8) + 4, max(longest_word, head) + 4))
    total = sum(n for n, _ in natural)
    if total <= full_w:
        widths = [n + (full_w - total) / ncols for n, _ in natural]
    else:
        # shrink proportionally, but never below the longest word (if that is possible)
        floors = [min(w, full_w / ncols * 1.6) for _, w in natural]
        if sum(floors) > full_w:
            floors = [f * full_w / sum(floors) for f in floors]
        spare = full_w - sum(floors)
        extra = [max(n - f, 0) for (n, _), f in zip(natural, floors, strict=True)]
        ext_total = sum(extra) or 1
        widths = [f + spare * e / ext_total for f, e in zip(floors, extra, strict=True)]
    return widths


def draw_table(pdf: FPDF, rows: list[list[str]], full_w: float, ensure_space) -> None:
    ncols = len(rows[0])
    size = 8.5 if ncols >= 5 else 9
    widths = column_widths(rows, full_w, size)
    pdf.set_font("DejaVu", "", size)
    numeric = numeric_columns(rows)
    line_h = size * PT_MM * 1.35
    ensure_space(line_h * 4)
    pdf.ln(1)
    with pdf.table(
        col_widths=tuple(widths),
        width=full_w,
        align="LEFT",
        text_align="LEFT",
        line_height=line_h,
        padding=(1.0, 1.5, 1.0, 1.5),
        headings_style=FontFace(emphasis="BOLD", fill_color=(225, 225, 225)),
        repeat_headings=1,
        borders_layout="ALL",
        first_row_as_headings=True,
        cell_fill_mode=TableCellFillMode.NONE,
    ) as table:
        for r_i, row in enumerate(rows):
            trow = table.row()
            for c_i, val in enumerate(row):
                align = "RIGHT" if (r_i > 0 and numeric[c_i]) else "LEFT"
                trow.cell(val, align=align)
    pdf.set_font("DejaVu", "", BODY_PT)
    pdf.set_x(pdf.l_margin)
    pdf.ln(4)


# ---------------------------------------------------------------------------
# TXT
# ---------------------------------------------------------------------------


def pdf_to_txt(pdf_path: Path, txt_path: Path) -> None:
    exe = shutil.which("pdftotext")
    if not exe:
        raise BuildError("pdftotext not found; install it with: apt-get install -y poppler-utils")
    res = subprocess.run(
        [exe, "-layout", "-enc", "UTF-8", str(pdf_path), str(txt_path)], capture_output=True, text=True, timeout=120
    )
    if res.returncode != 0 or not txt_path.exists():
        raise BuildError(f"pdftotext failed (exit {res.returncode}): {res.stderr.strip()[:300]}")


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------


def build_one(report: Report, out_dir: Path, profile_dir: Path) -> list[Path]:
    name = report.meta.out_name
    docx_path = out_dir / f"{name}.docx"
    pdf_path = out_dir / f"{name}.pdf"
    written = []
    build_docx(report, docx_path)
    written.append(docx_path)
    if report.meta.pdf_engine == "libreoffice":
        pdf_via_libreoffice(report, docx_path, pdf_path, profile_dir)
    else:
        build_pdf_fpdf(report, pdf_path)
    written.append(pdf_path)
    if "txt" in report.meta.formats:
        txt_path = out_dir / f"{name}.txt"
        pdf_to_txt(pdf_path, txt_path)
        written.append(txt_path)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Build PDF/DOCX/TXT report files from markup sources.")
    ap.add_argument("src_dir", type=Path, help="folder with <stem>.md sources")
    ap.add_argument("out_dir", type=Path, help="folder for the built files")
    ap.add_argument("--only", nargs="+", metavar="STEM", help="build only these stems")
    args = ap.parse_args(argv)

    if not args.src_dir.is_dir():
        print(f"build_reports.py: error: source folder {args.src_dir} does not exist", file=sys.stderr)
        return 1
    sources = sorted(args.src_dir.glob("*.md"))
    failed = 0
    if args.only:
        wanted = set(args.only)
        found = {p.stem for p in sources}
        for stem in sorted(wanted - found):
            print(f"build_reports.py: error: --only {stem}: no {args.src_dir / (stem + '.md')}", file=sys.stderr)
            failed += 1
        sources = [p for p in sources if p.stem in wanted]
    if not sources:
        print(f"build_reports.py: error: no sources to build in {args.src_dir}", file=sys.stderr)
        return 1
    args.out_dir.mkdir(parents=True, exist_ok=True)

    used_names: dict[str, Path] = {}
    built = 0
    with tempfile.TemporaryDirectory(prefix="build_reports_lo_") as profile:
        for path in sources:
            try:
                report = parse_source(path)
                key = report.meta.out_name.lower()
                if key in used_names:
                    raise SourceError(
                        path, None, f"output name {report.meta.out_name!r} is already used by {used_names[key].name}"
                    )
                used_names[key] = path
                written = build_one(report, args.out_dir, Path(profile))
            except SourceError as exc:
                print(str(exc), file=sys.stderr, flush=True)
                failed += 1
                continue
            except BuildError as exc:
                print(f"{path}: error: {exc}", file=sys.stderr, flush=True)
                failed += 1
                continue
            except Exception as exc:  # keep going with the other sources
                print(f"{path}: error: build failed: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
                failed += 1
                continue
            built += 1
            print(f"{path.name}: " + ", ".join(p.name for p in written), flush=True)
    print(f"built {built} of {len(sources)} source(s)" + (f", {failed} error(s)" if failed else ""), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
