"""The question, understood once: one typed :class:`QueryIntent` that every later stage takes.

"Vad var sjukfrånvaron för Assistansenheten 2018?" → years (2018,), unit
Assistansenheten, kinds {FIGURE, MEASURE}, measure {"sjukfrånvaro"}, content
"Vad var sjukfrånvaron för ?" (the words that became filters removed), lang "sv".

Nothing after this stage reads the raw question with a pattern of its own:
retrieval embeds ``text`` and searches ``search_text``; the answer stage takes
the kinds and stems from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..index.lexical import stem
from .catalog import ReportCatalog
from .kinds import AnswerKind, KindReading, answer_kinds
from .language import language_of, names_in
from .routing import EARLIEST, LATEST, PLACE, TREND, TYPE_WORDS, YEAR_WORDS, YearEvent, route

__all__ = ["AnswerKind", "QueryIntent", "understand"]

_CONTENT_WORD = re.compile(r"\w{3,}")


@dataclass(frozen=True)
class QueryIntent:
    text: str = ""  # the question, whitespace normalised (embedded as is)
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
    lang: str = "sv"
    names: frozenset[str] = frozenset()  # stems of capitalised words inside the question ("DigiJag")
    reading: KindReading = field(default_factory=KindReading)

    @property
    def year(self) -> int | None:
        return self.years[0] if len(self.years) == 1 else None

    @property
    def kinds(self) -> frozenset[AnswerKind]:
        return self.reading.kinds

    def asks(self, kind: AnswerKind) -> bool:
        return kind in self.reading.kinds

    @property
    def search_text(self) -> str:
        """What lexical search looks for: the content, or the whole question when routing was dropped."""
        return self.content or self.text

    def without_routing(self) -> QueryIntent:
        """The question with the years, unit and type read from it dropped (the user removed those
        filters); what it asks for stays."""
        return QueryIntent(text=self.text, trend=self.trend, lang=self.lang, names=self.names, reading=self.reading)

    def with_text(self, text: str) -> QueryIntent:
        return replace(self, text=text)


def understand(question: str, catalog: ReportCatalog, events: tuple[YearEvent, ...] = ()) -> QueryIntent:
    q = question.strip()
    r = route(q, catalog, events)
    inferred: dict[str, object] = {}
    if r.years:
        inferred["year"] = list(r.years) if len(r.years) > 1 else r.years[0]
    if r.unit:
        inferred["unit"] = r.unit
    if r.type:
        inferred["type"] = r.type
    return QueryIntent(
        text=q,
        content=_content(q, set(r.units), catalog, bool(r.type), r.trend, events),
        years=r.years,
        missing_years=r.missing_years,
        unit=r.unit,
        missing_unit=r.missing_unit,
        missing_district=r.missing_district,
        type=r.type,
        trend=r.trend,
        inferred=inferred,
        outcome=r.outcome,
        lang=language_of(q),
        names=names_in(q),
        reading=answer_kinds(q),
    )


def _content(
    question: str, units: set[str], catalog: ReportCatalog, typed: bool, trend: bool, events: tuple[YearEvent, ...]
) -> str:
    """The question with the words that only route it (year, unit, type) removed."""
    text = question
    for pattern in YEAR_WORDS:
        text = pattern.sub(" ", text)
    for event in events:
        text = event.remove_from(text)
    for pattern in (LATEST, EARLIEST, PLACE):
        text = pattern.sub(" ", text)  # years and units named another way: "den senaste …", "i Älvsjö"
    if typed:
        text = TYPE_WORDS.sub(" ", text)
    if trend:
        text = TREND.sub(" ", text)
    if units:
        unit_stems = catalog.unit_stems(units)
        words = re.split(r"(\W+)", text)
        text = "".join(w for w in words if not (w.strip() and stem(w.lower()) in unit_stems))
    text = " ".join(text.split())
    return text if len(_CONTENT_WORD.findall(text)) >= 1 else question
