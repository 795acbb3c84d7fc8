"""Which page each stretch of the cleaned text is on: ``page_spans``.

A PDF's lines know their page. Text extracted from a PDF keeps "Sid N (M)"
headers at the top of page N: between two consecutive markers the page is
exact; across gaps (a page whose header was lost) and before the first marker
it is interpolated. A file without either has no pages.
"""

from __future__ import annotations

import itertools

from .lines import Line

__all__ = ["PageSpan", "PageTracker"]

PageSpan = tuple[int, int, int, bool]  # (clean start, clean end, page, exact)


class PageTracker:
    """Where pages start in the cleaned text, noted as lines are copied into it."""

    def __init__(self, real_pages: bool) -> None:
        self.real_pages = real_pages
        self.markers: list[tuple[int, int]] = []  # (clean offset, page) from "Sid N (M)" markers
        self.line_pages: list[tuple[int, int]] = []  # (clean offset, page) of a PDF's lines

    def note(self, line: Line, offset: int) -> None:
        """``line`` is about to be copied at ``offset`` of the cleaned text."""
        if line.marker is not None:
            self.markers.append((offset, line.marker))
        if self.real_pages and line.page is not None:
            if not self.line_pages or self.line_pages[-1][1] != line.page:
                self.line_pages.append((offset, line.page))

    def spans(self, length: int, page_count: int | None) -> tuple[PageSpan, ...]:
        if self.real_pages:
            return _pdf_spans(length, self.line_pages)
        if not self.markers:
            return ()
        return _marker_spans(length, self.markers, page_count)


def _pdf_spans(length: int, line_pages: list[tuple[int, int]]) -> tuple[PageSpan, ...]:
    spans: list[PageSpan] = []
    for k, (start, page) in enumerate(line_pages):
        end = line_pages[k + 1][0] if k + 1 < len(line_pages) else length
        if end > start:
            spans.append((start, end, page, True))
    return tuple(spans)


def _marker_spans(length: int, markers: list[tuple[int, int]], page_count: int | None) -> tuple[PageSpan, ...]:
    points = [(0, 1), *markers, (length, (page_count or markers[-1][1]) + 1)]
    spans: list[PageSpan] = []
    for (a_off, a_page), (b_off, b_page) in itertools.pairwise(points):
        if b_off <= a_off:
            continue
        pages = max(1, b_page - a_page)
        exact = pages == 1 and (a_off, a_page) != (0, 1)
        step = (b_off - a_off) / pages
        for p in range(pages):
            s = int(a_off + p * step)
            e = int(a_off + (p + 1) * step) if p + 1 < pages else b_off
            if e > s:
                spans.append((s, e, a_page + p, exact))
    return tuple(spans)
