"""``måluppfyllelse``: a goal marked "Uppfylls helt" that its own figures or analysis contradict.

A goal contradicts its "Uppfylls helt" when an indicator its text names (an
indicator definition's cues, ``ledord``)

* ended in a deficit (the result indicator),
* missed its target this year, or
* moved the wrong way since last year while the goal asks for a direction,

or when its analysis says the result is not measured or done yet.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ...documents import Block, Document
from ..indicators import Fact, IndicatorDef, heading_path
from .agreement import consistent
from .flags import Flag, FlagPassage, passage_for_fact
from .wording import HIGHER_WORDS, LOWER_WORDS

__all__ = ["fulfilment"]

_FULFILLED = re.compile(r"uppfylls\s+helt|^\W*uppfyllt", re.I)
_NOT_MEASURED = re.compile(
    r"mätbart\s+resultat\s+(?:kan\s+)?(?:fås\s+)?efter"
    r"|(?:brukarenkät|medarbetarenkät)\w*\s+(?:kommer\s+att|ska)\s+(?:genomföras|planeras)"
    r"|\bkommer\s+att\s+erbjuda\b",
    re.I,
)
_GOAL_LABEL = re.compile(r"^(?:Enhetsmål|Åtagande|Nämndmål)\s*:\s*", re.I)


@dataclass(frozen=True)
class _Goal:
    """A goal marked fulfilled: its heading and status as a passage, and the text that speaks for it."""

    passage: FlagPassage  # from the goal heading to the status line, the status highlighted
    title: str
    status_text: str
    own_text: str  # the goal, its status and its analysis (up to the next goal)
    section_text: str  # own_text, with the parent goal's words when this is its one unit goal
    analysis_start: int
    analysis_end: int


def fulfilment(
    doc: Document, facts: Sequence[Fact], labels: dict[str, str], defs: Sequence[IndicatorDef]
) -> list[Flag]:
    """Flags for the goals of ``doc`` marked fulfilled."""
    flags: list[Flag] = []
    by_indicator: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        if f.report_id == doc.meta.report_id:
            by_indicator[f.indicator].append(f)
    for goal in _fulfilled_goals(doc, labels.get(doc.meta.report_id, doc.meta.report_id)):
        flag = _not_measured(doc, goal)
        if flag:
            flags.append(flag)
        for d in defs:
            if not d.cues or not any(re.search(c, goal.section_text, re.I) for c in d.cues):
                continue
            flag = _figure_contradiction(doc, d, by_indicator.get(d.key, []), goal.own_text, goal.passage, labels)
            if flag:
                flags.append(flag)
    return flags


def _fulfilled_goals(doc: Document, label: str) -> Iterator[_Goal]:
    blocks = doc.blocks
    for i, status in enumerate(blocks):
        if status.kind != "status" or not _FULFILLED.search(doc.text[status.start : status.end]):
            continue
        goal = next((b for b in reversed(blocks[:i]) if b.kind == "heading" and 1 <= b.level <= 4), None)
        if goal is not None:
            yield _goal_of(doc, label, i, status, goal)


def _goal_of(doc: Document, label: str, i: int, status: Block, goal: Block) -> _Goal:
    blocks = doc.blocks
    after = next(
        (b for b in blocks[i + 1 :] if (b.kind == "heading" and 0 <= b.level <= 4) or b.kind == "status"), None
    )
    analysis_end = after.start if after else len(doc.text)
    own_text = doc.text[goal.start : analysis_end]
    status_text = doc.text[status.start : status.end].strip(" —–-●•")
    passage = FlagPassage(
        doc.meta.report_id,
        label,
        goal.start,
        status.end,
        doc.page_at(goal.start),
        heading_path(doc, goal.start),
        " ".join(doc.text[goal.start : status.end].split()),
        status_text,
    )
    return _Goal(
        passage=passage,
        title=" ".join((goal.title or doc.text[goal.start : goal.end]).split()),
        status_text=status_text,
        own_text=own_text,
        section_text=_section_text(doc, i, goal, own_text),
        analysis_start=status.end,
        analysis_end=analysis_end,
    )


def _section_text(doc: Document, i: int, goal: Block, own_text: str) -> str:
    """The goal above (Nämndmål and its expected results) plus this goal's own text, not its sibling goals.

    The parent goal's words count only when this is its one unit goal: otherwise
    "Sjukfrånvaron ska minska" would speak for every sibling goal under it.
    """
    blocks = doc.blocks
    section_head = next(
        (b for b in reversed(blocks[:i]) if b.kind == "heading" and 1 <= b.level <= 3 and b.start <= goal.start),
        goal,
    )
    first_child = next(
        (b for b in blocks if b.kind == "heading" and b.level == 4 and b.start > section_head.start), goal
    )
    head_end = min(first_child.start, goal.start) if section_head is not goal else goal.start
    next_parent = next(
        (b for b in blocks if b.kind == "heading" and 0 <= b.level <= 3 and b.start > section_head.start), None
    )
    siblings = [
        b
        for b in blocks
        if b.kind == "heading"
        and b.level == 4
        and section_head.start < b.start < (next_parent.start if next_parent else len(doc.text))
    ]
    return own_text if len(siblings) > 1 else doc.text[section_head.start : head_end] + "\n" + own_text


def _not_measured(doc: Document, goal: _Goal) -> Flag | None:
    """The analysis says the result is not measured or done yet."""
    m = _NOT_MEASURED.search(doc.text[goal.analysis_start : goal.analysis_end])
    if not m:
        return None
    a_start = goal.analysis_start + m.start()
    sent_start = max(doc.text.rfind(".", goal.analysis_start, a_start) + 1, goal.analysis_start)
    sent_end = doc.text.find(".", a_start)
    sent_end = goal.analysis_end if sent_end < 0 or sent_end > goal.analysis_end else sent_end + 1
    return Flag(
        "måluppfyllelse",
        "",
        "",
        f'Målet "{_short(goal.title)}" anges som "{goal.status_text}", '
        f"men analysen säger att resultatet ännu inte är mätt eller genomfört.",
        goal.passage,
        FlagPassage(
            doc.meta.report_id,
            goal.passage.report_label,
            sent_start,
            sent_end,
            doc.page_at(sent_start),
            heading_path(doc, sent_start),
            " ".join(doc.text[sent_start:sent_end].split()),
            m.group(0),
        ),
        f"måluppfyllelse|{doc.meta.report_id}|{_short(goal.title, 60)}|ej mätt",
    )


def _short(text: str, n: int = 90) -> str:
    text = _GOAL_LABEL.sub("", text.strip())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _figure_contradiction(
    doc: Document,
    d: IndicatorDef,
    facts: list[Fact],
    goal_text: str,
    goal_passage: FlagPassage,
    labels: dict[str, str],
) -> Flag | None:
    year = doc.meta.year
    current = _current_outcomes(facts, year)
    if not current:
        return None
    goal_title = _short(goal_passage.text.split(goal_passage.highlight)[0] if goal_passage.highlight else "")
    base = f"måluppfyllelse|{doc.meta.report_id}|{d.key}"

    def flag(explanation: str, fact: Fact, key: str) -> Flag:
        return Flag(
            "måluppfyllelse",
            d.key,
            d.name,
            f'Målet "{goal_title}" anges som helt uppfyllt, men {explanation}',
            goal_passage,
            passage_for_fact(labels, fact),
            f"{base}|{key}",
        )

    if d.key == "resultat":
        deficits = [f for f in current if f.value is not None and f.value < 0]
        if deficits:
            return flag(f"resultatet är ett underskott ({deficits[0].written}).", deficits[0], deficits[0].written)
        return None
    if d.lower_is_better is None:
        return None
    missed = _missed_target(d, current[0], facts, year)
    if missed is not None:
        outcome, t = current[0], missed
        return flag(
            f"{d.name.lower()} är {outcome.written} mot {t.kind_label} {t.written}.",
            outcome,
            f"{outcome.written}|{t.written}",
        )
    direction = LOWER_WORDS if d.lower_is_better else HIGHER_WORDS
    if not direction.search(goal_text):
        return None
    for cur in current:
        p = _worse_than_last_year(d, cur, facts, year)
        if p is not None:
            word = "ökat" if d.lower_is_better else "minskat"
            return flag(
                f"{d.name.lower()} har {word} från {p.written} ({p.period}) till {cur.written} ({cur.period}).",
                cur,
                f"{p.written}|{cur.written}",
            )
    return None


def _current_outcomes(facts: list[Fact], year: int | None) -> list[Fact]:
    """This year's own outcomes for the whole unit (a year or rolling months), tables and full years first."""
    current = [
        f
        for f in facts
        if f.kind == "utfall"
        and f.scope is None
        and not f.quoted
        and f.value is not None
        and f.period_year == year
        and f.period_type != "månad"
    ]
    current.sort(key=lambda f: (f.source != "tabell", f.period_type != "år", f.start))
    return current


def _missed_target(d: IndicatorDef, outcome: Fact, facts: list[Fact], year: int | None) -> Fact | None:
    """This year's target (the unit's own before KF's, a table before text) when the outcome misses it."""
    assert outcome.value is not None
    targets = [
        f
        for f in facts
        if f.kind in ("årsmål", "kf_årsmål") and f.value is not None and f.period_year == year and f.scope is None
    ]
    targets.sort(key=lambda f: (f.kind != "årsmål", f.source != "tabell"))
    if not targets:
        return None
    t = targets[0]
    assert t.value is not None
    missed = outcome.value > t.value if d.lower_is_better else outcome.value < t.value
    return t if missed and consistent(outcome, t) is False else None


def _worse_than_last_year(d: IndicatorDef, cur: Fact, facts: list[Fact], year: int | None) -> Fact | None:
    """Last year's outcome for the same kind of period, when ``cur`` moved the wrong way from it."""
    assert cur.value is not None
    prev = [
        f
        for f in facts
        if f.kind == "utfall"
        and f.scope is None
        and f.value is not None
        and year is not None
        and f.period_year == year - 1
        and f.period_type == cur.period_type
        and f.period_month == cur.period_month
    ]
    if not prev:
        return None
    p = prev[0]
    assert p.value is not None
    worse = cur.value > p.value if d.lower_is_better else cur.value < p.value
    return p if worse and consistent(cur, p) is False else None
