"""Two columns set side by side in a text file, read one after the other.

Text that a layout-keeping extractor made of a two-column PDF page
(``pdftotext -layout``) has the columns' lines next to each other, a gutter of
spaces between them. The gutter is found from the page itself: the column
where most lines' right-hand text starts after a run of spaces. Within a run of
such lines (full-width lines, headings and table rows, end it) the left
column's pieces are read first, then the right column's. Each piece keeps its
offset in the source, so the cleaned text still leads back to the file.
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["column_pieces"]

Piece = tuple[int, int, str, bool]  # (offset of the source line, offset of the text, stripped text, blank before)

_GAP = re.compile(r"\S( {3,})(?=\S)")
_MIN_ROWS = 4  # lines with both columns on a page before it counts as two-column
_MIN_SHARE = 0.25  # of the page's non-empty lines
_SLACK = 2  # columns the right-hand text may start off the gutter
_REGION_BREAK = 2  # blank lines in a row that end a block of columns (a paragraph break is one)
_MIN_LEFT = 12  # characters of the left-hand text in a two-column line (a label and a number is a table row)


def column_pieces(page_text: str) -> list[Piece] | None:
    """The page's non-empty pieces in reading order, or None when it is not set in two columns."""
    rows = _rows(page_text)
    gutter = _gutter(rows)
    if gutter is None:
        return None
    out: list[Piece] = []
    region: list[tuple[int, str]] = []  # (line offset, line) of the current two-column run
    blanks = 0
    for pos, line in rows:
        blanks = blanks + 1 if not line.strip() else 0
        if blanks == _REGION_BREAK:
            out += _read_region(region, gutter)  # a wider gap than a paragraph's: the next block starts
            region = []
        if _in_columns(line, gutter):
            region.append((pos, line))
            continue
        out += _read_region(region, gutter)
        region = []
        if line.strip():
            start = pos + len(line) - len(line.lstrip())
            out.append((pos, start, line.strip(), _blank_before(out, pos, page_text)))
    out += _read_region(region, gutter)
    return out


def _rows(page_text: str) -> list[tuple[int, str]]:
    rows, pos = [], 0
    for line in page_text.split("\n"):
        rows.append((pos, line))
        pos += len(line) + 1
    return rows


def _gutter(rows: list[tuple[int, str]]) -> int | None:
    starts: Counter[int] = Counter()
    filled = 0
    for _, line in rows:
        if not line.strip():
            continue
        filled += 1
        gaps = list(_GAP.finditer(line))
        if len(gaps) == 1 and len(line[: gaps[0].start(1)].strip()) >= _MIN_LEFT:
            starts[gaps[0].end(1)] += 1
    if not starts:
        return None
    # Neighbouring start columns count together (a ragged right column).
    best = max(starts, key=lambda c: sum(starts[c + d] for d in range(-_SLACK, _SLACK + 1)))
    count = sum(starts[best + d] for d in range(-_SLACK, _SLACK + 1))
    if count < _MIN_ROWS or count < _MIN_SHARE * filled:
        return None
    return min(c for c in range(best - _SLACK, best + _SLACK + 1) if starts[c]) if starts else None


def _in_columns(line: str, gutter: int) -> bool:
    """Blank, left text only (ending before the gutter), right text only, or both split at the gutter."""
    if not line.strip():
        return True
    text_start = len(line) - len(line.lstrip())
    if text_start >= gutter - _SLACK:
        return True  # the right column only
    if len(line.rstrip()) < gutter - 1:
        return True  # the left column only
    gaps = list(_GAP.finditer(line))
    return any(abs(g.end(1) - gutter) <= _SLACK and len(line[: g.start(1)].strip()) >= 1 for g in gaps) and (
        len(gaps) == 1
    )


def _read_region(region: list[tuple[int, str]], gutter: int) -> list[Piece]:
    """The left column's pieces, then the right column's."""
    if not any(line.strip() for _, line in region):
        return []
    columns: tuple[list[Piece], list[Piece]] = ([], [])
    blank = [False, False]
    for pos, line in region:
        left, right = _split(line, gutter)
        for side, (start, text) in enumerate((left, right)):
            if text:
                columns[side].append((pos, pos + start, text, blank[side]))
                blank[side] = False
            else:
                blank[side] = True
    return columns[0] + columns[1]


def _split(line: str, gutter: int) -> tuple[tuple[int, str], tuple[int, str]]:
    """((offset, text) of the left part, (offset, text) of the right part) of one line."""
    cut = gutter - _SLACK
    for g in _GAP.finditer(line):
        if abs(g.end(1) - gutter) <= _SLACK:
            cut = g.end(1)
            break
    left_raw, right_raw = line[:cut], line[cut:]
    left = (len(left_raw) - len(left_raw.lstrip()), left_raw.strip())
    right = (cut + len(right_raw) - len(right_raw.lstrip()), right_raw.strip())
    if not line[:cut].strip():
        left = (0, "")
    return left, right


def _blank_before(out: list[Piece], pos: int, page_text: str) -> bool:
    if not out:
        return False
    previous_end = out[-1][1] + len(out[-1][2])
    return "\n\n" in page_text[previous_end:pos] or page_text[previous_end:pos].count("\n") > 1
