"""The "Jämför år" tab: one indicator year by year, its chart, and the flags that touch it.

The facts and flags come from :mod:`assistant.facts.indicators` and
:mod:`assistant.facts.consistency`, the same as ``compare`` and ``check`` on the
command line, extracted once per corpus state (:mod:`.compare_data`). The parts
of the tab, one module each:

    compare_data.py    CorpusFacts, FactCache, the pick lists
    compare_tables.py  year by year, and every value with its source
    compare_chart.py   the chart (one line per unit and kind) and the values it does not draw
    compare_flags.py   the flags, passages side by side
    tab_compare.py     compare_view (all of it for one choice) and the gradio tab

Every string from a report goes through ``html.escape`` before it reaches the
page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import AssistantError
from ..facts.consistency import Flag
from ..facts.indicators import SeriesPoint, series, series_notes
from .compare_chart import chart_file, render_chart_notes
from .compare_data import (
    ALL_UNITS,
    DEFAULT_INDICATOR,
    CorpusFacts,
    FactCache,
    default_indicator,
    esc,
    indicator_choices,
    unit_choices,
)
from .compare_flags import render_flags
from .compare_tables import render_series_table, render_summary

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
    "default_indicator",
    "indicator_choices",
    "render_flags",
    "render_series_table",
    "render_summary",
    "unit_choices",
]

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
.ra-flag-pair > .ra-flag-one { grid-column: 1 / -1; }
.ra-flag-both { font-size: .8em; color: var(--body-text-color-subdued); }
.ra-cmp-chartnotes { font-size: .85em; color: var(--body-text-color-subdued); }
.ra-cmp-textnotes { font-size: .85em; margin-top: 6px; }
.ra-cmp-textnotes ul { margin: 2px 0 0 1.2em; }
.ra-flag mark { background: #ffe58a; color: inherit; padding: 0 1px; }
.ra-cmp-empty { color: var(--body-text-color-subdued); padding: 10px; border: 1px dashed var(--border-color-primary);
  border-radius: 8px; }
"""


@dataclass(frozen=True)
class CompareView:
    """What the tab shows for one choice of indicator, unit and flag scope."""

    summary: str  # HTML: year by year, outcome beside the targets
    table: str  # HTML: every value with its citation
    chart: str | None  # path of the PNG
    flags_html: str
    points: tuple[SeriesPoint, ...]
    flags: tuple[Flag, ...]
    chart_notes: str = ""  # HTML: the chart's lines, and the values it does not draw with the reason


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
    notes = series_notes(data.facts, indicator, unit=unit)
    flags = [f for f in data.flags if show_all or f.indicator == indicator]
    if unit:
        flags = [f for f in flags if _flag_in_unit(f, data, unit)]
    name = next(f.indicator_name for f in data.facts if f.indicator == indicator)
    title = "Alla flaggor" if show_all else f"Flaggor för {name}"
    if unit:
        title += f", {unit}"
    try:
        chart = chart_file(points, data, indicator, unit) if points else None
    except AssistantError:
        chart = None
    summary = render_summary(points, notes)
    units = sorted({p.fact.org_unit or "enhet okänd" for p in points})
    if len(units) > 1:
        summary += (
            f'<p class="ra-legend ra-cmp-mixed">Serien kommer från {len(units)} enheter ({esc(", ".join(units))}); '
            "diagrammet har en linje per enhet. Välj en enhet för att bara se den.</p>"
        )
    return CompareView(
        summary,
        render_series_table(points, data, notes),
        chart,
        render_flags(flags, data, title=title),
        points,
        tuple(flags),
        render_chart_notes(points),
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
            chart_notes = gr.HTML(
                view0.chart_notes, css_template=_CSS, js_on_load=None, elem_id="ra-compare-chartnotes"
            )
    table = gr.HTML(view0.table, css_template=_CSS, js_on_load=None, elem_id="ra-compare-table")
    flags = gr.HTML(view0.flags_html, css_template=_CSS, js_on_load=None, elem_id="ra-compare-flags")

    def show(ind: str | None, u: str | None, everything: bool) -> tuple[Any, ...]:
        data = cache.get()
        units = unit_choices(data, ind)
        u = u if u in units else ALL_UNITS
        v = compare_view(data, ind, u, bool(everything))
        return gr.update(choices=units, value=u), v.summary, v.chart, v.chart_notes, v.table, v.flags_html

    def refresh(ind: str | None, u: str | None, everything: bool) -> tuple[Any, ...]:
        """After a change in the reports tab: new indicator list, the same choice where it still exists."""
        data = cache.get()
        choices = indicator_choices(data)
        keys = [k for _, k in choices]
        ind = ind if ind in keys else default_indicator(data)
        return gr.update(choices=choices, value=ind), *show(ind, u, everything)

    outputs = [unit, summary, chart, chart_notes, table, flags]
    for control in (indicator, unit, show_all):
        control.change(show, [indicator, unit, show_all], outputs, api_visibility="private", trigger_mode="always_last")
    if isinstance(tab, gr.Tab):
        tab.select(refresh, [indicator, unit, show_all], [indicator, *outputs], api_visibility="private")
    return flags
