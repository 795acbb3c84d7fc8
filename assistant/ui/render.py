"""HTML for the web interface: answers, source cards, the report viewer, tables.

Every string that comes from a report, an upload, a question or an error
message passes through :func:`esc` before it is put into HTML; tags and
attribute values are written here and nowhere else. A report that contains
``<script>`` or ``onerror=`` is therefore shown as text. The functions are
pure (data in, HTML out), so they are tested without a browser
(``tests/test_ui_render.py``).
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from ..answer.model import Answer, Citation, year_labels
from ..documents import Document, ReportMeta

__all__ = [
    "ABSTAIN_TITLE",
    "FIELD_NAMES",
    "GENERATED_TITLE",
    "PASSAGE_ID",
    "QUOTES_TITLE",
    "Turn",
    "esc",
    "example_questions",
    "original_link",
    "render_answer",
    "render_conversation",
    "render_document",
    "render_examples",
    "render_passage",
    "render_reports_table",
    "render_status",
    "render_streaming",
    "render_viewer_placeholder",
]

ABSTAIN_TITLE = "Inget svar hittades"
GENERATED_TITLE = "Genererat svar, kontrollerat mot källorna"
QUOTES_TITLE = "Ordagranna citat"
PASSAGE_ID = "ra-passage"  # id of the cited passage in the report viewer (scrolled into view)
FILTER_NAMES = {"year": "år", "unit": "enhet", "type": "typ", "subject": "ämne"}
ORIGIN_NAMES = {"detected": "upptäckt i texten", "manifest": "rättad (manifest)"}


def esc(value: object) -> str:
    """Escape anything for HTML text *and* quoted attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


@dataclass(frozen=True)
class Turn:
    """One question and its answer (or the error it gave) in the conversation."""

    question: str
    answer: Answer | None = None
    error: str = ""
    explicit: Mapping[str, Any] = field(default_factory=dict)  # filters chosen beside the chat
    dropped: tuple[str, ...] = ()  # inferred filters the user removed
    kept: Mapping[str, Any] = field(default_factory=dict)  # inferred filters still applied after a removal
    history: tuple[Answer, ...] = ()  # the conversation's answers before this turn (what a follow-up takes from)
    streaming: str | None = None  # the language model's checked text while it is still writing


# ---------------------------------------------------------------- conversation
def render_conversation(turns: Sequence[Turn]) -> str:
    if not turns:
        return (
            '<div class="ra-chat ra-empty"><p>Ställ en fråga om verksamhetsberättelserna och '
            "verksamhetsplanerna. Svaret citerar rapporterna ordagrant, med källor du kan öppna.</p></div>"
        )
    parts = ['<div class="ra-chat">']
    for i, turn in enumerate(turns):
        parts.append(f'<div class="ra-turn" data-turn="{i}">')
        parts.append(f'<div class="ra-question"><span class="ra-who">Fråga</span> {esc(turn.question)}</div>')
        if turn.dropped:
            names = ", ".join(FILTER_NAMES.get(k, k) for k in turn.dropped)
            parts.append(f'<div class="ra-note">Sökt utan de tolkade filtren: {esc(names)}</div>')
        if turn.error:
            parts.append(f'<div class="ra-answer ra-error" role="alert"><strong>Fel:</strong> {esc(turn.error)}</div>')
        elif turn.answer is not None:
            parts.append(render_answer(turn.answer, i, turn))
        elif turn.streaming is not None:
            parts.append(render_streaming(turn.streaming))
        parts.append("</div>")
    parts.append("</div>")
    return "".join(parts)


def render_answer(answer: Answer, turn_index: int = 0, turn: Turn | None = None) -> str:
    """One answer: the quoted sentences with [n] markers, the filters, the source cards."""
    t = turn_index
    text_id = f"ra-text-{t}"
    copy = (
        f'<button type="button" class="ra-copy" data-action="copy" data-target="{text_id}" '
        'title="Kopiera svaret med källhänvisningar som text">Kopiera svar</button>'
        f'<pre class="ra-plain" id="{text_id}" hidden>{esc(answer.as_text())}</pre>'
    )
    filters = _render_filters(answer, t, turn)
    if answer.abstained:
        notice = f'<p class="ra-notice">{esc(answer.notice)}</p>' if answer.notice else ""
        body = answer.answer
        if answer.notice and body.endswith(answer.notice):
            body = body[: -len(answer.notice)].strip()
        cards = "".join(_render_card(c, t, near=True) for c in answer.citations)
        near = f'<div class="ra-near-title">Närmaste avsnitt – de svarar inte på frågan</div>{cards}' if cards else ""
        model = (
            f'<p class="ra-model-notice" role="status">{esc(answer.model_notice)}</p>' if answer.model_notice else ""
        )
        return (
            f'<div class="ra-answer ra-abstained" role="alert" data-abstained="true">'
            f'<div class="ra-abstain-title">⚠ {ABSTAIN_TITLE}</div>'
            f'<p class="ra-abstain-text">{esc(body)}</p>{notice}{model}{filters}{copy}{near}</div>'
        )
    cards = "".join(_render_card(c, t) for c in answer.citations)
    notice = f'<p class="ra-notice">{esc(answer.notice)}</p>' if answer.notice else ""
    model = f'<p class="ra-model-notice" role="status">{esc(answer.model_notice)}</p>' if answer.model_notice else ""
    if answer.mode == "generated":
        body = (
            f'<div class="ra-mode ra-mode-generated">{GENERATED_TITLE}</div>'
            f'<div class="ra-generated">{_render_generated(answer, t)}</div>{model}'
            f'<div class="ra-quotes-title">{QUOTES_TITLE} ur källorna</div>'
            f'<div class="ra-sentences ra-quotes">{_render_sentences(answer, t)}</div>'
        )
    else:
        body = (
            f'<div class="ra-mode ra-mode-quotes">{QUOTES_TITLE}</div>{model}'
            f'<div class="ra-sentences">{_render_sentences(answer, t)}</div>'
        )
    return (
        f'<div class="ra-answer" data-abstained="false" data-mode="{esc(answer.mode)}">{body}'
        f'{notice}{filters}{copy}<div class="ra-sources-title">Källor</div>{cards}</div>'
    )


def _render_generated(answer: Answer, t: int) -> str:
    out = []
    for sentence, cites in answer.generated:
        buttons = "".join(
            f'<button type="button" class="ra-cite" data-action="open" data-turn="{t}" data-n="{n}" '
            f'title="Öppna källa {n} i rapporten">[{n}]</button>'
            for n in cites
        )
        out.append(f'<span class="ra-gen-sentence">{esc(sentence)} {buttons}</span> ')
    return f"<p>{''.join(out).strip()}</p>"


def render_streaming(text: str) -> str:
    """The language model's answer while it is written: only sentences that passed the check."""
    shown = esc(text) if text else '<span class="ra-typing">Språkmodellen skriver …</span>'
    return (
        '<div class="ra-answer ra-streaming" data-streaming="true" aria-busy="true">'
        f'<div class="ra-mode ra-mode-generated">{GENERATED_TITLE} – skrivs …</div>'
        f'<p class="ra-stream-text">{shown}</p></div>'
    )


def _render_sentences(answer: Answer, t: int) -> str:
    if not answer.sentences:
        return f"<p>{esc(answer.answer)}</p>"
    out = []
    labels = year_labels(answer.sentences, answer.citations)
    for i, ((sentence, n), year) in enumerate(zip(answer.sentences, labels, strict=True)):
        prefix = f'<span class="ra-year">{esc(year)}:</span> ' if year else ""
        # A quoted table row is shown as its values named (the lead); the row itself is in its source card.
        rendered = answer.leads[i] if i < len(answer.leads) else (answer.lead if i == 0 else "")
        flat = rendered or " ".join(sentence.split())
        out.append(
            f'<p class="ra-sentence">{prefix}{esc(flat)} '
            f'<button type="button" class="ra-cite" data-action="open" data-turn="{t}" data-n="{n}" '
            f'title="Öppna källa {n} i rapporten">[{n}]</button></p>'
        )
    return "".join(out)


def _render_filters(answer: Answer, t: int, turn: Turn | None) -> str:
    """Applied filters; those read from the question carry a button that removes them."""
    explicit = dict(turn.explicit) if turn else {}
    inferred = {**(turn.kept if turn else {}), **answer.inferred}
    carried = {c.field: c for c in answer.carried}
    shown = {k: v for k, v in answer.filters.items() if v not in (None, "", [], ())}
    for key, value in [*explicit.items(), *inferred.items()]:  # several years: filters.year is None
        shown.setdefault(key, value)
    for key, c in carried.items():
        if key not in explicit and (key == "subject" or key in shown):
            shown[key] = c.value
    chips = []
    for key, value in shown.items():
        label = f"{FILTER_NAMES.get(key, key)}: {_filter_value(value)}"
        if key in carried and key not in explicit:
            label = carried[key].label
            chips.append(
                f'<span class="ra-chip ra-inferred ra-carried" data-carried="{esc(key)}">{esc(label)}'
                f'<button type="button" class="ra-chip-x" data-action="drop" data-turn="{t}" data-key="{esc(key)}" '
                f'title="Fråga igen utan det som togs från förra frågan" aria-label="Ta bort {esc(label)}">✕</button>'
                "</span>"
            )
        elif key in inferred and key not in explicit:
            chips.append(
                f'<span class="ra-chip ra-inferred">{esc(label)} <span class="ra-chip-src">(tolkat från frågan)</span>'
                f'<button type="button" class="ra-chip-x" data-action="drop" data-turn="{t}" data-key="{esc(key)}" '
                f'title="Sök igen utan detta filter" aria-label="Ta bort filtret {esc(label)}">✕</button></span>'
            )
        else:
            chips.append(f'<span class="ra-chip">{esc(label)}</span>')
    if not chips:
        return ""
    drop_all = ""
    if any((k in inferred or k in carried) and k not in explicit for k in shown):
        drop_all = (
            f'<button type="button" class="ra-drop-all" data-action="drop" data-turn="{t}" data-key="*">'
            "Sök utan de tolkade filtren</button>"
        )
    return f'<div class="ra-filters"><span class="ra-filters-label">Filter:</span> {"".join(chips)}{drop_all}</div>'


def _filter_value(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _render_card(c: Citation, t: int, *, near: bool = False) -> str:
    page = f"s. {c.page}" if c.page else "sida okänd"
    meta = " · ".join(esc(x) for x in (c.unit or "enhet okänd", c.year or "år okänt", c.type, page))
    cls = "ra-card ra-near" if near else "ra-card"
    return (
        f'<div class="{cls}" data-turn="{t}" data-n="{c.n}" data-year="{esc(c.year)}">'
        f'<div class="ra-card-head"><span class="ra-card-n">[{c.n}]</span> '
        f'<span class="ra-card-title">{esc(c.title)}</span></div>'
        f'<div class="ra-card-meta">{meta}</div>'
        f'<div class="ra-card-section">{esc(c.section or "(inget avsnitt)")}</div>'
        f'<blockquote class="ra-passage">{render_passage(c.text, c.quote_start, c.quote_end)}</blockquote>'
        f'<button type="button" class="ra-open" data-action="open" data-turn="{t}" data-n="{c.n}">'
        f"Visa i rapporten</button>{original_link(c.report_id, c.page)}</div>"
    )


def original_link(report_id: str, page: int | None = None) -> str:
    """A link that opens the report's original file (a PDF at ``page``) in the reports tab of a new window."""
    query = urlencode({"original": report_id, **({"sida": page} if page else {})})
    where = f" (s. {page})" if page else ""
    return (
        f'<a class="ra-original" href="?{esc(query)}" target="_blank" rel="noopener">'
        f"Öppna originalfilen{esc(where)}</a>"
    )


def render_passage(text: str, quote_start: int | None, quote_end: int | None) -> str:
    """The passage, escaped, with the quoted sentence in <mark class="ra-quote">."""
    if quote_start is None or quote_end is None or not 0 <= quote_start < quote_end <= len(text):
        return esc(text)
    return (
        esc(text[:quote_start])
        + f'<mark class="ra-quote">{esc(text[quote_start:quote_end])}</mark>'
        + esc(text[quote_end:])
    )


# ---------------------------------------------------------------- report viewer
def render_document(
    doc: Document,
    start: int | None = None,
    end: int | None = None,
    quote: tuple[int, int] | None = None,
) -> str:
    """The whole cleaned report; the passage [start, end) in <mark id=PASSAGE_ID>.

    ``quote`` is the quoted sentence, in offsets of the cleaned text. Headings
    are shown bold. The text is cut into segments at every boundary so that
    tags never cross each other.
    """
    text = doc.text
    n = len(text)
    has_passage = start is not None and end is not None and 0 <= start < end <= n
    headings = [(b.start, b.end) for b in doc.blocks if b.kind == "heading" and 0 <= b.start < b.end <= n]
    cuts = {0, n}
    for s, e in headings:
        cuts.update((s, e))
    if has_passage:
        assert start is not None and end is not None
        cuts.update((start, end))
        if quote and start <= quote[0] < quote[1] <= end:
            cuts.update(quote)
    bounds = sorted(cuts)
    heading_at = _interval_lookup(headings)
    parts = []
    first_mark = True
    for a, b in itertools.pairwise(bounds):
        seg = esc(text[a:b])
        if heading_at(a):
            seg = f'<strong class="ra-doc-heading">{seg}</strong>'
        if has_passage and start is not None and end is not None and start <= a < end:
            in_quote = bool(quote and quote[0] <= a < quote[1])
            cls = "ra-doc-passage ra-doc-quote" if in_quote else "ra-doc-passage"
            ident = f' id="{PASSAGE_ID}"' if first_mark else ""
            first_mark = False
            seg = f'<mark class="{cls}"{ident}>{seg}</mark>'
        parts.append(seg)
    meta = doc.meta
    head = (
        f'<div class="ra-doc-head"><div class="ra-doc-title">{esc(meta.title)}</div>'
        f'<div class="ra-doc-meta">{esc(meta.label())} · {esc(meta.source)}</div></div>'
    )
    body = "".join(parts)
    return f'<div class="ra-doc" data-report="{esc(meta.report_id)}">{head}<div class="ra-doc-text">{body}</div></div>'


def _interval_lookup(intervals: list[tuple[int, int]]) -> Any:
    def inside(pos: int) -> bool:
        return any(s <= pos < e for s, e in intervals)

    return inside


def render_viewer_placeholder() -> str:
    return (
        '<div class="ra-doc ra-doc-empty">Klicka på en källa, [1] eller "Visa i rapporten", '
        "så öppnas hela rapporten här vid det citerade stället.</div>"
    )


# ---------------------------------------------------------------- reports tab
def render_reports_table(reports: Iterable[ReportMeta], chunk_counts: Mapping[str, int]) -> str:
    rows = []
    for r in reports:
        origin = r.origin or {}
        fixed = [FIELD_NAMES.get(k, k) for k, v in origin.items() if v == "manifest"]
        origin_text = "rättat: " + ", ".join(fixed) if fixed else "allt upptäckt i texten"

        def cell(key: str, value: object, origin: Mapping[str, str] = origin) -> str:
            src = origin.get(key)
            title = f' title="{esc(ORIGIN_NAMES.get(src, src))}"' if src else ""
            mark = ' <span class="ra-origin-m">✎</span>' if src == "manifest" else ""
            shown = "–" if value in (None, "") else value
            return f"<td{title}>{esc(shown)}{mark}</td>"

        rows.append(
            f'<tr data-report="{esc(r.report_id)}">'
            + cell("title", r.title)
            + cell("unit", r.unit)
            + cell("year", r.year)
            + cell("type", r.type)
            + f"<td>{esc(r.pages if r.pages else '–')}</td>"
            + f"<td>{esc(chunk_counts.get(r.report_id, 0))}</td>"
            + f"<td>{esc(origin_text)}</td>"
            + f'<td class="ra-file">{esc(r.source)} {original_link(r.report_id)}</td></tr>'
        )
    if not rows:
        return '<div class="ra-status ra-warn">Inga rapporter finns i corpus/.</div>'
    head = "".join(
        f"<th>{h}</th>" for h in ("Titel", "Enhet", "År", "Typ", "Sidor", "Avsnitt", "Metadatans ursprung", "Fil")
    )
    return (
        '<table class="ra-table"><thead><tr>' + head + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        '<p class="ra-legend">✎ = rättat för hand och sparat i corpus/manifest.toml; övriga fält är upptäckta i '
        "rapportens text. Avsnitt = antal textavsnitt i sökindexet.</p>"
    )


FIELD_NAMES = {"title": "titel", "unit": "enhet", "year": "år", "type": "typ", "district": "stadsdel"}


def render_status(message: str, kind: str = "ok") -> str:
    """A status line: kind is "ok", "warn" or "error"."""
    if not message:
        return ""
    icon = {"ok": "✓", "warn": "⚠", "error": "✕"}.get(kind, "")
    return f'<div class="ra-status ra-{esc(kind)}" role="status">{icon} {esc(message)}</div>'


# ---------------------------------------------------------------- example questions
# (pattern in the report's text, question template). A question is offered
# only for a report whose text has the indicator, so none is hard-coded.
_EXAMPLES: tuple[tuple[str, str], ...] = (
    (r"sjukfrånvaro", "Vad var sjukfrånvaron för {unit} {year}?"),
    (r"synpunkter och klagomål", "Hur många synpunkter och klagomål fick {unit} {year}?"),
    (r"brukarundersökning|brukarenkät", "Vad visade brukarundersökningen för {unit} {year}?"),
    (r"internkontroll", "Hur arbetade {unit} med internkontroll {year}?"),
    (r"budget|resultat", "Hur blev det ekonomiska resultatet för {unit} {year}?"),
)
_PLAN_EXAMPLES: tuple[tuple[str, str], ...] = (
    (r"utvecklingsområden", "Vilka utvecklingsområden har {unit} för {year}?"),
    (r"enhetsmål|åtagande", "Vilka enhetsmål har {unit} i verksamhetsplanen för {year}?"),
)
_TREND_EXAMPLE = "Hur har sjukfrånvaron utvecklats för {unit} över åren?"


def example_questions(documents: Iterable[Document], limit: int = 6) -> list[str]:
    """Questions the corpus can answer, from the reports' metadata and text.

    Each report offers the questions whose indicator its text mentions; the
    list takes one per report in turn, preferring a kind of question not yet
    shown, so the examples cover several years, units and topics.
    """
    docs = sorted((d for d in documents if d.meta.unit and d.meta.year), key=lambda d: -(d.meta.year or 0))
    offers: list[list[tuple[str, str]]] = []
    for d in docs:
        low = d.text.lower()
        kinds = _PLAN_EXAMPLES if d.meta.type == "verksamhetsplan" else _EXAMPLES
        options = [template for pattern, template in kinds if re.search(pattern, low)]
        offers.append([(t, t.format(unit=d.meta.unit, year=d.meta.year)) for t in options])
    sick: dict[str, set[int]] = {}
    for d in docs:
        if "sjukfrånvaro" in d.text.lower():
            sick.setdefault(d.meta.unit or "", set()).add(d.meta.year or 0)
    trend = [_TREND_EXAMPLE.format(unit=u) for u, years in sorted(sick.items()) if len(years) > 1][:1]
    room = limit - len(trend)
    out: list[str] = []
    used: set[str] = set()
    for fresh_only in (True, False):
        for offer in offers:
            for template, question in offer:
                if len(out) >= room or question in out or (fresh_only and template in used):
                    continue
                out.append(question)
                used.add(template)
                break
    return out + trend


def render_examples(questions: Sequence[str]) -> str:
    """Example questions as buttons; clicking one asks it (see ``chat.py``)."""
    if not questions:
        return ""
    buttons = "".join(
        f'<button type="button" class="ra-example" data-action="example" data-q="{esc(q)}">{esc(q)}</button>'
        for q in questions
    )
    return f'<div class="ra-examples-label">Exempel på frågor:</div><div class="ra-examples">{buttons}</div>'
