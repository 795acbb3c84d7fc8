"""Which reports a question is about: years, units, districts and report types named in it.

Years are read as "2018", "år 2014", "VB 2020", "VB12", "planen för 2025";
ranges as "2012–2018" or "mellan 2012 och 2018" (a bare "2012 och 2018" names
two years); years named by their place among the reports ("den senaste
verksamhetsberättelsen", "enhetens första rapport") or by an event
(``corpus/events.toml``: "pandemiåret"). Units by their name or a distinctive
part of it, or by the district when only one unit reports from there. A year,
unit or district the corpus does not hold is reported as missing, so the
caller can say so instead of answering from another report.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import AssistantError
from ..ingest.metadata import KNOWN_DISTRICTS
from ..resources import data_toml
from .catalog import PROPER_NAME, ReportCatalog, same_district

__all__ = ["EVENTS_FILE", "YearEvent", "load_year_events", "route"]

#: Optional corpus-side file: years named by what happened in them.
EVENTS_FILE = "events.toml"

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_SHORT_YEAR = re.compile(r"\b(?:VB|VP)\s?(\d\d)\b", re.I)  # "VB12", "VP 25"
# "2012–2018", "2012 till 2018", "mellan 2012 och 2018" (a bare "2012 och 2018" names two years).
_YEAR_RANGE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)\s*(?:[-–—]|till|to)\s*((?:19|20)\d\d)(?!\d)|"
    r"\b(?:mellan|between)\s+((?:19|20)\d\d)\s+(?:och|and)\s+((?:19|20)\d\d)(?!\d)",
    re.I,
)
TREND = re.compile(
    r"\b(utvecklats?|utveckling(?:en)?|förändrats?|förändring(?:en)?|över\s+(?:tid|åren)|år\s+för\s+år|"
    r"genom\s+åren|mellan\s+åren|alla\s+år(?:en)?|varje\s+år|trend(?:en)?|jämför(?:t|a|else)?|"
    r"over\s+(?:the\s+)?years|over\s+time|each\s+year|every\s+year|trend|changed|developed)\b",
    re.I,
)
_PLAN = re.compile(r"\b(verksamhetsplan\w*|planen|plan|VP|plans?)\b", re.I)
# How something turned out — which only a report (verksamhetsberättelse) can tell, never a plan.
OUTCOME = re.compile(
    r"\b(blev|uppgick|hamnade|landade|utfall(?:et)?|slutade|till\s+slut|turned\s+out|ended\s+up|actual(?:ly)?)\b",
    re.I,
)
_REPORT = re.compile(
    r"\b(verksamhetsberättelse\w*|berättelsen|VB|annual\s+report|redogörelse\w*|årsrapport\w*|årsberättelse\w*)\b",
    re.I,
)
# Something that names a unit ("…enheten", "enheten för …") — used to notice units the corpus does not have.
_UNIT_MENTION = re.compile(
    r"\b([A-ZÅÄÖa-zåäö]{3,}(?<!läg)(?<!avlägs)enhet(?:en)?\b|enheten\s+för\s+[a-zåäö]+(?:\s+[a-zåäö]+)?|"
    r"(?:förskolan|hemtjänsten|skolan|gruppbostaden|boendet|äldreboendet|daglig\s+verksamhet)"
    r"(?:\s+(?:i|på|vid))?\s+(?-i:[A-ZÅÄÖ])[\wåäö-]+)",
    re.I,
)
# A year named by its place among the reports: "den senaste verksamhetsberättelsen", "assistansenhetens
# första rapport", "the latest report" (singular: "de senaste åren" is a trend, not a year).
_REPORT_NOUN = (
    r"(?:året|rapport(?:en)?|verksamhetsberättelse(?:n)?|berättelse(?:n)?|verksamhetsplan(?:en)?|plan(?:en)?|"
    r"VB|VP|report|plan|year)"
)
LATEST = re.compile(rf"\b(?:senaste|nyaste|sista|latest|most\s+recent|last)\s+(?:\w+\s+)?{_REPORT_NOUN}\b", re.I)
EARLIEST = re.compile(rf"\b(?:äldsta|första|tidigaste|earliest|oldest|first)\s+(?:\w+\s+)?{_REPORT_NOUN}\b", re.I)
# A merged district is the places it is named after: "Vällingby" is in "Hässelby-Vällingby".
_PLACE_NAMES = {n for d in KNOWN_DISTRICTS for n in (d, *d.split("-"))}
_DISTRICT_NAMES = "|".join(re.escape(n) for n in sorted(_PLACE_NAMES, key=len, reverse=True))
# A district named as the place of what is asked about: "i Skärholmen", "inom Bromma",
# "Farstas beställarenhet", "Skärholmens stadsdelsförvaltning" (not one mentioned in passing).
PLACE = re.compile(
    rf"\b(?:i|in|inom|på|från|vid)\s+({_DISTRICT_NAMES})s?(?![\w-])|"
    rf"(?<![\w-])({_DISTRICT_NAMES})s?\s+(?:(?:egen|eget|egna)\s+)?(?:stadsdel\w*|sdf|\w*enhet\w*|\w*verksamhet\w*|\w*förvaltning\w*)\b"
)
# The words that name a report ("VB 2018", "planen", "årsrapporten", "redogörelsen", "report").
_DOC_WORDS = (
    r"(?:VB\s*\d*|VP|verksamhetsberättelse\w*|verksamhetsplan\w*|planen|plan|(?:års)?rapport\w*|"
    r"(?:års)?berättelse\w*|redogörelse\w*|(?:annual\s+)?report)"
)
TYPE_WORDS = re.compile(rf"\b{_DOC_WORDS}\b", re.I)
# A report named by type and year ("i VB 2012", "planen för 2025", "2018 års verksamhetsberättelse"):
# only routing, even when the type is no filter (several years asked).
TYPED_YEAR = re.compile(
    rf"\b{_DOC_WORDS}\s*(?:för\s+|from\s+|for\s+)?(?:år\s+)?(?:(?:19|20)\d\d|\d\d)\b|"
    rf"\b(?:19|20)\d\d(?:\s*års|'s)?\s+{_DOC_WORDS}",
    re.I,
)
YEAR_WORDS = (TYPED_YEAR, _YEAR_RANGE, _YEAR, _SHORT_YEAR)
_EVENT_WORD = re.compile(r"[\wåäöÅÄÖ-]+")


@dataclass(frozen=True)
class YearEvent:
    """A year a question may name by what happened in it ("pandemiåret" → 2020)."""

    year: int
    names: frozenset[str]  # lower-case words

    def named_in(self, question: str) -> bool:
        return any(w.lower() in self.names for w in _EVENT_WORD.findall(question))

    def remove_from(self, text: str) -> str:
        return _EVENT_WORD.sub(lambda m: " " if m.group(0).lower() in self.names else m.group(0), text)


def load_year_events(corpus_dir: Path) -> tuple[YearEvent, ...]:
    """``corpus/events.toml`` (optional): ``[[year]]`` tables with ``year`` and ``names``."""
    path = corpus_dir / EVENTS_FILE
    if not path.exists():
        return ()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return tuple(
            YearEvent(int(entry["year"]), frozenset(str(n).lower() for n in entry["names"]))
            for entry in data.get("year", [])
        )
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, KeyError, TypeError, ValueError) as exc:
        raise AssistantError(
            f'{path.name} går inte att läsa ({exc}). Varje [[year]] ska ha year = 2020 och names = ["pandemiåret"].'
        ) from exc


@dataclass(frozen=True)
class Route:
    """Where a question points: the years, unit and type it names, and what of that the corpus lacks."""

    years: tuple[int, ...]
    missing_years: tuple[int, ...]
    units: frozenset[str]
    unit: str | None
    missing_unit: str | None
    missing_district: str | None
    type: str | None
    trend: bool
    outcome: bool


def route(question: str, catalog: ReportCatalog, events: tuple[YearEvent, ...] = ()) -> Route:
    q = question.strip()
    named = _named_years(q, catalog)
    known_years = set(catalog.years)
    missing = tuple(y for y in named if y not in known_years)
    present = tuple(y for y in named if y in known_years)
    for event in events:
        if not named and event.named_in(q):
            named = [event.year]
            present = (event.year,) if event.year in known_years else ()
            missing = () if present else (event.year,)

    units = catalog.named_units(q) or _units_in_district(q, catalog)
    missing_unit = None if units else _missing_unit(q, catalog)
    if missing_unit:
        units = _units_by_name_in_text(missing_unit, catalog)
        missing_unit = None if units else missing_unit
    unit = next(iter(units)) if len(units) == 1 else None

    doc_type = _report_type(q, catalog, present)
    if not named:
        present = _relative_year(q, catalog, unit, doc_type)
    return Route(
        years=present,
        missing_years=missing,
        units=frozenset(units),
        unit=unit,
        missing_unit=missing_unit,
        missing_district=_missing_district(q, catalog),
        type=doc_type,
        trend=bool(TREND.search(q)) or len(present) > 1 or len(units) > 1,
        outcome=bool(OUTCOME.search(q)),
    )


def _named_years(q: str, catalog: ReportCatalog) -> list[int]:
    years: list[int] = []
    for m in _YEAR_RANGE.finditer(q):
        a, b = int(m.group(1) or m.group(3)), int(m.group(2) or m.group(4))
        if a < b and b - a <= 30:
            years.extend(y for y in catalog.years if a <= y <= b)
            if not any(a <= y <= b for y in catalog.years):
                years.extend([a, b])
    masked = _YEAR_RANGE.sub(" ", q)
    years.extend(int(m.group(1)) for m in _YEAR.finditer(masked))
    years.extend(2000 + int(m.group(1)) for m in _SHORT_YEAR.finditer(masked))
    return sorted(set(years))


@lru_cache(maxsize=1)
def _generic_unit_words() -> frozenset[str]:
    return frozenset(data_toml("sv/question_words.toml")["generic_unit"].split())


def _missing_unit(q: str, catalog: ReportCatalog) -> str | None:
    """A unit the question names that the corpus has no report for, else None."""
    generic = _generic_unit_words()
    for m in _UNIT_MENTION.finditer(q):
        name = m.group(1).strip()
        if name.lower() in generic or name.lower().startswith(("enhetens", "enhetsmål")):
            continue
        if catalog.names_a_field(q):
            continue  # "biståndsenheten för funktionsnedsättning": another name for a unit we have
        return name
    return None


_PROPER_NAME = re.compile(rf"(?<![\wåäöÅÄÖ]){PROPER_NAME}")


def _units_by_name_in_text(mention: str, catalog: ReportCatalog) -> set[str]:
    """The unit a mention no unit is called ("boendet på Lövsångarbacken") names by a proper name its
    reports use (an address, a house, a street), when the reports of only one unit use it."""
    if catalog.name_units is None:
        return set()
    head = mention.split()[0] if mention.split() else ""  # "boendet", "Förskolan": what kind of unit, no name
    names = [n for n in _PROPER_NAME.findall(mention) if n != head and n.lower() not in _generic_unit_words()]
    found: set[str] = set()
    for name in names:
        found |= catalog.name_units(name)
    return found if len(found) == 1 else set()


def _report_type(q: str, catalog: ReportCatalog, present: tuple[int, ...]) -> str | None:
    doc_type = None
    if _PLAN.search(q) and not _REPORT.search(q):
        doc_type = "verksamhetsplan"
    elif _REPORT.search(q) and not _PLAN.search(q):
        doc_type = "verksamhetsberättelse"
    if doc_type and doc_type not in catalog.types:
        return None
    if doc_type and len(present) > 1:
        # "… 2020 och i planen för 2025": the type word belongs to one of the years, not to all of them.
        return None
    return doc_type


def places(question: str) -> list[str]:
    """The districts the question places itself in ("i Skärholmen", "Farstas beställarenhet")."""
    return [m.group(1) or m.group(2) for m in PLACE.finditer(question)]


def _missing_district(question: str, catalog: ReportCatalog) -> str | None:
    """A district the question is about that no report comes from, else None.

    A corpus whose reports name no district refuses nothing.
    """
    have = set(catalog.districts)
    if not have:
        return None
    return next((name for name in places(question) if not any(same_district(name, d) for d in have)), None)


def _relative_year(question: str, catalog: ReportCatalog, unit: str | None, doc_type: str | None) -> tuple[int, ...]:
    """The year of "den senaste verksamhetsberättelsen", "enhetens första rapport": the latest or
    earliest year among the reports of the asked unit and type."""
    latest, earliest = LATEST.search(question), EARLIEST.search(question)
    if bool(latest) == bool(earliest):
        return ()
    years = sorted(
        {
            r.year
            for r in catalog.reports
            if r.year and (not unit or r.unit == unit) and (not doc_type or r.type == doc_type)
        }
    )
    if not years:
        return ()
    return (years[-1],) if latest else (years[0],)


def _units_in_district(question: str, catalog: ReportCatalog) -> set[str]:
    """The unit the question places in a district ("enheten i Älvsjö"), if only one unit has reports from it."""
    named = places(question)
    units = {
        r.unit for name in named for r in catalog.reports if r.unit and r.district and same_district(name, r.district)
    }
    if len(units) > 1:
        # Several units in the district, one named after the place ("hemtjänsten i Liljeholmen").
        units = {u for u in units if any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", u) for n in named)}
    return units if len(units) == 1 else set()
