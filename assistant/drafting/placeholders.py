"""The time rule: what only held for its year becomes a placeholder that shows the earlier values.

Every figure (``figures.find_quantities``), count word ("sju", "sex"), year,
date and month in a sentence is a year-specific fact, and so is a past year's
outcome ("har sjunkit"). All placeholders have one form, ``[ANGE <året utkastet
gäller>] (<år>: <det som stod då>, …)``:
``[ANGE 2026] (2020: 16 %, 2018: 7,1 %)``, ``[ANGE 2026] (2018: 2018)``,
``[ANGE 2026] (2018: december)``, ``[ANGE 2026] (2021: fyra) klagomål`` (a count
noun stays outside). The same fact in the other precedents (a figure with the
same unit after the same words) is shown beside it. An outcome becomes a target
to write in a plan draft ("Sjukfrånvaron ska [ANGE 2026] (2020: har sjunkit)")
and an outcome to fill in in a report draft ("Sjukfrånvaron [ANGE 2021] (2020:
har sjunkit)"). Sentences about a one-off event of their year, and report
sentences about the year's outcome with nothing to fill in, are recognised here
too (``assistant/data/sv/drafting.toml``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..facts.figures import NUMBER_WORDS, find_quantities
from ..index.lexical import analyze
from ..index.sentences import split_sentences
from ..lang.months import MONTH_ABBREVIATIONS, MONTH_NAMES, months_pattern
from ..resources import data_toml
from .precedents import Precedent

__all__ = ["COUNT_WORD", "OF_THE_YEAR", "ONE_OFF_EVENT", "OUTCOME", "PLACEHOLDER", "placeholder", "placeholders"]

#: Matches every placeholder the drafter writes, with its earlier values.
PLACEHOLDER = re.compile(r"\[ANGE [^\]]*\](?: \([^()]*\))?")

_TIME_RULE = data_toml("sv/drafting.toml")["time_rule"]
#: A sentence about an event of its own year (covid-19, the pandemic) is left out.
ONE_OFF_EVENT = re.compile("|".join(_TIME_RULE["one_off_events"]), re.I)
#: "under året", "i år", "under hösten": the sentence reports what happened in its year.
OF_THE_YEAR = re.compile(
    r"\b(?:under|i)\s+(?:" + "|".join(re.escape(w) for w in _TIME_RULE["periods_of_the_year"]) + r")\b", re.I
)
_MONTHS = months_pattern()
# Short forms in table headings ("dec-13"); "maj" is its own full name and already matched above.
_SHORT_MONTHS = months_pattern(a for a in MONTH_ABBREVIATIONS if a not in MONTH_NAMES)
_DATE = re.compile(
    rf"\b(?:19|20)\d\d-\d\d-\d\d\b|\b\d{{1,2}}(?::e|:a)?\s+(?:{_MONTHS})(?:\s+(?:19|20)\d\d)?\b|"
    rf"\b(?:{_MONTHS})(?:\s+(?:19|20)\d\d)?\b|\b(?:{_SHORT_MONTHS})-\d\d\b",
    re.I,
)
COUNT_WORD = re.compile(
    r"\b(?:" + "|".join(w for w in sorted(NUMBER_WORDS, key=len, reverse=True) if w not in ("en", "ett")) + r")\b",
    re.I,
)
_YEAR = re.compile(r"(?<![\d-])(?:19[89]\d|20[0-3]\d)(?![\d-])")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_OUTCOME_RULE = data_toml("sv/drafting.toml")["outcome"]


def _words(key: str) -> str:
    return "|".join(re.escape(w).replace("\\ ", r"\s+") for w in sorted(_OUTCOME_RULE[key], key=len, reverse=True))


_SUPINE = rf"(?:{_words('verbs')})[a-zåäö]*"
#: "har sjunkit", "har återigen ökat", "har varken ökat eller sjunkit": a past year's outcome.
OUTCOME = re.compile(
    rf"\b(?:{_words('auxiliaries')})\s+(?:(?:{_words('adverbs')})\s+){{0,2}}{_SUPINE}"
    rf"(?:\s+(?:och|eller)\s+{_SUPINE})?(?![\wåäö])",
    re.I,
)
# A figure's count noun stays outside its placeholder: "[ANGE 2026] (2021: fyra) klagomål".
_NOUN_TAIL = re.compile(r"^(.*?\S)\s+([A-Za-zÅÄÖåäö][\wåäö-]*)$")

_Span = tuple[int, int, str]  # (start, end, replacement) in the sentence


def placeholder(target_year: int, values: Sequence[tuple[int | None, str]]) -> str:
    """ "[ANGE 2026] (2020: 16 %, 2018: 7,1 %)": the one form of every placeholder."""
    shown = ", ".join(f"{y or 'tidigare'}: {w}" for y, w in values)
    return f"[ANGE {target_year}] ({shown})"


def _number_and_noun(written: str, unit: str | None) -> tuple[str, str]:
    """ "fyra klagomål" → ("fyra", " klagomål"); "16 %" stays whole."""
    m = _NOUN_TAIL.match(written)
    if not (m and unit and unit != "%"):
        return written, ""
    number = m.group(1)
    if any(c.isdigit() for c in number) or number.split()[-1].lower() in NUMBER_WORDS:
        return number, " " + m.group(2)
    return written, ""


def placeholders(
    sentence: str,
    precedent: Precedent,
    precedents: Sequence[Precedent],
    target_year: int,
    *,
    target_type: str | None = None,
) -> tuple[str, list[int]]:
    """Replace figures, years, dates, months and outcomes by placeholders; the precedents whose values they show."""
    spans: list[_Span] = []
    used: list[int] = []
    year = precedent.year
    for m in OUTCOME.finditer(sentence):
        target = "ska " if target_type == "verksamhetsplan" else ""
        spans.append((m.start(), m.end(), target + placeholder(target_year, [(year, m.group(0))])))
        used.append(precedent.n)
    for q in find_quantities(sentence):
        if _overlaps(spans, q.start, q.end):
            continue
        number, noun = _number_and_noun(q.written, q.unit)
        earlier = _earlier_values(precedents, precedent, sentence, q.start, q.unit)
        values = [(year, number, precedent.n), *((y, _number_and_noun(w, q.unit)[0], n) for y, w, n in earlier)]
        used.extend(n for _, _, n in values)
        spans.append((q.start, q.end, placeholder(target_year, [(y, w) for y, w, _ in values]) + noun))
    for m in COUNT_WORD.finditer(sentence):
        # "sju har gällt", "Sex klagomål": counts written as words (the figure parser takes
        # them only before a count noun, and never "sex").
        if not _overlaps(spans, m.start(), m.end()):
            spans.append((m.start(), m.end(), placeholder(target_year, [(year, m.group(0))])))
            used.append(precedent.n)
    for pattern in (_DATE, _YEAR, _DIGITS):
        # Dates and months, years, then digits the figure parser does not take ("2.1", "dag 1-14").
        for m in pattern.finditer(sentence):
            if not _overlaps(spans, m.start(), m.end()):
                spans.append((m.start(), m.end(), placeholder(target_year, [(year, m.group(0))])))
                if pattern is _DIGITS:
                    used.append(precedent.n)
    out = sentence
    for start, end, text in sorted(spans, reverse=True):
        out = out[:start] + text + out[end:]
    return out, used


def _overlaps(spans: list[_Span], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e, _ in spans)


def _key_stems(sentence: str, position: int) -> set[str]:
    before = sentence[:position]
    words = analyze(before)[-5:]
    return {w for w in words if not w[0].isdigit() and len(w) > 3}


def _earlier_values(
    precedents: Sequence[Precedent], precedent: Precedent, sentence: str, position: int, unit: str | None
) -> list[tuple[int | None, str, int]]:
    """The same fact in the other precedents: a figure with the same unit after the same words."""
    key = _key_stems(sentence, position)
    if not key:
        return []
    found: list[tuple[int | None, str, int]] = []
    for other in precedents:
        if other.n == precedent.n or other.year == precedent.year:
            continue
        best: tuple[int, str] | None = None
        for s, e in split_sentences(other.text):
            text = other.text[s:e]
            for q in find_quantities(text):
                if q.unit != unit:
                    continue
                overlap = len(key & _key_stems(text, q.start))
                if overlap >= (1 if unit else 2) and (best is None or overlap > best[0]):
                    best = (overlap, q.written)
        if best is not None:
            found.append((other.year, best[1], other.n))
    found.sort(key=lambda v: -(v[0] or 0))
    return found
