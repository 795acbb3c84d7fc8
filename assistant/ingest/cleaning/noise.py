"""Step 2: page furniture dropped.

Running page headers and footers are not part of the report's text. They are
found by statistics of the document itself: a line that stands at the top or the
bottom of many pages, with its numbers counted as one ("Sida 3 av 9", "Daglig
verksamhet Blåklinten – VB 2022 SID 2 (7)"), or any line repeated on many pages;
page-number patterns ("SID 7 (12)", "3 (av 7)", a bare number); a repeated title
line; and a few addresses the city prints on every page ("Tjänsteutlåtande",
"start.stockholm", "Dnr …") in text files whose pages are not known. A table of
contents goes too. A "Sid N (M)" page start noted on a dropped line moves to the
next kept one.
"""

from __future__ import annotations

import re
from collections import Counter

from .headings import heading_of
from .lines import Line

__all__ = ["drop_noise"]

# Lines that are page furniture wherever they stand.
_NOISE = [
    re.compile(r"^\s*tjänsteutlåtande\s*$", re.I),
    re.compile(r"^\s*(?:https?://)?(?:www\.|start\.)?stockholm(?:\.se)?/?\s*$", re.I),
    re.compile(r"^\s*dnr[:.]?\s*[\w\-./ ]{3,40}$", re.I),
    re.compile(r"^\s*-?\s*\d{1,3}\s*-?\s*$"),  # a bare page number (PDF footers)
    re.compile(r"^\s*sida\s+\d{1,3}\s*(?:av|\()\s*\d{1,3}\)?\s*$", re.I),
    re.compile(r"^\s*\d{1,3}\s*\(\s*(?:av\s*)?\d{1,3}\s*\)\s*$", re.I),  # "3 (av 7)", "3 (7)"
    re.compile(r"^\s*(?:sid|sida|page)\s*\d{1,3}\s*$", re.I),
]
# Lines this close to a page's top or bottom may be running headers and footers.
_EDGE_LINES = 3
# In a running header or footer only the numbers change from page to page.
_DIGITS = re.compile(r"\d+")
# A running header that names the report and the city's web address.
_RUNNING_HEADER = re.compile(r"(?:www\.|start\.)stockholm(?:\.se)?\s*$", re.I)
_RUNNING_HEADER_MAX = 120  # longer lines ending in the address are prose
# A table of contents: its title, then entries ending in a page number.
_TOC_TITLE = re.compile(r"^\s*innehåll(?:sförteckning)?\s*$", re.I)
_TOC_LINE = re.compile(r"^.{3,200}?(?:\t+|\.{3,}\s*|\s{2,})\d{1,3}\s*$")
# A report's title line; repeated, its later copies are running headers.
_REPORT_TITLE = re.compile(r"^(verksamhetsberättelse|verksamhetsplan)\b", re.I)


def drop_noise(lines: list[Line]) -> list[Line]:
    """The lines that are the report's own text, in order."""
    noise = _NoiseFilter(lines)
    keep: list[Line] = []
    marker: int | None = None  # a page start noted on a dropped line moves to the next kept one
    for line in lines:
        if noise.is_noise(line.text):
            marker = line.marker if line.marker is not None else marker
            continue
        if line.marker is None:
            line.marker = marker
        marker = None
        keep.append(line)
    return keep


class _NoiseFilter:
    """Judges lines in document order; knows how often each line recurs and on how many pages."""

    def __init__(self, lines: list[Line]) -> None:
        self.counts = Counter(line.text for line in lines)
        self.pages_with: dict[str, set[int]] = {}
        by_page: dict[int, list[Line]] = {}
        for line in lines:
            if line.page is not None:
                self.pages_with.setdefault(line.text, set()).add(line.page)
                by_page.setdefault(line.page, []).append(line)
        self.n_pages = len(by_page) or 1
        # Pages on which a line's shape (numbers folded) stands at the top or bottom.
        self.edge_pages: dict[str, set[int]] = {}
        for page, page_lines in by_page.items():
            edge = max(1, min(_EDGE_LINES, len(page_lines) // 3))  # a short page: its first and last line
            for line in page_lines[:edge] + page_lines[-edge:]:
                self.edge_pages.setdefault(_shape(line.text), set()).add(page)
        self.seen_title_like: set[str] = set()
        self.in_toc = False

    def is_noise(self, text: str) -> bool:
        if self._table_of_contents(text):
            return True
        if any(p.match(text) for p in _NOISE):
            return True
        if _RUNNING_HEADER.search(text) and len(text) < _RUNNING_HEADER_MAX:
            return True
        # A repeated report-title line ("Verksamhetsberättelse 2012 Assistansenheten"):
        # the first one stays as the title, the running-header copies go.
        if self.counts[text] >= 2 and _REPORT_TITLE.match(text):
            if text in self.seen_title_like:
                return True
            self.seen_title_like.add(text)
            return False
        return self._repeated_on_pages(text) or self._running_edge(text)

    def _table_of_contents(self, text: str) -> bool:
        """The contents' title and its entries, up to the first line that is no entry."""
        if self.in_toc:
            if _TOC_LINE.match(text):
                return True
            self.in_toc = False
        if _TOC_TITLE.match(text):
            self.in_toc = True
            return True
        return False

    def _running_edge(self, text: str) -> bool:
        """A line whose shape stands at the top or bottom of many pages: a running header or footer."""
        pages = len(self.edge_pages.get(_shape(text), ()))
        return self.n_pages >= 3 and pages >= max(3, self.n_pages // 2) and heading_of(text) is None

    def _repeated_on_pages(self, text: str) -> bool:
        """Any line repeated on many PDF pages is a running header/footer (a heading is not)."""
        pages = len(self.pages_with.get(text, ()))
        return self.n_pages >= 3 and pages >= max(3, self.n_pages // 2) and heading_of(text) is None


def _shape(text: str) -> str:
    """The line with every number as "#": the same for each page's running footer."""
    return _DIGITS.sub("#", " ".join(text.split()))
