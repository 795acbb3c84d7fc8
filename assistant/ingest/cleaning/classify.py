"""Step 3: each line classified as a heading, a fulfilment line, a table row or prose.

Headings are the goal hierarchy's labels and report sections (``headings.py``),
section titles wrapped over two lines, numbered goals whose label the PDF
extractor lost, and short capitalised lines between paragraphs. Flattened tables
start at a known header ("Indikator", "Nämndens aktiviteter", …) or a line of
tab-separated cells, and end where prose starts after a complete row.
"""

from __future__ import annotations

import re

from ...resources import data_words
from .headings import GOAL_MAIN, GOAL_SUB, LEAF_LEVEL, heading_of
from .lines import Line
from .shapes import BULLET, ENDS_SENTENCE, LOWER_START, VALUE_END, VALUES_ONLY

__all__ = ["HEADER_WORDS_FILE", "classify_lines", "load_header_words"]

HEADER_WORDS_FILE = "sv/table_header_words.txt"

# A goal's fulfilment line, possibly after a coloured status symbol: "● Uppfylls helt".
_STATUS = re.compile(
    r"^[\s●•○◐■□\-—–]*(Uppfylls\s+(?:helt|delvis|inte|ej)|Uppfyllt|Delvis\s+uppfyllt|Ej\s+uppfyllt|Ingen)\s*$", re.I
)
# Lines that open a flattened table: the header rows the reports' tables start with
# (an "Insats" table's columns are report dates such as "dec-13").
_TABLE_HEAD = re.compile(
    r"^\s*(?:Indikator(?:er)?\b|KF:?s\s+indikatorer\b|Nämndens\s+indikatorer\b|Enhetens\s+indikatorer\b"
    r"|Nämndens\s+aktiviteter\b|Enhetens\s+aktiviteter\b|Aktivitet\s+Startdatum\b"
    r"|Insats\b.*\b(?:dec|jan|jun)-\d\d\b|Beloppen\b|\s*Utfall\s+i\s+bokslut\b)",
    re.I,
)
# Numbered goals whose "KF:s inriktningsmål:" / "KF:s mål för verksamhetsområdet:" label
# the PDF extractor lost ("3. Stadens verksamheter är kostnadseffektiva", "3.1 Budgeten …").
_NUMBERED_MAIN = re.compile(r"^(\d{1,2})\.\s+[A-ZÅÄÖ]\w")
_NUMBERED_SUB = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?\s+[A-ZÅÄÖ]\w")
_NUMBERED_MAX = 160  # longer lines starting with a number are prose
# The number of a KF:s inriktningsmål, on its label line or the line after.
_GOAL_NUMBER = re.compile(r"\d{1,2}")
# A table cell holding a comment on its row.
_COMMENT_ROW = re.compile(r"^(?:Kommentar|Analys)\b", re.I)
# Cell values that mark a line as a table row's: percentages and dates.
_CELL_VALUE = re.compile(r"\d+(?:,\d+)?\s*%|\b\d{4}-\d\d-\d\d\b")
# A year in a header row ("Periodens utfall VB 2017").
_YEAR_TOKEN = re.compile(r"(19|20)\d\d")
_DIGIT = re.compile(r"\d")
# A lone one of these labels opens a flattened indicator table; inside one it repeats its header.
_INDICATOR_LABELS = ("Indikator", "Indikatorer")


def load_header_words() -> frozenset[str]:
    """The words of table header rows, from ``assistant/data/sv/table_header_words.txt``."""
    return frozenset(data_words(HEADER_WORDS_FILE))


_HEADER_WORDS = load_header_words()


def classify_lines(lines: list[Line]) -> None:
    """Set ``kind`` (and a heading's level, label and title) on every line, in place."""
    _Classifier(lines).run()


class _Classifier:
    """Reads the lines in order, remembering whether it is inside a table and where in the goals."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.in_table = False
        self.header_open = False  # inside a table's header row
        self.comment_open = False  # inside a "Kommentar:"/"Analys" cell of a table
        self.seen_structure = False  # no generic headings in the front matter (letterhead, addresses)
        self.goal_main: int | None = None  # number of the current KF:s inriktningsmål
        self.seen_sub_label = False  # a "KF:s mål för verksamhetsområdet" label was seen

    def run(self) -> None:
        for i, line in enumerate(self.lines):
            if line.forced:  # a DOCX heading or table row
                self.in_table = False
                if line.kind == "heading":
                    self.seen_structure = True
                continue
            self._classify(i, line)

    def _classify(self, i: int, line: Line) -> None:
        text = line.text
        prev = self.lines[i - 1] if i else None
        nxt = self.lines[i + 1].text if i + 1 < len(self.lines) else None
        after_label = _is_bare_label(prev)
        head = self._heading(i, after_label)
        if _STATUS.match(text):
            line.kind = "status"
            self.in_table = False
            return
        if head is not None and head[1] in _INDICATOR_LABELS and not self.in_table:
            head = None  # a lone "Indikator" opens a flattened indicator table
        if self.in_table and head is not None and head[0] == LEAF_LEVEL:
            self._label_in_table(line, head[1])
        elif head is not None:
            self._heading_line(line, head, nxt)
        elif _TABLE_HEAD.match(text) or text.count("\t") >= 2:
            self._table_start(line)
        else:
            self._other(i, line, prev, nxt, after_label)

    def _heading(self, i: int, after_label: bool) -> tuple[int, str, str] | None:
        """The heading ``lines[i]`` is: by its words, with the next line, or by its goal number."""
        text = self.lines[i].text
        head = heading_of(text)
        if head is None and i + 1 < len(self.lines):
            # Section titles wrapped over two lines ("Uppföljning av Kommunfullmäktiges / inriktningsmål").
            joined = heading_of(text + " " + self.lines[i + 1].text)
            if joined is not None and joined[0] == 0:
                head = joined
                self.lines[i + 1].kind = "heading-cont"
        if head is None and self.goal_main is not None and not after_label and len(text) < _NUMBERED_MAX:
            head = self._numbered_goal(text, self.goal_main)
        return head

    def _numbered_goal(self, text: str, goal_main: int) -> tuple[int, str, str] | None:
        """The next KF:s inriktningsmål ("4. …") or a KF:s mål under the current one ("3.2 …")."""
        main, sub = _NUMBERED_MAIN.match(text), _NUMBERED_SUB.match(text)
        if main and int(main.group(1)) == goal_main + 1:
            return 1, GOAL_MAIN, text
        if sub and self.seen_sub_label and int(sub.group(1)) == goal_main:
            return 2, GOAL_SUB, text
        return None

    def _label_in_table(self, line: Line, label: str) -> None:
        """A leaf label inside a flattened table ("Analys", "Kommentar"): part of the table."""
        line.kind = "table"
        if label in _INDICATOR_LABELS:  # the header repeated after a page break
            line.header = self.header_open = True
        else:
            self.comment_open = True

    def _heading_line(self, line: Line, head: tuple[int, str, str], nxt: str | None) -> None:
        self.seen_structure = True
        level, label, inline = head
        line.kind, line.level, line.label = "heading", level, label
        line.title = inline
        self.in_table = False
        if level == 1:
            number = _GOAL_NUMBER.search(f"{line.text} {nxt or ''}")
            self.goal_main = int(number.group(0)) if number else self.goal_main
        elif level == 2 and label == GOAL_SUB:
            self.seen_sub_label = True

    def _table_start(self, line: Line) -> None:
        """A table's header, or a row of tab-separated cells."""
        line.kind = "table"
        if not self.in_table:
            line.label = "table-start"
        self.in_table = True
        self.header_open = line.header = bool(_TABLE_HEAD.match(line.text))
        self.comment_open = bool(_COMMENT_ROW.match(line.text))

    def _other(self, i: int, line: Line, prev: Line | None, nxt: str | None, after_label: bool) -> None:
        """A table row, prose, or a generic heading between paragraphs."""
        if self.in_table and not self.header_open and not self.comment_open and prev is not None:
            if VALUE_END.search(prev.text):
                # After a complete row, a paragraph of prose ends the table (the
                # statistics tables of a Verksamhetsbeskrivning are followed by text).
                self.in_table = not _starts_prose(self.lines, i)
        if self.in_table:
            self._table_row(i, line)
            return
        if line.kind == "heading-cont":
            return
        if self.seen_structure and not after_label and _looks_like_generic_heading(line.text, prev, nxt):
            line.kind, line.level, line.label, line.title = "heading", -2, None, line.text

    def _table_row(self, i: int, line: Line) -> None:
        line.kind = "table"
        neighbours = [self.lines[k].text for k in (i - 1, i + 1) if 0 <= k < len(self.lines)]
        if self.header_open and _is_header_words(line.text, neighbours):
            line.label = "table-header-cont"
            line.header = True
            return
        self.header_open = False
        if _COMMENT_ROW.match(line.text):
            self.comment_open = True
        elif _closes_row(line.text):
            self.comment_open = False  # a new row's values close the comment before it


def _is_bare_label(line: Line | None) -> bool:
    """A goal label without its text, or a leaf label: what follows is its content, not a heading."""
    return (
        line is not None
        and line.kind == "heading"
        and ((1 <= line.level <= 4 and not line.title) or line.level == LEAF_LEVEL)
    )


def _is_header_words(text: str, neighbours: list[str]) -> bool:
    """Is ``text`` the rest of a table's header row: header words, years, and pieces of header words
    that a narrow column broke over lines ("kvinn" / "or/", "Progno" / "s"), which a token of a
    neighbouring line completes?"""
    near = [tok.lower() for other in neighbours for tok in other.split()]
    return all(_header_token(tok.lower(), near) for tok in text.split())


def _header_token(tok: str, near: list[str]) -> bool:
    if tok in _HEADER_WORDS or _YEAR_TOKEN.fullmatch(tok) or not any(c.isalnum() for c in tok):
        return True
    return any(tok + other in _HEADER_WORDS or other + tok in _HEADER_WORDS for other in near)


def _closes_row(text: str) -> bool:
    """A line with a row's cell values ("16,7 % 10 % 75 % 2012", "… 5,5 % 5,8 % VB")."""
    if VALUES_ONLY.match(text):
        return True
    cells = _CELL_VALUE.findall(text)
    return len(cells) >= 2 and bool(VALUE_END.search(text)) and not ENDS_SENTENCE.search(text)


def _starts_prose(lines: list[Line], i: int, window: int = 8) -> bool:
    """Does a paragraph of prose (rather than a table row) start at ``lines[i]``?

    A row's name may wrap over several lines but ends in cell values; prose
    ends a sentence first. A sentence followed by a values-only line is an
    activity row ("Chefer ska … . / 2014-01-01 2015-12-31").
    """
    if LOWER_START.match(lines[i].text):
        return False  # the wrapped rest of a cell
    for k in range(i, min(len(lines), i + window)):
        text = lines[k].text
        if "\t" in text or heading_of(text) is not None or _STATUS.match(text) or _COMMENT_ROW.match(text):
            return False
        if VALUE_END.search(text) and not ENDS_SENTENCE.search(text):
            return False
        if ENDS_SENTENCE.search(text):
            return not (k + 1 < len(lines) and VALUES_ONLY.match(lines[k + 1].text))
    return False


def _looks_like_generic_heading(line: str, prev: Line | None, nxt: str | None) -> bool:
    """A short capitalised line without a full stop, between paragraphs, before a capitalised line."""
    s = line.strip()
    if not (2 < len(s) <= 48) or not s[0].isupper():
        return False
    if len(s.split()) > 6 or ENDS_SENTENCE.search(s) or s.endswith(","):
        return False
    if _DIGIT.search(s) or "\t" in s or BULLET.match(s):
        return False
    if prev is not None and prev.kind == "text" and not ENDS_SENTENCE.search(prev.text) and not prev.blank_before:
        return False
    return nxt is not None and bool(nxt.strip()) and nxt.strip()[0].isupper()
