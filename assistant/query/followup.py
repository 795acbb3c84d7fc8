"""Follow-up questions: what a question leaves out is taken from the conversation.

A follow-up is read from its structure, after :func:`~assistant.query.intent.understand`:
the intent of "Och året innan?" has no unit, no type and no subject of its own,
and names a year relative to the previous one; so the unit, the type and the
subject are carried from the previous turn and the year is the previous year
minus one. A question that names its own unit, year, type or subject keeps
them (and starts fresh on them); one that opens with "En annan sak: …" takes
nothing. What was carried, and from which turn, is returned with the resolved
intent (the UI shows it as removable chips, ``ask --json`` as ``carried``).

- **Years**: a question without years takes the previous turn's; "året innan",
  "två år senare", "föregående år" resolve against the previous turn's year (or
  the one year its answer quoted); "samma år"/"det året" name it.
- **Unit and report type**: taken when the question names none. A carried year
  or type that does not fit what the question names ("Och i planen?" after a
  question about 2020, when the plan is for 2025) is dropped, so the follow-up
  is answered from the report it points to; the unit is never dropped (a unit
  without that report is refused, and the refusal names what exists).
- **Subject**: a question whose words are only how it asks ("Hur såg det ut?",
  "Vad var årsmålet?", "Varför då?") takes the previous turn's subject; one with
  a subject of its own and a pronoun pointing back ("Hur många lägenheter har
  den?") takes it as context beside its own words.

Word lists: ``assistant/data/sv/followup.toml``. Nothing here knows any report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from ..index.lexical import STOPWORDS, analyze
from ..resources import data_toml
from .catalog import ReportCatalog
from .intent import QueryIntent
from .routing import TYPE_WORDS

__all__ = ["Carried", "Cues", "Resolution", "TurnContext", "read_cues", "resolve", "subject_words", "without_cues"]

FIELD_NAMES = {"year": "år", "unit": "enhet", "type": "typ", "subject": "ämne"}
_WORD = re.compile(r"[\wåäöÅÄÖéü-]+")


@dataclass(frozen=True)
class Carried:
    """One thing a follow-up took from the conversation."""

    field: str  # "year", "unit", "type" or "subject"
    value: Any  # 2017, ["2012", "2018"] as a list for several years, "Assistansenheten", the subject's words
    turn: int  # the turn (0 = the first question) where the value was said
    how: str = "carried"  # "carried" as it was, or "relative" ("året innan" 2018 → 2017)
    base: int | None = None  # for a relative year: the year it counts from

    @property
    def label(self) -> str:
        """The chip text: "år: 2019 (från förra frågan)"."""
        value = ", ".join(map(str, self.value)) if isinstance(self.value, list | tuple) else str(self.value)
        where = "från förra frågan" if self.how == "carried" else f"räknat från {self.base} i förra frågan"
        return f"{FIELD_NAMES.get(self.field, self.field)}: {value} ({where})"

    def to_json(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "value": list(self.value) if isinstance(self.value, tuple) else self.value,
            "from_turn": self.turn,
            "how": self.how,
            "base": self.base,
            "label": self.label,
        }


@dataclass(frozen=True)
class TurnContext:
    """What a later turn may take from one turn: its resolved intent, its subject, where each value was said."""

    intent: QueryIntent
    index: int = 0  # the turn's place in the conversation
    subject: tuple[str, ...] = ()  # the subject's texts (its own content, and what it carried beside it)
    origin: dict[str, int] = field(default_factory=dict)  # "year"/"unit"/"type"/"subject" → turn it was said in
    answer_years: tuple[int, ...] = ()  # the years the turn's answer quoted (a base for "året innan")

    def with_answer_years(self, years: tuple[int, ...]) -> TurnContext:
        return replace(self, answer_years=years)


@dataclass(frozen=True)
class Resolution:
    intent: QueryIntent  # standalone: carried filters (and a subject it has none of its own for) in it
    carried: tuple[Carried, ...] = ()
    dropped: tuple[Carried, ...] = ()  # carried values left out because no report fits them with the rest
    context: TurnContext = field(default_factory=lambda: TurnContext(QueryIntent()))
    # Queries searched beside the question, (text, weight): the previous subject of a follow-up that
    # has a subject of its own but points back (``assistant.retrieval.beside``).
    beside: tuple[tuple[str, float], ...] = ()


def _tuning(key: str) -> float:
    """``[followup] <key>`` of ``assistant/data/chat.toml``."""
    return float(data_toml("chat.toml")["followup"][key])


@dataclass(frozen=True)
class Cues:
    """How a question points back: read once from its text (word lists in ``followup.toml``)."""

    fresh: bool = False
    continues: bool = False  # opens with "Och …", "Men …", "Hur är det med …"
    relative: int | None = None  # year offset from the previous turn's year (0: "samma år")
    anaphor: bool = False
    collective: bool = False  # every pronoun pointing back is a plural one for people ("de", "deras")


# ---------------------------------------------------------------- reading the cues
@lru_cache(maxsize=1)
def _words() -> dict[str, Any]:
    return data_toml("sv/followup.toml")


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    w = _words()
    rel = w["relative"]
    numbers = _alternatives([*rel["numbers"]])
    after, before = _alternatives(rel["after"]), _alternatives(rel["before"])
    nxt, prev = _alternatives(rel["next_year"]), _alternatives(rel["previous_year"])
    year = r"(?:år(?:et)?|years?)"
    return {
        "fresh": re.compile(rf"^\W*(?:{_alternatives(w['fresh'])})\b", re.I),
        "continues": re.compile(rf"^\W*(?:{_alternatives(w['continuation'])})\b", re.I),
        "same": re.compile(rf"\b(?:{_alternatives(rel['same_year'])})\b", re.I),
        # "sex år senare", "2 år tidigare", "two years later"
        "counted": re.compile(rf"\b(\d{{1,2}}|{numbers})\s+{year}\s+(?:(?P<a>{after})|(?P<b>{before}))\b", re.I),
        # "året innan", "året efter", "the year before"
        "plain": re.compile(rf"\b(?:the\s+)?{year}\s+(?:(?P<a>{after})|(?P<b>{before}))\b", re.I),
        # "följande år", "föregående år", "the previous year"
        "adjective": re.compile(rf"\b(?:the\s+)?(?:(?P<a>{nxt})|(?P<b>{prev}))\s+{year}\b", re.I),
        "possessive": re.compile(rf"\b(?:{_alternatives(w['anaphora']['possessive'])})\b", re.I),
        "personal": re.compile(rf"\b(?:{_alternatives(w['anaphora']['personal'])})\b(?P<rest>\s+[\wåäöÅÄÖ-]+)?", re.I),
    }


def read_cues(question: str) -> Cues:
    """The follow-up cues of ``question``: a fresh start, a relative year, a pronoun pointing back."""
    p = _patterns()
    fresh = p["fresh"].search(question)
    relative = None
    numbers = {k.lower(): int(v) for k, v in _words()["relative"]["numbers"].items()}
    for name in ("counted", "plain", "adjective"):
        m = p[name].search(question)
        if not m:
            continue
        n = 1
        if name == "counted":
            token = m.group(1).lower()
            n = int(token) if token.isdigit() else numbers.get(token, 1)
        relative = n if m.group("a") else -n
        break
    same = p["same"].search(question)
    if relative is None and same:
        relative = 0
    pointing = [m.group(0).lower() for m in p["possessive"].finditer(question)]
    for m in p["personal"].finditer(question):
        rest = (m.group("rest") or "").strip().lower()
        # "har den?", "av dem var", "av dem hade" — not "den senaste", "de enskilda"
        if not rest or rest in STOPWORDS or all(s in _not_a_subject() for s in analyze(rest, keep_stopwords=True)):
            word = m.group(0)[: len(m.group(0)) - len(m.group("rest") or "")].strip().lower()
            # "hur många av dem": a part of what was asked about before, not the unit
            partitive = re.search(r"\b(?:av|of)\s+$", question[: m.start()], re.I)
            pointing.append(word + ("/av" if partitive else ""))
    collective = bool(pointing) and all(w in _collective() for w in pointing)
    return Cues(bool(fresh), bool(p["continues"].search(question)), relative, bool(pointing), collective)


@lru_cache(maxsize=1)
def _collective() -> frozenset[str]:
    return frozenset(w.lower() for w in _words()["anaphora"]["collective"])


@lru_cache(maxsize=1)
def _asking() -> frozenset[str]:
    return frozenset(analyze(_words()["subject"]["asking"], keep_stopwords=True))


@lru_cache(maxsize=1)
def _not_a_subject() -> frozenset[str]:
    return _asking() | frozenset(analyze(_words()["subject"]["relational"], keep_stopwords=True))


def without_cues(text: str) -> str:
    """``text`` without its follow-up cues ("En annan sak:", "året innan", "samma år"): like the years
    and units that became filters, they say where to look, not what to look for."""
    p = _patterns()
    for name in ("fresh", "same", "counted", "plain", "adjective"):
        text = p[name].sub(" ", text)
    return " ".join(text.split())


def subject_words(intent: QueryIntent, catalog: ReportCatalog) -> list[str]:
    """The words of the question's own subject, as written: its content without stop words, the ways of
    asking (``not_a_subject``), years, report types, unit names and the follow-up cues themselves."""
    text = TYPE_WORDS.sub(" ", without_cues(intent.content or intent.text))
    skip = _not_a_subject() | catalog.unit_stems(set(catalog.units))
    out = []
    for word in _WORD.findall(text):
        stems = analyze(word)
        if not stems or any(s[0].isdigit() for s in stems) or all(s in skip for s in stems):
            continue
        out.append(word)
    return out


# ---------------------------------------------------------------- resolving
def resolve(
    intent: QueryIntent, previous: TurnContext | None, catalog: ReportCatalog, *, index: int | None = None
) -> Resolution:
    """``intent`` as a standalone question, given the previous turn (None: the first question)."""
    turn = index if index is not None else (previous.index + 1 if previous else 0)
    cues = read_cues(intent.text)
    own = subject_words(intent, catalog)
    if previous is None or cues.fresh:
        return Resolution(intent, context=_context(intent, turn, own, None, {}))

    prev = previous.intent
    carried: list[Carried] = []
    droppable: list[Carried] = []
    origin: dict[str, int] = {}
    years, missing = intent.years, intent.missing_years
    if years or missing:
        pass  # named: the question starts fresh on its years
    elif cues.relative is not None:
        base = _base_year(previous)
        if base is not None:
            year = base + cues.relative
            years, missing = ((year,), ()) if year in catalog.years else ((), (year,))
            how = "carried" if cues.relative == 0 else "relative"
            carried.append(Carried("year", year, previous.origin.get("year", previous.index), how, base))
    elif prev.years and not intent.trend:
        c = Carried("year", _value(prev.years), previous.origin.get("year", previous.index))
        carried.append(c)
        droppable.append(c)
        years = prev.years

    unit = intent.unit
    names_units = bool(intent.unit or intent.missing_unit or intent.missing_district)
    if not names_units and len(catalog.named_units(intent.text)) < 2 and prev.unit:
        unit = prev.unit
        carried.append(Carried("unit", unit, previous.origin.get("unit", previous.index)))

    doc_type = intent.type
    if not doc_type and prev.type:
        doc_type = prev.type
        c = Carried("type", doc_type, previous.origin.get("type", previous.index))
        carried.append(c)
        droppable.append(c)

    years, doc_type, dropped = _fit(years, unit, doc_type, droppable, catalog)
    carried = [c for c in carried if c not in dropped]

    subject: tuple[str, ...] = ()
    takes_subject = not own or (cues.anaphor and not cues.collective) or cues.continues
    if takes_subject and previous.subject:
        subject = previous.subject
        label = " ".join(_subject_label(subject, catalog)) or subject[0]
        carried.append(Carried("subject", label, previous.origin.get("subject", previous.index)))

    whole = not own  # the question has no subject of its own: the previous one is its subject
    resolved = _merged(
        intent, prev, years, missing, unit, doc_type, subject if whole else (), whole=whole, carried=carried
    )
    beside = ((" ".join(subject), _tuning("context_weight")),) if subject and not whole else ()
    if beside:
        resolved = replace(resolved, text=without_cues(intent.text), content=without_cues(intent.content))
    for c in carried:
        origin[c.field] = c.turn
    own_text = (intent.content,) if own else ()
    context_subject = (own_text + subject)[:2] if own else subject
    context = _context(resolved, turn, own, context_subject, origin)
    return Resolution(resolved, tuple(carried), tuple(dropped), context, beside)


def _value(years: tuple[int, ...]) -> int | list[int]:
    return years[0] if len(years) == 1 else list(years)


def _base_year(previous: TurnContext) -> int | None:
    """The year "året innan" counts from: the previous turn's one year (asked, or missing), else the one
    year its answer quoted."""
    prev = previous.intent
    asked = prev.years or prev.missing_years
    if len(asked) == 1:
        return asked[0]
    if len(previous.answer_years) == 1:
        return previous.answer_years[0]
    return None


def _fit(
    years: tuple[int, ...],
    unit: str | None,
    doc_type: str | None,
    droppable: list[Carried],
    catalog: ReportCatalog,
) -> tuple[tuple[int, ...], str | None, list[Carried]]:
    """Drop carried years and types that no report has together with the rest (year first, then type)."""

    def exists(ys: tuple[int, ...], t: str | None) -> bool:
        return any(
            (not ys or r.year in ys) and (not unit or r.unit == unit) and (not t or r.type == t)
            for r in catalog.reports
        )

    if exists(years, doc_type) or not droppable:
        return years, doc_type, []
    fields = {c.field: c for c in droppable}
    for drop in (("year",), ("type",), ("year", "type")):
        if not all(f in fields for f in drop):
            continue
        ys = () if "year" in drop else years
        t = None if "type" in drop else doc_type
        if exists(ys, t):
            return ys, t, [fields[f] for f in drop]
    return years, doc_type, []


def _merged(
    intent: QueryIntent,
    prev: QueryIntent,
    years: tuple[int, ...],
    missing: tuple[int, ...],
    unit: str | None,
    doc_type: str | None,
    subject: tuple[str, ...],
    *,
    whole: bool,
    carried: list[Carried],
) -> QueryIntent:
    """The follow-up's intent with what it carried: filters, and the subject's words beside its own."""
    extra = " ".join(subject)
    own_text, own_content = without_cues(intent.text), without_cues(intent.content)
    text = f"{own_text} {extra}".strip() if extra else intent.text
    content = f"{own_content} {extra}".strip() if extra else intent.content
    inferred = dict(intent.inferred)
    for c in carried:
        if c.field in ("year", "unit", "type"):
            inferred[c.field] = c.value
    if "year" in inferred and not years:
        inferred.pop("year")
    reading = intent.reading if intent.kinds or not whole else prev.reading
    return replace(
        intent,
        text=text,
        content=content,
        years=years,
        missing_years=missing,
        unit=unit,
        type=doc_type,
        trend=intent.trend or (whole and prev.trend and not years),
        outcome=intent.outcome or (whole and prev.outcome),
        names=intent.names | prev.names if subject else intent.names,
        reading=reading,
        inferred=inferred,
    )


def _context(
    intent: QueryIntent, turn: int, own: list[str], subject: tuple[str, ...] | None, origin: dict[str, int]
) -> TurnContext:
    said = {k: turn for k in ("year", "unit", "type") if k not in origin}
    if subject is None:
        subject = (intent.content,) if own else ()
    return TurnContext(intent=intent, index=turn, subject=subject, origin={**said, **origin})


def _subject_label(subject: tuple[str, ...], catalog: ReportCatalog) -> list[str]:
    words: list[str] = []
    for text in subject:
        for w in subject_words(QueryIntent(text=text, content=text), catalog):
            if w.lower() not in (x.lower() for x in words):
                words.append(w)
    return words[:6]
