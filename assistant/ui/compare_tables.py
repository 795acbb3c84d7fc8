"""The two tables of the "Jämför år" tab: year by year (outcome beside the targets) and every value with its source."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..facts.indicators import Fact, SeriesNote, SeriesPoint
from .compare_data import CorpusFacts, cite, esc

__all__ = ["KIND_HEADS", "KIND_ORDER", "render_series_table", "render_summary", "yearly"]

KIND_ORDER = ("utfall", "årsmål", "kf_årsmål", "prognos")
KIND_HEADS = {"utfall": "Utfall", "årsmål": "Årsmål", "kf_årsmål": "KF:s årsmål", "prognos": "Prognos helår"}
YEARLY = ("år", "rullande 12 mån")  # the periods the overview compares across years


def _kind_text(f: Fact) -> str:
    text = f.kind_label
    if f.quoted:
        text += f" (fjolårsvärde, citerat i rapporten för {f.report_year})" if f.report_year else " (fjolårsvärde)"
    if f.scope:
        text += f" [{f.scope}]"
    return text


def _value_html(f: Fact) -> str:
    value = esc(f.shown)
    if f.note:
        value += f' <span class="ra-cmp-note" title="{esc(f.note)}">*</span>'
    return value


def _notes_html(notes: Sequence[SeriesNote]) -> str:
    if not notes:
        return ""
    items = "".join(f"<li>{esc(n.text)}</li>" for n in notes)
    return f'<div class="ra-cmp-textnotes"><span>Angivet i ord, inget värde:</span><ul>{items}</ul></div>'


def render_series_table(points: Sequence[SeriesPoint], data: CorpusFacts, notes: Sequence[SeriesNote] = ()) -> str:
    """Every value of the series year by year, targets after the outcomes of the same year, with citations.

    A target stated in words ("tas fram av nämnden") is no value: it is listed under the table.
    """
    if not points:
        return '<div class="ra-cmp-empty">Inga värden för den här indikatorn och enheten.</div>' + _notes_html(notes)
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
            f'<td class="ra-cmp-cite">{cite(data.title(f.report_id), f.heading_path, f.page, f.source)}</td></tr>'
        )
    legend = ""
    if any(p.fact.note for p in points):
        placed = sorted({p.fact.note for p in points if p.fact.note})
        legend = f'<p class="ra-legend">* {esc("; ".join(placed))}.</p>'
    return (
        '<div class="ra-cmp-h">Varje värde med källa</div>'
        f'<table class="ra-table ra-cmp-series"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
        + legend
        + _notes_html(notes)
    )


def yearly(points: Iterable[SeriesPoint]) -> dict[tuple[int, str], dict[str, Fact]]:
    """Per (year, unit): the first whole-unit, whole-year value of each kind (the one the chart shows)."""
    out: dict[tuple[int, str], dict[str, Fact]] = {}
    for p in points:
        f = p.fact
        if p.year is None or f.scope is not None or f.period_type not in YEARLY:
            continue
        out.setdefault((p.year, f.org_unit or ""), {}).setdefault(f.kind, f)
    return out


def render_summary(points: Sequence[SeriesPoint], notes: Sequence[SeriesNote] = ()) -> str:
    """One row per year and unit: the outcome with the targets beside it; a target in words is a note in its cell."""
    table = yearly(points)
    in_words: dict[tuple[int, str], dict[str, SeriesNote]] = {}
    for n in notes:
        if n.year is not None:
            in_words.setdefault((n.year, n.fact.org_unit or ""), {}).setdefault(n.fact.kind, n)
            table.setdefault((n.year, n.fact.org_unit or ""), {})
    if not table:
        return '<div class="ra-cmp-empty">Inga helårsvärden att jämföra mellan åren.</div>'
    kinds = [k for k in KIND_ORDER if any(k in c for c in table.values()) or any(k in c for c in in_words.values())]
    head = "".join(f"<th>{h}</th>" for h in ("År", "Enhet", *(KIND_HEADS[k] for k in kinds)))
    rows = []
    for (year, unit), cells in sorted(table.items()):
        tds = []
        for k in kinds:
            f = cells.get(k)
            if f is None:
                note = in_words.get((year, unit), {}).get(k)
                words = f'<div class="ra-cmp-sub">{esc(note.fact.written)} (inget värde)</div>' if note else ""
                tds.append(f'<td class="ra-cmp-textnote">–{words}</td>' if note else "<td>–</td>")
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
