"""Detecting a report's unit, district, year, type and title from its content.

Several reports never state their year in a title, and all of them mention
other years: the year before ("jämfört med 2011", "Periodens utfall VB 2017"),
meetings held the following January ("APT 2013-01-28"), programme periods
("2019–2022", "Agenda 2030"). The year is therefore scored: title lines and
indicator-table periods weigh most, phrases like "under 2014" count, and
mentions that point elsewhere are ignored.

Stockholm's districts (``sv/districts.toml``) and the words that end a unit's
name (``sv/unit_name_stop_words.txt``) are data in ``assistant/data/``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..lang.months import months_pattern
from ..resources import data_toml, data_words

__all__ = [
    "DISTRICTS_FILE",
    "KNOWN_DISTRICTS",
    "UNIT_STOP_WORDS_FILE",
    "DetectedMeta",
    "detect_metadata",
    "detect_title",
    "load_districts",
    "load_unit_stop_words",
    "normalise_unit",
]

DISTRICTS_FILE = "sv/districts.toml"
UNIT_STOP_WORDS_FILE = "sv/unit_name_stop_words.txt"


def load_districts() -> tuple[str, ...]:
    """Stockholm's districts from ``assistant/data/sv/districts.toml``, in file order (it breaks ties)."""
    return tuple(data_toml(DISTRICTS_FILE)["names"])


def load_unit_stop_words() -> frozenset[str]:
    """Words a unit's name does not end with, from ``assistant/data/sv/unit_name_stop_words.txt``."""
    return frozenset(data_words(UNIT_STOP_WORDS_FILE))


KNOWN_DISTRICTS = load_districts()


@dataclass(frozen=True)
class DetectedMeta:
    title: str
    unit: str | None
    district: str | None
    year: int | None
    type: str


# --------------------------------------------------------------------------- patterns: title and type

_YEAR = r"(?:19[89]\d|20[0-4]\d)"
_TITLE = re.compile(rf"\b(verksamhetsberättelse|verksamhetsplan|VB|VP)\b\s*(?:(?:VB|VP|för|år)\s*)?({_YEAR})?", re.I)
# A title word after "utfall" is a table's column header ("Periodens utfall VB 2017").
_AFTER_OUTCOME = re.compile(r"utfall\s*$", re.I)
# "VB"/"VP" inside a line count as a title only right after the word they stand for.
_AFTER_TITLE_WORD = re.compile(r"(?:verksamhetsberättelse|verksamhetsplan)\s*$", re.I)
# The report's own title line.
_TITLE_LINE = re.compile(r"^\s*(verksamhetsberättelse|verksamhetsplan)\b", re.I)
_TITLE_LINE_MAX = 120  # a longer line is a sentence that names the report
# Without a title, the structure tells the type: a report (berättelse) says how
# goals were met, a plan how they will be worked on.
_REPORT_SIGNS = re.compile(r"\bUppfylls\s+(?:helt|delvis|inte|ej)\b|\bPeriodens\s+utfall\b|\bbokslut", re.I)
_REPORT_LABELS = re.compile(r"^\s*Analys\s*$", re.M)
_PLAN_LABELS = re.compile(r"^\s*Arbetssätt\s*$|^\s*Uppföljning\s*$", re.M)
_PLAN_SIGNS = re.compile(r"\bUtvecklingsområden\b|\bkommer\s+(?:att\s+)?(?:ändras|genomföras|etableras)", re.I)
_REPORT_WORD = re.compile(r"verksamhetsberättelse", re.I)
_PLAN_WORD = re.compile(r"verksamhetsplan", re.I)

# --------------------------------------------------------------------------- patterns: year

_RANGE = re.compile(rf"\b({_YEAR})\s*[-–—/]\s*({_YEAR}|\d\d)\b(?!-\d)")  # not a date (2018-01-01)
_DATE = re.compile(rf"\b({_YEAR})-(\d\d)-(\d\d)\b")
_DATE_PAIR = re.compile(rf"\b({_YEAR})-\d\d-\d\d\s+({_YEAR})-\d\d-\d\d\b")
_MENTION = re.compile(rf"(?<![\d-]){_YEAR}(?![\d-])")
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

# --------------------------------------------------------------------------- patterns: unit and district

_UNIT = re.compile(
    r"\b([A-ZÅÄÖ][a-zåäö]+enheten|Enheten\s+för\s+[a-zåäöA-ZÅÄÖ]+(?:\s+[a-zåäö]+)?)"
    r"(\s+(?:funktionsnedsättning|socialpsykiatri|vuxna|barn(?:\s+och\s+unga)?|äldre))?"
)
_UNIT_STOP = load_unit_stop_words()
_UNIT_SEARCH = 20000  # characters of the text searched for unit names
# All districts in one pattern: one pass over the text instead of one per district.
_DISTRICT = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(n) for n in sorted(KNOWN_DISTRICTS, key=len, reverse=True)) + r")s?(?![\w-])"
)
# Before a district: other administrations the report works with, or a former one.
_PARTNER_BEFORE = re.compile(r"tillsammans med|samverkan med|samarbete med|\bfd\.?\s*\S*\s*$|tidigare")
# After a district: one of several listed administrations.
_LISTED_AFTER = re.compile(r"\s*(?:och|,)\s")
_SEVERAL_AFTER = re.compile(r"\s*stadsdelsförvaltningar")
# After a district: the report's own administration ("Farsta stadsdelsförvaltning").
_ADMINISTRATION_AFTER = re.compile(r"\s*(?:sdf|stadsdelsnämnd|stadsdelsområde|stadsdelsförvaltning\b)")


def normalise_unit(name: str) -> str:
    """Canonical spelling: first letter upper case, single spaces."""
    name = " ".join(name.split())
    return name[:1].upper() + name[1:]


def detect_metadata(text: str, first_lines: list[str], blocks_text: str | None = None) -> DetectedMeta:
    head = "\n".join(first_lines[:25])
    doc_type = _detect_type(text, head)
    year = _detect_year(text, head, doc_type)
    unit = _detect_unit(text, head)
    district = _detect_district(text)
    title = detect_title(first_lines, doc_type, year, unit)
    return DetectedMeta(title=title, unit=unit, district=district, year=year, type=doc_type)


# --------------------------------------------------------------------------- title and type


def _title_matches(head: str) -> list[re.Match[str]]:
    """Title mentions in the first lines, without table headers such as "Periodens utfall VB 2017"."""
    found = []
    for line in head.splitlines():
        for m in _TITLE.finditer(line):
            before = line[: m.start()]
            if _AFTER_OUTCOME.search(before):
                continue
            if m.group(1).upper() in ("VB", "VP") and before.strip() and not _AFTER_TITLE_WORD.search(before):
                continue  # "VB 2018" counts as a title only where a line starts with it
            found.append(m)
    return found


def _detect_type(text: str, head: str) -> str:
    for m in _title_matches(head):
        word = m.group(1).lower()
        if word in ("verksamhetsberättelse", "vb"):
            return "verksamhetsberättelse"
        if word in ("verksamhetsplan", "vp"):
            return "verksamhetsplan"
    # No title: judge from the report's structure. A report (berättelse) says
    # how goals were met ("Uppfylls helt", "Analys", "Periodens utfall"); a
    # plan says how they will be worked on ("Arbetssätt", "Uppföljning", "ska").
    report = len(_REPORT_SIGNS.findall(text)) + len(_REPORT_LABELS.findall(text))
    plan = len(_PLAN_LABELS.findall(text)) + len(_PLAN_SIGNS.findall(text))
    if report == 0 and plan == 0:
        if _REPORT_WORD.search(text):
            return "verksamhetsberättelse"
        if _PLAN_WORD.search(text):
            return "verksamhetsplan"
        return "annat"
    return "verksamhetsberättelse" if report >= plan else "verksamhetsplan"


def detect_title(first_lines: list[str], doc_type: str, year: int | None, unit: str | None) -> str:
    """The report's own title line if it has one, else one made from type, year and unit."""
    for line in first_lines[:25]:
        if _TITLE_LINE.match(line) and len(line) < _TITLE_LINE_MAX:
            title = " ".join(line.split())
            if unit and unit.lower() not in title.lower():
                title = f"{title} – {unit}"
            return title
    kind = {"verksamhetsberättelse": "Verksamhetsberättelse", "verksamhetsplan": "Verksamhetsplan"}.get(
        doc_type, "Rapport"
    )
    parts = [kind + (f" {year}" if year else "")]
    if unit:
        parts.append(unit)
    return " – ".join(parts)


# --------------------------------------------------------------------------- year


def _detect_year(text: str, head: str, doc_type: str) -> int | None:
    for m in _title_matches(head):
        if m.group(2):
            return int(m.group(2))
    scores: Counter[int] = Counter()
    masked = _blank_out(text, _RANGE)  # "2019–2022", "2010-2012": a span, not the report's year
    for m in _DATE_PAIR.finditer(masked):
        start_year, end_year = int(m.group(1)), int(m.group(2))
        # An activity running over the whole year counts; one that ends in it, less.
        scores[end_year] += 2 if start_year == end_year else 0.5  # type: ignore[assignment]
    masked = _blank_out(masked, _DATE)
    for m in _MENTION.finditer(masked):
        weight = _mention_weight(masked, m)
        if weight is not None:
            scores[int(m.group(0))] += weight  # type: ignore[assignment]
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
    weight = 1.0
    if _OWN.search(before):
        weight = 2.0
    if _CELL_END.match(masked[m.end() : m.end() + 2]) and _AFTER_PERCENT.search(before[-12:]):
        weight = 3.0  # the Period column of an indicator row: "… 90 % 2014"
    if _AFTER_VB.search(before) and not _FORECAST_NEXT.match(after):
        weight = 3.0
    return weight


# --------------------------------------------------------------------------- unit and district


def _detect_unit(text: str, head: str) -> str | None:
    counts = _unit_counts(text, head)
    if not counts:
        return None
    # Prefer the qualified form ("Beställarenheten funktionsnedsättning") when
    # it is used repeatedly; it names the unit more precisely than the bare one.
    best, _ = counts.most_common(1)[0]
    for name, count in counts.most_common():
        if name != best and name.startswith(best + " ") and count >= 2:
            return name
    return best


def _unit_counts(text: str, head: str) -> Counter[str]:
    """Unit names mentioned, weighted: a mention in the first lines counts five times."""
    counts: Counter[str] = Counter()
    for source, weight in ((head, 5), (text[:_UNIT_SEARCH], 1)):
        for m in _UNIT.finditer(source):
            words = m.group(1).split()
            while words and words[-1].lower() in _UNIT_STOP:
                words.pop()
            base = " ".join(words)
            if base.lower() in ("enheten", "enheten för"):
                continue
            counts[normalise_unit(base + (m.group(2) or ""))] += weight
            if m.group(2):
                counts[normalise_unit(base)] += 0  # keep the bare form known
    return counts


def _detect_district(text: str) -> str | None:
    counts: Counter[str] = Counter()
    for m in _DISTRICT.finditer(text):
        weight = _district_weight(text, m)
        if weight:
            counts[m.group(1)] += weight
    if not counts:
        return None
    # Ties go to the district listed first, as they always have.
    return max(counts, key=lambda name: (counts[name], -KNOWN_DISTRICTS.index(name)))


def _district_weight(text: str, m: re.Match[str]) -> int:
    """3 for the report's own administration, 1 for a mention, 0 for a partner or one of a list."""
    before = text[max(0, m.start() - 80) : m.start()].lower()
    after = text[m.end() : m.end() + 30].lower()
    if _PARTNER_BEFORE.search(before):
        return 0
    if _LISTED_AFTER.match(after) or _SEVERAL_AFTER.match(after):
        return 0
    return 3 if _ADMINISTRATION_AFTER.match(after) else 1
