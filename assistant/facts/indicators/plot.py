"""A series as a line chart: one line per unit and kind, every value drawn or said why not (matplotlib).

:func:`chart_plan` decides what the chart shows: per reporting unit and kind
(outcome, target, KF target, forecast) one value per year, for the whole unit
over a year or rolling twelve months. Every other value of the series is in
``left_out`` with the reason in Swedish (a month, a part of the unit, a second
value for the same year), so the table beside the chart can say why it is not
drawn. :func:`draw_chart` draws the plan with value labels that never overlap;
:func:`plot_series` writes it to a PNG.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import AssistantError
from ..figures import format_value
from .series import SeriesPoint

__all__ = ["ChartLine", "ChartPlan", "chart_plan", "chart_title", "draw_chart", "plot_series"]

# kind -> (marker and line style, legend word); the colour is the unit's.
_STYLES = {
    "utfall": ("o", "-", "utfall"),
    "årsmål": ("s", "--", "årsmål"),
    "kf_årsmål": ("^", ":", "KF:s årsmål"),
    "prognos": ("d", "-.", "prognos helår"),
}
_YEARLY = ("år", "rullande 12 mån")


@dataclass(frozen=True)
class ChartLine:
    """One unit's values of one kind, a year each."""

    unit: str
    kind: str
    points: tuple[SeriesPoint, ...]

    @property
    def values(self) -> dict[int, float]:
        return {p.year: p.value for p in self.points if p.year is not None and p.value is not None}

    @property
    def label(self) -> str:
        return f"{self.unit} – {_STYLES[self.kind][2]}"


@dataclass(frozen=True)
class ChartPlan:
    lines: tuple[ChartLine, ...]
    left_out: tuple[tuple[SeriesPoint, str], ...] = field(default=())


def _unit(p: SeriesPoint) -> str:
    return p.fact.org_unit or "enhet okänd"


def chart_plan(points: Sequence[SeriesPoint]) -> ChartPlan:
    """Which values the chart draws (one per unit, kind and year), and why each of the others is not drawn."""
    chosen: dict[tuple[str, str], dict[int, SeriesPoint]] = {}
    left: list[tuple[SeriesPoint, str]] = []
    for p in points:
        f = p.fact
        if p.value is None:
            left.append((p, "inget tal"))
        elif p.year is None:
            left.append((p, "okänt år"))
        elif f.kind not in _STYLES:
            left.append((p, f"slaget {f.kind_label} ritas inte"))
        elif f.scope is not None:
            left.append((p, f"gäller en del av enheten ({f.scope})"))
        elif f.period_type not in _YEARLY:
            left.append((p, f"ett värde för en {f.period_type} ({f.period}), inte för helår"))
        else:
            line = chosen.setdefault((_unit(p), f.kind), {})
            first = line.get(p.year)
            if first is None:
                line[p.year] = p
            else:
                left.append((p, f"diagrammet visar redan {first.fact.written} ({first.fact.period}) för {p.year}"))
    kinds = list(_STYLES)
    lines = tuple(
        ChartLine(unit, kind, tuple(by_year[y] for y in sorted(by_year)))
        for (unit, kind), by_year in sorted(chosen.items(), key=lambda kv: (kv[0][0], kinds.index(kv[0][1])))
    )
    return ChartPlan(lines, tuple(left))


def chart_title(points: Sequence[SeriesPoint]) -> str:
    """ "Sjukfrånvaro – Assistansenheten", or "Sjukfrånvaro – 3 enheter" when the series mixes units."""
    if not points:
        return ""
    units = sorted({_unit(p) for p in points})
    who = units[0] if len(units) == 1 else f"{len(units)} enheter"
    return f"{points[0].fact.indicator_name} – {who}"


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - matplotlib is a dependency here
        from ...errors import DependencyMissingError

        raise DependencyMissingError("matplotlib", purpose="diagram") from exc
    return plt


def draw_chart(points: Sequence[SeriesPoint], title: str | None = None) -> tuple[Any, list[Any]]:
    """The chart as a matplotlib figure, and its value labels (placed so that none overlaps another)."""
    plt = _pyplot()
    plan = chart_plan(points)
    if not plan.lines:
        raise AssistantError("Det finns inga helårsvärden att rita.")
    rows = (len(plan.lines) + 1) // 2
    fig, ax = plt.subplots(figsize=(8.5, 4.4 + 0.25 * rows))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    units = sorted({line.unit for line in plan.lines})
    for line in plan.lines:
        marker, style, _ = _STYLES[line.kind]
        xs = sorted(line.values)
        colour = colours[units.index(line.unit) % len(colours)]
        ax.plot(xs, [line.values[x] for x in xs], marker=marker, linestyle=style, color=colour, label=line.label)
    value_units = sorted({p.unit for line in plan.lines for p in line.points if p.unit})
    ax.set_xlabel("År")
    ax.set_ylabel(f"Värde ({', '.join(value_units) or 'värde'})")
    ax.set_title(title or chart_title(points))
    ax.grid(True, alpha=0.3)
    years = sorted({y for line in plan.lines for y in line.values})
    ax.set_xticks(years)
    ax.margins(y=0.15)
    # Below the axes, so that it never hides a value.
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, frameon=False)
    fig.tight_layout()
    labels = _value_labels(fig, ax, plan)
    return fig, labels


def _value_labels(fig: Any, ax: Any, plan: ChartPlan) -> list[Any]:
    """A label beside each drawn value, placed where it overlaps no marker and no label placed before it."""
    from matplotlib.transforms import Bbox

    renderer = fig.canvas.get_renderer()
    values = sorted(((y, v) for line in plan.lines for y, v in line.values.items()), key=lambda yv: (yv[0], -yv[1]))
    values = list(dict.fromkeys(values))  # the same value twice in a year is one label
    boxes: list[Any] = []
    for x, v in values:  # the markers themselves (about 6 px across)
        px, py = ax.transData.transform((x, v))
        boxes.append(Bbox.from_extents(px - 4, py - 4, px + 4, py + 4))
    placed: list[Any] = []
    for x, value in values:
        label = ax.annotate(format_value(value), (x, value), xytext=(0, 5), textcoords="offset points", fontsize=8)
        for dx, dy, ha, va in _candidates():
            label.set_position((dx, dy))
            label.set_ha(ha)
            label.set_va(va)
            box = label.get_window_extent(renderer)
            if not any(box.overlaps(b) for b in boxes):
                break
        boxes.append(box)
        placed.append(label)
    return placed


def _candidates() -> list[tuple[int, int, str, str]]:
    """Offsets (points) to try for a label: above, right, below, left, then ever further up and down."""
    near = [(0, 5, "center", "bottom"), (6, 0, "left", "center"), (0, -6, "center", "top"), (-6, 0, "right", "center")]
    far = [(0, sign * (5 + 10 * n), "center", "bottom" if sign > 0 else "top") for n in range(1, 8) for sign in (1, -1)]
    return near + far


def plot_series(points: Sequence[SeriesPoint], path: Path | str, title: str | None = None) -> Path:
    """The chart of :func:`draw_chart`, written to ``path`` (PNG)."""
    plt = _pyplot()
    path = Path(path)
    if not points:
        raise AssistantError("Det finns inga värden att rita.")
    fig, _labels = draw_chart(points, title)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
