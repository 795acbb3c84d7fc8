"""Contradictions within and across reports, as :class:`Flag` objects.

Four kinds, each shown as two passages side by side with a one-line Swedish
explanation:

``inom_rapport``      the same indicator, scope and period stated with values
                      that do not agree once rounding is allowed for (the
                      indicator table vs the analysis text);
``mellan_rapporter``  a previous year's value quoted in one report ("Periodens
                      utfall VB 2017") that differs from what that year's own
                      report stated (same unit);
``måluppfyllelse``    a goal marked "Uppfylls helt" while the figures for an
                      indicator its goal text names miss the target or moved
                      the wrong way, or while its analysis says the result is
                      not measured yet;
``hopp``              a large year-to-year change in a unit's series with no
                      explanation in the text around it (informational).
"""

from __future__ import annotations

import html
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..documents import Document
from .figures import decimals
from .indicators import INDICATORS, Fact, IndicatorDef, extract_facts, heading_path

__all__ = [
    "FLAG_KINDS",
    "Flag",
    "Passage",
    "check",
    "check_facts",
    "consistent",
    "flags_to_html",
    "flags_to_markdown",
]

FLAG_KINDS = {
    "inom_rapport": "Olika värden i samma rapport",
    "mellan_rapporter": "Fjolårsvärde stämmer inte med fjolårets rapport",
    "måluppfyllelse": "Måluppfyllelsen motsägs av underlaget",
    "hopp": "Stort hopp mellan år utan förklaring",
}
_SEVERITY = {"inom_rapport": "varning", "mellan_rapporter": "varning", "måluppfyllelse": "varning", "hopp": "info"}


@dataclass(frozen=True)
class Passage:
    """A cited stretch of a report: what the flag puts side by side."""

    report_id: str
    report_label: str
    start: int
    end: int
    page: int | None
    heading_path: tuple[str, ...]
    text: str
    highlight: str = ""  # the figure or status the flag is about

    def citation(self) -> str:
        page = f", s. {self.page}" if self.page else ""
        return f"{self.report_label} ({self.report_id}{page}, tecken {self.start}–{self.end})"

    def to_json(self) -> dict[str, Any]:
        return {
            "report_id": self.report_id,
            "report": self.report_label,
            "start": self.start,
            "end": self.end,
            "page": self.page,
            "heading_path": list(self.heading_path),
            "text": self.text,
            "highlight": self.highlight,
        }


@dataclass(frozen=True)
class Flag:
    kind: str
    indicator: str
    indicator_name: str
    explanation: str  # one line, Swedish
    first: Passage
    second: Passage
    key: str  # stable identity (kind, report, indicator, values) for reviews and fixtures

    @property
    def severity(self) -> str:
        return _SEVERITY[self.kind]

    @property
    def report_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.first.report_id, self.second.report_id)))

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "kind_label": FLAG_KINDS[self.kind],
            "severity": self.severity,
            "indicator": self.indicator,
            "indicator_name": self.indicator_name,
            "explanation": self.explanation,
            "first": self.first.to_json(),
            "second": self.second.to_json(),
        }


# --------------------------------------------------------------------------- values


def _in_unit(fact: Fact, unit: str | None) -> float | None:
    if fact.value is None:
        return None
    if fact.unit == unit:
        return fact.value
    if fact.unit == "mnkr" and unit == "tkr":
        return fact.value * 1000
    if fact.unit == "tkr" and unit == "mnkr":
        return fact.value / 1000
    return None


def consistent(a: Fact, b: Fact) -> bool | None:
    """Do two statements of a figure agree? None when they cannot be compared.

    "7,1 %" and "7,12 %" agree (rounding), "7,1 %" and "7.17 %" do not; an
    approximate figure ("cirka 500 tkr") allows 10 %, a range ("mellan 50-60")
    its bounds.
    """
    va, vb = a.value, _in_unit(b, a.unit)
    if va is None or vb is None:
        return None
    if _is_range(a):
        assert a.low is not None and a.high is not None
        return a.low - 1e-9 <= vb <= a.high + 1e-9
    if _is_range(b):
        assert b.low is not None and b.high is not None
        return b.low - 1e-9 <= va <= b.high + 1e-9
    if a.approximate or b.approximate:
        return abs(va - vb) <= 0.1 * max(abs(va), abs(vb)) + 1e-9
    places = min(decimals(a.written), decimals(b.written))
    return abs(va - vb) <= 0.5 * 10 ** (-places) + 1e-9


def _is_range(f: Fact) -> bool:
    return f.low is not None and f.high is not None and not f.written.startswith("+/-")


def _period_class(f: Fact) -> tuple[Any, ...]:
    # A rolling 12-month figure at the year's end is the year's figure.
    if f.period_type == "år" or (f.period_type == "rullande 12 mån" and f.period_month in (None, 12)):
        return ("år", f.period_year)
    return (f.period_type, f.period_year, f.period_month)


# --------------------------------------------------------------------------- passages


def _passage_for_fact(doc_labels: dict[str, str], f: Fact) -> Passage:
    return Passage(
        f.report_id,
        doc_labels.get(f.report_id, f.report_id),
        f.context_start,
        f.context_end,
        f.page,
        f.heading_path,
        f.context,
        f.written,
    )


def _describe(f: Fact) -> str:
    where = "tabellen" if f.source == "tabell" else "texten"
    return f"{f.written} ({f.period}, {where})"


# --------------------------------------------------------------------------- kind 1


def _within_report(facts: Sequence[Fact], labels: dict[str, str]) -> list[Flag]:
    groups: dict[tuple[Any, ...], list[Fact]] = defaultdict(list)
    for f in facts:
        if f.value is None:
            continue
        groups[(f.report_id, f.indicator, f.scope, f.kind, _period_class(f))].append(f)
    flags = []
    for (report_id, indicator, _scope, kind, _pc), group in groups.items():
        if len(group) < 2:
            continue
        ref = sorted(group, key=lambda f: (f.source != "tabell", f.period_type != "år", f.start))[0]
        seen: set[str] = set()
        for other in group:
            if other is ref or other.written in seen:
                continue
            ok = consistent(ref, other)
            if ok is None or ok:
                continue
            seen.add(other.written)
            what = "målet" if kind != "utfall" else "utfallet"
            explanation = (
                f"{ref.indicator_name}: {what} anges som {_describe(ref)} men som {_describe(other)} i samma rapport."
            )
            flags.append(
                Flag(
                    "inom_rapport",
                    indicator,
                    ref.indicator_name,
                    explanation,
                    _passage_for_fact(labels, ref),
                    _passage_for_fact(labels, other),
                    f"inom_rapport|{report_id}|{indicator}|{ref.period}|{ref.written}|{other.written}",
                )
            )
    return flags


# --------------------------------------------------------------------------- kind 2


def _across_reports(facts: Sequence[Fact], labels: dict[str, str]) -> list[Flag]:
    own: dict[tuple[Any, ...], list[Fact]] = defaultdict(list)
    for f in facts:
        if not f.quoted and f.value is not None and f.report_year == f.period_year:
            own[((f.org_unit or "").lower(), f.indicator, f.scope, f.kind, _period_class(f))].append(f)
    flags = []
    for q in facts:
        if not q.quoted or q.value is None:
            continue
        key = ((q.org_unit or "").lower(), q.indicator, q.scope, q.kind, _period_class(q))
        for f in own.get(key, []):
            if f.report_id == q.report_id:
                continue
            ok = consistent(f, q)
            if ok is None or ok:
                continue
            explanation = (
                f"{q.indicator_name} {q.period}: rapporten för {q.report_year} anger {q.written}, "
                f"men rapporten för {f.report_year} angav själv {f.written}."
            )
            flags.append(
                Flag(
                    "mellan_rapporter",
                    q.indicator,
                    q.indicator_name,
                    explanation,
                    _passage_for_fact(labels, q),
                    _passage_for_fact(labels, f),
                    f"mellan_rapporter|{q.report_id}|{f.report_id}|{q.indicator}|{q.period}|{q.written}|{f.written}",
                )
            )
            break
    return flags


# --------------------------------------------------------------------------- kind 3

_FULFILLED = re.compile(r"uppfylls\s+helt|^\W*uppfyllt", re.I)
_NOT_MEASURED = re.compile(
    r"mätbart\s+resultat\s+(?:kan\s+)?(?:fås\s+)?efter"
    r"|(?:brukarenkät|medarbetarenkät)\w*\s+(?:kommer\s+att|ska)\s+(?:genomföras|planeras)"
    r"|\bkommer\s+att\s+erbjuda\b",
    re.I,
)
# Direction words in the goal's own text ("Sjunkande sjukfrånvaro"); "lägre än
# förvaltningen" is a comparison, not a direction, so it is left out.
_LOWER_WORDS = re.compile(r"\b(?:minska\w*|sjunk\w*|sänk\w*)\b", re.I)
_HIGHER_WORDS = re.compile(r"\b(?:öka\w*|höj\w*|förbättra\w*)\b", re.I)


def _fulfilment(
    doc: Document, facts: Sequence[Fact], labels: dict[str, str], defs: Sequence[IndicatorDef]
) -> list[Flag]:
    flags: list[Flag] = []
    blocks = doc.blocks
    label = labels.get(doc.meta.report_id, doc.meta.report_id)
    by_indicator: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        if f.report_id == doc.meta.report_id:
            by_indicator[f.indicator].append(f)
    for i, status in enumerate(blocks):
        if status.kind != "status" or not _FULFILLED.search(doc.text[status.start : status.end]):
            continue
        goal = next((b for b in reversed(blocks[:i]) if b.kind == "heading" and 1 <= b.level <= 4), None)
        if goal is None:
            continue
        section_head = next(
            (b for b in reversed(blocks[:i]) if b.kind == "heading" and 1 <= b.level <= 3 and b.start <= goal.start),
            goal,
        )
        after = next(
            (b for b in blocks[i + 1 :] if (b.kind == "heading" and 0 <= b.level <= 4) or b.kind == "status"), None
        )
        analysis_end = after.start if after else len(doc.text)
        # The goal above (Nämndmål and its expected results) plus this goal's own text,
        # not its sibling goals.
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
        own_text = doc.text[goal.start : analysis_end]
        # The parent goal's words count only when this is its one unit goal: otherwise
        # "Sjukfrånvaron ska minska" would speak for every sibling goal under it.
        section_text = own_text if len(siblings) > 1 else doc.text[section_head.start : head_end] + "\n" + own_text
        analysis_text = doc.text[status.end : analysis_end]
        goal_title = " ".join((goal.title or doc.text[goal.start : goal.end]).split())
        status_text = doc.text[status.start : status.end].strip(" —–-●•")
        goal_passage = Passage(
            doc.meta.report_id,
            label,
            goal.start,
            status.end,
            doc.page_at(goal.start),
            heading_path(doc, goal.start),
            " ".join(doc.text[goal.start : status.end].split()),
            status_text,
        )
        m = _NOT_MEASURED.search(analysis_text)
        if m:
            a_start = status.end + m.start()
            sent_start = max(doc.text.rfind(".", status.end, a_start) + 1, status.end)
            sent_end = doc.text.find(".", a_start)
            sent_end = analysis_end if sent_end < 0 or sent_end > analysis_end else sent_end + 1
            flags.append(
                Flag(
                    "måluppfyllelse",
                    "",
                    "",
                    f'Målet "{_short(goal_title)}" anges som "{status_text}", '
                    f"men analysen säger att resultatet ännu inte är mätt eller genomfört.",
                    goal_passage,
                    Passage(
                        doc.meta.report_id,
                        label,
                        sent_start,
                        sent_end,
                        doc.page_at(sent_start),
                        heading_path(doc, sent_start),
                        " ".join(doc.text[sent_start:sent_end].split()),
                        m.group(0),
                    ),
                    f"måluppfyllelse|{doc.meta.report_id}|{_short(goal_title, 60)}|ej mätt",
                )
            )
        for d in defs:
            if not d.cues or not any(re.search(c, section_text, re.I) for c in d.cues):
                continue
            goal_text = doc.text[goal.start : analysis_end]
            flag = _figure_contradiction(doc, d, by_indicator.get(d.key, []), goal_text, goal_passage, labels)
            if flag:
                flags.append(flag)
    return flags


def _short(text: str, n: int = 90) -> str:
    text = re.sub(r"^(?:Enhetsmål|Åtagande|Nämndmål)\s*:\s*", "", text.strip(), flags=re.I)
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _figure_contradiction(
    doc: Document,
    d: IndicatorDef,
    facts: list[Fact],
    goal_text: str,
    goal_passage: Passage,
    labels: dict[str, str],
) -> Flag | None:
    year = doc.meta.year
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
    if not current:
        return None
    goal_title = _short(goal_passage.text.split(goal_passage.highlight)[0] if goal_passage.highlight else "")
    base = f"måluppfyllelse|{doc.meta.report_id}|{d.key}"
    if d.key == "resultat":
        deficits = [f for f in current if f.value is not None and f.value < 0]
        if deficits:
            f = deficits[0]
            return Flag(
                "måluppfyllelse",
                d.key,
                d.name,
                f'Målet "{goal_title}" anges som helt uppfyllt, men resultatet är ett underskott ({f.written}).',
                goal_passage,
                _passage_for_fact(labels, f),
                f"{base}|{f.written}",
            )
        return None
    if d.lower_is_better is None:
        return None
    outcome = current[0]
    assert outcome.value is not None
    targets = [
        f
        for f in facts
        if f.kind in ("årsmål", "kf_årsmål") and f.value is not None and f.period_year == year and f.scope is None
    ]
    targets.sort(key=lambda f: (f.kind != "årsmål", f.source != "tabell"))
    if targets:
        t = targets[0]
        assert t.value is not None
        missed = outcome.value > t.value if d.lower_is_better else outcome.value < t.value
        if missed and consistent(outcome, t) is False:
            return Flag(
                "måluppfyllelse",
                d.key,
                d.name,
                f'Målet "{goal_title}" anges som helt uppfyllt, men {d.name.lower()} är {outcome.written} '
                f"mot {t.kind_label} {t.written}.",
                goal_passage,
                _passage_for_fact(labels, outcome),
                f"{base}|{outcome.written}|{t.written}",
            )
    direction = _LOWER_WORDS if d.lower_is_better else _HIGHER_WORDS
    if not direction.search(goal_text):
        return None
    for cur in current:
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
            continue
        p = prev[0]
        assert p.value is not None
        worse = cur.value > p.value if d.lower_is_better else cur.value < p.value
        if worse and consistent(cur, p) is False:
            word = "ökat" if d.lower_is_better else "minskat"
            return Flag(
                "måluppfyllelse",
                d.key,
                d.name,
                f'Målet "{goal_title}" anges som helt uppfyllt, men {d.name.lower()} har {word} '
                f"från {p.written} ({p.period}) till {cur.written} ({cur.period}).",
                goal_passage,
                _passage_for_fact(labels, cur),
                f"{base}|{p.written}|{cur.written}",
            )
    return None


# --------------------------------------------------------------------------- kind 4

_EXPLAINED = re.compile(
    r"\b(?:ök\w*|minsk\w*|sjunk\w*|beror\w*|därav|på\s+grund\s+av|förklar\w*|till\s+följd\s+av|jämfört\s+med"
    r"|föregående\s+år|högt\s+utfall|lågt\s+utfall|förbättr\w*|försämr\w*)",
    re.I,
)


def _jumps(docs: dict[str, Document], facts: Sequence[Fact], labels: dict[str, str]) -> list[Flag]:
    series: dict[tuple[str, str], dict[int, Fact]] = defaultdict(dict)
    ranked = sorted(facts, key=lambda f: (f.quoted, f.source != "tabell", f.start))
    for f in ranked:
        if f.kind != "utfall" or f.scope is not None or f.value is None or f.period_type != "år" or not f.period_year:
            continue
        series[((f.org_unit or "").lower(), f.indicator)].setdefault(f.period_year, f)
    flags = []
    for (_unit, indicator), points in series.items():
        years = sorted(points)
        for y0, y1 in itertools.pairwise(years):
            a, b = points[y0], points[y1]
            va, vb = a.value, _in_unit(b, a.unit)
            if va is None or vb is None:
                continue
            change = vb - va
            rel = abs(change) / max(abs(va), 1e-9)
            big = (abs(change) >= 10 and rel >= 0.25) if a.unit == "%" else (rel >= 0.5 and abs(change) >= 5)
            if not big:
                continue
            doc = docs.get(b.report_id)
            near = ""
            if doc is not None:
                near = doc.text[max(b.context_start - 200, 0) : b.context_end + 600]
                near = doc.text[b.context_start : b.context_end + 600] if b.source == "tabell" else near
            if _EXPLAINED.search(near.replace(b.label, "")):
                continue
            word = "ökade" if change > 0 else "minskade"
            flags.append(
                Flag(
                    "hopp",
                    indicator,
                    a.indicator_name,
                    f"{a.indicator_name} {word} från {a.written} ({y0}) till {b.written} ({y1}) "
                    f"utan att texten intill förklarar förändringen.",
                    _passage_for_fact(labels, a),
                    _passage_for_fact(labels, b),
                    f"hopp|{a.report_id}|{b.report_id}|{indicator}|{a.written}|{b.written}",
                )
            )
    return flags


# --------------------------------------------------------------------------- public


def check_facts(
    docs: Sequence[Document], facts: Sequence[Fact], defs: Sequence[IndicatorDef] = INDICATORS
) -> list[Flag]:
    labels = {d.meta.report_id: d.meta.label() for d in docs}
    flags = _within_report(facts, labels) + _across_reports(facts, labels)
    for doc in docs:
        flags += _fulfilment(doc, facts, labels, defs)
    flags += _jumps({d.meta.report_id: d for d in docs}, facts, labels)
    order = list(FLAG_KINDS)
    return sorted(flags, key=lambda f: (order.index(f.kind), f.first.report_id, f.first.start, f.key))


def check(
    docs: Sequence[Document],
    unit: str | None = None,
    year: int | None = None,
    facts: Sequence[Fact] | None = None,
) -> list[Flag]:
    """Every flag in ``docs``; ``unit`` and ``year`` keep flags that touch that unit or report year."""
    all_facts = list(facts) if facts is not None else extract_facts(docs)
    flags = check_facts(docs, all_facts)
    by_id = {d.meta.report_id: d for d in docs}

    def keep(flag: Flag) -> bool:
        metas = [by_id[r].meta for r in flag.report_ids if r in by_id]
        if unit and not any(unit.lower() in (m.unit or "").lower() for m in metas):
            return False
        return not (year and not any(m.year == year for m in metas))

    return [f for f in flags if keep(f)]


# --------------------------------------------------------------------------- reports


def flags_to_markdown(flags: Iterable[Flag]) -> str:
    lines = ["# Motsägelser i rapporterna", ""]
    flags = list(flags)
    if not flags:
        return "\n".join([*lines, "Inga motsägelser hittades.", ""])
    for n, f in enumerate(flags, start=1):
        lines += [
            f"## {n}. {FLAG_KINDS[f.kind]}" + (f" – {f.indicator_name}" if f.indicator_name else ""),
            "",
            f"**{f.explanation}**" + (" _(information)_" if f.severity == "info" else ""),
            "",
            "| Ställe 1 | Ställe 2 |",
            "|---|---|",
            f"| {_md_cell(f.first.text)} | {_md_cell(f.second.text)} |",
            f"| {_md_cell(f.first.citation())} | {_md_cell(f.second.citation())} |",
            "",
        ]
    return "\n".join(lines)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def flags_to_html(flags: Iterable[Flag]) -> str:
    """A standalone HTML page; all report text is escaped."""
    flags = list(flags)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="sv"><head><meta charset="utf-8"><title>Motsägelser i rapporterna</title>',
        "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}"
        ".pair{display:grid;grid-template-columns:1fr 1fr;gap:1em}"
        ".p{border:1px solid #ccc;padding:.6em;background:#fafafa}"
        "mark{background:#ffe08a}.info{color:#555}.cite{font-size:.85em;color:#555}</style>",
        "</head><body><h1>Motsägelser i rapporterna</h1>",
    ]
    if not flags:
        parts.append("<p>Inga motsägelser hittades.</p>")
    for n, f in enumerate(flags, start=1):
        title = FLAG_KINDS[f.kind] + (f" – {f.indicator_name}" if f.indicator_name else "")
        cls = ' class="info"' if f.severity == "info" else ""
        parts.append(
            f"<section><h2>{n}. {html.escape(title)}</h2><p{cls}><strong>{html.escape(f.explanation)}</strong></p>"
        )
        parts.append('<div class="pair">')
        for p in (f.first, f.second):
            parts.append(f'<div class="p"><p>{_html_highlight(p.text, p.highlight)}</p>')
            parts.append(f'<p class="cite">{html.escape(p.citation())}</p></div>')
        parts.append("</div></section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _html_highlight(text: str, highlight: str) -> str:
    if highlight and highlight in text:
        i = text.index(highlight)
        return (
            html.escape(text[:i])
            + "<mark>"
            + html.escape(highlight)
            + "</mark>"
            + html.escape(text[i + len(highlight) :])
        )
    return html.escape(text)
