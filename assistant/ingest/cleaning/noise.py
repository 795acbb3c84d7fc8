"""Step 2: page furniture dropped.

Running page headers and footers ("Tjänsteutlåtande", "start.stockholm",
"stockholm.se", "Dnr …", bare page numbers, a repeated title line, any line
repeated on many PDF pages) and a table of contents are not part of the report's
text. A "Sid N (M)" page start noted on a dropped line moves to the next kept one.
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
]
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
        for line in lines:
            if line.page is not None:
                self.pages_with.setdefault(line.text, set()).add(line.page)
        self.n_pages = len({line.page for line in lines if line.page is not None}) or 1
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
        return self._repeated_on_pages(text)

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

    def _repeated_on_pages(self, text: str) -> bool:
        """Any line repeated on many PDF pages is a running header/footer (a heading is not)."""
        pages = len(self.pages_with.get(text, ()))
        return self.n_pages >= 3 and pages >= max(3, self.n_pages // 2) and heading_of(text) is None
