"""Question understanding: years, units and report types named in a question.

"Vad var sjukfrånvaron för Assistansenheten 2018?" → year 2018, unit
Assistansenheten. Years are read as "2018", "år 2014", "VB 2020", "planen för
2025"; units by their name or a distinctive part of it ("assistansenheten",
"beställarenheten", "personligt stöd"). A year or unit that the corpus does not
hold is reported as missing, so the caller can say so instead of answering from
another report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..documents import ReportMeta
from ..index.lexical import stem
from ..ingest.metadata import KNOWN_DISTRICTS

__all__ = ["QueryIntent", "ReportCatalog", "understand"]

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_SHORT_YEAR = re.compile(r"\b(?:VB|VP)\s?(\d\d)\b", re.I)  # "VB12", "VP 25"
# "2012–2018", "2012 till 2018", "mellan 2012 och 2018" (a bare "2012 och 2018" names two years).
_YEAR_RANGE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)\s*(?:[-–—]|till|to)\s*((?:19|20)\d\d)(?!\d)|"
    r"\b(?:mellan|between)\s+((?:19|20)\d\d)\s+(?:och|and)\s+((?:19|20)\d\d)(?!\d)",
    re.I,
)
_TREND = re.compile(
    r"\b(utvecklats?|utveckling(?:en)?|förändrats?|förändring(?:en)?|över\s+(?:tid|åren)|år\s+för\s+år|"
    r"genom\s+åren|mellan\s+åren|alla\s+år(?:en)?|varje\s+år|trend(?:en)?|jämför(?:t|a|else)?|"
    r"over\s+(?:the\s+)?years|over\s+time|each\s+year|every\s+year|trend|changed|developed)\b",
    re.I,
)
_PLAN = re.compile(r"\b(verksamhetsplan\w*|planen|plan|VP|plans?)\b", re.I)
# How something turned out — which only a report (verksamhetsberättelse) can tell, never a plan.
_OUTCOME = re.compile(
    r"\b(blev|uppgick|hamnade|landade|utfall(?:et)?|slutade|till\s+slut|turned\s+out|ended\s+up|actual(?:ly)?)\b",
    re.I,
)
_REPORT = re.compile(
    r"\b(verksamhetsberättelse\w*|berättelsen|VB|annual\s+report|redogörelse\w*|årsrapport\w*|årsberättelse\w*)\b",
    re.I,
)
# Something that names a unit ("…enheten", "enheten för …") — used to notice
# units the corpus does not have.
_UNIT_MENTION = re.compile(
    r"\b([A-ZÅÄÖa-zåäö]{3,}(?<!läg)(?<!avlägs)enhet(?:en)?\b|enheten\s+för\s+[a-zåäö]+(?:\s+[a-zåäö]+)?|"
    r"(?:förskolan|hemtjänsten|skolan|gruppbostaden|boendet|äldreboendet|daglig\s+verksamhet)"
    r"(?:\s+(?:i|på|vid))?\s+(?-i:[A-ZÅÄÖ])[\wåäö-]+)",
    re.I,
)
_GENERIC_UNIT_WORDS = {"enheten", "enhet", "enhetens"}
# A year named by its place among the reports: "den senaste verksamhetsberättelsen", "assistansenhetens
# första rapport", "the latest report" (singular: "de senaste åren" is a trend, not a year).
_REPORT_NOUN = (
    r"(?:året|rapport(?:en)?|verksamhetsberättelse(?:n)?|berättelse(?:n)?|verksamhetsplan(?:en)?|plan(?:en)?|"
    r"VB|VP|report|plan|year)"
)
_LATEST = re.compile(rf"\b(?:senaste|nyaste|sista|latest|most\s+recent|last)\s+(?:\w+\s+)?{_REPORT_NOUN}\b", re.I)
_EARLIEST = re.compile(rf"\b(?:äldsta|första|tidigaste|earliest|oldest|first)\s+(?:\w+\s+)?{_REPORT_NOUN}\b", re.I)
# A year named by what happened in it.
_EVENT_YEARS = ((re.compile(r"\b(?:pandemi|corona|covid(?:-19)?)-?året\b", re.I), 2020),)
_DISTRICT_NAMES = "|".join(re.escape(n) for n in sorted(KNOWN_DISTRICTS, key=len, reverse=True))
# A district named as the place of what is asked about: "i Skärholmen", "inom Bromma",
# "Farstas beställarenhet", "Skärholmens stadsdelsförvaltning" (not one mentioned in passing).
_PLACE = re.compile(
    rf"\b(?:i|in|inom|på|från|vid)\s+({_DISTRICT_NAMES})s?(?![\w-])|"
    rf"(?<![\w-])({_DISTRICT_NAMES})s?\s+(?:(?:egen|eget|egna)\s+)?(?:stadsdel\w*|sdf|\w*enhet\w*|\w*verksamhet\w*|\w*förvaltning\w*)\b"
)


@dataclass(frozen=True)
class UnitAlias:
    unit: str
    stems: tuple[str, ...]  # stems that must all occur in the question


@dataclass(frozen=True)
class ReportCatalog:
    """What the corpus holds: years, units, types (for routing and for telling users)."""

    reports: tuple[ReportMeta, ...]
    aliases: tuple[UnitAlias, ...] = ()
    # What each unit works with: the words after its head word ("funktionsnedsättning", "personligt stöd").
    fields: tuple[UnitAlias, ...] = ()

    @classmethod
    def from_reports(cls, reports: list[ReportMeta]) -> ReportCatalog:
        aliases: list[UnitAlias] = []
        fields: list[UnitAlias] = []
        units = sorted({r.unit for r in reports if r.unit})
        for unit in units:
            for words in _unit_alias_words(unit):
                aliases.append(UnitAlias(unit, tuple(stem(w) for w in words)))
            field = [w.lower() for w in re.findall(r"[\wåäöÅÄÖ]+", unit)][1:]
            if field := [w for w in field if w != "för"]:
                fields.append(UnitAlias(unit, tuple(stem(w) for w in field)))
        return cls(tuple(reports), tuple(aliases), tuple(fields))

    @property
    def years(self) -> list[int]:
        return sorted({r.year for r in self.reports if r.year})

    @property
    def units(self) -> list[str]:
        return sorted({r.unit for r in self.reports if r.unit})

    @property
    def types(self) -> list[str]:
        return sorted({r.type for r in self.reports})


def _unit_alias_words(unit: str) -> list[list[str]]:
    words = [w.lower() for w in re.findall(r"[\wåäöÅÄÖ]+", unit)]
    out = [words]
    if words and words[0] == "enheten" and "för" in words:
        rest = words[words.index("för") + 1 :]
        if rest:
            out.append(rest)  # "personligt stöd"
    elif len(words) > 1 and words[0].endswith("enheten"):
        out.append(words[:1])  # "beställarenheten"
    return out


@dataclass(frozen=True)
class QueryIntent:
    years: tuple[int, ...] = ()
    missing_years: tuple[int, ...] = ()
    unit: str | None = None
    missing_unit: str | None = None
    missing_district: str | None = None  # a Stockholm district the question places itself in; no report is from it
    type: str | None = None
    trend: bool = False
    inferred: dict[str, object] = field(default_factory=dict)
    content: str = ""  # the question without what became filters (years, unit, type, trend words)
    outcome: bool = False  # asks how something turned out ("blev", "uppgick", "utfallet"), not for a plan or goal

    @property
    def year(self) -> int | None:
        return self.years[0] if len(self.years) == 1 else None


def understand(question: str, catalog: ReportCatalog) -> QueryIntent:
    q = question.strip()
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
    years = sorted(set(years))
    known_years = set(catalog.years)
    missing = tuple(y for y in years if y not in known_years)
    present = tuple(y for y in years if y in known_years)

    for pattern, event_year in _EVENT_YEARS:
        if not years and pattern.search(q):
            years = [event_year]
            present = (event_year,) if event_year in known_years else ()
            missing = () if present else (event_year,)

    units = _match_units(q, catalog) or _units_in_district(q, catalog)
    unit = next(iter(units)) if len(units) == 1 else None
    missing_unit = None
    if not units:
        for m in _UNIT_MENTION.finditer(q):
            name = m.group(1).strip()
            if name.lower() in _GENERIC_UNIT_WORDS or name.lower().startswith(("enhetens", "enhetsmål")):
                continue
            if _named(q, catalog.fields):
                continue  # "biståndsenheten för funktionsnedsättning": another name for a unit we have
            missing_unit = name
            break

    doc_type = None
    if _PLAN.search(q) and not _REPORT.search(q):
        doc_type = "verksamhetsplan"
    elif _REPORT.search(q) and not _PLAN.search(q):
        doc_type = "verksamhetsberättelse"
    if doc_type and doc_type not in catalog.types:
        doc_type = None
    if doc_type and len(present) > 1:
        # "… 2020 och i planen för 2025": the type word belongs to one of the years, not to all of them.
        doc_type = None

    if not years:
        present = _relative_year(q, catalog, unit, doc_type)

    trend = bool(_TREND.search(q)) or len(present) > 1 or len(units) > 1
    inferred: dict[str, object] = {}
    if present:
        inferred["year"] = list(present) if len(present) > 1 else present[0]
    if unit:
        inferred["unit"] = unit
    if doc_type:
        inferred["type"] = doc_type
    content = _content(q, units, catalog, bool(doc_type), trend)
    return QueryIntent(
        content=content,
        years=present,
        missing_years=missing,
        unit=unit,
        missing_unit=missing_unit,
        missing_district=_missing_district(q, catalog),
        type=doc_type,
        trend=trend,
        inferred=inferred,
        outcome=bool(_OUTCOME.search(q)),
    )


# The words that name a report ("VB 2018", "planen", "årsrapporten", "redogörelsen", "report").
_DOC_WORDS = (
    r"(?:VB\s*\d*|VP|verksamhetsberättelse\w*|verksamhetsplan\w*|planen|plan|(?:års)?rapport\w*|"
    r"(?:års)?berättelse\w*|redogörelse\w*|(?:annual\s+)?report)"
)
_TYPE_WORDS = re.compile(rf"\b{_DOC_WORDS}\b", re.I)


# A report named by type and year ("i VB 2012", "planen för 2025", "2018 års verksamhetsberättelse"):
# only routing, even when the type is no filter (several years asked).
_TYPED_YEAR = re.compile(
    rf"\b{_DOC_WORDS}\s*(?:för\s+|from\s+|for\s+)?(?:år\s+)?(?:(?:19|20)\d\d|\d\d)\b|"
    rf"\b(?:19|20)\d\d(?:\s*års|'s)?\s+{_DOC_WORDS}",
    re.I,
)


def _content(question: str, units: set[str], catalog: ReportCatalog, typed: bool, trend: bool) -> str:
    """The question with the words that only route it (year, unit, type) removed."""
    text = _TYPED_YEAR.sub(" ", question)
    text = _YEAR_RANGE.sub(" ", text)
    text = _YEAR.sub(" ", text)
    text = _SHORT_YEAR.sub(" ", text)
    for pattern in (*(p for p, _ in _EVENT_YEARS), _LATEST, _EARLIEST, _PLACE):
        text = pattern.sub(" ", text)  # years and units named another way: "pandemiåret", "i Älvsjö"
    if typed:
        text = _TYPE_WORDS.sub(" ", text)
    if trend:
        text = _TREND.sub(" ", text)
    if units:
        unit_stems = {s for alias in catalog.aliases if alias.unit in units for s in alias.stems}
        words = re.split(r"(\W+)", text)
        text = "".join(w for w in words if not (w.strip() and stem(w.lower()) in unit_stems))
    text = " ".join(text.split())
    return text if len(re.findall(r"\w{3,}", text)) >= 1 else question


def _match_units(question: str, catalog: ReportCatalog) -> set[str]:
    """The units the question names (a filter is applied only when it names one)."""
    return _named(question, catalog.aliases)


def _named(question: str, aliases: tuple[UnitAlias, ...]) -> set[str]:
    """The units of the aliases whose words all occur in the question."""
    q_stems = {stem(w) for w in re.findall(r"[\wåäöÅÄÖ]+", question.lower())}
    return {alias.unit for alias in aliases if all(s in q_stems for s in alias.stems)}


def _places(question: str) -> list[str]:
    """The districts the question places itself in ("i Skärholmen", "Farstas beställarenhet")."""
    return [m.group(1) or m.group(2) for m in _PLACE.finditer(question)]


def _same_district(a: str, b: str) -> bool:
    """Lenient: "Älvsjö" is the same place as "Hägersten-Älvsjö" (a merged district) and vice versa."""
    return bool({a, *a.split("-")} & {b, *b.split("-")})


def _missing_district(question: str, catalog: ReportCatalog) -> str | None:
    """A district the question is about that no report comes from, else None.

    A corpus whose reports name no district refuses nothing.
    """
    have = {r.district for r in catalog.reports if r.district}
    if not have:
        return None
    return next((name for name in _places(question) if not any(_same_district(name, d) for d in have)), None)


def _relative_year(question: str, catalog: ReportCatalog, unit: str | None, doc_type: str | None) -> tuple[int, ...]:
    """The year of "den senaste verksamhetsberättelsen", "enhetens första rapport": the latest or
    earliest year among the reports of the asked unit and type."""
    latest, earliest = _LATEST.search(question), _EARLIEST.search(question)
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
    units = {
        r.unit
        for name in _places(question)
        for r in catalog.reports
        if r.unit and r.district and _same_district(name, r.district)
    }
    return units if len(units) == 1 else set()
