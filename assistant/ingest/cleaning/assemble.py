"""Step 4: classified lines joined into blocks of clean text.

Hard-wrapped lines (also ones separated by blank lines, as some PDF extractors
write them) are joined into paragraphs, words hyphenated across lines are
rejoined, a goal's label takes its wrapped text along as the heading's title,
and table rows are rebuilt as one line each, the header row on a line of its
own. Every Word paragraph of a DOCX file stays a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...documents import Block
from ...resources import data_words
from .builder import TextBuilder
from .headings import GOAL_MAIN, GOAL_SUB, LEAF_LABELS, LEAF_LEVEL
from .lines import Line
from .pages import PageSpan, PageTracker
from .shapes import BULLET, ENDS_SENTENCE, LOWER_LETTER_START, LOWER_START, VALUE_END

__all__ = ["SUSPENDED_HYPHEN_FILE", "CleanResult", "assemble_lines", "load_suspended_hyphen_words"]

SUSPENDED_HYPHEN_FILE = "sv/suspended_hyphen_words.txt"

# A word broken at the line end: "utveck-" / "ling".
_HYPHEN_END = re.compile(r"(\w+)-$")
# A table cell broken inside a word continues on the next line.
_BROKEN_WORD = re.compile(r"\w-$")
_TITLE_MAX = 300  # characters of a goal's text taken into its heading
_ENTRY_MAX = 140  # characters of a heading's entry in a heading path
_DOUBLE_SPACED_SHARE = 0.6  # share of lines after a blank line in a double-spaced text
_LONG_PARAGRAPH_LINE = 120  # a median prose line this long: one line per paragraph, not wrapped


def load_suspended_hyphen_words() -> frozenset[str]:
    """Words after which a line-end hyphen stays ("stöd- och").

    From ``assistant/data/sv/suspended_hyphen_words.txt``.
    """
    return frozenset(data_words(SUSPENDED_HYPHEN_FILE))


_SUSPENDED_HYPHEN_WORDS = load_suspended_hyphen_words()


@dataclass
class CleanResult:
    text: str
    blocks: tuple[Block, ...]
    offset_map: tuple[tuple[int, int, int], ...]
    page_spans: tuple[PageSpan, ...]
    source_text: str
    page_count: int | None
    first_lines: list[str] = field(default_factory=list)  # kept for title detection


def assemble_lines(
    source: str,
    lines: list[Line],
    page_count: int | None,
    real_pages: bool,
    exact_paragraphs: bool = False,
) -> CleanResult:
    assembler = _Assembler(source, lines, real_pages, exact_paragraphs)
    assembler.run()
    text = assembler.out.text()
    return CleanResult(
        text=text,
        blocks=tuple(assembler.blocks),
        offset_map=tuple(assembler.out.runs),
        page_spans=assembler.pages.spans(len(text), page_count),
        source_text=source,
        page_count=page_count,
        first_lines=[line.text for line in lines[:40]],
    )


class _Assembler:
    """Writes the blocks one after the other; one method per kind of block."""

    def __init__(self, source: str, lines: list[Line], real_pages: bool, exact_paragraphs: bool) -> None:
        self.lines = lines
        self.out = TextBuilder(source)
        self.pages = PageTracker(real_pages)
        self.blocks: list[Block] = []
        self.exact_paragraphs = exact_paragraphs
        self.double_spaced = not exact_paragraphs and _is_double_spaced(lines)
        self.wrap = _wrap_width(lines)

    def run(self) -> None:
        i = 0
        while i < len(self.lines):
            kind = self.lines[i].kind
            self._note_page(i)
            if kind == "heading-cont":
                i += 1  # written with the heading before it, never a block of its own
            elif kind == "heading":
                i = self._heading(i)
            elif kind == "status":
                i = self._status(i)
            elif kind == "table":
                i = self._table(i)
            else:
                i = self._paragraph(i)

    # ------------------------------------------------------------------ blocks (each returns the next line)

    def _heading(self, i: int) -> int:
        """The heading line, its wrapped second line, and for a goal label the goal's own text."""
        line = self.lines[i]
        start = self._open_block(line)
        j = i + 1
        if j < len(self.lines) and self.lines[j].kind == "heading-cont":
            self._note_page(j)
            self.out.synthetic(" ")
            self.out.copy(self.lines[j].start, self.lines[j].end)
            j += 1
        title_parts = [line.title] if line.title else []
        if 1 <= line.level <= 4 and not (line.forced and line.title):
            j = self._goal_text(line, j, title_parts)
        entry = _heading_entry(line, " ".join(title_parts).strip())
        self.blocks.append(Block("heading", start, self.out.length, line.level, line.label, _shorten(entry)))
        return j

    def _goal_text(self, label: Line, j: int, title_parts: list[str]) -> int:
        """The goal's own text after its label, wrapped over lines: added to ``title_parts``."""
        prev_text = label.text
        while j < len(self.lines) and self.lines[j].kind == "text" and len(" ".join(title_parts)) < _TITLE_MAX:
            cur = self.lines[j]
            if not self.double_spaced and cur.blank_before and title_parts:
                break
            if title_parts and ENDS_SENTENCE.search(prev_text) and not label.text.rstrip().endswith(":"):
                break
            self._note_page(j)
            if title_parts:
                self._join(prev_text, cur)
            else:
                self.out.synthetic(" ")
            self.out.copy(cur.start, cur.end)
            title_parts.append(cur.text)
            prev_text = cur.text
            j += 1
            if ENDS_SENTENCE.search(prev_text):
                break
        return j

    def _status(self, i: int) -> int:
        start = self._open_block(self.lines[i])
        self.blocks.append(Block("status", start, self.out.length))
        return i + 1

    def _table(self, i: int) -> int:
        """Table rows, one line each; a row's wrapped cells are joined back."""
        start = self._open_block(self.lines[i])
        j = i + 1
        while j < len(self.lines) and self.lines[j].kind == "table":
            cur = self.lines[j]
            if cur.forced and cur.label == "table-start":
                break  # the next DOCX table is a block of its own
            self._note_page(j)
            self._row_separator(self.lines[j - 1], cur)
            self.out.copy(cur.start, cur.end)
            j += 1
        self.blocks.append(Block("table", start, self.out.length))
        return j

    def _paragraph(self, i: int) -> int:
        """Prose: the lines of one paragraph, joined."""
        prev = self.lines[i]
        start = self._open_block(prev)
        j = i + 1
        while j < len(self.lines) and self.lines[j].kind == "text":
            cur = self.lines[j]
            if self.exact_paragraphs and cur.blank_before:
                break
            if not _continues(prev, cur, self.double_spaced, self.wrap):
                break
            self._note_page(j)
            self._join(prev.text, cur)
            self.out.copy(cur.start, cur.end)
            prev = cur
            j += 1
        self.blocks.append(Block("paragraph", start, self.out.length))
        return j

    # ------------------------------------------------------------------ helpers

    def _open_block(self, line: Line) -> int:
        """Separate from the block before, copy the block's first line; the block's start."""
        if self.out.length:
            self.out.synthetic("\n\n")
        start = self.out.length
        self.out.copy(line.start, line.end)
        return start

    def _note_page(self, i: int) -> None:
        self.pages.note(self.lines[i], self.out.length)

    def _row_separator(self, prev: Line, cur: Line) -> None:
        """What goes between two lines of a table: a new row, a space, or a joined word."""
        if cur.forced:
            self.out.synthetic("\n")  # a DOCX table row
        elif cur.label == "table-start":
            self.out.synthetic("\n")
        elif cur.label == "table-header-cont":
            self.out.synthetic(" ")
        elif prev.header and not cur.header:
            self.out.synthetic("\n")  # the header row ends; the first data row starts
        elif _continues_cell(prev.text, cur.text):
            self._join(prev.text, cur)
        elif prev.text.rstrip(": ").lower() in LEAF_LABELS:
            self.out.synthetic(" ")  # "Kommentar: …" / "Analys …" on one line
        else:
            self.out.synthetic("\n")

    def _join(self, prev_text: str, nxt: Line) -> None:
        """Join a wrapped line: hyphenation kept or removed, else one space."""
        m = _HYPHEN_END.search(prev_text)
        if not m or (nxt.blank_before and not self.double_spaced):
            self.out.synthetic(" ")
            return
        word = m.group(1)
        first = nxt.text.split()[0] if nxt.text.split() else ""
        if first.lower() in _SUSPENDED_HYPHEN_WORDS:
            self.out.synthetic(" ")  # "stöd- och"
        elif word.isupper() or len(word) <= 2 or first[:1].isupper():
            pass  # "FOU-enhet", "e-handel", "Hägersten-Liljeholmen"
        else:
            self.out.drop_last_char()


def _continues_cell(prev_text: str, text: str) -> bool:
    """Is ``text`` the wrapped rest of the cell (or word) that ``prev_text`` ends with?"""
    row_open = not VALUE_END.search(prev_text) or bool(_BROKEN_WORD.search(prev_text))
    return (
        ((row_open and not ENDS_SENTENCE.search(prev_text)) or bool(LOWER_LETTER_START.match(text)))
        and "\t" not in text
        and "\t" not in prev_text
    )


def _heading_entry(line: Line, title: str) -> str:
    """The heading as it is shown in a heading path ("Nämndmål: …", "KF:s mål …", "Analys")."""
    label = line.label
    if label is None:
        return title or line.text
    if line.level == 0:
        return label
    if label in (GOAL_MAIN, GOAL_SUB):
        return f"{label} {title}".strip()
    if line.level == LEAF_LEVEL:
        return label
    return f"{label}: {title}" if title else label


def _continues(prev: Line, cur: Line, double_spaced: bool, wrap: int) -> bool:
    """Does ``cur`` continue the paragraph that ``prev`` is in?"""
    if BULLET.match(cur.text):
        return False
    if LOWER_LETTER_START.match(cur.text) and not ENDS_SENTENCE.search(prev.text):
        return True  # a lower-case continuation, even across a blank line or page break
    if cur.blank_before and not double_spaced:
        return False
    if prev.text.endswith(":") and cur.text[:1].isupper():
        return False
    if not ENDS_SENTENCE.search(prev.text):
        return True
    if LOWER_START.match(cur.text):
        return True
    # A sentence ended exactly at a full-width line: the paragraph likely goes on.
    return (len(prev.text) >= 0.85 * wrap and not double_spaced) or len(prev.text) >= 0.92 * wrap


def _is_double_spaced(lines: list[Line]) -> bool:
    """Hard-wrapped lines with a blank line after each (a common PDF-to-text artefact).

    Text with one long line per paragraph also has blank lines everywhere, but
    there the blank lines are real paragraph breaks.
    """
    if len(lines) < 10:
        return False
    prose = sorted(len(line.text) for line in lines if line.kind == "text")
    if prose and prose[len(prose) // 2] > _LONG_PARAGRAPH_LINE:
        return False
    return sum(1 for line in lines if line.blank_before) / len(lines) > _DOUBLE_SPACED_SHARE


def _wrap_width(lines: list[Line]) -> int:
    """The width the text is wrapped at: a long prose line (80th percentile), at least 40."""
    lengths = sorted(len(line.text) for line in lines if line.kind == "text" and len(line.text) > 30)
    if not lengths:
        return 90
    return max(40, lengths[int(len(lengths) * 0.8)])


def _shorten(text: str, limit: int = _ENTRY_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
