"""Step 1: the source split into lines, each remembering its offset and page.

A PDF knows its pages; a text file learns them from its "Sid N (M)" markers,
which are noted on the line after them and dropped. What a DOCX file states
itself (heading styles, table rows) is marked on its lines here, so that later
steps do not guess it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ...documents import RawDocument
from .columns import column_pieces
from .headings import LEAF_LEVEL, heading_of

__all__ = ["PAGE_BREAK", "Line", "split_lines"]

# The running page header of a text file extracted from a PDF: "SID 7 (12)", "Sida 3 av 9".
_PAGE_MARKER = re.compile(r"^\s*sid(?:a)?\s*(\d{1,3})\s*(?:\(|av\s)\s*(\d{1,3})\s*\)?\s*$", re.I)
# What joins the pages of a PDF into one source text (offsets count it).
PAGE_BREAK = "\n\f\n"


@dataclass
class Line:
    start: int  # offset in the source text of the stripped line
    end: int
    page: int | None
    text: str
    blank_before: bool = False
    kind: str = "text"  # text | heading | heading-cont | status | table
    level: int = -1
    label: str | None = None
    title: str | None = None
    header: bool = False  # a table's header row (or a wrapped piece of it)
    forced: bool = False  # kind given by the file's own structure (DOCX styles and tables)
    marker: int | None = None  # the page a "Sid N (M)" marker just before this line starts


def split_lines(raw: RawDocument) -> tuple[str, list[Line], int | None]:
    """(source text, its non-empty lines, page count) of a document.

    A "Sid N (M)" marker of a text file is noted on the line after it (the
    first line of page N) and tells the page count.
    """
    lines: list[Line] = []
    page_count: int | None = len(raw.pages) if raw.has_real_pages else None
    structure = _DocxStructure(raw)
    pending_marker: int | None = None
    offset = 0
    for page_no, page_text in enumerate(raw.pages, start=1):
        if page_no > 1:
            offset += len(PAGE_BREAK)
        # Text laid out from a two-column page (pdftotext -layout) is read one column after the other.
        columns = column_pieces(page_text) if raw.encoding not in ("pdf", "docx") else None
        for pos, start, text, blank in columns or _pieces(page_text):
            marker = _PAGE_MARKER.match(text)
            if marker:
                if not raw.has_real_pages:  # a PDF knows its pages already
                    pending_marker = int(marker.group(1))
                    page_count = max(page_count or 0, int(marker.group(2)))
                continue
            page = page_no if raw.has_real_pages else None
            line = Line(offset + start, offset + start + len(text), page, text, blank_before=blank)
            line.marker, pending_marker = pending_marker, None
            structure.mark(line, page_no - 1, pos)
            lines.append(line)
        offset += len(page_text)
    return PAGE_BREAK.join(raw.pages), lines, page_count


def _pieces(page_text: str) -> Iterator[tuple[int, int, str, bool]]:
    """(offset of the source line, offset of its text, the stripped text, blank line before)
    for each non-empty line of a page."""
    pos = 0
    blank = False
    for piece in page_text.split("\n"):
        stripped = piece.strip()
        if stripped:
            yield pos, pos + len(piece) - len(piece.lstrip()), stripped, blank
            blank = False
        else:
            blank = True
        pos += len(piece) + 1


class _DocxStructure:
    """The headings and tables a DOCX loader found, marked on lines as they are split."""

    def __init__(self, raw: RawDocument) -> None:
        self.heading_depth = {(page, start): level for page, start, level in raw.headings}
        self.table_ends = {(page, start): end for page, start, end in raw.tables}
        self.table_end = -1  # where the current table ends in its page

    def mark(self, line: Line, page_index: int, pos: int) -> None:
        key = (page_index, pos)
        if key in self.heading_depth:
            _force_heading(line, self.heading_depth[key])
        if key in self.table_ends:
            self.table_end = self.table_ends[key]
            line.label = "table-start"
        if pos < self.table_end:
            line.kind, line.forced = "table", True


def _force_heading(line: Line, depth: int) -> None:
    """A DOCX heading: its style says it is one; its words say what kind.

    "KF:s inriktningsmål …" or "Analys" keep their place in the goal hierarchy;
    other top-level headings (Title, Heading 1) are report sections, deeper
    ones sub-headings.
    """
    line.forced = True
    head = heading_of(line.text)
    if head is not None:
        line.kind, line.level, line.label, line.title = "heading", head[0], head[1], head[2] or None
        if head[0] == 0 or head[0] == LEAF_LEVEL:
            line.title = None
        return
    line.kind, line.label, line.title = "heading", None, line.text
    line.level = 0 if depth == 0 else -2
