"""The "Jämför år" tab: one indicator year by year, its chart, and the flags that touch it.

The facts and flags come from :mod:`assistant.indicators` and
:mod:`assistant.consistency`, the same as ``compare`` and ``check`` on the
command line. They are extracted once per corpus state: :class:`FactCache`
keys them by every report's id, sha256 and metadata (and
``corpus/indicators.toml``), so a report uploaded, corrected or removed in the
reports tab is picked up the next time this tab is used.

Every string from a report goes through ``html.escape`` before it reaches the
page. Charts are written to a temporary folder of this process, never into
``corpus/`` or ``index/``.
"""

from __future__ import annotations

import hashlib
import html
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..documents import Document
from ..errors import AssistantError
from ..facts.consistency import FLAG_KINDS, Flag, FlagPassage, check
from ..facts.indicators import (
    Fact,
    SeriesPoint,
    extract_facts,
    known_indicators,
    load_indicator_file,
    plot_series,
    series,
)

if TYPE_CHECKING:
    from ..api import Assistant

__all__ = [
    "ALL_UNITS",
    "DEFAULT_INDICATOR",
    "CompareView",
    "CorpusFacts",
    "FactCache",
    "build_compare_tab",
    "compare_view",
    "indicator_choices",
    "render_flags",
    "render_series_table",
    "render_summary",
    "unit_choices",
]

ALL_UNITS = "Alla enheter"
DEFAULT_INDICATOR = "sjukfranvaro"
KIND_ORDER = ("utfall", "årsmål", "kf_årsmål", "prognos")
KIND_HEADS = {"utfall": "Utfall", "årsmål": "Årsmål", "kf_årsmål": "KF:s årsmål", "prognos": "Prognos helår"}
YEARLY = ("år", "rullande 12 mån")  # the periods the chart and the overview compare across years
SOURCE_NAMES = {"tabell": "tabell", "text": "text"}

# Scoped to each HTML component by gradio (``css_template``); no "$" or "{{" here.
_CSS = """
.ra-cmp-h { font-weight: 700; margin: 6px 0 4px 0; }
.ra-cmp-sub { font-size: .8em; color: var(--body-text-color-subdued); }
.ra-cmp-quoted { color: var(--body-text-color-subdued); }
.ra-cmp-note { color: #8a5a00; cursor: help; }
.ra-cmp-target { color: #8a5a00; }
.ra-cmp-year-start td { border-top: 2px solid var(--border-color-primary); }
.ra-cmp-cite { font-size: .85em; }
.ra-flags { display: flex; flex-direction: column; gap: 10px; }
.ra-flag { border: 1px solid var(--border-color-primary); border-left: 4px solid #b3261e; border-radius: 8px;
  padding: 8px 12px; background: var(--background-fill-primary); }
.ra-flag.ra-flag-info { border-left-color: #1d5fbf; }
.ra-flag-head { font-weight: 700; }
.ra-flag-sev { font-weight: 400; font-size: .8em; color: var(--body-text-color-subdued); margin-left: 6px; }
.ra-flag-expl { margin: 4px 0 8px 0; }
.ra-flag-pair { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
.ra-flag-side { border: 1px solid var(--border-color-primary); border-radius: 6px; padding: 6px 8px;
  background: var(--background-fill-secondary); min-width: 0; }
.ra-flag-cite { font-size: .85em; margin-bottom: 4px; }
.ra-flag-text { margin: 0; white-space: pre-wrap; font-size: .88em; max-height: 14em; overflow-y: auto; }
.ra-flag-ref { font-size: .75em; color: var(--body-text-color-subdued); margin-top: 4px; }
.ra-flag mark { background: #ffe58a; color: inherit; padding: 0 1px; }
.ra-cmp-empty { color: var(--body-text-color-subdued); padding: 10px; border: 1px dashed var(--border-color-primary);
  border-radius: 8px; }
"""


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


# --------------------------------------------------------------------------- facts per corpus state


@dataclass(frozen=True)
class CorpusFacts:
    """The facts and flags of one state of the corpus."""

    key: tuple[Any, ...]
    documents: tuple[Document, ...]
    facts: tuple[Fact, ...]
    flags: tuple[Flag, ...]

    def title(self, report_id: str) -> str:
        for d in self.documents:
            if d.meta.report_id == report_id:
                return d.meta.title or d.meta.label()
        return report_id


def _corpus_key(documents: Sequence[Document], extra_file: Path | None) -> tuple[Any, ...]:
    reports = tuple(
        sorted(
            (d.meta.report_id, d.meta.sha256, d.meta.title, d.meta.unit, d.meta.year, d.meta.type) for d in documents
        )
    )
    extra: tuple[Any, ...] = ()
    if extra_file is not None and extra_file.exists():
        st = extra_file.stat()
        extra = (st.st_mtime_ns, st.st_size)
    return (reports, extra)


class FactCache:
    """Facts and flags, extracted again only when the corpus has changed.

    ``documents`` returns the current documents (``lambda: assistant.corpus.documents``);
    ``extra_file`` is the optional ``corpus/indicators.toml`` with more indicator definitions.
    """

    def __init__(self, documents: Callable[[], Sequence[Document]], extra_file: Path | None = None) -> None:
        self._documents = documents
        self._extra_file = extra_file
        self._lock = threading.Lock()
        self._current: CorpusFacts | None = None
        self.extractions = 0  # how many times the facts were extracted (for tests)

    @classmethod
    def for_assistant(cls, assistant: Assistant) -> FactCache:
        return cls(lambda: assistant.corpus.documents, assistant.config.corpus / "indicators.toml")

    def get(self) -> CorpusFacts:
        docs = tuple(self._documents())
        key = _corpus_key(docs, self._extra_file)
        with self._lock:
            if self._current is not None and self._current.key == key:
                return self._current
            extra = load_indicator_file(self._extra_file) if self._extra_file and self._extra_file.exists() else []
            facts = extract_facts(docs, extra)
            flags = check(docs, facts=facts)
            self._current = CorpusFacts(key, docs, tuple(facts), tuple(flags))
            self.extractions += 1
            return self._current


# --------------------------------------------------------------------------- choices


def indicator_choices(data: CorpusFacts) -> list[tuple[str, str]]:
    """(Swedish label, key) for every indicator with facts, by name."""
    return [(f"{name} ({n} värden)", key) for key, name, n in known_indicators(data.facts)]


def default_indicator(data: CorpusFacts) -> str | None:
    keys = [key for _, key in indicator_choices(data)]
    if DEFAULT_INDICATOR in keys:
        return DEFAULT_INDICATOR
    return keys[0] if keys else None


def unit_choices(data: CorpusFacts, indicator: str | None) -> list[str]:
    """``ALL_UNITS`` and every reporting unit that states the indicator."""
    units = sorted({f.org_unit for f in data.facts if f.indicator == indicator and f.org_unit})
    return [ALL_UNITS, *units]


# --------------------------------------------------------------------------- HTML


def _cite(title: str, heading_path: Sequence[str], page: int | None, source: str | None = None) -> str:
    """Report title · section · page (· table or text), escaped."""
    parts = [esc(title)]
    if heading_path:
        parts.append(esc(heading_path[-1]))
    parts.append(f"s. {esc(page)}" if page else "sida okänd")
    if source:
        parts.append(esc(SOURCE_NAMES.get(source, source)))
    return " · ".join(parts)


def _kind_text(f: Fact) -> str:
    text = f.kind_label
    if f.quoted:
        text += f" (fjolårsvärde, citerat i rapporten för {f.report_year})" if f.report_year else " (fjolårsvärde)"
    if f.scope:
        text += f" [{f.scope}]"
    return text


def _value_html(f: Fact) -> str:
    value = esc(f.written)
    if f.note:
        value += f' <span class="ra-cmp-note" title="{esc(f.note)}">*</span>'
    return value


def render_series_table(points: Sequence[SeriesPoint], data: CorpusFacts) -> str:
    """Every value of the series year by year, targets after the outcomes of the same year, with citations."""
    if not points:
        return '<div class="ra-cmp-empty">Inga värden för den här indikatorn och enheten.</div>'
    head = "".join(f"<th>{h}</th>" for h in ("År", "Enhet", "Värde", "Slag", "Period", "Källa"))
    rows = []
    previous_year: object = object()
    for p in points:
        f = p.fact
        start = ' class="ra-cmp-year-start"' if p.year != previous_year else ""
        previous_year = p.year
        cls = "ra-cmp-target" if f.kind in ("årsmål", "kf_årsmål") else ""
        cls += " ra-cmp-quoted" if f.quoted else ""
        rows.append(
            f'<tr{start} data-year="{esc(p.year)}" data-kind="{esc(f.kind)}" data-report="{esc(f.report_id)}">'
            f"<td>{esc(p.year or '?')}</td>"
            f"<td>{esc(f.org_unit or 'enhet okänd')}</td>"
            f'<td class="ra-cmp-value">{_value_html(f)}</td>'
            f'<td class="{cls.strip()}">{esc(_kind_text(f))}</td>'
            f"<td>{esc(f.period)}</td>"
            f'<td class="ra-cmp-cite">{_cite(data.title(f.report_id), f.heading_path, f.page, f.source)}</td></tr>'
        )
    legend = ""
    if any(p.fact.note for p in points):
        notes = sorted({p.fact.note for p in points if p.fact.note})
        legend = f'<p class="ra-legend">* {esc("; ".join(notes))}.</p>'
    return (
        '<div class="ra-cmp-h">Varje värde med källa</div>'
        f'<table class="ra-table ra-cmp-series"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
        + legend
    )


def _yearly(points: Iterable[SeriesPoint]) -> dict[tuple[int, str], dict[str, Fact]]:
    """Per (year, unit): the first whole-unit, whole-year value of each kind (the one the chart shows)."""
    out: dict[tuple[int, str], dict[str, Fact]] = {}
    for p in points:
        f = p.fact
        if p.year is None or f.scope is not None or f.period_type not in YEARLY:
            continue
        out.setdefault((p.year, f.org_unit or ""), {}).setdefault(f.kind, f)
    return out


def render_summary(points: Sequence[SeriesPoint]) -> str:
    """One row per year and unit: the outcome with the targets beside it."""
    yearly = _yearly(points)
    if not yearly:
        return '<div class="ra-cmp-empty">Inga helårsvärden att jämföra mellan åren.</div>'
    kinds = [k for k in KIND_ORDER if any(k in cells for cells in yearly.values())]
    head = "".join(f"<th>{h}</th>" for h in ("År", "Enhet", *(KIND_HEADS[k] for k in kinds)))
    rows = []
    for (year, unit), cells in sorted(yearly.items()):
        tds = []
        for k in kinds:
            f = cells.get(k)
            if f is None:
                tds.append("<td>–</td>")
                continue
            sub = []
            if f.period_type != "år":
                sub.append(f.period)
            if f.quoted and f.report_year:
                sub.append(f"citerat i rapporten för {f.report_year}")
            extra = f'<div class="ra-cmp-sub">{esc(", ".join(sub))}</div>' if sub else ""
            tds.append(f'<td data-kind="{esc(k)}">{_value_html(f)}{extra}</td>')
        rows.append(f'<tr data-year="{esc(year)}"><td>{esc(year)}</td><td>{esc(unit or "–")}</td>{"".join(tds)}</tr>')
    return (
        '<div class="ra-cmp-h">År för år: utfall och mål</div>'
        f'<table class="ra-table ra-cmp-summary"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _highlight(text: str, highlight: str) -> str:
    if highlight and highlight in text:
        i = text.index(highlight)
        return esc(text[:i]) + f"<mark>{esc(highlight)}</mark>" + esc(text[i + len(highlight) :])
    return esc(text)


def _render_side(p: FlagPassage, data: CorpusFacts) -> str:
    return (
        '<div class="ra-flag-side">'
        f'<div class="ra-flag-cite">{_cite(data.title(p.report_id), p.heading_path, p.page)}</div>'
        f'<blockquote class="ra-flag-text">{_highlight(p.text, p.highlight)}</blockquote>'
        f'<div class="ra-flag-ref">{esc(p.citation())}</div></div>'
    )


def render_flags(flags: Sequence[Flag], data: CorpusFacts, *, title: str) -> str:
    """Each flag: kind, the one-line explanation, and both passages side by side with citations."""
    parts = [f'<div class="ra-cmp-h">{esc(title)} ({len(flags)})</div>']
    if not flags:
        parts.append('<div class="ra-cmp-empty">Inga flaggor.</div>')
        return "".join(parts)
    parts.append('<div class="ra-flags">')
    for f in flags:
        info = f.severity == "info"
        cls = "ra-flag ra-flag-info" if info else "ra-flag"
        name = f" – {esc(f.indicator_name)}" if f.indicator_name else ""
        sev = '<span class="ra-flag-sev">(information)</span>' if info else ""
        parts.append(
            f'<div class="{cls}" data-kind="{esc(f.kind)}" data-indicator="{esc(f.indicator)}">'
            f'<div class="ra-flag-head">{esc(FLAG_KINDS[f.kind])}{name}{sev}</div>'
            f'<p class="ra-flag-expl">{esc(f.explanation)}</p>'
            f'<div class="ra-flag-pair">{_render_side(f.first, data)}{_render_side(f.second, data)}</div></div>'
        )
    parts.append("</div>")
    return "".join(parts)


# --------------------------------------------------------------------------- the view


_chart_lock = threading.Lock()  # pyplot keeps global state: one chart at a time
_chart_dir: Path | None = None


def _charts() -> Path:
    global _chart_dir
    if _chart_dir is None or not _chart_dir.is_dir():
        _chart_dir = Path(tempfile.mkdtemp(prefix="jamfor-ar-"))
    return _chart_dir


def _chart(points: Sequence[SeriesPoint], data: CorpusFacts, indicator: str, unit: str | None) -> str | None:
    """The chart as a PNG in the temporary folder (reused for the same corpus state), or None if nothing to draw."""
    if not _yearly(p for p in points if p.value is not None):
        return None
    digest = hashlib.sha256(repr((data.key, indicator, unit)).encode("utf-8")).hexdigest()[:20]
    with _chart_lock:
        path = _charts() / f"{indicator[:40]}-{digest}.png".replace("/", "_")
        if not path.exists():
            name = points[0].fact.indicator_name + (f" – {unit}" if unit else "")
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.png")
            plot_series(points, tmp, title=name)
            tmp.replace(path)
    return str(path)


@dataclass(frozen=True)
class CompareView:
    """What the tab shows for one choice of indicator, unit and flag scope."""

    summary: str  # HTML: year by year, outcome beside the targets
    table: str  # HTML: every value with its citation
    chart: str | None  # path of the PNG
    flags_html: str
    points: tuple[SeriesPoint, ...]
    flags: tuple[Flag, ...]


def _flag_in_unit(flag: Flag, data: CorpusFacts, unit: str) -> bool:
    units = [d.meta.unit or "" for d in data.documents if d.meta.report_id in flag.report_ids]
    return any(unit.lower() in u.lower() for u in units)


def compare_view(
    data: CorpusFacts, indicator: str | None, unit: str | None = None, show_all: bool = False
) -> CompareView:
    """The series of ``indicator`` (for ``unit``, or all units), its chart, and its flags (or all flags)."""
    unit = None if unit in (None, "", ALL_UNITS) else unit
    if not data.facts:
        empty = '<div class="ra-cmp-empty">Rapporterna innehåller inga siffror som kan jämföras.</div>'
        return CompareView(empty, "", None, "", (), ())
    keys = {f.indicator for f in data.facts}
    if not indicator or indicator not in keys:
        message = f"Indikatorn '{indicator}' finns inte i rapporterna. Välj en i listan." if indicator else ""
        empty = f'<div class="ra-status ra-warn">{esc(message or "Välj en indikator.")}</div>'
        return CompareView(empty, "", None, "", (), ())
    points = tuple(series(data.facts, indicator, unit=unit))
    flags = [f for f in data.flags if show_all or f.indicator == indicator]
    if unit:
        flags = [f for f in flags if _flag_in_unit(f, data, unit)]
    name = next(f.indicator_name for f in data.facts if f.indicator == indicator)
    title = "Alla flaggor" if show_all else f"Flaggor för {name}"
    if unit:
        title += f", {unit}"
    try:
        chart = _chart(points, data, indicator, unit) if points else None
    except AssistantError:
        chart = None
    summary = render_summary(points)
    units = sorted({p.fact.org_unit or "enhet okänd" for p in points})
    if len(units) > 1:  # the chart draws one line per kind, whichever unit reported the value
        summary += (
            f'<p class="ra-legend ra-cmp-mixed">Serien kommer från {len(units)} enheter ({esc(", ".join(units))}); '
            "diagrammet binder ihop deras värden. Välj en enhet för att följa en enhet över åren.</p>"
        )
    return CompareView(
        summary,
        render_series_table(points, data),
        chart,
        render_flags(flags, data, title=title),
        points,
        tuple(flags),
    )


# --------------------------------------------------------------------------- gradio


def build_compare_tab(assistant: Assistant) -> Any:
    """Build the tab inside the current ``gr.Tab`` context."""
    import gradio as gr
    from gradio.context import get_render_context

    cache = FactCache.for_assistant(assistant)
    data0 = cache.get()
    indicator0 = default_indicator(data0)
    view0 = compare_view(data0, indicator0)

    tab = get_render_context()
    gr.Markdown(
        "Välj en indikator och se den år för år, med målen bredvid utfallen, ett diagram och de motsägelser "
        "som hittats i rapporterna. Varje värde har sin källa: rapport, avsnitt och sida."
    )
    with gr.Row(equal_height=True):
        indicator = gr.Dropdown(
            indicator_choices(data0), value=indicator0, label="Indikator", scale=3, elem_id="ra-compare-indicator"
        )
        unit = gr.Dropdown(
            unit_choices(data0, indicator0), value=ALL_UNITS, label="Enhet", scale=2, elem_id="ra-compare-unit"
        )
        show_all = gr.Checkbox(value=False, label="Visa alla flaggor", scale=1, elem_id="ra-compare-all")
    with gr.Row(equal_height=False):
        with gr.Column(scale=1, min_width=380):
            summary = gr.HTML(view0.summary, css_template=_CSS, js_on_load=None, elem_id="ra-compare-summary")
        with gr.Column(scale=1, min_width=380):
            chart = gr.Image(
                view0.chart,
                type="filepath",
                format="png",
                label="Diagram",
                interactive=False,
                buttons=["download", "fullscreen"],
                elem_id="ra-compare-chart",
            )
    table = gr.HTML(view0.table, css_template=_CSS, js_on_load=None, elem_id="ra-compare-table")
    flags = gr.HTML(view0.flags_html, css_template=_CSS, js_on_load=None, elem_id="ra-compare-flags")

    def show(ind: str | None, u: str | None, everything: bool) -> tuple[Any, ...]:
        data = cache.get()
        units = unit_choices(data, ind)
        u = u if u in units else ALL_UNITS
        v = compare_view(data, ind, u, bool(everything))
        return gr.update(choices=units, value=u), v.summary, v.chart, v.table, v.flags_html

    def refresh(ind: str | None, u: str | None, everything: bool) -> tuple[Any, ...]:
        """After a change in the reports tab: new indicator list, the same choice where it still exists."""
        data = cache.get()
        choices = indicator_choices(data)
        keys = [k for _, k in choices]
        ind = ind if ind in keys else default_indicator(data)
        return gr.update(choices=choices, value=ind), *show(ind, u, everything)

    outputs = [unit, summary, chart, table, flags]
    for control in (indicator, unit, show_all):
        control.change(show, [indicator, unit, show_all], outputs, api_visibility="private", trigger_mode="always_last")
    if isinstance(tab, gr.Tab):
        tab.select(refresh, [indicator, unit, show_all], [indicator, *outputs], api_visibility="private")
    return flags
