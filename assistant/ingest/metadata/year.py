"""The year a report is about, told apart from the years it mentions.

Several reports never state their year in a title, and all of them mention
other years: the year before ("jämfört med 2011", "Periodens utfall VB 2017"),
meetings held the following January ("APT 2013-01-28"), programme periods
("2019–2022", "Agenda 2030"), the year a plan prepares for ("Inför 2022").
The title line, the file name and the file's properties are sources of their
own; the body is scored: indicator-table periods weigh most, phrases like
"under 2014" count, and mentions that point elsewhere are ignored.
"""

from __future__ import annotations

import re
from collections import Counter

from ...lang.months import months_pattern
from .evidence import Evidence, weight
from .hints import MetadataHints, file_name_words, labelled_fields
from .title import YEAR, TitleLine

__all__ = ["year_evidence"]

_YEAR_TOKEN = re.compile(rf"^{YEAR}$")
_YEAR_IN_TEXT = re.compile(rf"(?<!\d){YEAR}(?!\d)")
_RANGE = re.compile(rf"\b({YEAR})\s*[-–—/]\s*({YEAR}|\d\d)\b(?!-\d)")  # not a date (2018-01-01)
_DATE = re.compile(rf"\b({YEAR})-(\d\d)-(\d\d)\b")
_DATE_PAIR = re.compile(rf"\b({YEAR})-\d\d-\d\d\s+({YEAR})-\d\d-\d\d\b")
_MENTION = re.compile(rf"(?<![\d-]){YEAR}(?![\d-])")
# Context before a year that means "not the year this report is about".
_ELSEWHERE = re.compile(
    r"(?:jämfört\s+med(?:\s+år)?|föregående\s+år|förra\s+året|inför|sedan|till\s+år|till|agenda|program|"
    r"miljöprogram(?:met)?|vision|strategi|utfall\s+VB|VB(?=\s*\d{4}\s*(?:Årsmål|Prognos))|mandatperiod(?:en)?|"
    r"från|fond\s+från|dec-|t\.o\.m\.?)\s*$",
    re.I,
)
# Context before a year that points at the report's own year.
_OWN = re.compile(
    r"(?:under(?:\s+året)?|under\s+hela|i|för|år|VB|VP|period(?:en)?|bokslut|helåret|"
    rf"(?:{months_pattern()}))\s*$",
    re.I,
)
# The Period column of an indicator row, "… 90 % 2014": a year after a percentage, ending its cell.
_CELL_END = re.compile(r"\s*$")
_AFTER_PERCENT = re.compile(r"%\s+(?:VB\s*)?$")
# "VB 2014" names the report's year, unless a forecast or target column follows ("VB 2017 Prognos").
_AFTER_VB = re.compile(r"\bVB\s*$")
_FORECAST_NEXT = re.compile(r"\s*(?:Prognos|Årsmål|Progno)")


def year_evidence(
    text: str, titles: list[TitleLine], first_lines: list[str], hints: MetadataHints
) -> list[Evidence[int]]:
    """Every source's word on the report's year."""
    out: list[Evidence[int]] = []
    title_years = [t.year for t in titles if t.year]
    if title_years:
        out.append(Evidence(title_years[0], "title", weight("title")))
    report_field = labelled_fields(first_lines).get("report", "")
    if m := _YEAR_IN_TEXT.search(report_field):
        out.append(Evidence(int(m.group(0)), "field", weight("field")))
    years_in_name = [int(w) for w in file_name_words(hints.file_name) if _YEAR_TOKEN.match(w)]
    if len(set(years_in_name)) == 1:
        out.append(Evidence(years_in_name[0], "file_name", weight("file_name")))
    prop = " ".join(hints.properties.get(k, "") for k in ("title", "subject"))
    years_in_props = {int(y) for y in _YEAR_IN_TEXT.findall(prop)}
    if len(years_in_props) == 1:
        out.append(Evidence(years_in_props.pop(), "properties", weight("properties")))
    scored = _score_body(text)
    if scored is not None:
        out.append(Evidence(scored, "text_only", weight("text_only")))
    return out


def _score_body(text: str) -> int | None:
    scores: Counter[int] = Counter()
    masked = _blank_out(text, _RANGE)  # "2019–2022", "2010-2012": a span, not the report's year
    for m in _DATE_PAIR.finditer(masked):
        start_year, end_year = int(m.group(1)), int(m.group(2))
        # An activity running over the whole year counts; one that ends in it, less.
        scores[end_year] += 2 if start_year == end_year else 0.5  # type: ignore[assignment]
    masked = _blank_out(masked, _DATE)
    for m in _MENTION.finditer(masked):
        mention = _mention_weight(masked, m)
        if mention is not None:
            scores[int(m.group(0))] += mention  # type: ignore[assignment]
    if not scores:
        return None
    best, _ = scores.most_common(1)[0]
    return best


def _blank_out(text: str, pattern: re.Pattern[str]) -> str:
    """``text`` with every match of ``pattern`` replaced by spaces, so that offsets stay."""
    return pattern.sub(lambda m: " " * (m.end() - m.start()), text)


def _mention_weight(masked: str, m: re.Match[str]) -> float | None:
    """How much a year mention counts for the report's own year; None if it points elsewhere."""
    before = masked[max(0, m.start() - 40) : m.start()]
    after = masked[m.end() : m.end() + 12]
    if _ELSEWHERE.search(before):
        return None
    mention = 1.0
    if _OWN.search(before):
        mention = 2.0
    if _CELL_END.match(masked[m.end() : m.end() + 2]) and _AFTER_PERCENT.search(before[-12:]):
        mention = 3.0  # the Period column of an indicator row: "… 90 % 2014"
    if _AFTER_VB.search(before) and not _FORECAST_NEXT.match(after):
        mention = 3.0
    return mention
