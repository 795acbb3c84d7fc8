"""Which period a figure in a sentence is for: a year, a month, rolling twelve months, last year."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ...lang.months import MONTH_ABBREVIATIONS, month_number, months_pattern
from ...resources import data_words
from .collect import Period, year_period

__all__ = ["PREVIOUS_YEAR", "period_for", "sentences"]

_MONTH_RE = re.compile(r"\b(" + months_pattern() + r")(?:\s+((?:19|20)\d\d))?\b", re.I)
_ROLLING = re.compile(
    r"rullande\s+(?:12|tolv)\s+månader|rullande\s+12\s+månaders|beräknat\s+på\s+(?:12|tolv)\s+månader", re.I
)
_ROLLING_AFTER = re.compile(r"\s*(?:beräknat|räknat)\s+på\s+(?:12|tolv)\s+månader")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
# Words for the year before the one a text is about (assistant/data/sv/previous_year.txt).
PREVIOUS_YEAR = re.compile(
    "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in data_words("sv/previous_year.txt")), re.I
)
_PREV_YEAR = PREVIOUS_YEAR


def sentences(text: str, base: int) -> Iterable[tuple[int, int]]:
    """(start, end) of each sentence or line of ``text``, shifted by ``base``."""
    pos = 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9])|\n", text):
        if m.start() > pos:
            yield base + pos, base + m.start()
        pos = m.end()
    if pos < len(text):
        yield base + pos, base + len(text)


def period_for(
    sentence: str, q_rel_start: int, q_rel_end: int, prev_end: int, report_year: int | None
) -> tuple[Period, bool, bool]:
    """(period, quoted, explicit) for a figure inside ``sentence``.

    Looks at the stretch since the previous figure, and at the clause just
    after the figure ("5,46 % beräknat på 12 månader").
    """
    before = sentence[prev_end:q_rel_start]
    after = re.split(r"[,;%]", sentence[q_rel_end:], maxsplit=1)[0][:60]
    rolling = bool(_ROLLING.search(before) or _ROLLING_AFTER.match(after))
    month_m = None
    for m in _MONTH_RE.finditer(sentence[:q_rel_start]):
        month_m = m
    year = report_year
    explicit = False
    years_before = [int(y) for y in _YEAR.findall(before)]
    own_clause = [int(y) for y in _YEAR.findall(re.split(r"[,;]", before)[-1])]
    # A year named in the figure's own clause after it ("8,7 % under januari–augusti 2023", "ett
    # underskott på 2,3 mnkr för 2021"), when no other figure stands in that clause; it goes before
    # a year in an earlier clause, which is the previous figure's.
    years_after = [int(y) for y in _YEAR.findall(after)] if not re.search(r"\d", _YEAR.sub("", after)) else []
    if own_clause or (years_before and not years_after):
        year = years_before[-1]
        explicit = True
    elif years_after:
        year = years_after[0]
        years_before = []
        explicit = True
        clause_start = prev_end + max(before.rfind(","), before.rfind(";"), -1) + 1
        if month_m and month_m.start() < clause_start:
            month_m = None  # the month of an earlier clause
    elif _PREV_YEAR.search(before) or _PREV_YEAR.search(after):
        year = (report_year - 1) if report_year else None
        explicit = True
    elif month_m and month_m.group(2):
        year = int(month_m.group(2))
    quoted = year is not None and report_year is not None and year < report_year
    month = month_number(month_m.group(1)) if month_m else None
    if rolling:
        label = f"rullande 12 mån ({MONTH_ABBREVIATIONS[month - 1]} {year})" if month else f"rullande 12 mån ({year})"
        return (label, year, "rullande 12 mån", month), quoted, True
    if month_m and month_m.end() <= q_rel_start and (not years_before or month_m.start() >= prev_end):
        if month_m.start() >= prev_end or not re.search(r"\d", sentence[month_m.end() : q_rel_start]):
            return (f"{month_m.group(1).lower()} {year}", year, "månad", month), quoted, True
    return year_period(year), quoted, explicit
