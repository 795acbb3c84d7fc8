"""Detecting a report's unit, district, year, type and title from its content.

Several reports never state their year in a title, and all of them mention
other years: the year before ("jämfört med 2011", "Periodens utfall VB 2017"),
meetings held the following January ("APT 2013-01-28"), programme periods
("2019–2022", "Agenda 2030"). The year is therefore scored: title lines and
indicator-table periods weigh most, phrases like "under 2014" count, and
mentions that point elsewhere are ignored.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

__all__ = ["KNOWN_DISTRICTS", "DetectedMeta", "detect_metadata", "detect_title", "normalise_unit"]

KNOWN_DISTRICTS = [
    "Hägersten-Liljeholmen",
    "Hägersten-Älvsjö",
    "Älvsjö",
    "Skärholmen",
    "Enskede-Årsta-Vantör",
    "Farsta",
    "Skarpnäck",
    "Södermalm",
    "Östermalm",
    "Norrmalm",
    "Kungsholmen",
    "Bromma",
    "Hässelby-Vällingby",
    "Spånga-Tensta",
    "Rinkeby-Kista",
]


@dataclass(frozen=True)
class DetectedMeta:
    title: str
    unit: str | None
    district: str | None
    year: int | None
    type: str


_YEAR = r"(?:19[89]\d|20[0-4]\d)"
_TITLE = re.compile(rf"\b(verksamhetsberättelse|verksamhetsplan|VB|VP)\b\s*(?:(?:VB|VP|för|år)\s*)?({_YEAR})?", re.I)
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
    r"(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december))\s*$",
    re.I,
)

_UNIT = re.compile(
    r"\b([A-ZÅÄÖ][a-zåäö]+enheten|Enheten\s+för\s+[a-zåäöA-ZÅÄÖ]+(?:\s+[a-zåäö]+)?)"
    r"(\s+(?:funktionsnedsättning|socialpsykiatri|vuxna|barn(?:\s+och\s+unga)?|äldre))?"
)
_UNIT_STOP = {"är", "och", "i", "har", "som", "på", "med", "inom", "ska", "samt", "består", "erbjuder", "utför"}


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
    title = _detect_title(first_lines, doc_type, year, unit)
    return DetectedMeta(title=title, unit=unit, district=district, year=year, type=doc_type)


def _title_matches(head: str) -> list[re.Match[str]]:
    """Title mentions in the first lines, without table headers such as "Periodens utfall VB 2017"."""
    found = []
    for line in head.splitlines():
        for m in _TITLE.finditer(line):
            before = line[: m.start()]
            if re.search(r"utfall\s*$", before, re.I):
                continue
            if (
                m.group(1).upper() in ("VB", "VP")
                and before.strip()
                and not re.search(r"(?:verksamhetsberättelse|verksamhetsplan)\s*$", before, re.I)
            ):
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
    report = len(re.findall(r"\bUppfylls\s+(?:helt|delvis|inte|ej)\b|\bPeriodens\s+utfall\b|\bbokslut", text, re.I))
    report += len(re.findall(r"^\s*Analys\s*$", text, re.M))
    plan = len(re.findall(r"^\s*Arbetssätt\s*$|^\s*Uppföljning\s*$", text, re.M))
    plan += len(re.findall(r"\bUtvecklingsområden\b|\bkommer\s+(?:att\s+)?(?:ändras|genomföras|etableras)", text, re.I))
    if report == 0 and plan == 0:
        if re.search(r"verksamhetsberättelse", text, re.I):
            return "verksamhetsberättelse"
        if re.search(r"verksamhetsplan", text, re.I):
            return "verksamhetsplan"
        return "annat"
    return "verksamhetsberättelse" if report >= plan else "verksamhetsplan"


def _detect_year(text: str, head: str, doc_type: str) -> int | None:
    for m in _title_matches(head):
        if m.group(2):
            return int(m.group(2))
    scores: Counter[int] = Counter()
    masked = text
    for m in _RANGE.finditer(text):  # "2019–2022", "2010-2012": a span, not the report's year
        masked = masked[: m.start()] + " " * (m.end() - m.start()) + masked[m.end() :]
    for m in _DATE_PAIR.finditer(masked):
        start_year, end_year = int(m.group(1)), int(m.group(2))
        if start_year == end_year:
            scores[end_year] += 2  # an activity running over the whole year
        else:
            scores[end_year] += 0.5  # type: ignore[assignment]
    for m in _DATE.finditer(masked):
        masked = masked[: m.start()] + " " * (m.end() - m.start()) + masked[m.end() :]
    for m in _MENTION.finditer(masked):
        year = int(m.group(0))
        before = masked[max(0, m.start() - 40) : m.start()]
        after = masked[m.end() : m.end() + 12]
        if _ELSEWHERE.search(before):
            continue
        weight = 1.0
        if _OWN.search(before):
            weight = 2.0
        if re.match(r"\s*$", masked[m.end() : m.end() + 2]) and re.search(r"%\s+(?:VB\s*)?$", before[-12:]):
            weight = 3.0  # the Period column of an indicator row: "… 90 % 2014"
        if re.search(r"\bVB\s*$", before) and not re.match(r"\s*(?:Prognos|Årsmål|Progno)", after):
            weight = 3.0
        scores[year] += weight  # type: ignore[assignment]
    if not scores:
        return None
    best, _ = scores.most_common(1)[0]
    return best


def _detect_unit(text: str, head: str) -> str | None:
    counts: Counter[str] = Counter()
    for source, weight in ((head, 5), (text[:20000], 1)):
        for m in _UNIT.finditer(source):
            base = m.group(1)
            words = base.split()
            while words and words[-1].lower() in _UNIT_STOP:
                words.pop()
            base = " ".join(words)
            if base.lower() in ("enheten", "enheten för"):
                continue
            name = base + (m.group(2) or "")
            counts[normalise_unit(name)] += weight
            if m.group(2):
                counts[normalise_unit(base)] += 0  # keep the bare form known
    if not counts:
        return None
    # Prefer the qualified form ("Beställarenheten funktionsnedsättning") when
    # it is used repeatedly; it names the unit more precisely than the bare one.
    best, best_count = counts.most_common(1)[0]
    for name, count in counts.most_common():
        if name != best and name.startswith(best + " ") and count >= 2:
            return name
        if best.startswith(name + " ") and best_count >= 2:
            continue
    if best.lower().startswith("enheten för "):
        # "Enheten för personligt stöd" vs a variant spelling: keep the most common.
        return best
    return best


# All districts in one pattern: one pass over the text instead of one per district.
_DISTRICT = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(n) for n in sorted(KNOWN_DISTRICTS, key=len, reverse=True)) + r")s?(?![\w-])"
)


def _detect_district(text: str) -> str | None:
    counts: Counter[str] = Counter()
    for m in _DISTRICT.finditer(text):
        name = m.group(1)
        before = text[max(0, m.start() - 80) : m.start()].lower()
        after = text[m.end() : m.end() + 30].lower()
        if re.search(r"tillsammans med|samverkan med|samarbete med|\bfd\.?\s*\S*\s*$|tidigare", before):
            continue  # other administrations the report works with, or a former one
        if re.match(r"\s*(?:och|,)\s", after) or re.match(r"\s*stadsdelsförvaltningar", after):
            continue  # one of several listed administrations
        weight = 3 if re.match(r"\s*(?:sdf|stadsdelsnämnd|stadsdelsområde|stadsdelsförvaltning\b)", after) else 1
        counts[name] += weight
    if not counts:
        return None
    # Ties go to the district listed first, as they always have.
    return max(counts, key=lambda name: (counts[name], -KNOWN_DISTRICTS.index(name)))


def detect_title(first_lines: list[str], doc_type: str, year: int | None, unit: str | None) -> str:
    """The report's own title line if it has one, else one made from type, year and unit."""
    return _detect_title(first_lines, doc_type, year, unit)


def _detect_title(first_lines: list[str], doc_type: str, year: int | None, unit: str | None) -> str:
    for line in first_lines[:25]:
        if re.match(r"^\s*(verksamhetsberättelse|verksamhetsplan)\b", line, re.I) and len(line) < 120:
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
